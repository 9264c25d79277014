"""The text of a PDF's pages as a reader would see it: without page furniture, words whole again.

A PDF gives its text line by line, as laid out on the page. Four things of the layout are undone here:
- page furniture: a line at the top or bottom of a page that is only its printed number ("7", "Page 2 /
  43"), or that repeats at the top or bottom of most pages (a running header or footer);
- hyphenation: a word broken at a line's end ("discus -" / "sion", "stakehold-" / "er") is joined again.
  The document's own words decide how: "discussion" when the document writes it whole elsewhere,
  "self-assessment" when it writes the hyphenated form or other "self-" compounds, or when both halves
  are words it uses on their own and the whole is not; otherwise the halves are joined, unless the second
  starts with a capital (then it is a dash);
- line breaks inside a paragraph: lines are joined; a line ending a sentence, or a short (heading-like)
  line, ends it;
- words a text layer splits with a space ("im proving", "c ompanies") or after a list's bullet ("• Def" /
  "ending electoral processes", "• It i" / "s important"): joined again when the document writes the whole
  word elsewhere and, inside a line, one half never stands alone in it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

PAGE_NUMBER = re.compile(r"(page\s+)?\d{1,4}(\s*(/|of|sur)\s*\d{1,4})?", re.IGNORECASE)  # "7", "Page 2 / 43"
RUNNING_SHARE = 0.5  # a first or last line found on at least this share of the pages is a running header
RUNNING_MIN_PAGES = 3
_WORD = re.compile(r"[^\W\d_]+")
_BROKEN = re.compile(r"([^\W\d_]+)( ?)-\n[ \t]*([^\W\d_]+)")
PARAGRAPH_LINE = 40  # a line shorter than this (a heading, a list label) ends its paragraph
_URL = re.compile(r"(?:https?://|www\.)\S+")  # "carnegieendowment.org" writes no word "carnegieendowment"
# A bullet or dash, the first letters of a word (after a short word: "• It i" / "s important"), and the rest of
# it opening the next line.
_BULLET_SPLIT = re.compile(r"(?m)^([•▪◦‣\-–] ?)((?:[^\W\d_]{1,3} )?([^\W\d_]{1,5}))\n(?=[^\W\d_A-Z])")


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


def _spaced(line: str) -> Iterator[tuple[re.Match[str], re.Match[str]]]:
    """Each pair of letter runs of `line` that stand one space apart."""
    runs = list(_WORD.finditer(line))
    return ((a, b) for a, b in zip(runs, runs[1:], strict=False) if line[a.end():b.start()] == " ")


def split_pairs(text: str) -> Counter[tuple[str, str]]:
    """How often each pair of letter runs stands one space apart on a line of `text` (lower-cased)."""
    return Counter((a.group(0).lower(), b.group(0).lower())
                   for line in _URL.sub(" ", text).split("\n") for a, b in _spaced(line))


def _split(head: str, tail: str, whole: Counter[str], pairs: Counter[tuple[str, str]]) -> bool:
    """Whether "head tail" is one word the text layer split: a half that never stands alone (every time it
    appears, it is in this pair) and a whole the document writes elsewhere ("im proving", "c ompanies"; not
    "Emmanuel Macron", which is never written "emmanuelmacron")."""
    h, t = head.lower(), tail.lower()
    return whole[h + t] > 0 and (whole[h] <= pairs[(h, t)] or whole[t] <= pairs[(h, t)])


def join_split_words(text: str, whole: Counter[str], pairs: Counter[tuple[str, str]]) -> str:
    """`text` (a page's paragraphs) with the words its text layer split joined again (`whole`: the document's
    words counted, outside its web addresses; `pairs`: `split_pairs` of the document's paragraphs), a paragraph
    holding a web address left as it is. After a bullet, a line that ends a few letters in and a next line that
    goes on in lower case are one word when the document writes the whole word elsewhere."""
    def bullet(match: re.Match[str]) -> str:  # a line ending a few letters after a bullet: the whole word will do
        following = _WORD.match(text, match.end())
        if following and whole[(match.group(3) + following.group(0)).lower()] > 0:
            return match.group(1) + match.group(2)
        return match.group(0)
    text = _BULLET_SPLIT.sub(bullet, text)
    return "\n".join(line if _URL.search(line) else _joined(line, whole, pairs) for line in text.split("\n"))


def _joined(line: str, whole: Counter[str], pairs: Counter[tuple[str, str]]) -> str:
    """`line` with each split word (`_split`) joined again."""
    out, last = [], 0
    for a, b in _spaced(line):
        if len(a.group(0)) + len(b.group(0)) > 3 and _split(a.group(0), b.group(0), whole, pairs):
            out.append(line[last:a.end()])
            last = b.start()
    out.append(line[last:])
    return "".join(out)


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
    paragraphs = [_paragraphs(_lines(re.sub(r"[ \t]+", " ", join_broken_words(page, words, compounds))))
                  for page in kept]
    document = "\n".join(paragraphs)
    whole = Counter(w.lower() for w in _WORD.findall(_URL.sub(" ", document)))
    pairs = split_pairs(document)
    return [join_split_words(page, whole, pairs) for page in paragraphs]
