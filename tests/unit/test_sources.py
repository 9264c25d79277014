"""Sources a question names, found from the documents' publishers."""

from __future__ import annotations

from index.chunking import Chunk
from index.sources import MAX_DOCUMENTS, SourceNames, asks_the_text, names_of


def chunk(doc_id: str, text: str, publisher: str | None) -> Chunk:
    metadata = {"doc_id": doc_id, **({"publisher": publisher} if publisher else {})}
    return Chunk(f"{doc_id}#0@x", doc_id, text, 0, len(text), metadata)


def test_names_come_from_the_publisher_and_its_domain() -> None:
    assert names_of("ICTjournal (ictjournal.ch)") == {"ictjournal"}
    assert names_of("L’Usine Digitale (usine-digitale.fr)") == {"lusine digitale", "usine digitale"}
    assert "finabel" in names_of("Finabel – European Army Interoperability Centre (finabel.org)")
    assert names_of("Axios (as stored by the aggregator vuink.com)") == {"axios", "vuink"}


def test_a_question_naming_a_source_finds_its_publisher() -> None:
    names = SourceNames([chunk("a.md", "The call matters.", "Techdirt"),
                         chunk("b.md", "Le texte est publié.", "L’Usine Digitale (usine-digitale.fr)"),
                         chunk("c.md", "Another view.", "UPI")])
    assert names.mentioned("what does techdirt say about the us") == ("Techdirt",)
    assert names.mentioned("d'après L'Usine Digitale, qui a signé ?") == ("L’Usine Digitale (usine-digitale.fr)",)
    assert names.mentioned("per UPI, when did harris arrive") == ("UPI",)
    assert names.mentioned("upi said what") == ()  # a short name counts only written as its capitals
    assert names.mentioned("who signed the call") == ()


def test_names_that_do_not_pick_out_a_source_are_dropped() -> None:
    common = [chunk(f"n{i}.md", "The Paris Peace Forum met again.", "Wire") for i in range(3)]
    many = [chunk(f"site{i}.md", "A page.", "Official site") for i in range(MAX_DOCUMENTS + 1)]
    names = SourceNames([chunk("f.md", "Forum news.", "Paris Peace Forum"), *common, *many])
    assert names.mentioned("what did the paris peace forum say") == ()  # three other documents name it
    assert names.mentioned("what does the official site say") == ()  # it publishes too many documents


def test_a_corpus_without_publishers_names_nothing() -> None:
    assert SourceNames([chunk("a.md", "Text.", None)]).mentioned("according to anyone") == ()


def test_a_question_about_what_the_call_itself_says_is_recognised() -> None:
    for question in ("what does the paris call say about elections", "does the call mention hospitals",
                     "who does the call itself want working together", "qu'est ce que l'appel dit sur les elections",
                     "que dit l'appel sur le hack back", "l'appel de paris parle des normes de l'onu ?",
                     "d'apres le texte de l'appel, la cybercriminalite demande quels efforts",
                     "what is in the text of the call about cybercrime", "Que prévoit l'Appel sur le vol ?"):
        assert asks_the_text(question), question
    for question in ("what is the paris call", "what is the paris call about", "when was the paris call launched",
                     "what did microsoft say about the paris call", "le site de l'appel dit quoi sur l'ue",
                     "why does the paris call site say the community must unite", "why did the us sign the call"):
        assert not asks_the_text(question), question
