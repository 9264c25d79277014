"""LLM answer backends through LangChain chat models: any OpenAI-compatible endpoint, Ollama, or `local`
(a GGUF model run in this process, `assistant.local_llm`).

The model writes over numbered passages with inline markers; its draft is then parsed into claims and
verified like any other. The `local` backend gets a compact prompt: only the best sentences of the top
passages, each under its passage's number, so a small CPU model reads little and markers still point at
the retrieved passages. Failures (unreachable endpoint, timeout, error status, unparsable or empty
response) become `BackendError` so the chain can fall back and say so. The API key comes from the
settings (the environment) only and is scrubbed from every error message.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Sequence

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.answer import Passage
from assistant.answerability import is_injection
from assistant.prompts import (
    CONDENSE_PROMPT,
    LANGUAGE_NAMES,
    LOCAL_SYSTEM_PROMPT,
    LOCAL_USER_PROMPT,
    REFUSAL,
    SYSTEM_PROMPT,
    USER_PROMPT,
)
from assistant.settings import Settings
from assistant.support import best_support, coverage, quote_tokens
from assistant.verify import Claim
from corpus.errors import BackendError, ConfigError
from index.chunking import split_sentences
from index.lexical import tokenize

MAX_TOKENS = 400  # longest draft; four short sentences need far fewer
LOCAL_MAX_TOKENS = 150  # the local model's drafts: three short sentences with markers
LOCAL_CONTEXT = 2048  # tokens; the compact prompt and a draft need about 1,000
LOCAL_PASSAGES = 4  # top passages whose sentences the compact prompt shows
LOCAL_SENTENCES = 2  # sentences kept from each of them
# A marker: [1], [1][2], [1, 2], [1-3], [Passage 1], [source 2]; the numbers are 1-based passage numbers.
_NUMBERS = r"\d{1,3}(?:\s*(?:[,;]|-|–|and|et)\s*\d{1,3})*"
MARKER = re.compile(rf"\[\s*(?:(?:passages?|sources?|p\.)\s*)?({_NUMBERS})\s*\]", re.IGNORECASE)
_MARKER_TEXT = rf"\[\s*(?:(?:passages?|sources?|p\.)\s*)?{_NUMBERS}\s*\]"
# A sentence ends at . ! ? followed by a space, a marker or the end, or at the end of its line (list items,
# lines without punctuation); markers right after its end belong to it. "2.5" or "U.S." do not end one.
SENTENCE = re.compile(rf"(?:[^.!?\n]|[.!?]+(?=[^\s\[.!?]))+(?:[.!?]+|(?=\n)|$)(?:[ \t]*{_MARKER_TEXT})*",
                      re.IGNORECASE)
THINKING = re.compile(r"<think>.*?(?:</think>|$)", re.DOTALL | re.IGNORECASE)
BULLET = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+", re.MULTILINE)
APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


def chat_model(settings: Settings, backend: str) -> BaseChatModel:
    if backend == "openai":
        from langchain_openai import ChatOpenAI

        # `max_tokens` goes in the body as is: ChatOpenAI would rename it `max_completion_tokens`, which
        # llama-cpp-python's server (and older llama.cpp, Ollama) ignore, so a draft could run to the context end.
        return ChatOpenAI(base_url=settings.llm_base_url, model=settings.llm_model, temperature=0,
                          api_key=settings.llm_api_key.get_secret_value() or "not-needed",
                          timeout=settings.llm_timeout, max_retries=0, extra_body={"max_tokens": MAX_TOKENS})
    if backend == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(base_url=settings.llm_base_url, model=settings.llm_model, temperature=0,
                          client_kwargs={"timeout": settings.llm_timeout}, num_predict=MAX_TOKENS)
    if backend == "local":
        from assistant.local_llm import LocalChatModel
        from assistant.local_model import model_file

        path = model_file(settings.local_model, settings.local_model_dir)  # ModelMissingError: how to install
        return LocalChatModel(path=str(path), threads=settings.local_threads or os.cpu_count() or 2,
                              context=LOCAL_CONTEXT, max_tokens=LOCAL_MAX_TOKENS,
                              timeout=settings.llm_timeout).load()  # a model that cannot load: a clear error
    raise ConfigError(f"unknown answer backend {backend!r}; choose extractive, openai, ollama or local")


def messages(question: str, language: str, passages: list[Passage]) -> list:
    numbered = "\n\n".join(f"[{i}] {p.title}" + (f" (p. {p.page})" if p.page else "") + f"\n{p.text}"
                           for i, p in enumerate(passages, start=1))
    return [SystemMessage(SYSTEM_PROMPT.format(language_name=LANGUAGE_NAMES[language], refusal=REFUSAL[language])),
            HumanMessage(USER_PROMPT.format(passages=numbered, question=question))]


def best_sentences(question: str, passages: list[Passage]) -> list[tuple[int, str]]:
    """(passage index, sentence): the sentences of the top passages that share most words with the question,
    at most `LOCAL_SENTENCES` each, in text order; instructions planted in a document are left out."""
    wanted = tokenize(question)
    chosen: list[tuple[int, str]] = []
    for index, passage in enumerate(passages[:LOCAL_PASSAGES]):
        sentences = [s for s in (passage.text[a:b].strip() for a, b in split_sentences(passage.text))
                     if re.search(r"\w", s) and not is_injection(s)]
        scores = [coverage(wanted, quote_tokens(s)) for s in sentences]
        ranked = sorted(range(len(sentences)), key=lambda i: -scores[i])
        keep = [i for i in ranked[:LOCAL_SENTENCES] if scores[i] > 0] or ranked[:1]
        chosen.extend((index, sentences[i]) for i in sorted(keep))
    return chosen


def compact_messages(question: str, language: str, passages: list[Passage],
                     selected: Sequence[tuple[int, str]] | None = None) -> list:
    """The local model's short prompt: `selected` (passage index, sentence) pairs, or `best_sentences`, shown
    under their passage's number (so "[3]" still means the third retrieved passage)."""
    by_passage: dict[int, list[str]] = {}
    for index, sentence in selected if selected is not None else best_sentences(question, passages):
        if 0 <= index < len(passages) and sentence not in by_passage.get(index, []):
            by_passage.setdefault(index, []).append(sentence)
    numbered = "\n".join(f"[{i + 1}] ({passages[i].title}) " + " ".join(by_passage[i]) for i in sorted(by_passage))
    language_name = LANGUAGE_NAMES[language]
    return [SystemMessage(LOCAL_SYSTEM_PROMPT.format(language_name=language_name, refusal=REFUSAL[language])),
            HumanMessage(LOCAL_USER_PROMPT.format(passages=numbered, question=question, language_name=language_name))]


def clean_draft(text: str) -> str:
    """The draft without reasoning blocks (<think>...</think>), with list bullets made uniform."""
    return BULLET.sub("- ", THINKING.sub("", text)).strip()


def marker_numbers(marker: str) -> list[int]:
    """The 1-based passage numbers inside one marker's brackets ("1, 2" -> [1, 2]; "1-3" -> [1, 2, 3])."""
    numbers: list[int] = []
    for part in re.split(r"\s*(?:[,;]|and|et)\s*", marker, flags=re.IGNORECASE):
        bounds = [int(n) for n in re.findall(r"\d+", part)]
        if len(bounds) == 2 and 0 <= bounds[1] - bounds[0] <= 10:
            numbers.extend(range(bounds[0], bounds[1] + 1))
        else:
            numbers.extend(bounds)
    return numbers


def parse_claims(text: str) -> list[Claim]:
    """Sentences of the model's draft with the passages their markers point to (1-based -> 0-based)."""
    claims = []
    for match in SENTENCE.finditer(clean_draft(text)):
        sentence = match.group(0).strip()
        bare = re.sub(r"\s+([.!?,;:])", r"\1", MARKER.sub("", sentence))
        bare = re.sub(r"[ \t]{2,}", " ", bare).strip()
        if not re.search(r"\w", bare):
            continue
        sources = [n - 1 for marker in MARKER.findall(sentence) for n in marker_numbers(marker)]
        claims.append(Claim(bare, list(dict.fromkeys(sources))))
    return claims


def is_refusal(text: str) -> bool:
    draft = clean_draft(text).translate(APOSTROPHES).lower()
    return any(phrase.lower().rstrip(".") in draft for phrase in REFUSAL.values())


def _text(content: object) -> str:
    """A message's text, whether the client returned a string or a list of content blocks."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(b if isinstance(b, str) else str(b.get("text", "")) if isinstance(b, dict) else ""
                       for b in content)
    return ""


class LLMBackend:
    """Composition and condensation with a chat model.

    `compact` (the default for the `local` backend) gives the model `compact_messages` instead of the whole
    passages; `selected` sentences, when the caller has chosen them, are then the ones shown. A small model
    often forgets a marker, so `claims` attributes a compact backend's uncited sentence to the passage that
    supports it best; verification then keeps it only with a supporting quote, as for every other claim.
    """

    def __init__(self, model: BaseChatModel, name: str, secret: str = "", compact: bool | None = None) -> None:
        self.model = model
        self.name = name
        self.compact = name == "local" if compact is None else compact
        key = getattr(model, "openai_api_key", None)  # ChatOpenAI keeps it as a SecretStr
        self._secret = secret or (key.get_secret_value() if hasattr(key, "get_secret_value") else "")

    def __repr__(self) -> str:
        return f"LLMBackend({self.name!r}, {type(self.model).__name__})"

    def _failure(self, exc: Exception, when: str = "") -> BackendError:
        detail = str(exc)
        if self._secret and len(self._secret) >= 4:
            detail = detail.replace(self._secret, "***")
        return BackendError(f"the {self.name} language model failed{when} ({type(exc).__name__}: {detail[:160]})")

    def _call(self, fn, *args):
        try:
            return fn(*args)
        except BackendError:
            raise
        except Exception as exc:  # network errors, timeouts, HTTP errors, unparsable responses from any client
            raise self._failure(exc) from None

    def prompt(self, question: str, language: str, passages: list[Passage],
               selected: Sequence[tuple[int, str]] | None = None) -> list:
        if self.compact:
            return compact_messages(question, language, passages, selected)
        return messages(question, language, passages)

    def draft(self, question: str, language: str, passages: list[Passage],
              selected: Sequence[tuple[int, str]] | None = None) -> str:
        response = self._call(self.model.invoke, self.prompt(question, language, passages, selected))
        content = _text(response.content)
        if not clean_draft(content):
            raise BackendError(f"the {self.name} language model returned an empty answer")
        return content

    def stream(self, question: str, language: str, passages: list[Passage],
               selected: Sequence[tuple[int, str]] | None = None) -> Iterator[str]:
        text = ""
        try:
            for chunk in self.model.stream(self.prompt(question, language, passages, selected)):
                token = _text(chunk.content)
                if token:
                    text += token
                    yield token
        except Exception as exc:
            raise self._failure(exc, " while streaming") from None
        if not clean_draft(text):
            raise BackendError(f"the {self.name} language model returned an empty answer")

    def claims(self, draft: str, passages: list[Passage]) -> list[Claim]:
        """The draft's claims for verification (none for a refusal); see the class docstring."""
        if is_refusal(draft):
            return []
        claims = parse_claims(draft)
        if self.compact and passages:
            for claim in claims:
                if not claim.sources:  # attributed to the passage that best supports it; verify decides
                    scores = [best_support(claim.text, p.text).score for p in passages]
                    claim.sources = [max(range(len(passages)), key=scores.__getitem__)]
        return claims

    def condense(self, question: str, history: list[str]) -> str:
        prompt = CONDENSE_PROMPT.format(history="\n".join(f"- {h}" for h in history[-4:]), question=question)
        response = self._call(self.model.invoke, [HumanMessage(prompt)])
        lines = clean_draft(_text(response.content)).splitlines()
        text = lines[0].strip() if lines else ""
        return text if 3 <= len(text) <= 400 else question
