"""Stage 1, load: read a library repository into an immutable `Library`.

Reading never stops at the first bad file: a file that cannot be parsed is
recorded as a `Problem` and left out, and the rest is read, so that
`clausekit check` reports everything in one run.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clausekit.lazy import exports

if TYPE_CHECKING:
    from clausekit.load.files import find_root
    from clausekit.load.library import load_library, read_agreements, resolve_arg
    from clausekit.load.model import Library

__all__ = ["Library", "find_root", "load_library", "read_agreements", "resolve_arg"]
__getattr__ = exports(__name__, __all__, ("files", "model", "library"))
