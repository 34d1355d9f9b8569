"""Which documents a build writes: a shard of them, or those changed since a revision,
and the joined manifest of several output folders.

Shards are a round-robin over the sorted document keys: the same library and the
same N always give the same shards, their sizes differ by at most one, and every
document is in exactly one.  Each shard's files are what the unsharded build writes
(rendering depends on a document alone), so joining the shards' manifests gives the
unsharded `manifest.json`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import TextIO

from clausekit.assemble import Assembled, assemble_blank
from clausekit.check import Checked
from clausekit.errors import BuildError, ClausekitError, UsageError
from clausekit.publish.build import (
    BuildReport,
    assemble_all,
    framed_agreements,
    settings_font_paths,
    write_documents,
)
from clausekit.review.gitrev import git, library_at, resolve
from clausekit.review.locks import assemble_locked

_SHARD = re.compile(r"^([1-9][0-9]*)/([1-9][0-9]*)$")

# Outside the library folders, what decides how Markdown becomes DOCX and PDF: the
# pinned clausekit version (requirements, workflows, pyproject) and, in clausekit's own
# repository, its renderer and reference documents. A change here rebuilds everything.
TOOLCHAIN = (
    "clausekit.yml",
    "pyproject.toml",
    "requirements.txt",
    "requirements",
    ".github/workflows",
    "src/clausekit/render",
    "src/clausekit/assets",
    "src/clausekit/__init__.py",
)


def parse_shard(text: str) -> tuple[int, int]:
    """`I/N` (1 <= I <= N) as (I, N); anything else is a usage error."""
    m = _SHARD.match(text.strip())
    if not m or int(m.group(1)) > int(m.group(2)):
        raise UsageError(f"--shard {text!r}: expected I/N with 1 <= I <= N, e.g. 2/4")
    return int(m.group(1)), int(m.group(2))


def document_key(kind: str, ident: str) -> str:
    """The manifest key and output stem `build` uses: an agreement id, or blank/<template>."""
    return ident if kind == "agreement" else f"blank/{ident}"


def in_shard(keys: list[str], shard: tuple[int, int]) -> set[str]:
    """The keys of shard I of N."""
    index, count = shard
    return set(sorted(keys)[index - 1 :: count])


def shard_ids(text: str, agreements: list[str], blanks: list[str]) -> tuple[list[str], list[str]]:
    """The agreements and blank forms of shard `text` (I/N) among those given."""
    keys = [document_key("agreement", a) for a in agreements]
    keys += [document_key("blank", t) for t in blanks]
    mine = in_shard(keys, parse_shard(text))
    return (
        [a for a in agreements if document_key("agreement", a) in mine],
        [t for t in blanks if document_key("blank", t) in mine],
    )


def build_changed(
    checked: Checked,
    rev: str,
    agreements: list[str],
    blanks: list[str],
    formats: set[str],
    outdir: Path,
    out: TextIO,
    progress: TextIO | None,
    wait: bool,
    force: bool = False,
) -> BuildReport:
    """`clausekit build --changed-since REV`: only the documents `changed_since` finds."""
    commit = resolve(checked.lib.root, rev)  # a bad revision fails before any work
    framed = framed_agreements(checked.lib, formats, agreements)
    docs = assemble_all(checked, agreements, blanks, framed)
    changed = changed_since(checked, commit, [(d.kind, d.source_id, d.assembled) for d in docs])
    docs = [d for d in docs if d.key in changed]
    total = len(agreements) + len(blanks)
    print(f"{len(docs)} of {total} documents changed since {rev}", file=out)
    fonts = settings_font_paths(checked.lib)
    return write_documents(docs, formats, outdir, force, progress, None, fonts, wait)


def join_manifests(folders: list[Path]) -> dict[str, object]:
    """The manifests of `folders` as one; a document in two folders must be the same."""
    documents: dict[str, object] = {}
    generators: set[str] = set()
    toolchains: set[str] = set()
    for folder in folders:
        path = folder / "manifest.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UsageError(f"{path}: no such file (not a `clausekit build` folder)") from None
        except (OSError, ValueError) as exc:
            raise BuildError(f"{path}: not a readable manifest ({exc})") from exc
        if not isinstance(data, dict) or not isinstance(data.get("documents"), dict):
            raise BuildError(f"{path}: not a clausekit manifest")
        generators.add(str(data.get("generator")))
        toolchains.add(json.dumps(data.get("toolchain"), sort_keys=True))
        for key, entry in data["documents"].items():
            if key in documents and documents[key] != entry:
                raise BuildError(f"{path}: {key} differs from the same document in another folder")
            documents[key] = entry
    if len(generators) > 1:
        raise BuildError(f"the folders were built by different versions: {sorted(generators)}")
    if len(toolchains) > 1:
        raise BuildError(f"the folders were built with different toolchains: {sorted(toolchains)}")
    return {
        "documents": dict(sorted(documents.items())),
        "generator": generators.pop(),
        "toolchain": json.loads(toolchains.pop()),
    }


def manifest_text(manifest: dict[str, object]) -> str:
    """A manifest as `build` writes it, byte for byte."""
    return json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def changed_since(checked: Checked, rev: str, docs: list[tuple[str, str, Assembled]]) -> set[str]:
    """The keys of `docs` ((kind, id, assembled now)) whose text or rendering inputs
    differ at git revision `rev`; a document new since `rev`, or that did not assemble
    then, has changed."""
    root = checked.lib.root
    if toolchain_changed(root, rev):
        return {document_key(kind, ident) for kind, ident, _ in docs}
    changed: set[str] = set()
    with library_at(root, rev) as old_lib:
        old = Checked(old_lib)
        for kind, ident, now in docs:
            before = _assembled_at(old, kind, ident)
            if before is None or (before.markdown, before.lang) != (now.markdown, now.lang):
                changed.add(document_key(kind, ident))
    return changed


def toolchain_changed(root: Path, rev: str) -> bool:
    """Whether a TOOLCHAIN path differs between `rev` and the work tree."""
    out = git(root, "diff", "--name-only", rev, "--", *TOOLCHAIN)
    return bool(out.strip())


def _assembled_at(old: Checked, kind: str, ident: str) -> Assembled | None:
    known = old.lib.agreements if kind == "agreement" else old.lib.templates
    if ident not in known:
        return None
    try:
        if kind == "agreement":
            return assemble_locked(old, ident)
        return assemble_blank(old, ident)
    except ClausekitError:
        return None  # broken at the base revision: now it is a change
