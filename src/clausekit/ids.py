"""Ids of clauses, templates and agreements, and the files they name.

An id is lowercase ASCII segments joined by `/`.  Ids come from untrusted
files (a template naming a clause, an agreement naming its template), so an
id is checked *before* it becomes a path: `..`, absolute paths, backslashes,
upper case and spaces never reach the file system.  Names Windows reserves
for devices (`con`, `nul`, `com1` …) are refused too, since a repository holding
one cannot be checked out there, and a segment is at most 100 characters (file
names are limited to 255 bytes).
"""

from __future__ import annotations

import re
from pathlib import Path

ID_RE = re.compile(r"[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)*")
MAX_SEGMENT = 100
WINDOWS_RESERVED = frozenset(
    ["con", "prn", "aux", "nul"] + [f"{d}{i}" for d in ("com", "lpt") for i in range(10)]
)


def is_valid_id(text: object) -> bool:
    return (
        isinstance(text, str)
        and ID_RE.fullmatch(text) is not None
        and not any(_bad_segment(s) for s in text.split("/"))
    )


def _bad_segment(segment: str) -> str:
    if segment in WINDOWS_RESERVED:
        return f"{segment!r} is a device name on Windows"
    if len(segment) > MAX_SEGMENT:
        return f"a segment is at most {MAX_SEGMENT} characters"
    return ""


def why_invalid(text: object) -> str:
    """A user-facing reason why `text` is not an id."""
    if not isinstance(text, str):
        return f"an id must be text, not {type(text).__name__}"
    if ".." in text or text.startswith("/") or "\\" in text:
        return f"id {text!r} would leave the repository; ids are paths below their folder"
    if ID_RE.fullmatch(text):
        reason = next(r for r in map(_bad_segment, text.split("/")) if r)
        shown = text if len(text) <= 60 else text[:57] + "..."
        return f"invalid id {shown!r}: {reason}"
    return f"invalid id {text!r}: use lowercase letters, digits and '-', segments joined by '/'"


def id_for(path: Path, folder: Path, suffix: str) -> str:
    """The id of a file below `folder` (`clauses/training/payment.md` -> `training/payment`)."""
    # The parts, not `relative_to` (which raises for a path outside `folder`, and takes
    # ten times as long: a build names every clause file of the library this way).
    parts, top = path.parts, folder.parts
    if parts[: len(top)] != top:
        raise ValueError(f"{path} is not below {folder}")
    return "/".join(parts[len(top) :])[: -len(suffix)]
