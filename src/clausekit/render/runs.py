"""How Pandoc's DOCX writer prints a value's text: the words of a run, their font hints.

`render.frame` fills a frame's marks with values' texts; the result must be the bytes
Pandoc would write.  A value is written only where what Pandoc prints for it is known:
its characters once Markdown escaping is undone (`printed`), cut into runs as Pandoc's
writer cuts them (`run_groups`: a word holding a Chinese character in a run with the East
Asian font hint, the other words and the spaces in runs without; `kind` says which
characters are which), each run with the formatting of the run it replaces
(`run_formats`, `fill_run`).  Measured on the locked Pandoc; tests/test_frame.py
measures the hint table again.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from clausekit.language.marks import SLOT

_TEXT_END = "</w:t></w:r>"


HINT_FONT = '<w:rFonts w:hint="eastAsia" />'


_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def text_run_at(xml: str, at: int) -> bool:
    """Whether a run holding text starts at `at`."""
    if not xml.startswith("<w:r>", at):
        return False
    return "<w:t " in xml[at : xml.find("</w:r>", at)]


def fill_run(
    props: str, text: str, printed: Sequence[str | None], joined: tuple[bool, bool]
) -> str | None:
    """The run of `props` and XML text `text` with its marks filled, as the runs Pandoc
    would write: a word holding a Chinese character in a run with the East Asian hint,
    the other words and the spaces in runs without, each with the run's formatting;
    None where that is not known.  `joined` says whether a text run comes right
    before and right after it: Pandoc may have cut both from one text, so the ends
    must keep the run's kind."""
    if any(int(n) >= len(printed) or printed[int(n)] is None for n in SLOT.findall(text)):
        return None
    shown = xml_unescape(SLOT.sub(lambda m: xml_escape(printed[int(m.group(1))] or ""), text))
    groups = run_groups(shown)
    formats = run_formats(props)
    if not groups or formats is None:
        return None
    hinted = HINT_FONT in props
    if (joined[0] and groups[0][0] != hinted) or (joined[1] and groups[-1][0] != hinted):
        return None  # the run would have merged with a neighbour
    return "".join(
        f'<w:r>{formats[cjk]}<w:t xml:space="preserve">{xml_escape(part)}</w:t></w:r>'
        for cjk, part in groups
    )


def run_formats(props: str) -> tuple[str, str] | None:
    """A run's properties without and with the East Asian hint, where Pandoc puts it:
    after the character style, before the rest; None for properties it did not write."""
    inner = props.removeprefix("<w:rPr>").removesuffix("</w:rPr>").replace(HINT_FONT, "")
    if "w:rFonts" in inner or (props and not props.startswith("<w:rPr>")):
        return None
    style = inner[: inner.index("/>") + 2] if inner.startswith("<w:rStyle ") else ""
    hinted = f"<w:rPr>{style}{HINT_FONT}{inner[len(style) :]}</w:rPr>"
    return (f"<w:rPr>{inner}</w:rPr>" if inner else "", hinted)


def run_groups(text: str) -> list[tuple[bool, str]] | None:
    """`text` cut as Pandoc's DOCX writer cuts it into runs: words holding a Chinese
    character (True), and the other words with the spaces (False); None when a
    character's kind is not known."""
    groups: list[tuple[bool, str]] = []
    for i, word in enumerate(text.split(" ")):
        kinds = {kind(c) for c in word}
        if None in kinds:
            return None
        pieces = ([(False, " ")] if i else []) + ([("cjk" in kinds, word)] if word else [])
        for cjk, piece in pieces:
            if groups and groups[-1][0] == cjk:
                groups[-1] = (cjk, groups[-1][1] + piece)
            else:
                groups.append((cjk, piece))
    return groups


def printed(value: str) -> str | None:
    """What Pandoc's reader prints for a value's Markdown text (escaped as
    `language.sandbox.md_escape` escapes it), or None where that is not simply its
    characters: spaces at either end or doubled, a bare address, `==` (highlight)."""
    if "\\" in _ESCAPED.sub("", value):
        return None  # a backslash that escapes nothing: not md_escape's
    text = _ESCAPED.sub(r"\1", value)
    if (
        text == ""
        or text != text.strip(" ")
        or "  " in text
        or "==" in text
        or "www." in text.lower()
        or not unicodedata.is_normalized("NFC", text)
    ):
        return None
    return text


def kind(char: str) -> str | None:
    """ "cjk" for a character Pandoc's DOCX writer gives the East Asian hint, "other"
    for one it does not, None where the table below does not say (not filled).
    Measured on the locked Pandoc (tests/test_frame.py measures it again)."""
    if unicodedata.category(char)[0] not in "LNPS":
        return None
    code = ord(char)
    if code < 0x4E00:
        return "other"
    if code <= 0x9FFF or 0xFF01 <= code <= 0xFFEE:
        return "cjk"
    return None


def xml_unescape(text: str) -> str:
    """Text Pandoc wrote in `w:t`, its escapes undone (`xml`'s are all it uses)."""
    if "&" not in text:
        return text
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "'")):
        text = text.replace(entity, char)
    return text.replace("&amp;", "&")


def xml_escape(text: str) -> str:
    """Text as Pandoc escapes it in `w:t`."""
    return (
        text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("'", "&#39;")
    )
