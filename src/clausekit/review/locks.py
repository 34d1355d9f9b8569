"""Locked agreements: `agreements/<id>.lock.json`.

A lock records the template and every clause an agreement uses, each with its
version and the sha256 of its source.  A locked agreement is assembled from
exactly those sources: the current file when its sha256 still matches, else the
version found in git history (newest first).  So an executed agreement builds
byte-identically however the library moves on.

Locks are written only by `clausekit lock`.  The lock carries a checksum of its
own content: a hand edit (say, a version bumped to dodge the history search)
makes the lock invalid rather than silently building something else.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from clausekit.assemble import (
    Assembled,
    Speculation,
    agreement_problems,
    assemble_agreement,
    speculate,
)
from clausekit.check import Checked
from clausekit.errors import ClausekitError, Problem
from clausekit.load.files import inside, read_inside
from clausekit.load.model import Agreement, Clause, Library, Source, Template
from clausekit.load.yamlpos import YamlError, load_yaml, split_front_matter
from clausekit.render.atomic import atomic_write
from clausekit.render.toolchain import current_toolchain

FORMAT = 1
SUFFIX = ".lock.json"


class LockError(ClausekitError):
    """A lock that cannot be used: unreadable, edited by hand, or naming a lost version."""


def lock_path(root: Path, agreement_id: str) -> Path:
    return root / "agreements" / f"{agreement_id}{SUFFIX}"


def rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def checksum(content: dict[str, Any]) -> str:
    body = {k: v for k, v in content.items() if k != "checksum"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def dumps(content: dict[str, Any]) -> str:
    return json.dumps(content, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def read_lock(root: Path, agreement_id: str) -> dict[str, Any] | None:
    """The lock of an agreement, verified; None when it has none."""
    path = lock_path(root, agreement_id)
    where = rel(root, path)
    if path.is_symlink() and not inside(root, path):
        raise LockError(f"{where}: is a symbolic link that resolves outside the repository")
    try:
        text = read_inside(root, path)
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        raise LockError(f"{where}: cannot read the lock: {exc}") from exc
    try:
        content = json.loads(text)
    except ValueError as exc:
        raise LockError(f"{where}: not valid JSON ({exc}); {_relock(agreement_id)}") from exc
    if not isinstance(content, dict) or content.get("lock") != FORMAT:
        raise LockError(f"{where}: not a clausekit lock (format {FORMAT}); {_relock(agreement_id)}")
    if content.get("checksum") != checksum(content):
        raise LockError(
            f"{where}: checksum mismatch: the lock was edited by hand; locks are written "
            f"only by clausekit: {_relock(agreement_id)}"
        )
    return content


def _relock(agreement_id: str) -> str:
    return f"delete it and run `clausekit lock {agreement_id}` to lock the current versions"


def locked(checked: Checked, agreement_id: str) -> Checked:
    """The checked library as `agreement_id`'s lock fixes it (`checked` itself without a lock).

    Raises `LockError` when the lock is invalid or a locked version cannot be found.
    """
    lib = checked.lib
    content = read_lock(lib.root, agreement_id)
    if content is None:
        return checked
    key = f"{agreement_id}\0{content['checksum']}"
    return checked.view(key, lambda: _view(lib, agreement_id, content))


def assemble_locked(checked: Checked, agreement_id: str, framed: bool = False) -> Assembled:
    """The agreement as its lock fixes it (as it is, without a lock); `framed` as
    `assemble_agreement` says."""
    return assemble_agreement(locked(checked, agreement_id), agreement_id, framed)


def speculate_locked(checked: Checked, agreement_id: str, framed: bool = False) -> Speculation:
    """`assemble_locked`, rendered before its checks (`assemble.speculate`)."""
    return speculate(locked(checked, agreement_id), agreement_id, framed)


def _entries(content: dict[str, Any], where: str) -> list[tuple[str, str, dict[str, Any]]]:
    template = content.get("template")
    clauses = content.get("clauses")
    if not isinstance(template, dict) or not isinstance(clauses, dict):
        raise LockError(f"{where}: the lock lists no template or no clauses")
    items = [("template", str(template.get("id")), template)]
    items += [("clause", str(cid), c) for cid, c in sorted(clauses.items()) if isinstance(c, dict)]
    return items


def _view(lib: Library, agreement_id: str, content: dict[str, Any]) -> Library:
    where = rel(lib.root, lock_path(lib.root, agreement_id))
    clauses: dict[str, Clause] = {}
    templates: dict[str, Template] = {}
    for kind, ident, entry in _entries(content, where):
        path, sha = str(entry.get("path")), str(entry.get("sha256"))
        current: Clause | Template | None = (
            lib.templates.get(ident) if kind == "template" else lib.clauses.get(ident)
        )
        if current is not None and current.source.sha256 == sha:
            continue  # unchanged since locked: the loaded file serves
        text = _recover(lib, path, sha)
        if text is None:
            from clausekit.review import gitrev

            hint = f"; {gitrev.UNSHALLOW_HINT}" if _shallow(lib) else ""
            raise LockError(
                f"{where}: locked {kind} {ident} {entry.get('version')} "
                f"(sha256 {sha[:12]}…) is neither {path} nor any version of it in git "
                f"history{hint}"
            )
        try:
            if kind == "template":
                templates[ident] = Template(
                    ident, Source(path, text), load_yaml(text), lib.settings.lang
                )
            else:
                doc = split_front_matter(text)
                if doc is None:
                    raise LockError(f"{where}: locked {path} has no front matter")
                clauses[ident] = Clause(
                    ident, Source(path, text), doc.meta, doc.body, doc.body_line
                )
        except YamlError as exc:
            raise LockError(f"{where}: locked {path} does not parse: {exc}") from exc
    if not clauses and not templates:
        return lib
    replaced = {c.source.path for c in clauses.values()} | {
        t.source.path for t in templates.values()
    }
    return lib._replace(
        clauses={**lib.clauses, **clauses},
        templates={**lib.templates, **templates},
        problems=tuple(p for p in lib.problems if p.path not in replaced),
    )


def _shallow(lib: Library) -> bool:
    from clausekit.review import gitrev

    return gitrev.is_shallow(gitrev.origin(lib).git_root)


def _recover(lib: Library, path: str, sha: str) -> str | None:
    from clausekit.review import gitrev  # git is read for a file changed since locked

    where = gitrev.origin(lib)
    return _find_in_history(where.git_root, where.commit, path, sha)


@lru_cache(maxsize=4096)
def _find_in_history(git_root: Path, commit: str | None, path: str, sha: str) -> str | None:
    """The text of the newest version of `path` whose sha256 is `sha`, or None."""
    from clausekit.review import gitrev

    try:
        gitrev.git(git_root, "rev-parse", "--git-dir")
    except gitrev.GitError:
        return None  # not a repository: there is no history to recover from
    history = gitrev.blobs_in_history(git_root, commit, path)
    blobs = gitrev.read_blobs(git_root, [blob for _, blob in history])
    for _, blob in history:
        try:
            text = gitrev.as_text(blobs[blob])
        except UnicodeDecodeError:
            continue  # a version that was not UTF-8 cannot be the locked (UTF-8) text
        if hashlib.sha256(text.encode("utf-8")).hexdigest() == sha:
            return text
    return None


def lock_content(
    checked: Checked, agreement_id: str, toolchain: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The lock of an agreement assembled from `checked` (which may be a locked view).

    `toolchain` is the one it was first locked with (default: the current one), so
    that a later build can say when another pandoc or typst makes it.
    """
    lib = checked.lib
    assembled = assemble_agreement(checked, agreement_id)
    agreement = lib.agreements[agreement_id]
    template = lib.templates[agreement.template_id]
    clauses: dict[str, dict[str, Any]] = {}
    for ref in assembled.inputs:
        if ref.kind == "clause":
            clauses[ref.id] = {"path": ref.path, "sha256": ref.sha256, "version": ref.version}
    # Clauses left out by a `when` are locked too: a later change of a value may
    # bring them in, and they must come from the same library state.
    for entry in template.outline.clause_entries():
        clause = lib.clauses.get(entry.clause or "")
        if clause is not None and clause.id not in clauses:
            clauses[clause.id] = {
                "path": clause.source.path,
                "sha256": clause.source.sha256,
                "version": clause.version,
            }
    content: dict[str, Any] = {
        "lock": FORMAT,
        "agreement": {
            "id": agreement.id,
            "path": agreement.source.path,
            "sha256": agreement.source.sha256,
        },
        "template": {
            "id": template.id,
            "path": template.source.path,
            "sha256": template.source.sha256,
            "version": template.version,
        },
        "clauses": clauses,
        "toolchain": toolchain or current_toolchain().as_dict(),
    }
    content["checksum"] = checksum(content)
    return content


def write_lock(checked: Checked, agreement_id: str, update: bool) -> tuple[str, bool]:
    """Lock one agreement; returns (lock path, whether the file changed).

    An existing lock keeps its versions (only the agreement's own digest and clauses
    newly used are refreshed) unless `update`: re-locking must not quietly move an
    executed agreement to newer clauses.
    """
    lib = checked.lib
    source = checked if update else locked(checked, agreement_id)
    old = None if update else read_lock(lib.root, agreement_id)
    kept = old.get("toolchain") if old else None
    toolchain = kept if isinstance(kept, dict) else None
    text = dumps(lock_content(source, agreement_id, toolchain))
    path = lock_path(lib.root, agreement_id)
    try:
        unchanged = path.read_text(encoding="utf-8") == text
    except FileNotFoundError:
        unchanged = False
    if not unchanged:
        atomic_write(path, text.encode("utf-8"))
    return rel(lib.root, path), not unchanged


def toolchain_note(root: Path, agreement_id: str) -> str | None:
    """One line when a locked agreement is built with another toolchain than it was
    locked with (another pandoc may lay the same text out differently); else None."""
    content = read_lock(root, agreement_id)
    recorded = content.get("toolchain") if content else None
    if not isinstance(recorded, dict):
        return None  # not locked, or locked before locks recorded their toolchain
    differences = current_toolchain().differences(recorded)
    if not differences:
        return None
    return (
        f"{rel(root, lock_path(root, agreement_id))}: note: locked with another toolchain "
        f"({'; '.join(differences)}); its documents may differ from those made when it was locked"
    )


def default_targets(lib: Library) -> list[str]:
    """`clausekit lock` with no argument: every executed agreement not locked yet."""
    return sorted(
        aid
        for aid, a in lib.agreements.items()
        if a.status == "executed" and not lock_path(lib.root, aid).exists()
    )


def is_locked(path: Path) -> bool:
    """Whether the agreement file at `path` has a lock beside it."""
    return path.with_suffix(SUFFIX).is_file()


def lock_problems(checked: Checked, locked_paths: list[Path]) -> list[Problem]:
    """`check`'s lock problems: each locked agreement checked against its locked
    versions, stale or broken locks, locks without agreement.  (An executed agreement
    without a lock is found where it is read: `unlocked_executed`.)"""
    before = set(checked.lib.agreements)
    checked = checked.with_agreements(locked_paths)
    lib = checked.lib
    found = [p for p in lib.problems if p.path in {rel(lib.root, q) for q in locked_paths}]
    for aid in sorted(set(lib.agreements) - before):
        agreement = lib.agreements[aid]
        where = rel(lib.root, lock_path(lib.root, aid))
        try:
            view = locked(checked, aid)
            content = read_lock(lib.root, aid)
        except LockError as exc:
            found.append(Problem(where, 1, 1, "lock", str(exc).split(": ", 1)[-1]))
            continue
        found.extend(agreement_problems(view, aid))
        sha = (content or {}).get("agreement", {}).get("sha256")
        if sha != agreement.source.sha256:
            found.append(
                Problem(
                    where,
                    1,
                    1,
                    "lock",
                    f"{agreement.source.path} changed since it was locked: review the change, "
                    f"then run `clausekit lock {aid}`",
                )
            )
    found.extend(_orphans(lib))
    return found


def _orphans(lib: Library) -> list[Problem]:
    found = []
    for path in sorted((lib.root / "agreements").rglob(f"*{SUFFIX}")):
        agreement = path.with_name(path.name[: -len(SUFFIX)] + ".yaml")
        if not agreement.is_file():
            found.append(
                Problem(
                    rel(lib.root, path),
                    1,
                    1,
                    "lock",
                    f"no agreement {rel(lib.root, agreement)} for this lock: delete the lock",
                )
            )
    return found


def unlocked_executed(agreement: Agreement) -> Problem | None:
    """An executed agreement must be locked: the problem when `agreement` is not."""
    if agreement.status != "executed":
        return None
    return Problem.at(
        agreement.source.path,
        agreement.doc.pos(("status",)),
        "lock",
        f"executed agreements must be locked: run `clausekit lock {agreement.id}`",
    )
