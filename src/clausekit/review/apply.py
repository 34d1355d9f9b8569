"""`clausekit receive --apply`: what the other side changed, written into the agreement.

Values: only the scalar itself is rewritten, in place (a value not set yet, a
blank they filled in, gets its own line under its parent), so the file keeps
its comments, key order and layout.  Clause changes become the agreement's
`deviations` (one entry per clause, replaced when it is there already, else
added at the end of the file); the library's clauses are never written.  The
new text is read back before anything is written: when it does not give
exactly what the other side wrote, nothing is written.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from clausekit.errors import ClausekitError
from clausekit.load.model import Agreement
from clausekit.load.yamlpos import Located, YamlError, load_yaml
from clausekit.review.deviate import Wording
from clausekit.review.receive import Change, Received

# A plain or quoted scalar up to a trailing comment or the end of the line.
_SCALAR = re.compile(r"""("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^#\n]*?)(\s+#.*)?$""")
_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:#\n]*(?<!\s)$")


class ApplyError(ClausekitError):
    """A change could not be written back without changing more than it."""


@dataclass(frozen=True)
class Applied:
    values: tuple[str, ...]  # the variables written
    deviations: tuple[str, ...]  # the clauses written as deviations
    held: tuple[str, ...]  # clauses left out: changed without tracking


def apply_received(
    root: Path, agreement: Agreement, received: Received, accept_untracked: bool
) -> Applied:
    """Write the received values and clause wordings into the agreement file."""
    values = [c for c in received.changes if c.kind == "value" and c.variable]
    take = [w for w in received.wordings if accept_untracked or not w.untracked]
    held = tuple(w.clause for w in received.wordings if w not in take)
    if not values and not take:
        return Applied((), (), held)
    text = _with_values(agreement, values)
    text = _with_deviations(agreement, text, take, received, _by(received.changes))
    _verify(agreement, text, values, take)
    _write(root / agreement.source.path, text)
    return Applied(tuple(str(c.variable) for c in values), tuple(w.clause for w in take), held)


def _with_values(agreement: Agreement, changes: list[Change]) -> str:
    text = agreement.source.text
    for change in changes:  # one at a time: each reads the positions the last one left
        try:
            doc = load_yaml(text)
        except YamlError as exc:
            raise ApplyError(f"{agreement.source.path}: cannot rewrite: {exc}") from exc
        lines = text.split("\n")
        path = tuple(str(change.variable).split("."))
        if path not in doc.positions:
            at, new = _new_key(lines, doc, path, change.after)
            lines[at:at] = new
        else:
            pos = doc.pos(path)
            line = lines[pos.line - 1]
            m = _SCALAR.match(line, pos.col - 1)
            if m is None:
                raise ApplyError(f"{agreement.source.path}:{pos.line}:{pos.col}: cannot rewrite")
            space = " " if line[: pos.col - 1].endswith(":") else ""
            new_value = space + _scalar(change.after) + (m.group(2) or "")
            lines[pos.line - 1] = line[: pos.col - 1] + new_value
        text = "\n".join(lines)
    return text


def _new_key(
    lines: list[str], doc: Located, path: tuple[str, ...], value: str
) -> tuple[int, list[str]]:
    """Lines that set a value the file does not have yet, and the line they go before:
    under the nearest mapping the file has, after its last line."""
    parent = path[:-1]
    while parent and parent not in doc.positions:
        parent = parent[:-1]
    indent = doc.key_pos(parent).col - 1 if parent else -2
    children = [
        p for p in doc.positions if len(p) == len(parent) + 1 and p[: len(parent)] == parent
    ]
    step = (doc.key_pos(children[0]).col - 1 - indent) if children else 2
    start = doc.key_pos(parent).line if parent else 0
    at = start  # after the parent's last line
    for i in range(start, len(lines)):
        body = lines[i].split("#", 1)[0]
        if body.strip() and len(body) - len(body.lstrip()) <= indent:
            break
        if body.strip():
            at = i + 1
    new = []
    for depth, key in enumerate(path[len(parent) :], start=1):
        pad = " " * (indent + step * depth)
        last = depth == len(path) - len(parent)
        new.append(f"{pad}{key}:" + (f" {_scalar(value)}" if last else ""))
    return at, new


def _scalar(text: str) -> str:
    return text if _PLAIN.match(text) else json.dumps(text, ensure_ascii=False)


def _by(changes: Sequence[Change]) -> dict[str, tuple[str, str, str | None]]:
    """Each clause's first author and date, and its playbook label."""
    out: dict[str, tuple[str, str, str | None]] = {}
    for c in changes:
        if c.kind in ("clause", "untracked") and c.clause and c.clause not in out:
            out[c.clause] = (c.author, c.date, c.label)
    return out


def _with_deviations(
    agreement: Agreement,
    text: str,
    wordings: list[Wording],
    received: Received,
    by: dict[str, tuple[str, str, str | None]],
) -> str:
    if not wordings:
        return text
    lines = text.rstrip("\n").split("\n")
    block = _deviations_block(lines)
    if block is None and "deviations" in agreement.data:
        at = agreement.doc.key_pos(("deviations",))
        raise ApplyError(
            f"{agreement.source.path}:{at.line}:{at.col}: deviations: write it as a block "
            "(one clause a line, as receive writes it) to add to it; nothing written"
        )
    if block is None:
        lines.append("deviations:")
        block = (len(lines), len(lines))
    start, end = block
    for w in wordings:
        entry = _entry(w, received, by.get(w.clause, ("", "", None)))
        own = _entry_lines(lines, start, end, w.clause)
        if own is None:
            lines[end:end] = entry
            end += len(entry)
        else:
            lines[own[0] : own[1]] = entry
            end += len(entry) - (own[1] - own[0])
    return "\n".join(lines) + "\n"


def _deviations_block(lines: list[str]) -> tuple[int, int] | None:
    """The lines (first entry, end) of the top-level `deviations:` mapping."""
    for i, line in enumerate(lines):
        if re.match(r"^deviations:\s*(#.*)?$", line):
            end = i + 1
            for j in range(i + 1, len(lines)):
                if lines[j].strip() and not lines[j].startswith((" ", "#")):
                    break
                if lines[j].strip():
                    end = j + 1
            return i + 1, end
    return None


def _entry_lines(lines: list[str], start: int, end: int, clause: str) -> tuple[int, int] | None:
    for i in range(start, end):
        if re.match(rf"^  (?:{re.escape(clause)}|\"{re.escape(clause)}\"):", lines[i]):
            stop = i + 1
            while stop < end and (lines[stop].startswith("    ") or not lines[stop].strip()):
                stop += 1
            return i, stop
    return None


def _entry(w: Wording, received: Received, by: tuple[str, str, str | None]) -> list[str]:
    author, date, label = by
    out = [f"  {w.clause}:"]
    if w.text:
        chomp = "" if w.text.endswith("\n") else "-"
        out.append(f"    text: |{chomp}")
        out += [f"      {line}" if line else "" for line in w.text.split("\n")]
    else:
        out.append('    text: ""')
    fields: dict[str, str | None] = {
        "from_version": w.from_version,
        "by": author or None,
        "date": date[:10] or None,
        "source": received.source or None,
        "label": label,
        "received": received.file_hash or None,
    }
    out += [f"    {k}: {_scalar(v)}" for k, v in fields.items() if v]
    return out


def _verify(agreement: Agreement, text: str, values: list[Change], wordings: list[Wording]) -> None:
    try:
        data: Any = load_yaml(text).value
    except YamlError as exc:
        raise ApplyError(
            f"{agreement.source.path}: the rewritten file would not parse: {exc}; nothing written"
        ) from exc
    for change in values:
        value = data
        for key in str(change.variable).split("."):
            value = value.get(key) if isinstance(value, dict) else None
        if str(value) != change.after:
            raise ApplyError(
                f"{agreement.source.path}: {change.variable} would read {value!r}, "
                f"not {change.after!r}; nothing written"
            )
    written = data.get("deviations") if isinstance(data, dict) else None
    for w in wordings:
        got = written.get(w.clause) if isinstance(written, dict) else None
        if not isinstance(got, dict) or got.get("text") != w.text:
            raise ApplyError(
                f"{agreement.source.path}: the deviation of {w.clause} would not read back "
                "as received; nothing written"
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
