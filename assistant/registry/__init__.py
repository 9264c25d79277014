"""Supporter questions, answered from the registry's rows: parsed into a structured query (`query.py`, with
the words of `lexicon.py`, `words.py` and `countries.py`), run on the rows and count tables (`data.py`), and
composed as cited claims in the asker's language (`compose.py`, `text.py`, `answer.py`)."""
