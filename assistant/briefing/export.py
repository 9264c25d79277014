"""A briefing as Markdown or as a Word document (python-docx): the same content, real headings,
bracketed citation markers and a numbered reference list (title, publisher, date, address, page, quote).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from assistant.answer import Citation, section_mark
from assistant.briefing.document import Briefing, BriefingSentence
from assistant.prompts import BRIEFING

QUOTE_CHARS = 220


def generated_line(briefing: Briefing) -> str:
    try:
        when = datetime.fromisoformat(briefing.generated_at).astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    except ValueError:
        when = briefing.generated_at
    return BRIEFING[briefing.language]["generated"].format(date=when)


def reference_parts(citation: Citation, language: str) -> tuple[str, str, str]:
    """(title, details, quote) of one reference: details are publisher, date, page, section, digest note,
    address."""
    words = BRIEFING[language]
    details = [citation.publisher or "", citation.date or "", f"p. {citation.page}" if citation.page else "",
               section_mark(citation.heading, citation.quote), words["digest"] if citation.form == "digest" else "",
               citation.url or ""]
    quote = " ".join(citation.quote.split())
    if len(quote) > QUOTE_CHARS:
        quote = quote[:QUOTE_CHARS].rsplit(" ", 1)[0] + " …"
    return citation.title or citation.doc_id, ", ".join(d for d in details if d), quote


def _date_label(sentence: BriefingSentence, language: str) -> str:
    note = f" ({BRIEFING[language]['source_date']})" if sentence.date_source == "document" else ""
    return f"{sentence.date}{note}"


def _escape(text: str) -> str:
    """Markdown-safe text: emphasis, code and link characters of the sources are shown, not interpreted."""
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", text)


def to_markdown(briefing: Briefing) -> str:
    lines = [f"# {_escape(briefing.title)}", "", f"*{generated_line(briefing)}*", ""]
    if briefing.notice:
        lines += [f"> {_escape(briefing.notice)}", ""]
    for section in briefing.sections:
        lines += [f"## {section.heading}", ""]
        actor = None
        for s in section.sentences:
            body = _escape(s.text) + "".join(f"[{m}]" for m in s.markers)
            if s.actor and s.actor != actor:
                actor = s.actor
                lines += ([""] if lines[-1] else []) + [f"**{_escape(actor)}**", ""]
            if s.date:
                body = f"**{_date_label(s, briefing.language)}** — {body}"
            lines.append(f"  - {body}" if s.item else f"- {body}")
        lines.append("")
    if briefing.references:
        lines += [f"## {BRIEFING[briefing.language]['references']}", ""]
        for ref in briefing.references:
            title, details, quote = reference_parts(ref, briefing.language)
            lines.append(f"{ref.marker}. *{_escape(title)}*" + (f" — {_escape(details)}" if details else "")
                         + f". “{_escape(quote)}”")
        lines.append("")
    return "\n".join(lines)


def to_docx(briefing: Briefing, path: Path) -> Path:
    """Write the briefing as a .docx: Title and Heading styles, markers as superscript [n], references
    numbered [n] in the order of first use."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.core_properties.title = briefing.title
    doc.core_properties.subject = briefing.topic
    doc.core_properties.language = briefing.language
    doc.add_heading(briefing.title, level=0)
    doc.add_paragraph().add_run(generated_line(briefing)).italic = True
    if briefing.notice:
        doc.add_paragraph(briefing.notice, style="Intense Quote")
    for section in briefing.sections:
        doc.add_heading(section.heading, level=1)
        actor = None
        for s in section.sentences:
            if s.actor and s.actor != actor:
                actor = s.actor
                doc.add_heading(actor, level=2)
            style = "List Bullet 2" if s.item else "List Bullet"
            paragraph = doc.add_paragraph(style=style)
            if s.date:
                paragraph.add_run(_date_label(s, briefing.language) + " — ").bold = True
            paragraph.add_run(s.text)
            for marker in s.markers:
                paragraph.add_run(f"[{marker}]").font.superscript = True
    if briefing.references:
        doc.add_heading(BRIEFING[briefing.language]["references"], level=1)
        for ref in briefing.references:
            title, details, quote = reference_parts(ref, briefing.language)
            paragraph = doc.add_paragraph()
            paragraph.paragraph_format.left_indent = Pt(24)
            paragraph.paragraph_format.first_line_indent = Pt(-24)
            paragraph.add_run(f"[{ref.marker}]\t").bold = True
            paragraph.add_run(title).italic = True
            paragraph.add_run((f" — {details}" if details else "") + f". “{quote}”")
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(path))
    return path
