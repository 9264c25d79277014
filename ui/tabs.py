"""Tabs of the chat page built apart from the main layout (`ui.app`): the briefing tab."""

from __future__ import annotations

import logging

import gradio as gr

from corpus.errors import AssistantError
from corpus.text import clean_text
from index.filters import Filters
from ui import documents, render
from ui.assets import TEXT, kind_label
from ui.handlers import ChatHandlers
from ui.store import new_id

log = logging.getLogger(__name__)
ASK_CONCURRENCY = 2  # answers computed at once (2 cores); the others wait in Gradio's queue


def briefing_tab(h: ChatHandlers, kinds: list[str], tr: list, state: gr.State) -> None:
    """The briefing tab (issue 6), shown only once `assistant.briefing` and `assistant.briefing.export` exist."""
    try:
        from assistant.briefing.build import build_briefing
        from assistant.briefing.export import to_docx, to_markdown
    except ImportError:
        return
    en = TEXT["en"]
    with gr.Tab(en["tab_briefing"], id="briefing") as tab:
        tr.append((tab, lambda lang: {"label": TEXT[lang]["tab_briefing"]}))
        with gr.Row(equal_height=True):
            topic = gr.Textbox(label=en["briefing_topic"], max_lines=2, scale=4, elem_id="pca-briefing-topic")
            language = gr.Radio([("English", "en"), ("Français", "fr")], value="en", label=en["briefing_language"])
            make = gr.Button(en["briefing_make"], variant="primary", scale=1)
        b_kinds = gr.CheckboxGroup([(kind_label(k, "en"), k) for k in kinds], label=en["kind"])
        with gr.Row():
            md_btn = gr.DownloadButton(en["briefing_md"], interactive=False, size="sm")
            docx_btn = gr.DownloadButton(en["briefing_docx"], interactive=False, size="sm")
        preview = gr.HTML(f'<div class="pca-empty">{render.esc(en["briefing_empty"])}</div>', elem_id="pca-briefing")
    for comp, keys in ((topic, {"label": "briefing_topic"}), (language, {"label": "briefing_language"}),
                       (make, {"value": "briefing_make"}), (md_btn, {"label": "briefing_md"}),
                       (docx_btn, {"label": "briefing_docx"}), (b_kinds, {"label": "kind"})):
        tr.append((comp, lambda lang, keys=keys: {p: TEXT[lang][k] for p, k in keys.items()}))

    def make_briefing(topic_: str, lang: str, kinds_: list[str], st: dict):
        off = gr.update(value=None, interactive=False)
        try:
            filters = Filters(kinds=tuple(kinds_)) if kinds_ else None
            briefing = build_briefing(h.assistant, clean_text(topic_ or ""), language=lang, filters=filters)
            h.export_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            folder = h.export_dir / new_id("b")
            folder.mkdir()
            (folder / "briefing.md").write_text(to_markdown(briefing), encoding="utf-8")
            docx = to_docx(briefing, folder / "briefing.docx")
            return (render.briefing_html(briefing.model_dump(mode="json"), folder.name, h.fresh(st)["lang"]),
                    gr.update(value=str(folder / "briefing.md"), interactive=True),
                    gr.update(value=str(docx), interactive=True))
        except AssistantError as err:
            return render.error_html(err.message), off, off
        except Exception:
            log.exception("preparing a briefing failed")
            return render.error_html(TEXT[h.fresh(st)["lang"]]["error"]), off, off

    make.click(make_briefing, [topic, language, b_kinds, state], [preview, md_btn, docx_btn], api_name="briefing",
               concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask")  # shares the answering slots


class DocPager:
    """Previous / next under the Sources tab's document viewer: a long document is sent one part at a time
    (`documents.split_pages`). `show` gives the viewer's outputs for a document and part; `wire` connects the buttons."""

    def __init__(self, catalog: documents.Catalog, viewer: gr.HTML) -> None:
        self.catalog, self.viewer = catalog, viewer
        with gr.Row(visible=False, equal_height=True) as self.row:
            self.prev = gr.Button("‹", size="sm", min_width=60, scale=0, elem_id="pca-doc-prev")
            self.next = gr.Button("›", size="sm", min_width=60, scale=0, elem_id="pca-doc-next")
        self.state = gr.State({"doc": None, "page": 1})
        self.outputs = [viewer, self.state, self.row]

    def show(self, doc_id: str | None, page: int, lang: str) -> list:
        parts = len(documents.split_pages(self.catalog.full_text(doc_id))) if doc_id in self.catalog.by_id else 1
        page = min(max(page, 1), parts)
        return [documents.document_html(self.catalog, doc_id, lang, page), {"doc": doc_id, "page": page},
                gr.update(visible=parts > 1)]

    def wire(self, doc_lang: gr.State) -> None:
        for button, step in ((self.prev, -1), (self.next, 1)):
            button.click(lambda shown, lang, step=step: self.show(shown.get("doc"), shown.get("page", 1) + step, lang),
                         [self.state, doc_lang], self.outputs, api_visibility="private")
