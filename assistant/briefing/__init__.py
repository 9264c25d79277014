"""Briefings for staff: a structured, cited document on a topic (`build.py`), who acts in it (`actors.py`),
its dated events (`timeline.py`), and its Markdown and Word exports (`export.py`)."""
