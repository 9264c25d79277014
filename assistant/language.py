"""Which language a question is in (English or French): `index.language.detect_language` (py3langid
restricted to English and French), so the answer and the BM25 query read the question alike."""

from __future__ import annotations

from index.language import detect_language, language_probability

__all__ = ["detect_language", "language_probability"]
