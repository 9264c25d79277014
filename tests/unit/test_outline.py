"""Answers listing a document's numbered parts ("what are the 9 principles")."""

import pytest

from assistant.outline import Outline, asked_kind, asked_part
from assistant.verify import verify
from index.chunking import Chunk

EN = [("Protect individuals", "Prevent malicious cyber activities that harm individuals."),
      ("Protect the Internet", "Prevent activity that damages the public core of the Internet."),
      ("Defend electoral processes", "Prevent malign interference by foreign actors in elections.")]
FR = [("Protéger les individus", "Empêcher les cyberactivités malveillantes."),
      ("Protéger l'internet", "Empêcher les atteintes au cœur public de l'internet."),
      ("Défendre les processus électoraux", "Prévenir les ingérences étrangères.")]


def sections(doc_id: str, word: str, parts: list[tuple[str, str]], language: str, numbers=None) -> list[Chunk]:
    chunks = []
    for number, (title, sentence) in zip(numbers or range(1, len(parts) + 1), parts, strict=True):
        heading = f"{word} {number}: {title}"
        text = f"## {heading}\n\n{sentence} It is one of the Call's commitments."
        chunks.append(Chunk(f"{doc_id}#{number}", doc_id, text, 0, len(text),
                            {"heading": heading, "title": f"The principles ({language})", "language": language,
                             "kind": "declaration", "publisher": "The Call's website"}))
    return chunks


@pytest.fixture
def outline() -> Outline:
    return Outline(sections("principles-en.md", "Principle", EN, "en")
                   + sections("principles-fr.md", "Principe", FR, "fr"))


@pytest.mark.parametrize("question", [
    "what are the 9 principles", "c'est quoi les 9 principes", "list the principles of the paris call",
    "name the nine principles", "Summarise the nine principles of the Paris Call.",
    "quels sont les principes de l'appel de paris", "what principles is the paris call based on",
])
def test_a_request_for_every_principle_is_recognised(question: str):
    assert asked_kind(question) == "principle"


@pytest.mark.parametrize("question", [
    "which principle is about elections",  # one principle, read as usual
    "how many principles are there",  # a count
    "what does principle 3 say",  # a numbered one
    "which principles did wg6 map",  # something else about the principles
    "are the principles binding",
    "Quels sont les six principes de haut niveau de l'OCDE utilisés par le groupe de travail 6 ?",
    "what does the paris call say about elections",
])
def test_other_questions_about_principles_are_read_as_usual(question: str):
    assert asked_kind(question) is None


def test_every_part_is_listed_in_order_with_its_heading_and_first_sentence(outline: Outline):
    passages, claims = outline.answer("what are the principles", "en")
    assert [p.doc_id for p in passages] == ["principles-en.md"] * 3
    assert claims[0].frame and claims[0].text == "The principles (en), according to The Call's website:"
    items = claims[1:]
    assert [c.text.split(" — ")[0] for c in items] == [f"- Principle {n}: {title}"
                                                      for n, (title, _) in enumerate(EN, start=1)]
    verified = verify(claims, passages)
    assert len(verified.citations) == 3 and not verified.dropped
    assert [c.quote for c in verified.citations] == [sentence for _, sentence in EN]  # verbatim, cited


def test_a_french_question_gets_the_french_document(outline: Outline):
    passages, claims = outline.answer("quels sont les principes ?", "fr")
    assert passages[0].doc_id == "principles-fr.md" and claims[1].text.startswith("- Principe 1: Protéger")


def test_a_question_in_a_language_without_its_document_gets_the_other_framed():
    only_english = Outline(sections("principles-en.md", "Principle", EN, "en"))
    _, claims = only_english.answer("c'est quoi les principes", "fr")
    assert [c.text for c in claims[:2]] == ["The principles (en), d'après The Call's website :",
                                           "Les sources disent (en anglais) :"]


def test_sections_with_a_gap_or_too_few_are_no_outline():
    assert Outline(sections("gap.md", "Principle", EN, "en", numbers=[1, 2, 4])).documents == {}
    assert Outline(sections("two.md", "Principle", EN[:2], "en")).documents == {}
    assert Outline(sections("gap.md", "Principle", EN, "en", numbers=[1, 2, 4])).answer(
        "what are the principles", "en") is None


@pytest.mark.parametrize(("question", "part"), [
    ("what does principle 3 say", ("principle", 3)), ("que dit le principe 2", ("principle", 2)),
    ("principle 1?", ("principle", 1)), ("c'est quoi le principe 3", ("principle", 3)),
    ("why is principle 3 important", None), ("who leads principle 3", None), ("is principle 3 binding", None),
    ("what did wg4 say about principle 3", None), ("what are the principles", None),
    ("que prévoit le principe 2 ?", ("principle", 2)), ("what does principle 9 deal with", ("principle", 9)),
    ("what does principle 5 cover", ("principle", 5)), ("why is principle 8 there", None),
])
def test_a_question_about_one_part_asks_for_its_text(question: str, part):
    assert asked_part(question) == part


def test_one_part_is_answered_with_its_own_section(outline: Outline):
    passages, claims = outline.answer("que dit le principe 3", "fr")
    assert [p.doc_id for p in passages] == ["principles-fr.md"]
    stated = [c for c in claims if not c.frame]
    assert len(stated) == 1 and stated[0].text.startswith("Principe 3: Défendre les processus électoraux — ")
    assert "Prévenir les ingérences étrangères." in stated[0].text
    assert outline.answer("what does principle 7 say", "en") is None  # no such part: read as usual
