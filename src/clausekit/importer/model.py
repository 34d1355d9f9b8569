"""The records handed from stage to stage of an import."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Inline markup survives the text stages as control characters, so that blank,
# reference and escaping regexes see plain text: bold on/off and a hard line break.
BOLD_ON = "\x01"
BOLD_OFF = "\x02"
BREAK = "\x0b"
# A link: LINK_ON text LINK_MID target LINK_OFF; a `<label>` help text: LABEL_ON text LABEL_OFF.
LINK_ON, LINK_MID, LINK_OFF = "\x03", "\x04", "\x05"
LABEL_ON, LABEL_OFF = "\x06", "\x07"
# A term a span marks as defined on the cover page (`<span class="coverpage_link">`).
TERM_ON, TERM_OFF = "\x0e", "\x0f"


@dataclass
class Para:
    """One paragraph of the source, as read."""

    text: str
    line: int  # 1-based line of the source (paragraph index for DOCX)
    heading: int | None = None  # heading level given by markup (Markdown #, Word style)
    list_level: int | None = None  # Word list / Markdown list nesting level (0-based)
    ordered: bool = False  # a numbered (not bulleted) list item
    item_no: int = 1  # the number of an ordered list item
    numtext: str = ""  # Word list numbering: the level's text ('%1.', 'Article %1')
    cells: list[list[str]] | None = None  # a table: rows of cells
    check: bool | None = None  # a check-box item (`- [x]` True, `- [ ]` False)


@dataclass
class Block:
    """A paragraph placed in the structure, its typed number removed."""

    kind: str  # heading | para | item | bullet | table
    text: str
    line: int
    level: int = 0  # heading depth inside its clause (1 = '#'), list nesting for items
    number: str = ""  # the typed number as found ('（一）', '1.2'), for refs
    anchor: str = ""
    cells: list[list[str]] | None = None
    checked: bool = False  # an `option` block: its box is ticked


@dataclass
class Article:
    title: str
    line: int
    number: str  # the typed number as found, '' for preamble/signature
    blocks: list[Block] = field(default_factory=list)
    slug: str = ""


@dataclass
class Document:
    title: str
    lang: str
    numbering: str
    preamble: list[Article]
    articles: list[Article]
    signature: Article | None
    annexes: list[Article] = field(default_factory=list)  # after the signature


@dataclass(frozen=True)
class Review:
    line: int
    message: str


@dataclass
class Variable:
    """A typed variable found at a blank; `path` is ('party_a', 'name') for objects."""

    path: tuple[str, ...]
    kind: str  # text | money | percent | date | integer | choice
    description: str
    default: str | None = None  # an example value the source gave (`[California]`)
    options: tuple[str, ...] = ()  # a choice's options, from a group of check boxes
    shown: str | None = None  # what the blank form prints (the source's placeholder)
    # A choice whose options hold blanks: the template text printing it, and the
    # names of those blanks (a clause printing the choice uses them too).
    printed: str = ""
    inner: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return ".".join(self.path)

    def schema(self) -> dict[str, Any]:
        if self.kind == "choice":
            out: dict[str, Any] = {"type": "string", "enum": list(self.options)}
        else:
            out = dict(_SCHEMAS[self.kind])
        out["description"] = self.description
        if self.default is not None:
            out["default"] = self.default
        return out


_SCHEMAS: dict[str, dict[str, Any]] = {
    "text": {"type": "string", "minLength": 1},
    "money": {"type": "number", "format": "money", "minimum": 0},
    "percent": {"type": "number", "format": "percent", "minimum": 0, "maximum": 100},
    "date": {"type": "string", "format": "date"},
    "integer": {"type": "integer", "minimum": 0},
}
