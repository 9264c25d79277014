"""LLM answer backends (any OpenAI-compatible endpoint, or Ollama) through LangChain chat models.

The model writes over numbered passages with inline markers; its draft is then parsed into claims and
verified like any other. Failures (unreachable endpoint, timeout, error status, unparsable or empty
response) become `BackendError` so the chain can fall back and say so. The API key comes from the
settings (the environment) only and is scrubbed from every error message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage

from assistant.answer import Passage
from assistant.prompts import CONDENSE_PROMPT, LANGUAGE_NAMES, REFUSAL, SYSTEM_PROMPT, USER_PROMPT
from assistant.settings import Settings
from assistant.verify import Claim
from corpus.errors import BackendError, ConfigError

MAX_TOKENS = 400  # longest draft; four short sentences need far fewer
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
    raise ConfigError(f"unknown answer backend {backend!r}; choose extractive, openai or ollama")


def messages(question: str, language: str, passages: list[Passage]) -> list:
    numbered = "\n\n".join(f"[{i}] {p.title}" + (f" (p. {p.page})" if p.page else "") + f"\n{p.text}"
                           for i, p in enumerate(passages, start=1))
    return [SystemMessage(SYSTEM_PROMPT.format(language_name=LANGUAGE_NAMES[language], refusal=REFUSAL[language])),
            HumanMessage(USER_PROMPT.format(passages=numbered, question=question))]


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
    """Composition and condensation with a chat model."""

    def __init__(self, model: BaseChatModel, name: str, secret: str = "") -> None:
        self.model = model
        self.name = name
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

    def draft(self, question: str, language: str, passages: list[Passage]) -> str:
        response = self._call(self.model.invoke, messages(question, language, passages))
        content = _text(response.content)
        if not clean_draft(content):
            raise BackendError(f"the {self.name} language model returned an empty answer")
        return content

    def stream(self, question: str, language: str, passages: list[Passage]) -> Iterator[str]:
        text = ""
        try:
            for chunk in self.model.stream(messages(question, language, passages)):
                token = _text(chunk.content)
                if token:
                    text += token
                    yield token
        except Exception as exc:
            raise self._failure(exc, " while streaming") from None
        if not clean_draft(text):
            raise BackendError(f"the {self.name} language model returned an empty answer")

    def condense(self, question: str, history: list[str]) -> str:
        prompt = CONDENSE_PROMPT.format(history="\n".join(f"- {h}" for h in history[-4:]), question=question)
        response = self._call(self.model.invoke, [HumanMessage(prompt)])
        lines = clean_draft(_text(response.content)).splitlines()
        text = lines[0].strip() if lines else ""
        return text if 3 <= len(text) <= 400 else question
