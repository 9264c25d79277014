"""The text of a PDF's pages as a reader would see it: without page furniture, words whole again.

A PDF gives its text line by line, as laid out on the page. Three things of the layout are undone here:
- page furniture: a line at the top or bottom of a page that is only its printed number ("7", "Page 2 /
  43"), or that repeats at the top or bottom of most pages (a running header or footer);
- hyphenation: a word broken at a line's end ("discus -" / "sion", "stakehold-" / "er") is joined again.
  The document's own words decide how: "discussion" when the document writes it whole elsewhere,
  "self-assessment" when it writes the hyphenated form or other "self-" compounds, or when both halves
  are words it uses on their own and the whole is not; otherwise the halves are joined, unless the second
  starts with a capital (then it is a dash);
- line breaks inside a paragraph: lines are joined; a line ending a sentence, or a short (heading-like)
  line, ends it.
"""

from __future__ import annotations

import re
from collections import Counter

PAGE_NUMBER = re.compile(r"(page\s+)?\d{1,4}(\s*(/|of|sur)\s*\d{1,4})?", re.IGNORECASE)  # "7", "Page 2 / 43"
RUNNING_SHARE = 0.5  # a first or last line found on at least this share of the pages is a running header
RUNNING_MIN_PAGES = 3
_WORD = re.compile(r"[^\W\d_]+")
_BROKEN = re.compile(r"([^\W\d_]+)( ?)-\n[ \t]*([^\W\d_]+)")
PARAGRAPH_LINE = 40  # a line shorter than this (a heading, a list label) ends its paragraph


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\x00", "").replace("\r", "\n").split("\n")]


def _edges(lines: list[str]) -> tuple[str, str]:
    content = [line for line in lines if line]
    return (content[0], content[-1]) if content else ("", "")


def furniture(pages: list[list[str]]) -> set[str]:
    """The lines repeated at the top or bottom of most pages (running headers and footers); `pages`: each
    page's lines."""
    if len(pages) < RUNNING_MIN_PAGES:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update(set(_edges(lines)))
    least = max(RUNNING_MIN_PAGES, RUNNING_SHARE * len(pages))
    return {line for line, n in counts.items() if line and n >= least}


def _strip_edges(lines: list[str], repeated: set[str], most: int = 3) -> list[str]:
    """The page's lines without its page number and running header or footer (peeled from each end, a few
    lines at most: "Paris Call - Working Group 6" above "Page 2 / 43")."""
    def furniture_line(line: str) -> bool:
        return bool(PAGE_NUMBER.fullmatch(line)) or line in repeated
    kept = list(lines)
    for _ in range(most):
        while kept and not kept[0]:
            kept.pop(0)
        while kept and not kept[-1]:
            kept.pop()
        if kept and furniture_line(kept[0]):
            kept.pop(0)
        if kept and furniture_line(kept[-1]):
            kept.pop()
    return kept


def vocabulary(pages: list[str]) -> tuple[Counter[str], set[str]]:
    """The document's whole words (lower-cased, counted) and its hyphenated compounds, with the first halves
    of those compounds ("self-" of "self-regulatory")."""
    text = "\n".join(pages)
    words = Counter(w.lower() for w in _WORD.findall(_BROKEN.sub(" ", text)))
    compounds = {m.group(0).lower() for m in re.finditer(r"[^\W\d_]+-[^\W\d_]+", text)}
    return words, compounds | {c.split("-")[0] + "-" for c in compounds}


def join_broken_words(text: str, words: Counter[str], compounds: set[str]) -> str:
    """Words broken across lines joined again, as the document writes them elsewhere."""
    def whole(match: re.Match[str]) -> str:
        head, spaced, tail = match.group(1), match.group(2), match.group(3)
        joined, hyphenated = head + tail, f"{head}-{tail}"
        if joined.lower() in words:
            return joined
        if (hyphenated.lower() in compounds or (not spaced and f"{head.lower()}-" in compounds)
                or (not spaced and words[head.lower()] and words[tail.lower()])):
            return hyphenated
        return joined if tail[0].islower() else match.group(0)  # "Group 6 -" / "Securing...": a dash
    return _BROKEN.sub(whole, text)


def _paragraphs(lines: list[str]) -> str:
    out: list[str] = []
    for line in lines:
        previous = out[-1] if out else ""
        if previous and line and not re.search(r"[.!?:;]$", previous) and len(previous) >= PARAGRAPH_LINE:
            out[-1] += " " + line
        else:
            out.append(line)
    return "\n".join(out).strip()


def clean_pages(pages: list[str]) -> list[str]:
    """Each page's text, cleaned (see the module docstring); a page with no text gives ""."""
    lines = [_lines(page) for page in pages]
    repeated = furniture(lines)
    kept = ["\n".join(_strip_edges(page, repeated)) for page in lines]
    words, compounds = vocabulary(kept)
    joined = (join_broken_words(page, words, compounds) for page in kept)
    return [_paragraphs(_lines(re.sub(r"[ \t]+", " ", page))) for page in joined]
