"""Stage 3, assemble: an agreement (or a blank form) as numbered Markdown.

The entry takes the checked library (`check.Checked`), never git: an
agreement with a lock is assembled from the view its caller made of the
locked versions (`review.locks.locked`).  Numbers are computed once, in
`outline.py`, for assembly, the site and the DOCX writer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clausekit.lazy import exports

if TYPE_CHECKING:
    from clausekit.assemble.assembly import (
        Speculation,
        agreement_checked,
        agreement_problems,
        assemble_agreement,
        assemble_blank,
        blank_problems,
        left_out,
        speculate,
    )
    from clausekit.assemble.model import Assembled, InputRef, NumberedHeading
    from clausekit.assemble.outline import Numbered, number_entries

__all__ = [
    "Assembled",
    "InputRef",
    "Numbered",
    "NumberedHeading",
    "Speculation",
    "agreement_checked",
    "agreement_problems",
    "assemble_agreement",
    "assemble_blank",
    "blank_problems",
    "left_out",
    "number_entries",
    "speculate",
]
__getattr__ = exports(__name__, __all__, ("model", "outline", "assembly"))
