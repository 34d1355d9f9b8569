"""Ids of clauses, templates and agreements, and the files they name.

An id is lowercase ASCII segments joined by `/`.  Ids come from untrusted
files (a template naming a clause, an agreement naming its template), so an
id is checked *before* it becomes a path: `..`, absolute paths, backslashes,
upper case and spaces never reach the file system.
"""

from __future__ import annotations

import re
from pathlib import Path

ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*")


def is_valid_id(text: object) -> bool:
    return isinstance(text, str) and ID_RE.fullmatch(text) is not None


def why_invalid(text: object) -> str:
    """A user-facing reason why `text` is not an id."""
    if not isinstance(text, str):
        return f"an id must be text, not {type(text).__name__}"
    if ".." in text or text.startswith("/") or "\\" in text:
        return f"id {text!r} would leave the repository; ids are paths below their folder"
    return f"invalid id {text!r}: use lowercase letters, digits and '-', segments joined by '/'"


def id_for(path: Path, folder: Path, suffix: str) -> str:
    """The id of a file below `folder` (`clauses/training/payment.md` -> `training/payment`)."""
    rel = path.relative_to(folder).as_posix()
    return rel[: -len(suffix)]
