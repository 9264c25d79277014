"""LLM answer backends (any OpenAI-compatible endpoint, or Ollama) through LangChain chat models.

The model writes over numbered passages with inline markers; its draft is then parsed into claims and
verified like any other. Failures become `BackendError` so the chain can fall back and say so.
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

MARKER = re.compile(r"\[(\d{1,2})\]")
SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)(?:\s*(?:\[\d{1,2}\]\s*)+)?")


def chat_model(settings: Settings, backend: str) -> BaseChatModel:
    if backend == "openai":
        from langchain_openai import ChatOpenAI

        return ChatOpenAI(base_url=settings.llm_base_url, model=settings.llm_model, temperature=0,
                          api_key=settings.llm_api_key.get_secret_value() or "not-needed",
                          timeout=settings.llm_timeout, max_retries=0, max_completion_tokens=400)
    if backend == "ollama":
        from langchain_ollama import ChatOllama

        return ChatOllama(base_url=settings.llm_base_url, model=settings.llm_model, temperature=0,
                          client_kwargs={"timeout": settings.llm_timeout}, num_predict=400)
    raise ConfigError(f"unknown answer backend {backend!r}; choose extractive, openai or ollama")


def messages(question: str, language: str, passages: list[Passage]) -> list:
    numbered = "\n\n".join(f"[{i}] {p.title}" + (f" (p. {p.page})" if p.page else "") + f"\n{p.text}"
                           for i, p in enumerate(passages, start=1))
    return [SystemMessage(SYSTEM_PROMPT.format(language_name=LANGUAGE_NAMES[language], refusal=REFUSAL[language])),
            HumanMessage(USER_PROMPT.format(passages=numbered, question=question))]


def parse_claims(text: str) -> list[Claim]:
    """Sentences of the model's draft with the passages their markers point to (1-based -> 0-based)."""
    claims = []
    for match in SENTENCE.finditer(text.strip()):
        sentence = match.group(0).strip()
        if not re.search(r"\w", MARKER.sub("", sentence)):
            continue
        sources = [int(n) - 1 for n in MARKER.findall(sentence)]
        claims.append(Claim(MARKER.sub("", sentence).strip(), sources))
    return claims


def is_refusal(text: str) -> bool:
    return any(phrase.lower().rstrip(".") in text.lower() for phrase in REFUSAL.values())


class LLMBackend:
    """Composition and condensation with a chat model."""

    def __init__(self, model: BaseChatModel, name: str) -> None:
        self.model = model
        self.name = name

    def _call(self, fn, *args):
        try:
            return fn(*args)
        except Exception as exc:  # network errors, timeouts, HTTP errors from any client library
            raise BackendError(f"the {self.name} language model failed ({type(exc).__name__}: "
                               f"{str(exc)[:160]})") from None

    def draft(self, question: str, language: str, passages: list[Passage]) -> str:
        response = self._call(self.model.invoke, messages(question, language, passages))
        content = response.content if isinstance(response.content, str) else str(response.content)
        if not content.strip():
            raise BackendError(f"the {self.name} language model returned an empty answer")
        return content

    def stream(self, question: str, language: str, passages: list[Passage]) -> Iterator[str]:
        try:
            for chunk in self.model.stream(messages(question, language, passages)):
                if isinstance(chunk.content, str) and chunk.content:
                    yield chunk.content
        except Exception as exc:
            raise BackendError(f"the {self.name} language model failed while streaming "
                               f"({type(exc).__name__}: {str(exc)[:160]})") from None

    def condense(self, question: str, history: list[str]) -> str:
        prompt = CONDENSE_PROMPT.format(history="\n".join(f"- {h}" for h in history[-4:]), question=question)
        response = self._call(self.model.invoke, [HumanMessage(prompt)])
        text = str(response.content).strip().splitlines()[0] if str(response.content).strip() else ""
        return text if 3 <= len(text) <= 400 else question
