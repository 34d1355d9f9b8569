"""`clausekit init`: a new clause-library repository in one command.

The files a new library starts with are package data under `files/`; this
package only picks them for a language, fills in the release they belong to
(`release.py`) and writes them without ever overwriting anything
(`write.py`).
"""

from __future__ import annotations

from clausekit.starter.content import LANGS, starter_files
from clausekit.starter.write import InitResult, init_library

__all__ = ["LANGS", "InitResult", "init_library", "starter_files"]
