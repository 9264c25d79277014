"""The real chat page in headless Chromium (Debian's chromium, driven by Playwright for Python).

It serves the small test corpus (fast hash embedder) plus a planted document full of HTML and script, then
asks a question, sees the streamed answer and its citation card, clicks a marker, gives feedback, exports
the conversation, reloads the page and restarts the server and finds the conversation again, and browses
the Sources tab. Every request the page makes must go to the local server, and nothing planted may run.

Set PCA_README_SCREENSHOT=1 to also refresh docs/chat-page.png from the real corpus (slow: builds its index).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

pytestmark = pytest.mark.integration
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-dev-shm-usage"]
WAIT_MS = 30_000
README_SHOT = Path(__file__).resolve().parents[2] / "docs" / "chat-page.png"

PLANTED = """---
title: 'Planted <script>window.__pwned = 1</script> memo'
kind: news
date: '2022-05-01'
language: en
url: https://example.org/planted
---

# Quantum resilience

The planted memo says the quantum resilience pledge was signed <b>by 42 observers</b> <script>window.__pwned = 2</script><img src=x onerror="window.__pwned = 3"> in Lisbon.

Another paragraph mentions ${alert(1)} and [a link](javascript:alert(1)) and ![img](https://tracker.example/p.png).
"""
QUESTION = "What does the planted memo say about the quantum resilience pledge?"
EVIL_QUESTION = '<img src=x onerror="window.__pwned = 4">Where was the quantum resilience pledge signed?'

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (`make browser`) to run the browser tests",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright for Python is not installed")


def serve(settings):
    from ui.app import launch

    return launch(settings, block=False)


@pytest.fixture
def served(hash_settings, mini_corpus):
    from assistant.service import index_corpus

    (mini_corpus / "news" / "planted.md").write_text(PLANTED, encoding="utf-8")
    summary = index_corpus(hash_settings, progress=False)
    assert not summary.skipped and summary.documents == 7
    from ui.app import free_port

    settings = hash_settings.model_copy(update={"port": free_port("127.0.0.1")})
    app, url = serve(settings)
    state = {"app": app, "url": url, "settings": settings}
    yield state
    state["app"].close()


@pytest.fixture
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def open_page(browser, url: str, tmp_path: Path):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    requests: list[str] = []
    problems: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    page.goto(url)
    page.wait_for_selector("#pca-question textarea")
    return context, page, requests, problems


def ask(page, question: str) -> None:
    before = page.locator("#pca-chat [data-testid=bot]").count()
    page.fill("#pca-question textarea", question)
    page.click("#pca-send")
    page.wait_for_function(
        "n => { const bots = document.querySelectorAll('#pca-chat [data-testid=bot]');"
        " return bots.length > n && !bots[bots.length - 1].innerText.includes('▍'); }", arg=before)


def test_the_chat_page_end_to_end(served, browser, tmp_path):
    context, page, requests, problems = open_page(browser, served["url"], tmp_path)

    # ask: the answer arrives with a linked marker and a citation card with the quote highlighted
    ask(page, QUESTION)
    answer = page.locator("#pca-chat [data-testid=bot]").last
    assert "quantum resilience pledge" in answer.inner_text()
    marker = answer.locator("a.pca-marker").first
    href = marker.get_attribute("href")
    assert re.fullmatch(r"#cite-t[0-9a-f]+-1", href)
    card = page.locator(href)
    card.wait_for()
    assert "Planted <script>window.__pwned = 1</script> memo" in card.inner_text()  # shown as text
    assert "quantum resilience pledge" in card.locator("mark").inner_text()
    assert card.locator("a.pca-link").get_attribute("href") == "https://example.org/planted"

    # clicking the marker scrolls to its card and highlights it
    page.locator("#pca-sources").evaluate("el => el.scrollTop = el.scrollHeight")
    marker.click()
    page.wait_for_function("id => document.getElementById(id).classList.contains('is-active')", arg=href[1:])
    time.sleep(0.8)  # the smooth scroll
    box, panel = card.bounding_box(), page.locator("#pca-sources").bounding_box()
    assert box and panel and box["y"] < panel["y"] + panel["height"] and box["y"] + box["height"] > panel["y"]

    # a question with HTML in it is shown as text, in the chat and in the conversation list
    ask(page, EVIL_QUESTION)
    assert page.locator("#pca-chat [data-testid=user]").last.inner_text().startswith("<img src=x")

    # feedback with a comment is stored
    page.locator("#pca-chat button[aria-label=Like]").first.click()
    page.fill("#pca-comment textarea", "Clear and cited")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelector('#pca-feedback-status').innerText.includes('comment')")
    from ui.store import ConversationStore

    [record] = ConversationStore(served["settings"].db_path).feedback()
    assert record["rating"] == "useful" and record["comment"] == "Clear and cited" and record["question"] == QUESTION

    # export the conversation as Markdown
    with page.expect_download() as download:
        page.click("#pca-export")
    exported = Path(download.value.path()).read_text(encoding="utf-8")
    assert f"## 1. {QUESTION}" in exported and "**References**" in exported
    assert "https://example.org/planted" in exported
    page.screenshot(path=str(tmp_path / "chat-page.png"))

    # reload: the conversation, its answers and their citations are back
    page.reload()
    page.wait_for_selector("#pca-sources .pca-card")
    assert QUESTION in page.locator("#pca-chat").inner_text()
    assert page.locator("#pca-conversations").inner_text().count("What does the planted memo") == 1
    cards_before = page.locator("#pca-sources .pca-card").count()

    # restart the server on the same address: still there
    served["app"].close()
    served["app"], _ = serve(served["settings"])
    page.reload()
    page.wait_for_selector("#pca-sources .pca-card")
    assert QUESTION in page.locator("#pca-chat").inner_text()
    assert page.locator("#pca-sources .pca-card").count() == cards_before

    # the Sources tab: filter, open the planted document and read it in full, safely
    page.get_by_role("tab", name="Sources").click()
    page.fill("#pca-doc-title textarea, #pca-doc-title input", "Planted")
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.querySelectorAll('#pca-docs [data-testid^=cell-]').length <= 5")
    page.locator("#pca-docs [data-testid=cell-0-0]").click()
    page.wait_for_selector("#pca-doc .pca-doc-text")
    text = page.locator("#pca-doc").inner_text()
    assert "<script>window.__pwned = 2</script>" in text and "${alert(1)}" in text and "news/planted.md" in text

    # the language switch
    page.locator("#pca-ui-lang label", has_text="Français").click()
    page.wait_for_function("() => document.body.innerText.includes(\"L'assistant de l'Appel de Paris\")")

    # nothing planted ran, and every request went to the local server
    assert page.evaluate("() => window.__pwned") is None and not problems, problems
    hosts = {urlparse(u).netloc for u in requests if not u.startswith(("data:", "blob:"))}
    assert hosts == {urlparse(served["url"]).netloc}, hosts
    context.close()


def test_two_browsers_do_not_see_each_others_conversations(served, browser, tmp_path):
    alice, alice_page, _, _ = open_page(browser, served["url"], tmp_path)
    bob, bob_page, _, _ = open_page(browser, served["url"], tmp_path)
    ask(alice_page, QUESTION)
    bob_page.locator("#pca-chat button", has_text="What are the nine principles").click()  # an example question
    bob_page.wait_for_function("() => document.querySelectorAll('#pca-chat [data-testid=bot]').length === 1"
                               " && !document.querySelector('#pca-chat [data-testid=bot]').innerText.includes('▍')")
    ask(bob_page, "Which principle defends electoral processes?")
    alice_page.reload()
    bob_page.reload()
    alice_page.wait_for_selector("#pca-sources .pca-card")
    bob_page.wait_for_selector("#pca-chat [data-testid=user]")
    assert "What are the nine principles" in bob_page.locator("#pca-conversations").inner_text()
    assert bob_page.locator("#pca-chat [data-testid=user]").count() == 2
    assert "nine principles" not in alice_page.locator("#pca-conversations").inner_text()
    assert "planted memo" not in bob_page.locator("#pca-conversations").inner_text()
    assert "planted memo" not in bob_page.locator("#pca-chat").inner_text()
    alice.close()
    bob.close()


@pytest.mark.skipif(not os.environ.get("PCA_README_SCREENSHOT"), reason="set PCA_README_SCREENSHOT=1 to refresh it")
def test_readme_screenshot(real_settings, browser, tmp_path):
    """docs/chat-page.png: the page over the real corpus, after one question and a click on a marker."""
    from ui.app import free_port

    app, url = serve(real_settings.model_copy(update={"port": free_port("127.0.0.1")}))
    try:
        context, page, _, _ = open_page(browser, url, tmp_path)
        ask(page, "What are the nine principles of the Paris Call?")
        page.locator("#pca-chat a.pca-marker").nth(1).click()
        time.sleep(1.5)
        page.screenshot(path=str(tmp_path / "full.png"))
        from PIL import Image

        image = Image.open(tmp_path / "full.png").convert("RGB")
        image = image.resize((image.width * 3 // 4, image.height * 3 // 4), Image.LANCZOS)
        README_SHOT.parent.mkdir(exist_ok=True)
        image.quantize(colors=128).save(README_SHOT, optimize=True)
        assert README_SHOT.stat().st_size < 300_000
        context.close()
    finally:
        app.close()
