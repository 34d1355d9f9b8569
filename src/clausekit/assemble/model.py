"""What assembly hands over: the document as Markdown, with what it was made of.

Kept apart from the assembling code (and Jinja) so that a writer, or a build
that finds the document in its cache, can hold one without importing them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple


class InputRef(NamedTuple):
    kind: str  # "template" | "clause" | "agreement"
    id: str
    path: str
    version: str | None
    sha256: str


class NumberedHeading(NamedTuple):
    """A numbered heading of the document: its level, number and what it is."""

    number: tuple[int, ...]
    title: str
    target: str | None  # the clause id, `clause#anchor`, or None for a group heading


class Frame(NamedTuple):
    """The Word text once more, with a mark in place of each value's text, and those
    texts (`assemble.frame`): what `render.frame` fills instead of running Pandoc."""

    word_markdown: str
    word_sections: tuple[tuple[str, str], ...]
    slots: tuple[str, ...]


class Assembled(NamedTuple):
    """The hand-off to rendering: the document as Markdown, and its numbering."""

    markdown: str
    title: str
    lang: str
    inputs: tuple[InputRef, ...]
    numbering: str = "zh-CN"
    headings: tuple[NumberedHeading, ...] = ()
    # The Word text: numbered headings as `# title {.ck-num ck-bm=...}`, references as
    # spans naming their bookmark (see clausekit.render.wordnative); "" = as markdown.
    word_markdown: str = ""
    status: str | None = None  # the agreement's status; None for a blank form
    agreement: str | None = None  # the agreement id; None for a blank form
    # The text cut at article boundaries: ("preamble" | "article" | "signature" | "annex",
    # text),
    # for layouts that set each article apart (assemble.bilingual).
    sections: tuple[tuple[str, str], ...] = ()
    word_sections: tuple[tuple[str, str], ...] = ()  # the same cuts of the Word text
    layout: str | None = None  # a bilingual document's: "parallel" | "sequential"
    languages: tuple[str, ...] = ()  # a bilingual document's, its first language first
    numberings: tuple[str, ...] = ()  # a bilingual document's, one style per language
    signature_borders: bool = False  # the template's `print.signature_borders`
    first_line_indent: bool | None = None  # `print.first_line_indent`; None: by language
    frame: Frame | None = None  # a one-language agreement's, for a DOCX (`assemble.frame`)

    def as_data(self) -> dict[str, Any]:
        """The document as JSON values (`from_data` reads them back equal)."""
        frame = self.frame
        return {
            **self._asdict(),
            "inputs": [i._asdict() for i in self.inputs],
            "headings": [h._asdict() for h in self.headings],
            "frame": None if frame is None else frame._asdict(),
        }

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Assembled:
        """The document `as_data` wrote; KeyError or TypeError if `data` is not one."""
        return cls(
            **{
                **data,
                "inputs": tuple(InputRef(**i) for i in data["inputs"]),
                "headings": tuple(
                    NumberedHeading(tuple(h["number"]), h["title"], h["target"])
                    for h in data["headings"]
                ),
                "sections": tuple((kind, text) for kind, text in data["sections"]),
                "word_sections": tuple((kind, text) for kind, text in data["word_sections"]),
                "languages": tuple(data["languages"]),
                "numberings": tuple(data["numberings"]),
                "frame": _frame(data.get("frame")),
            }
        )


def _frame(data: Mapping[str, Any] | None) -> Frame | None:
    if data is None:
        return None
    sections = tuple((kind, text) for kind, text in data["word_sections"])
    return Frame(data["word_markdown"], sections, tuple(data["slots"]))
