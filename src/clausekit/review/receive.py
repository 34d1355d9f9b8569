"""`clausekit receive`: what the other side changed in a returned DOCX.

The document's properties name the agreement and the content hash of the build
that was sent.  That build is made again (from the working tree, or from the
git history when the agreement has moved on), read with the same reader as the
returned file, and compared with the returned text with every tracked change
rejected: any difference was made without tracking.  Each change is placed in
its clause by the heading bookmarks and the assembled outline, and labelled
against the clause's playbook.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import tempfile
import unicodedata
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from clausekit.assemble.model import Assembled
from clausekit.assemble.numbering import bookmark_tag
from clausekit.check import Checked
from clausekit.errors import ClausekitError
from clausekit.load.bilingual import translation_id
from clausekit.load.model import Library
from clausekit.render.wordnative import content_hash, render_word_native
from clausekit.review.deviate import (
    Aligned,
    Wording,
    aligned_clauses,
    block_of,
    preamble,
    wording,
)
from clausekit.review.gitrev import git, library_at
from clausekit.review.locks import assemble_locked
from clausekit.review.wording import BLANK, filled_blank
from clausekit.review.wordread import Paragraph, Returned, read_returned

_BOOKMARK = re.compile(r"^_RefCk([A-Za-z]*)(\d+)$")
_HISTORY = 50  # commits searched for the version that was sent


@dataclass(frozen=True)
class Change:
    kind: str  # value | clause | untracked | comment | format
    clause: str | None
    variable: str | None
    before: str
    after: str
    author: str
    date: str
    label: str | None


@dataclass(frozen=True)
class Received:
    agreement: str
    sent_from: str  # "working tree", a commit id, or "already applied"
    changes: tuple[Change, ...]
    file_hash: str = ""  # the returned file's SHA-256
    source: str = ""  # the returned file's name
    wordings: tuple[Wording, ...] = ()  # the clauses it changed, as clause texts

    def to_json(self) -> dict[str, Any]:
        return {
            "agreement": self.agreement,
            "sent_from": self.sent_from,
            "changes": [asdict(c) for c in self.changes],
        }


def receive(lib: Library, file: Path, agreement: str | None) -> Received:
    returned = read_returned(file)
    named = returned.properties.get("clausekit-agreement")
    sent_hash = returned.properties.get("clausekit-content-hash")
    if named is None or sent_hash is None:
        raise ClausekitError(f"{file}: not a document built by clausekit (no agreement property)")
    if agreement is not None and agreement != named:
        raise ClausekitError(f"{file}: was built from agreement {named!r}, not {agreement!r}")
    if named not in lib.agreements:
        raise ClausekitError(f"{file}: agreement {named!r} is not in this library")
    file_hash = hashlib.sha256(file.read_bytes()).hexdigest()
    for where, checked, doc in _candidates(lib, named):
        if content_hash(doc) == sent_hash:
            sent = _sent_paragraphs(doc, file)
            changes, wordings = _changes(checked, doc, returned, sent)
            return Received(named, where, tuple(changes), file_hash, file.name, tuple(wordings))
        if where == "working tree" and _applied(lib, named, doc, file, returned, file_hash):
            return Received(named, "already applied", (), file_hash, file.name)
    raise ClausekitError(
        f"{file}: no version of agreement {named!r} in the working tree or the last "
        f"{_HISTORY} commits has content hash {sent_hash[:12]}"
    )


def _candidates(lib: Library, aid: str) -> Iterator[tuple[str, Checked, Assembled]]:
    checked = Checked(lib)
    yield "working tree", checked, assemble_locked(checked, aid)
    try:
        log = git(lib.root, "log", f"-n{_HISTORY}", "--format=%H", "--", ".").decode()
    except ClausekitError:
        return  # not a repository: only the working tree can match
    for commit in log.split():
        with library_at(lib.root, commit) as old:
            if aid in old.agreements:
                past = Checked(old)
                yield commit, past, assemble_locked(past, aid)


def _applied(
    lib: Library, aid: str, doc: Assembled, file: Path, returned: Returned, file_hash: str
) -> bool:
    """Whether the agreement already reads as the returned file with its changes accepted
    (its values and deviations were applied), or a deviation came from this very file."""
    if any(d.received == file_hash for d in lib.agreements[aid].deviations.values()):
        return True
    now = [t for t in (_plain(t) for t in _sent_paragraphs(doc, file)) if t]
    wanted = [t for t in (_plain(p.accepted) for p in returned.paragraphs if not p.gone) if t]
    # A blank they left may print a value filled in elsewhere in the file.
    return len(now) == len(wanted) and all(
        re.fullmatch(".+?".join(map(re.escape, BLANK.split(w))), t)
        for t, w in zip(now, wanted, strict=True)
    )


def _plain(text: str) -> str:
    return " ".join(text.split())


def _sent_paragraphs(doc: Assembled, file: Path) -> list[str]:
    from clausekit.review.wordread import read_returned as read

    with tempfile.TemporaryDirectory(prefix="clausekit-sent-") as tmp:
        path = Path(tmp) / "sent.docx"
        path.write_bytes(render_word_native(doc, str(file)))
        return [p.accepted for p in read(path).paragraphs]


def _clauses(lib: Library, doc: Assembled, paragraphs: tuple[Paragraph, ...]) -> list[str | None]:
    """The clause each paragraph belongs to (by the last numbered heading before it); in
    the second text of a bilingual document, the translation of the first's clause."""
    second = doc.languages[1] if len(doc.languages) > 1 else None
    out: list[str | None] = []
    current: str | None = None
    number: tuple[int, ...] = ()  # the current clause's heading number
    for p in paragraphs:
        for name in p.bookmarks:
            m = _BOOKMARK.match(name)
            if m is None or int(m.group(2)) - 1 >= len(doc.headings):
                continue
            heading = doc.headings[int(m.group(2)) - 1]
            if heading.target is not None:
                current = heading.target.split("#")[0]
                if second is not None and m.group(1) == bookmark_tag(second):
                    current = translation_id(lib, current, second) or current
                number = number if "#" in heading.target else heading.number
            elif heading.number[: len(number)] != number or not number:
                current, number = None, ()  # a group heading; a clause's own stays in it
        out.append(current)
    return out


def _changes(
    checked: Checked, doc: Assembled, returned: Returned, sent: list[str]
) -> tuple[list[Change], list[Wording]]:
    paras = returned.paragraphs
    owner = _clauses(checked.lib, doc, paras)
    aid = doc.agreement or ""
    aligned = aligned_clauses(checked.lib, aid, paras, owner)
    before = preamble(checked.lib, aid, paras, owner)
    if before is not None:
        aligned[""] = before  # the paragraphs outside any clause: the preamble's
    sent_of = _sent_of(paras, sent)
    found = list(_found(checked, paras, owner, aligned, returned, aid))
    found += _untracked(paras, owner, sent)
    moved = {c.clause for c in found if c.kind in ("clause", "untracked") and c.clause}
    untracked = {c.clause for c in found if c.kind == "untracked"}
    wordings = [
        wording(aligned[cid], paras, sent_of, cid in untracked)
        for cid in sorted(moved)
        if cid in aligned
    ]
    return found, wordings


def _sent_of(paras: tuple[Paragraph, ...], sent: list[str]) -> list[str | None]:
    """What each returned paragraph read when it was sent (None: added, or unknown)."""
    kept = [i for i, p in enumerate(paras) if not p.new]
    out: list[str | None] = [None] * len(paras)
    matcher = difflib.SequenceMatcher(None, sent, [paras[i].rejected for i in kept], False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal" or a2 - a1 == b2 - b1:
            for a, b in zip(range(a1, a2), range(b1, b2), strict=True):
                out[kept[b]] = sent[a]
    return out


def _found(
    checked: Checked,
    paras: tuple[Paragraph, ...],
    owner: list[str | None],
    aligned: dict[str, Aligned],
    returned: Returned,
    aid: str,
) -> Iterator[Change]:
    labels = _labels(checked, paras, owner)
    values = _values(checked.lib.agreements[aid].data)
    for i, (p, clause) in enumerate(zip(paras, owner, strict=True)):
        tracked = [m for m in p.marks if m.kind != "format"]
        if (tracked and p.accepted != p.rejected) or p.new or p.gone:
            who = tracked[0] if tracked else p.marks[0]
            variable = _variable(p.rejected, p.accepted, values)
            if variable is None and not (p.new or p.gone):
                variable = _blank(aligned.get(clause or ""), paras, i)
            kind = "value" if variable is not None else "clause"
            after = "" if p.gone else p.accepted
            before = "" if p.new else p.rejected
            if variable is not None:
                before, after = variable[1], variable[2]
            name = variable[0] if variable else None
            label = None if variable else labels.get(clause)
            yield Change(kind, clause, name, before, after, who.author, who.date, label)
        for m in p.marks:
            if m.kind == "format":
                yield Change("format", clause, None, p.rejected, "", m.author, m.date, None)
        for cid in p.comments:
            note = returned.comments.get(cid)
            if note is not None:
                yield Change(
                    "comment", clause, None, p.rejected, note.text, note.author, note.date, None
                )


def _blank(
    aligned: Aligned | None, paras: tuple[Paragraph, ...], i: int
) -> tuple[str, str, str] | None:
    """(variable, blank, value) when paragraph i's edit fills in a blank."""
    p = paras[i]
    block = block_of(aligned, paras, i) if aligned is not None else None
    filled = filled_blank(block, p.rejected, p.accepted) if block is not None else None
    return (f"variables.{filled[0]}", filled[1], filled[2]) if filled is not None else None


def _untracked(
    paras: tuple[Paragraph, ...], owner: list[str | None], sent: list[str]
) -> Iterator[Change]:
    """Differences between what was sent and the returned text with changes rejected."""
    kept = [(p.rejected, c) for p, c in zip(paras, owner, strict=True) if not p.new]
    got = [t for t, _ in kept]
    matcher = difflib.SequenceMatcher(None, sent, got, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            continue
        before, after = "\n".join(sent[a1:a2]), "\n".join(got[b1:b2])
        if before.strip() == after.strip():
            continue
        clause = kept[min(b1, len(kept) - 1)][1] if kept else None
        yield Change("untracked", clause, None, before, after, "", "", "needs-approval")


def _labels(
    checked: Checked, paras: tuple[Paragraph, ...], owner: list[str | None]
) -> dict[str | None, str]:
    """Each changed clause's playbook label."""
    texts: dict[str | None, tuple[list[str], list[str]]] = {}
    for p, clause in zip(paras, owner, strict=True):
        before, after = texts.setdefault(clause, ([], []))
        if not p.new:
            before.append(p.rejected)
        if not p.gone:
            after.append(p.accepted)
    out: dict[str | None, str] = {}
    for clause, (before, after) in texts.items():
        out[clause] = _label(checked, clause, before[1:], after[1:])
    return out


def _label(checked: Checked, clause: str | None, before: list[str], after: list[str]) -> str:
    if _norm(" ".join(before)) == _norm(" ".join(after)):
        return "standard"
    if not _norm(" ".join(after)):
        return "removed"
    found = checked.lib.clauses.get(clause or "")
    playbook = found.data.get("playbook") if found is not None else None
    fallbacks = playbook.get("fallback", []) if isinstance(playbook, dict) else []
    patterns = [_pattern(str(fb.get("text", ""))) for fb in fallbacks if isinstance(fb, dict)]
    # A fallback may word the whole clause or the paragraphs that changed.
    changed = [_norm(a) for a in after if a not in before] or [_norm(" ".join(after))]
    wording = _norm(" ".join(after))
    for texts in ([wording], changed):
        if patterns and all(any(re.fullmatch(p, t) for p in patterns) for t in texts):
            return "fallback"
    return "needs-approval"


def _norm(text: str) -> str:
    """Compare wordings, not typography: width, quotes, spaces and Markdown marks."""
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[\u2018\u2019\u201c\u201d'\"「」『』]", '"', text)
    return re.sub(r"[\s*_]+", "", text)


def _pattern(fallback: str) -> str:
    """A fallback's wording as a pattern: each `{{ value }}` matches any printed value."""
    parts = re.split(r"\{\{.*?\}\}", _raw(fallback))
    return ".+?".join(re.escape(_norm(p)) for p in parts)


def _raw(text: str) -> str:
    return re.sub(r"\{\{(.*?)\}\}", lambda m: "{{" + m.group(1).replace(" ", "") + "}}", text)


def _values(data: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in data.items():
        if key in ("template", "status", "deviations", "lang"):
            continue
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_values(value, path + "."))
        elif isinstance(value, str | int | float) and str(value).strip():
            out[path] = str(value)
    return out


def _variable(before: str, after: str, values: dict[str, str]) -> tuple[str, str, str] | None:
    """(variable, old, new) when the only edit lies inside text a value printed."""
    ops = [
        op
        for op in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
        if op[0] != "equal"
    ]
    if not ops:
        return None
    lo, hi = ops[0][1], ops[-1][2]
    for path, value in sorted(values.items(), key=lambda kv: -len(kv[1])):
        start = before.find(value)
        while start >= 0:
            end = start + len(value)
            if start <= lo and hi <= end:
                new = after[start : end + (len(after) - len(before))]
                return path, value, new
            start = before.find(value, start + 1)
    return None


def report_text(result: Received) -> str:
    """The changes grouped by clause, for a person."""
    if result.sent_from == "already applied":
        return (
            f"agreement {result.agreement}: {result.source or 'this file'} was applied "
            "already\nnothing to apply\n"
        )
    lines = [f"agreement {result.agreement} (sent from {result.sent_from})"]
    if not result.changes:
        return "\n".join([*lines, "no changes"]) + "\n"
    groups: dict[str, list[Change]] = {}
    for c in result.changes:
        groups.setdefault(c.clause or "(outside any clause)", []).append(c)
    for clause, changes in groups.items():
        label = next((c.label for c in changes if c.kind == "clause" and c.label), None)
        lines.append(f"\n{clause}" + (f" [{label}]" if label else ""))
        for c in changes:
            who = ", ".join(x for x in (c.author, c.date) if x)
            head = {"untracked": "changed without tracking"}.get(c.kind, c.kind)
            if c.variable:
                head += f" {c.variable}"
            lines.append(f"  - {head}" + (f" ({who})" if who else ""))
            if c.kind == "comment":
                lines.append(f"      on: {c.before}\n      says: {c.after}")
            elif c.kind != "format":
                lines.append(f"      before: {c.before or '(nothing)'}")
                lines.append(f"      after:  {c.after or '(removed)'}")
    return "\n".join(lines) + "\n"
