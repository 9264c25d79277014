"""Safe HTML for the chat page: answers with marker links, citation cards, refusals, the sources panel,
briefings, and the Markdown export of a conversation (the Sources tab's documents: `ui.documents`).

Every piece of text that comes from a document or a person is `html.escape`d first; only then are the
escaped markers `[n]` turned into links and `**bold**` into <strong>. Addresses become links only when
they are http(s). Answers are handled as plain dicts (`Answer.model_dump(mode="json")`), the form they
are stored in, so a fresh answer and a restored one render the same way.
"""

from __future__ import annotations

import html
import re
import time
from typing import Any

from assistant.answer import section_mark
from ui.assets import LANGUAGES, TEXT, kind_label

MARKER = re.compile(r"\[(\d{1,3})\]")
BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*", re.S)
HEADING = re.compile(r"(?m)^#{1,6}[ \t]+(.+)$")
SHOWN_CHARS = 300  # of a question that was refused as too long
CONTEXT = 300  # characters of the passage shown on each side of a quote
OPENING_CHARS = 200  # of a passage, where a heading it opens with stands
SAFE_URL = re.compile(r"^https?://[^\s\"'<>]+$", re.I)
ID_SAFE = re.compile(r"[^A-Za-z0-9_-]")


def esc(text: Any) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def rich(text: str) -> str:
    """Escaped text with **bold** and # headings shown as bold (the corpus is Markdown); nothing else is
    interpreted, so links, images and HTML in a document stay text."""
    return HEADING.sub(r"<strong>\1</strong>", BOLD.sub(r"<strong>\1</strong>", esc(text)))


def safe_url(url: str | None) -> str | None:
    url = (url or "").strip()
    return url if SAFE_URL.match(url) else None


def anchor_id(prefix: str, key: str, n: int | str) -> str:
    return f"{prefix}-{ID_SAFE.sub('', key)}-{n}"


def with_markers(text: str, key: str, markers: set[int] | None) -> str:
    """The text escaped, `[n]` linked to its card (only for markers that have one, when known)."""
    def link(match: re.Match) -> str:
        n = int(match.group(1))
        if markers is not None and n not in markers:
            return match.group(0)
        return f'<a class="pca-marker" href="#{anchor_id("cite", key, n)}">[{n}]</a>'

    return MARKER.sub(link, rich(text)).replace("\n", "<br>")


def question_html(question: str) -> str:
    return esc(question).replace("\n", "<br>")


def streaming_html(partial: str, key: str) -> str:
    return with_markers(partial, key, None) + " ▍"


def error_html(message: str) -> str:
    return f'<div class="pca-error">{esc(message)}</div>'


def answer_html(answer: dict[str, Any], key: str, lang: str) -> str:
    t = TEXT[lang]
    if answer.get("refused"):
        related = answer.get("related") or []
        items = "".join(f'<li><a href="#{anchor_id("rel", key, i)}">{esc(p.get("title") or p.get("doc_id"))}</a></li>'
                        for i, p in enumerate(related, 1))
        body = (f'<div class="pca-refusal"><div class="pca-refusal-title">{esc(t["refused"])}</div>'
                f'{with_markers(answer.get("text", ""), key, set())}')
        if items:
            body += f'<div>{esc(t["related"])}:</div><ul class="pca-related">{items}</ul>'
        body += "</div>"
    else:
        markers = {int(c["marker"]) for c in answer.get("citations", [])}
        body = with_markers(answer.get("text", ""), key, markers)
    if answer.get("notice"):
        body += f'<div class="pca-notice">{esc(t["notice"])}: {esc(answer["notice"])}</div>'
    return body


def _chips(item: dict[str, Any], lang: str) -> str:
    t = TEXT[lang]
    chips = [t["flagged"] if item.get("flagged") else None, kind_label(item.get("kind"), lang), item.get("publisher"),
             item.get("date") or t["undated"],
             f'{t["page"]} {item["page"]}' if item.get("page") else None,
             LANGUAGES[lang].get(item.get("language") or "", None)]
    return "".join(f'<span class="pca-chip">{esc(c)}</span>' for c in chips if c)


def _section(item: dict[str, Any]) -> str:
    near_start = int(item.get("start") or 0) <= CONTEXT  # the card shows the passage's opening
    shown = str(item.get("passage") or item.get("text") or "")[:OPENING_CHARS] if near_start else ""
    section = section_mark(item.get("heading"), shown)
    return f'<div class="pca-card-section">{esc(section)}</div>' if section else ""


def _link(item: dict[str, Any], lang: str) -> str:
    url = safe_url(item.get("url"))
    if not url:
        return ""
    return (f'<a class="pca-link" href="{esc(url)}" target="_blank" rel="noopener noreferrer nofollow">'
            f'{esc(TEXT[lang]["open_original"])} ↗</a>')


def highlighted_passage(passage: str, start: int, end: int, context: int = CONTEXT) -> str:
    """The quote [start, end) marked inside up to `context` characters of its passage on each side;
    each piece escaped on its own."""
    start, end = max(0, min(start, len(passage))), max(0, min(end, len(passage)))
    if end <= start:
        return rich(passage[:2 * context]) + (" …" if len(passage) > 2 * context else "")
    low, high = max(0, start - context), min(len(passage), end + context)
    if low > 0:  # start at a line when one begins shortly before, else at a word
        line = passage.rfind("\n", max(0, low - 120), min(start, low + 120))
        low = line + 1 if line != -1 else next((i + 1 for i in range(low, start) if passage[i].isspace()), low)
    if high < len(passage):
        high = next((i for i in range(high, end, -1) if passage[i].isspace()), high)
    return (("… " if low > 0 else "") + rich(passage[low:start]) + f"<mark>{rich(passage[start:end])}</mark>"
            + rich(passage[end:high]) + (" …" if high < len(passage) else ""))


def citation_card(citation: dict[str, Any], key: str, lang: str) -> str:
    n = int(citation["marker"])
    passage = citation.get("passage") or citation.get("quote") or ""
    return (f'<div class="pca-card" id="{anchor_id("cite", key, n)}">'
            f'<div class="pca-card-head"><span class="pca-num">[{n}]</span>'
            f'<span class="pca-card-title">{esc(citation.get("title") or citation.get("doc_id"))}</span></div>'
            f'{_section(citation)}<div class="pca-meta">{_chips(citation, lang)}</div>'
            f'<div class="pca-passage">{highlighted_passage(passage, citation.get("start", 0), citation.get("end", 0))}'
            f'</div>{_link(citation, lang)}</div>')


def related_card(passage: dict[str, Any], key: str, i: int, lang: str) -> str:
    return (f'<div class="pca-card" id="{anchor_id("rel", key, i)}">'
            f'<div class="pca-card-head"><span class="pca-num">{i}.</span>'
            f'<span class="pca-card-title">{esc(passage.get("title") or passage.get("doc_id"))}</span></div>'
            f'{_section(passage)}<div class="pca-meta">{_chips(passage, lang)}</div>'
            f'<div class="pca-passage">{highlighted_passage(passage.get("text", ""), 0, 0)}</div>'
            f'{_link(passage, lang)}</div>')


def sources_html(turns: list[dict[str, Any]], lang: str) -> str:
    """The sources panel: the cards of every answer in the conversation, the latest answer first."""
    t = TEXT[lang]
    groups = []
    for turn in reversed(turns):
        answer, key = turn.get("answer"), turn["key"]
        if not answer:
            continue
        if answer.get("refused"):
            cards = "".join(related_card(p, key, i, lang) for i, p in enumerate(answer.get("related") or [], 1))
            label = t["related"]
        else:
            cards = "".join(citation_card(c, key, lang) for c in answer.get("citations", []))
            cards += registry_table_html(answer.get("registry_rows") or [], key, lang)
            label = t["read_in_sources"]
        if cards:
            groups.append(f'<section class="pca-group"><div class="pca-group-title">{esc(label)}</div>'
                          f'<div class="pca-group-question">{esc(turn["question"])}</div>{cards}</section>')
    return "".join(groups) or f'<div class="pca-empty">{esc(t["sources_empty"])}</div>'


REGISTRY_TABLE = {
    "en": {"summary": "The full list: {count} supporters", "download": "Download as CSV", "name": "Name",
           "category": "Category", "country": "Country", "listed_since": "Listed since"},
    "fr": {"summary": "La liste complète : {count} soutiens", "download": "Télécharger en CSV", "name": "Nom",
           "category": "Catégorie", "country": "Pays", "listed_since": "Inscrit depuis"},
}
CSV_FORMULA = re.compile(r"^[=+\-@\t\r]")  # a spreadsheet would run a cell starting so: keep it text


def registry_csv(rows: list[dict[str, str]]) -> str:
    """The rows as CSV (the registry's own columns), cells that a spreadsheet would read as formulas quoted."""
    import csv
    import io

    columns = list(dict.fromkeys(c for row in rows for c in row))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow(["'" + v if CSV_FORMULA.match(v := str(row.get(c) or "")) else v for c in columns])
    return out.getvalue()


def registry_table_html(rows: list[dict[str, str]], key: str, lang: str) -> str:
    """The full list behind a registry answer (a count or a list): a folded table in the interface language,
    with the rows as a CSV download. Nothing for an answer about one supporter."""
    if len(rows) < 2:
        return ""
    from urllib.parse import quote

    from assistant.registry.text import category_name, country_name

    t = REGISTRY_TABLE[lang]
    head = "".join(f"<th>{esc(t[c])}</th>" for c in ("name", "category", "country", "listed_since"))
    body = "".join(
        f"<tr><td>{esc(r.get('name'))}</td><td>{esc(category_name((r.get('category') or '').strip(), lang))}</td>"
        f"<td>{esc(country_name((r.get('country') or '').strip(), lang))}</td><td>{esc(r.get('listed_since'))}</td></tr>"
        for r in rows)
    href = "data:text/csv;charset=utf-8," + quote("\ufeff" + registry_csv(rows))
    return (f'<details class="pca-card pca-registry" id="{anchor_id("registry", key, len(rows))}">'
            f'<summary>{esc(t["summary"].format(count=len(rows)))}</summary>'
            f'<a class="pca-link" href="{esc(href)}" download="paris-call-supporters.csv">{esc(t["download"])}</a>'
            f'<div style="max-height:320px;overflow:auto"><table class="pca-registry-table"><thead><tr>{head}</tr>'
            f'</thead><tbody>{body}</tbody></table></div></details>')


def chat_messages(turns: list[dict[str, Any]], lang: str) -> list[dict[str, str]]:
    """The Chatbot's value (messages format) for a list of turns."""
    messages = []
    for turn in turns:
        question = turn["question"]
        if turn.get("error") and len(question) > SHOWN_CHARS:  # a refused, over-long question is cut short
            question = question[:SHOWN_CHARS] + " …"
        messages.append({"role": "user", "content": question_html(question)})
        if turn.get("answer"):
            content = answer_html(turn["answer"], turn["key"], lang)
        elif turn.get("error"):
            content = error_html(turn["error"])
        else:
            content = streaming_html(turn.get("partial", ""), turn["key"])
        messages.append({"role": "assistant", "content": content})
    return messages


def conversation_markdown(turns: list[dict[str, Any]], lang: str) -> str:
    """Questions, answers and their numbered references (title, publisher, date, page, section, address)."""
    t = TEXT[lang]
    lines = [f"# {t['md_title']}", "", f"_{t['md_exported']} {time.strftime('%Y-%m-%d %H:%M')}_", ""]
    for i, turn in enumerate((t_ for t_ in turns if t_.get("answer")), 1):
        answer = turn["answer"]
        lines += [f"## {i}. {' '.join(turn['question'].split())}", "", answer.get("text", "").strip(), ""]
        refs = answer.get("citations") or []
        if refs:
            lines += [f"**{t['md_references']}**", ""]
            for c in refs:
                details = ", ".join(str(x) for x in (c.get("publisher"), c.get("date"),
                                                     f"{t['page'].lower()} {c['page']}" if c.get("page") else None,
                                                     section_mark(c.get("heading"), c.get("quote") or "")) if x)
                url = safe_url(c.get("url"))
                lines.append(f"{c['marker']}. {c.get('title') or c.get('doc_id')}" + (f" — {details}" if details else "")
                             + (f" — <{url}>" if url else "") + f"  \n   > {' '.join((c.get('quote') or '').split())}")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def briefing_html(briefing: dict[str, Any], key: str, lang: str) -> str:
    """A briefing (`Briefing.model_dump(mode="json")`): sections with linked markers, then its references."""
    parts = [f'<h2>{esc(briefing.get("title"))}</h2>']
    if briefing.get("notice"):
        parts.append(f'<div class="pca-notice">{esc(TEXT[lang]["notice"])}: {esc(briefing["notice"])}</div>')
    for section in briefing.get("sections") or []:
        parts.append(f'<h3>{esc(section.get("heading"))}</h3>')
        items: list[str] = []
        for sentence in section.get("sentences") or []:
            marks = "".join(f"[{m}]" for m in sentence.get("markers") or [])
            date = f'<strong>{esc(sentence["date"])}</strong> — ' if sentence.get("date") else ""
            line = date + with_markers(str(sentence.get("text", "")) + marks, key, None)
            if sentence.get("item"):
                items.append(f"<li>{line}</li>")
                continue
            if items:
                parts.append(f'<ul>{"".join(items)}</ul>')
                items = []
            parts.append(f"<p>{line}</p>")
        if items:
            parts.append(f'<ul>{"".join(items)}</ul>')
    cards = "".join(citation_card(c, key, lang) for c in briefing.get("references") or [])
    if cards:
        parts.append(f'<h3>{esc(TEXT[lang]["md_references"])}</h3>{cards}')
    return f'<div class="pca-briefing">{"".join(parts)}</div>'
