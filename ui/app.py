"""The chat page (Gradio Blocks): `create_app` builds it without serving it; `launch` serves it.

The handlers (`ui.handlers.ChatHandlers`) work on a plain per-session dict held in a `gr.State`. A browser
keeps only a random owner id, its open conversation and the interface language in its local storage
(`gr.BrowserState`); conversations and feedback are in SQLite (`ui.store`).
"""

from __future__ import annotations

import logging
import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")

import gradio as gr  # noqa: E402

from assistant.settings import Settings  # noqa: E402
from corpus.errors import ConfigError  # noqa: E402
from ui import documents, render  # noqa: E402
from ui.assets import CSS, EXAMPLES, HEAD, MONO_FONTS, SYSTEM_FONTS, TEXT, kind_label  # noqa: E402
from ui.handlers import ChatHandlers  # noqa: E402
from ui.store import ConversationStore  # noqa: E402
from ui.tabs import ASK_CONCURRENCY, DocPager, briefing_tab  # noqa: E402

__all__ = ["ChatHandlers", "create_app", "launch", "launch_options"]
log = logging.getLogger(__name__)
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


# -- the page -------------------------------------------------------------------------------------------
def theme() -> gr.themes.Base:
    """System fonts only: the page never fetches a font (or anything else) from outside."""
    return gr.themes.Soft(primary_hue="blue", neutral_hue="slate", font=SYSTEM_FONTS, font_mono=MONO_FONTS)


def launch_options() -> dict[str, Any]:
    """What Gradio 6 takes at launch rather than in `Blocks`: theme, CSS and the marker script."""
    return {"theme": theme(), "css": CSS, "head": HEAD}


def browser_secret(settings: Settings) -> str:
    """A stable key for the browser storage, so a restart keeps each browser's conversations."""
    path = settings.data_dir / "ui-secret"
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(24), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def create_app(settings: Settings | None = None, assistant: Any = None, store: ConversationStore | None = None,
               catalog: documents.Catalog | None = None, export_dir: Path | None = None) -> gr.Blocks:
    """Build the page (nothing is served): real components from `settings` unless fakes are given."""
    settings = settings or Settings()
    if assistant is None:
        from assistant.chain import Assistant
        from assistant.service import Services

        assistant = Assistant(Services(settings))
    if catalog is None:
        catalog = documents.Catalog.from_snapshot(assistant.services.snapshot, settings.corpus_dir)
    store = store or ConversationStore(settings.db_path)
    export_dir = export_dir or Path(tempfile.gettempdir()) / "pca-exports"
    return _layout(ChatHandlers(assistant, store, export_dir), catalog, browser_secret(settings))


def _header(lang: str) -> str:
    t = TEXT[lang]
    return f'<div class="pca-header"><div><h1>{render.esc(t["title"])}</h1><p>{render.esc(t["subtitle"])}</p></div></div>'


def _examples(lang: str) -> list[dict[str, str]]:
    return [{"text": q} for q in EXAMPLES[lang]]


def doc_table(docs: list[documents.DocInfo], lang: str):
    import pandas as pd

    t = TEXT[lang]
    headers = [t["col_title"], t["col_kind"], t["col_language"], t["col_date"], t["col_id"]]
    return pd.DataFrame([[("⚠ " if d.flagged else "") + d.title, kind_label(d.kind, lang), d.language, d.date, d.doc_id]
                         for d in docs],
                        columns=headers)


def _layout(h: ChatHandlers, catalog: documents.Catalog, secret: str) -> gr.Blocks:
    en, kinds = TEXT["en"], catalog.kinds()
    tr: list[tuple[Any, Any]] = []  # (component, lang -> props) for the interface language switch

    def t(component, **keys):
        tr.append((component, lambda lang: {prop: TEXT[lang][key] for prop, key in keys.items()}))
        return component

    def kind_choices(lang: str, any_first: bool = False) -> list[tuple[str, str]]:
        return ([(TEXT[lang]["any"], "")] if any_first else []) + [(kind_label(k, lang), k) for k in kinds]

    def lang_choices(lang: str, any_first: bool = False) -> list[tuple[str, str]]:
        names = {"en": ("English", "French"), "fr": ("Anglais", "Français")}[lang]
        return ([(TEXT[lang]["any"], "")] if any_first else []) + list(zip(names, ("en", "fr"), strict=True))

    with gr.Blocks(title=en["title"], analytics_enabled=False, fill_width=True) as demo:
        state = gr.State(None)
        browser = gr.BrowserState({}, storage_key="paris-call-assistant", secret=secret)
        with gr.Row(equal_height=True):
            header = gr.HTML(_header("en"), padding=False)
            ui_lang = t(gr.Radio([("English", "en"), ("Français", "fr")], value="en", label=en["ui_language"],
                                 elem_id="pca-ui-lang", scale=0, min_width=270), label="ui_language")
        tr.append((header, lambda lang: {"value": _header(lang)}))
        with gr.Tabs():
            with gr.Tab(en["tab_chat"], id="chat") as tab:
                t(tab, label="tab_chat")
                with gr.Row():
                    with gr.Column(scale=1, min_width=230):
                        new_btn = t(gr.Button(en["new"], variant="primary", elem_id="pca-new"), value="new")
                        conversations = t(gr.Radio([], label=en["conversations"], elem_id="pca-conversations"),
                                          label="conversations")
                        export_btn = t(gr.DownloadButton(en["export"], value=None, interactive=False,
                                                         elem_id="pca-export", size="sm"), label="export")
                        delete_btn = t(gr.Button(en["delete"], variant="stop", size="sm", elem_id="pca-delete"),
                                       value="delete")
                        with gr.Accordion(en["filters"], open=False) as accordion:
                            t(accordion, label="filters")
                            kinds_box = gr.CheckboxGroup(kind_choices("en"), label=en["kind"], elem_id="pca-kinds")
                            langs_box = gr.CheckboxGroup(lang_choices("en"), label=en["language"])
                            date_from = t(gr.Textbox(label=en["date_from"], max_lines=1), label="date_from")
                            date_to = t(gr.Textbox(label=en["date_to"], max_lines=1), label="date_to")
                        tr.append((kinds_box, lambda lang: {"label": TEXT[lang]["kind"], "choices": kind_choices(lang)}))
                        tr.append((langs_box, lambda lang: {"label": TEXT[lang]["language"],
                                                            "choices": lang_choices(lang)}))
                    with gr.Column(scale=3, min_width=380):
                        chatbot = t(gr.Chatbot([], label=en["chat"], show_label=False, elem_id="pca-chat", height=600,
                                               render_markdown=False, placeholder=en["placeholder"],
                                               examples=_examples("en"), buttons=["copy"]),
                                    label="chat", placeholder="placeholder")
                        tr.append((chatbot, lambda lang: {"examples": _examples(lang)}))
                        with gr.Row(equal_height=True):
                            question = t(gr.Textbox(label=en["ask"], placeholder=en["ask_placeholder"], max_lines=6,
                                                    scale=5, elem_id="pca-question", show_label=False),
                                         label="ask", placeholder="ask_placeholder")
                            send = t(gr.Button(en["send"], variant="primary", scale=1, min_width=90,
                                               elem_id="pca-send"), value="send")
                        with gr.Row(visible=False, equal_height=True) as comment_row:
                            comment = t(gr.Textbox(label=en["comment"], max_lines=3, scale=5, elem_id="pca-comment"),
                                        label="comment")
                            comment_send = t(gr.Button(en["comment_send"], scale=1, min_width=90), value="comment_send")
                        comment_status = gr.Markdown("", elem_id="pca-feedback-status")
                    with gr.Column(scale=2, min_width=320):
                        sources_head = gr.Markdown(f"### {en['sources']}")
                        tr.append((sources_head, lambda lang: {"value": f"### {TEXT[lang]['sources']}"}))
                        sources = gr.HTML(render.sources_html([], "en"), elem_id="pca-sources", padding=False,
                                          max_height=660)
            with gr.Tab(en["tab_sources"], id="sources") as tab:
                t(tab, label="tab_sources")
                t(gr.Markdown(en["docs_intro"]), value="docs_intro")
                with gr.Row():
                    d_kind = gr.Dropdown(kind_choices("en", True), value="", label=en["col_kind"], elem_id="pca-d-kind")
                    d_lang = gr.Dropdown(lang_choices("en", True), value="", label=en["col_language"])
                    d_from = t(gr.Textbox(label=en["date_from"], max_lines=1), label="date_from")
                    d_to = t(gr.Textbox(label=en["date_to"], max_lines=1), label="date_to")
                    d_title = t(gr.Textbox(label=en["search_docs"], max_lines=1, elem_id="pca-doc-title"),
                            label="search_docs")
                tr.append((d_kind, lambda lang: {"label": TEXT[lang]["col_kind"], "choices": kind_choices(lang, True)}))
                tr.append((d_lang, lambda lang: {"label": TEXT[lang]["col_language"],
                                                 "choices": lang_choices(lang, True)}))
                count = gr.Markdown("")
                with gr.Row():
                    with gr.Column(scale=3):
                        table = gr.Dataframe(doc_table(catalog.docs, "en"), interactive=False, wrap=True,
                                             max_height=600, elem_id="pca-docs", buttons=[],
                                             column_widths=["44%", "15%", "9%", "12%", "20%"])
                    with gr.Column(scale=2):
                        viewer = gr.HTML(documents.document_html(catalog, None, "en"), elem_id="pca-doc", padding=False)
                        pager = DocPager(catalog, viewer)  # a long document, one part at a time
                doc_lang = gr.State("en")
            briefing_tab(h, kinds, tr, state)

        # -- wiring -------------------------------------------------------------------------------------
        view_out = [state, browser, chatbot, sources, conversations, export_btn]
        all_out = view_out + [ui_lang, comment_row, doc_lang] + [c for c, _ in tr]

        def view(st: dict) -> list:
            path, choices = h.export(st), h.choices(st)
            return [st, {"client": st["client"], "conversation": st["conversation"], "lang": st["lang"]},
                    render.chat_messages(st["turns"], st["lang"]), render.sources_html(st["turns"], st["lang"]),
                    gr.update(choices=choices, value=st["conversation"],
                              info="" if choices else TEXT[st["lang"]]["no_conversations"]),
                    gr.update(value=path, interactive=bool(path))]

        def everything(st: dict) -> list:
            return view(st) + [st["lang"], gr.update(visible=False), st["lang"]] + [gr.update(**fn(st["lang"]))
                                                                                   for _, fn in tr]

        def ask(question, st0, kinds_, langs_, dfrom, dto):
            for st in h.ask(question, st0, kinds_, langs_, dfrom, dto):
                last = st["turns"][-1]
                if "partial" in last:
                    yield [st, gr.skip(), render.chat_messages(st["turns"], st["lang"])] + [gr.skip()] * 3 + [""]
                else:
                    yield view(st) + [question if last.get("error") else ""]

        def switch(lang: str, st: dict) -> list:
            st = h.fresh(st)
            st["lang"] = lang if lang in TEXT else "en"
            return everything(st)

        def liked(st: dict, evt: gr.LikeData):
            st, ok = h.feedback(st, evt.index, evt.liked)
            return st, gr.update(visible=ok), TEXT[st["lang"]]["feedback_thanks"] if ok else ""

        def commented(st: dict, text: str):
            ok = h.comment(st, text)
            return gr.update(visible=not ok), "" if ok else text, TEXT[h.fresh(st)["lang"]]["comment_thanks"] if ok else ""

        def example(evt: gr.SelectData) -> str:
            return (evt.value or {}).get("text", "") if isinstance(evt.value, dict) else str(evt.value or "")

        def browse(kind, language, dfrom, dto, title, lang):
            docs = catalog.select(kind or None, language or None, (dfrom or "").strip(), (dto or "").strip(), title or "")
            return doc_table(docs, lang), TEXT[lang]["docs_count"].format(shown=len(docs), total=len(catalog.docs))

        def open_doc(lang: str, evt: gr.SelectData):
            row = evt.row_value or []
            return pager.show(str(row[-1]) if row else None, 1, lang)

        browse_in, browse_out = [d_kind, d_lang, d_from, d_to, d_title, doc_lang], [table, count]
        demo.load(lambda b: everything(h.start(b)), [browser], all_out, api_visibility="private").then(
            browse, browse_in, browse_out, api_visibility="private")
        chatbot.clear(lambda st: view(h.new(st)), [state], view_out, api_visibility="private")
        ask_in = [question, state, kinds_box, langs_box, date_from, date_to]
        gr.on([question.submit, send.click], ask, ask_in, view_out + [question], api_name="ask",
              concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask")
        chatbot.example_select(example, None, question, api_visibility="private").then(
            ask, ask_in, view_out + [question], concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask",
            api_visibility="private")
        new_btn.click(lambda st: view(h.new(st)), [state], view_out, api_name="new_conversation")
        delete_btn.click(lambda st: view(h.delete(st)), [state], view_out, api_name="delete_conversation")
        conversations.input(lambda cid, st: view(h.open(st, cid)), [conversations, state], view_out,
                            api_name="open_conversation")
        ui_lang.input(switch, [ui_lang, state], all_out, api_visibility="private").then(
            browse, browse_in, browse_out, api_visibility="private")
        chatbot.like(liked, [state], [state, comment_row, comment_status], api_visibility="private")
        gr.on([comment.submit, comment_send.click], commented, [state, comment], [comment_row, comment, comment_status],
              api_visibility="private")
        gr.on([d.change for d in (d_kind, d_lang)] + [d.submit for d in (d_from, d_to, d_title)], browse, browse_in,
              browse_out, api_visibility="private")
        table.select(open_doc, [doc_lang], pager.outputs, api_visibility="private")
        pager.wire(doc_lang)
    return demo


def check_auth(settings: Settings) -> tuple[str, str] | None:
    user, password = settings.auth_user.strip(), settings.auth_password.get_secret_value()
    if settings.host not in LOOPBACK and not (user and password):
        raise ConfigError(f"the chat page would be reachable from other machines ({settings.host}) "
                          "without a password: set PCA_AUTH_USER and PCA_AUTH_PASSWORD, or PCA_HOST=127.0.0.1")
    return (user, password) if user and password else None


def free_port(host: str) -> int:
    import socket

    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def log_to_file(settings: Settings) -> None:
    """Errors met by the page go to data/logs/ui.log as well as to the console."""
    settings.log_dir.mkdir(parents=True, exist_ok=True)
    path = str((settings.log_dir / "ui.log").resolve())
    logger = logging.getLogger("ui")
    if not any(getattr(h, "baseFilename", None) == path for h in logger.handlers):
        handler = logging.FileHandler(path, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        logger.addHandler(handler)


def launch(settings: Settings | None = None, block: bool = True, app: gr.Blocks | None = None) -> tuple[gr.Blocks, str]:
    """Serve the chat page on settings.host:settings.port (0 = any free port) and print its address.

    With block=False the server runs in a background thread (close it with `app.close()`); `app` is an
    already built page (tests pass one built with fakes), else the real one is built and warmed up.
    """
    settings = settings or Settings()
    auth = check_auth(settings)
    log_to_file(settings)
    if app is None:
        from assistant.chain import Assistant
        from assistant.service import Services

        assistant = Assistant(Services(settings))
        _ = assistant.services.store  # a damaged store stops the page before it serves, with the fix
        assistant.warm_up()
        app = create_app(settings, assistant=assistant)
    app.queue(default_concurrency_limit=4)  # light handlers (SQLite, rendering); answers: ASK_CONCURRENCY
    port = settings.port or free_port(settings.host)
    app.launch(server_name=settings.host, server_port=port, auth=auth, prevent_thread_lock=True, quiet=True,
               ssr_mode=False, share=False, inbrowser=False, show_error=False, mcp_server=False,
               **launch_options())
    host = f"[{settings.host}]" if ":" in settings.host else settings.host
    url = f"http://{host}:{port}/"
    print(f"The Paris Call assistant is ready: {url}", flush=True)
    if block:
        try:
            app.block_thread()
        finally:
            app.close()
    return app, url
