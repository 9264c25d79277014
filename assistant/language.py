"""Which language a question is in (English or French), by function words and accents."""

from __future__ import annotations

import re

FRENCH = set(["le", "la", "les", "un", "une", "des", "du", "de", "au", "aux", "et", "est", "sont", "qui", "que", "quoi", "quel", "quelle", "quels", "quelles", "comment", "pourquoi", "quand", "combien", "où", "ou", "avec", "pour", "par", "dans", "sur", "ce", "cette", "ces", "il", "elle", "ils", "elles", "a-t-il", "a-t-elle", "l'appel", "appel", "d'", "l'", "qu'", "n'", "s'", "ont", "été", "était", "sa", "son", "ses", "leur", "leurs", "pas", "ne", "y-a-t-il", "entreprises", "soutiens", "signataires", "états", "pays"])
ENGLISH = set(["the", "a", "an", "and", "is", "are", "was", "were", "who", "what", "which", "when", "where", "why", "how", "many", "much", "of", "in", "on", "to", "for", "with", "by", "did", "does", "do", "has", "have", "had", "its", "his", "her", "their", "not", "any", "this", "that", "these", "those"])


def detect_language(text: str) -> str:
    """'fr' or 'en' (English when unsure)."""
    lowered = text.lower()
    words = re.findall(r"[a-zàâçéèêëîïôûùüÿœ'-]+", lowered)
    french = sum(w in FRENCH or w.startswith(("l'", "d'", "qu'", "n'", "s'")) for w in words)
    english = sum(w in ENGLISH for w in words)
    french += 2 * len(re.findall(r"[àâçéèêëîïôûùœ]", lowered))
    return "fr" if french > english else "en"
