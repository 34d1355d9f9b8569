"""The private-use characters clausekit marks text with while transforming it.

Several stages hold a place in text they pass to another tool and find it again
afterwards (a reference number, a heading number, a link, a Word run).  They use
characters no user text may hold, each pair once, all listed here so that no two
stages share one: a clause holding U+E004 `0` U+E005 printed "第四条" when two
stages did.  Every private-use character (and the Linear B letters the redline
uses) is refused in clauses, templates and agreements (`private_use`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

# assemble.document: a ref() target, a heading's number, a resolved reference.
REF_OPEN, REF_CLOSE = "\ue000", "\ue001"
HEADING_OPEN, HEADING_CLOSE = "\ue002", "\ue003"
XREF_OPEN, XREF_CLOSE = "\ue004", "\ue005"
# publish.site.common: a link between generated pages, made relative at the end.
HREF_OPEN, HREF_CLOSE = "\ue006", "\ue007"
# publish.site.markup: a Jinja expression shown on a clause page.
EXPR_OPEN, EXPR_CLOSE = "\ue010", "\ue011"
# publish.site.form: a value's place in the preview of a template's text.
FILL_OPEN, FILL_CLOSE = "\ue012", "\ue013"
# language.typography: an opaque piece of text (a letter), a token boundary.
LETTER_MARK, JOIN_MARK = "\ue020", "\ue021"
# render.wordnative: a piece of Word XML; render.bilingual_word: a parallel block.
PIECE_OPEN, PIECE_CLOSE = "\ue030", "\ue031"
BLOCK_OPEN, BLOCK_CLOSE = "\ue032", "\ue033"
# review.wording: a `{{ … }}` aligned as one piece with the text it printed.
CODE_PIECE = "\ue040"
# language.sandbox / render.frame: a value's place in a document's frame.
SLOT_OPEN, SLOT_CLOSE = "\ue050", "\ue051"
# review.docxtrack: deleted and inserted runs, inserted and deleted paragraphs
# (outside the BMP private-use area: Linear B, which no contract holds).
DEL_OPEN, DEL_CLOSE = "\U00010000", "\U00010001"
INS_OPEN, INS_CLOSE = "\U00010002", "\U00010003"
PARA_INS, PARA_DEL = "\U00010004", "\U00010005"

SLOT = re.compile(f"{SLOT_OPEN}(\\d+){SLOT_CLOSE}")


def fill_slots(text: str, slots: Sequence[str]) -> str:
    """`text` with each value's mark (`SLOT`) replaced by the value's text."""
    if SLOT_OPEN not in text:
        return text
    return SLOT.sub(lambda m: slots[int(m.group(1))], text)


# The private-use areas (BMP and planes 15-16) and Linear B.
RESERVED = re.compile("[\ue000-\uf8ff\U000f0000-\U0010ffff\U00010000-\U000100ff]")


def private_use(text: str) -> Iterator[tuple[int, int, str]]:
    """Each reserved character in `text`: its 1-based line and column, and U+XXXX."""
    if RESERVED.search(text) is None:  # the common case, in one scan
        return
    for m in RESERVED.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
        yield line, col, f"U+{ord(m.group(0)):04X}"
