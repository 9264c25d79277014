"""What a briefing is: sections of sentences with citation markers, and the references they resolve to."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assistant.answer import Citation


class BriefingSentence(BaseModel):
    """One sentence with its citation markers; a frame states no fact and carries none."""

    text: str
    markers: list[int] = Field(default_factory=list)
    date: str | None = Field(None, description="YYYY[-MM[-DD]]: the event's date in the timeline, the "
                                               "source's date in the disagreements")
    date_source: Literal["text", "document"] | None = Field(
        None, description="the date is written in the sentence, or is the date of the source reporting it")
    actor: str | None = Field(None, description="positions: the named actor the sentence is about")
    frame: bool = False
    item: bool = Field(False, description="a point under the frame before it (disagreements)")

    def marked(self) -> str:
        return self.text + "".join(f"[{m}]" for m in self.markers)


class BriefingSection(BaseModel):
    key: str
    heading: str
    sentences: list[BriefingSentence] = Field(default_factory=list)


class Briefing(BaseModel):
    """A cited briefing; every marker in the sentences resolves to one of `references` (numbered from 1)."""

    topic: str
    language: str = "en"
    generated_at: str
    title: str
    sections: list[BriefingSection] = Field(default_factory=list)
    references: list[Citation] = Field(default_factory=list)
    covered: bool = True
    backend: str = "extractive"
    notice: str = ""
    timings: dict[str, float] = Field(default_factory=dict)

    def section(self, key: str) -> BriefingSection | None:
        return next((s for s in self.sections if s.key == key), None)

    def reference(self, marker: int) -> Citation | None:
        return self.references[marker - 1] if 0 < marker <= len(self.references) else None

    def problems(self) -> list[str]:
        """What breaks the citation contract (nothing, for a briefing made here): markers that resolve to
        no reference, references never cited or out of first-use order, quotes not in their passage."""
        used = [m for s in self.sections for x in s.sentences for m in x.markers]
        out = [f"marker [{m}] has no reference" for m in used if self.reference(m) is None]
        out += [f"a sentence of substance has no citation: {x.text!r}" for s in self.sections
                for x in s.sentences if not x.frame and not x.markers]
        if list(dict.fromkeys(used)) != [r.marker for r in self.references]:
            out.append("references are not numbered 1..n by first use, or some are never cited")
        out += [f"reference [{r.marker}] quotes what its passage does not hold" for r in self.references
                if not r.quote or r.passage[r.start:r.end] != r.quote]
        return out
