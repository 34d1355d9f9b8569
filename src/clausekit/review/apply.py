"""`clausekit receive --apply`: a received value written into the agreement's YAML.

Only the scalar itself is rewritten, in place, so the file keeps its comments,
key order and layout.  The new text is read back before anything is written:
when it does not give the value the other side wrote, nothing is written.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from pathlib import Path

from clausekit.errors import ClausekitError
from clausekit.load.model import Agreement
from clausekit.load.yamlpos import YamlError, load_yaml
from clausekit.review.receive import Change

# A plain or quoted scalar up to a trailing comment or the end of the line.
_SCALAR = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^#\n]*?)(\s+#.*)?$""")
_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#\n]*(?<!\s)$")


class ApplyError(ClausekitError):
    """A value could not be written back without changing more than the value."""


def apply_values(root: Path, agreement: Agreement, changes: list[Change]) -> list[str]:
    """Write each value change into the agreement file; the variables written."""
    text = agreement.source.text
    doc = agreement.doc
    written: list[str] = []
    lines = text.split("\n")
    for change in changes:
        if change.kind != "value" or change.variable is None:
            continue
        path = tuple(change.variable.split("."))
        pos = doc.pos(path)
        line = lines[pos.line - 1]
        m = _SCALAR.match(line, pos.col - 1)
        if m is None:
            raise ApplyError(f"{agreement.source.path}:{pos.line}:{pos.col}: cannot rewrite")
        new = change.after if _PLAIN.match(change.after) else json.dumps(change.after)
        lines[pos.line - 1] = line[: pos.col - 1] + new + (m.group(2) or "")
        written.append(change.variable)
    if not written:
        return []
    out = "\n".join(lines)
    _verify(agreement, out, changes)
    _write(root / agreement.source.path, out)
    return written


def _verify(agreement: Agreement, text: str, changes: list[Change]) -> None:
    try:
        data = load_yaml(text).value
    except YamlError as exc:
        raise ApplyError(
            f"{agreement.source.path}: the rewritten file would not parse: {exc}"
        ) from exc
    for change in changes:
        if change.kind != "value" or change.variable is None:
            continue
        value = data
        for key in change.variable.split("."):
            value = value.get(key) if isinstance(value, dict) else None
        if str(value) != change.after:
            raise ApplyError(
                f"{agreement.source.path}: {change.variable} would read {value!r}, "
                f"not {change.after!r}; nothing written"
            )


def _write(path: Path, text: str) -> None:
    """Replace the file in one step, so a failure never leaves half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".clausekit-", suffix=".yaml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise ApplyError(f"{path}: cannot write: {exc}") from exc
