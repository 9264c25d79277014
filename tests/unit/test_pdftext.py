"""PDF page text: page furniture removed, words broken across lines joined as the document writes them."""

from corpus.pdftext import clean_pages, furniture, join_broken_words, vocabulary

BODY = "The working group met in Geneva to prepare the discussion of its final report on supply chains."


def test_printed_page_numbers_and_running_headers_are_not_text() -> None:
    pages = [f"Paris Call - Working Group 6\nPage {n} / 4\n{BODY}\n{n}" for n in range(1, 5)]
    cleaned = clean_pages(pages)
    assert cleaned == [BODY] * 4
    assert furniture([page.split("\n") for page in pages]) == {"Paris Call - Working Group 6"}


def test_a_line_found_on_few_pages_is_kept() -> None:
    bodies = [f"{BODY[:-1]}, part {n}." for n in range(4)]
    pages = [f"INTRODUCTION\n{bodies[0]}", bodies[1], bodies[2], f"{bodies[3]}\nAnnex"]
    cleaned = clean_pages(pages)
    assert cleaned[0].startswith("INTRODUCTION\n") and cleaned[3].endswith("\nAnnex")


def test_a_number_inside_the_page_is_kept() -> None:
    page = f"{BODY}\n2018\nis the year the Call was launched, in Paris, by the French President."
    text = clean_pages([page])[0]
    assert "2018" in text


def test_broken_words_are_joined_as_the_document_writes_them() -> None:
    text = ("The discussion went on. Self-regulatory bodies spoke. A cross-border case.\n"
            "It opened the discus -\nsion again, based on self-\nassessment of each stakehold-\ner\n"
            "and a cross-\nborder view in a working group -\nSecuring supply chains.")
    words, compounds = vocabulary([text])
    joined = join_broken_words(text, words, compounds)
    assert "discussion again" in joined
    assert "self-assessment" in joined
    assert "stakeholder" in joined
    assert "cross-border view" in joined
    assert "group -\nSecuring" in joined  # a dash before a capital stays a dash


def test_lines_of_a_paragraph_are_joined_and_short_lines_end_it() -> None:
    page = ("Summary\nThe Paris Call for Trust and Security in Cyberspace was launched in\n"
            "Paris on 12 November 2018 by the French President.\nNext paragraph here.")
    expected = ("Summary\nThe Paris Call for Trust and Security in Cyberspace was launched in "
                "Paris on 12 November 2018 by the French President.\nNext paragraph here.")
    assert clean_pages([page])[0] == expected


def test_words_the_text_layer_splits_are_joined_when_the_document_writes_them_whole() -> None:
    """A PDF's text layer can set a word's first letters apart ("im proving", "c ompanies") or leave them beside
    a list's bullet ("• Def" / "ending electoral processes"): joined again as the document writes them
    elsewhere. Two words that only ever appear together ("Emmanuel Macron") stay two words, and so does a pair
    whose whole is only a web address ("carnegieendowment.org")."""
    page = ("Defending electoral processes is key, and improving information sharing with companies. Clearly so.\n"
            "• Def\nending electoral processes requires, inter alia, - im proving information sharing with c ompanies;\n"
            "- cl\nearly defining foreign interference.\n• It i\ns important to act.\n"
            "Emmanuel Macron spoke with the Carnegie Endowment (https://carnegieendowment.org/).\n"
            "• Use\nthe tools at hand.")
    text = clean_pages([page])[0]
    assert "• Defending electoral processes" in text and "- improving information" in text
    assert "with companies;" in text and "- clearly defining" in text and "• It is important" in text
    assert "Emmanuel Macron" in text and "Carnegie Endowment" in text
    assert "• Use\nthe tools" in text  # "usethe" is no word of the document
