"""Text arriving at an edge (the command line, the page, a file name): made valid Unicode before it is used.

Python keeps bytes that are not valid UTF-8 in a command-line argument as lone surrogate code points, and a
page can send lone surrogates in JSON; neither can be printed, stored in SQLite or sent back as UTF-8.
"""

from __future__ import annotations

REPLACEMENT = "\ufffd"


def clean_text(value: str) -> str:
    """`value` with every lone surrogate (an invalid byte, or half a pair) replaced by U+FFFD; valid text,
    including characters outside the Basic Multilingual Plane, is returned unchanged."""
    try:
        value.encode("utf-8")
        return value
    except UnicodeEncodeError:
        return value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
