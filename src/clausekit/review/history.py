"""A clause's versions in git history, and the redline between consecutive ones.

For the site: each clause page can show what changed from one version to the
next.  `clause_versions` finds, newest first, the last text committed under each
version; `redline_fragment` renders the word-level diff of two texts as an HTML
fragment with `<ins>`/`<del>`.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from clausekit.load.yamlpos import YamlError, split_front_matter
from clausekit.review import gitrev
from clausekit.review.textdiff import align_lines, inline_diff


@dataclass(frozen=True)
class Version:
    version: str
    commit: str  # the newest commit holding this version's text
    body: str


def in_repository(root: Path) -> bool:
    try:
        gitrev.git(root, "rev-parse", "--git-dir")
    except gitrev.GitError:
        return False
    return True


def clause_versions(root: Path, path: str) -> list[Version]:
    """Versions of the clause at `path` (relative to the library `root`), newest first.

    Empty when `root` is not in a git repository or the file was never committed.
    """
    if not in_repository(root):
        return []
    history = gitrev.blobs_in_history(root, None, path)
    texts = gitrev.read_blobs(root, [blob for _, blob in history])
    found: list[Version] = []
    for commit, blob in history:
        try:
            doc = split_front_matter(gitrev.as_text(texts[blob]))
        except (UnicodeDecodeError, YamlError):
            continue  # a broken intermediate commit has no version to show
        if doc is None or not isinstance(doc.meta.value, dict):
            continue
        version = str(doc.meta.value.get("version", ""))
        # Newest first: the first text met under a version is its last state.
        if version and all(v.version != version for v in found):
            found.append(Version(version, commit, doc.body))
    return found


def redline_fragment(old: str, new: str) -> str:
    """`<p>` per changed or kept line of `new`, changes marked with `<del>`/`<ins>`."""
    out = []
    for op in align_lines(old.splitlines(), new.splitlines()):
        if op.op == "equal":
            text = html.escape(op.new or "")
        elif op.op == "delete":
            text = f"<del>{html.escape(op.old or '')}</del>"
        elif op.op == "insert":
            text = f"<ins>{html.escape(op.new or '')}</ins>"
        else:
            text = "".join(
                f"<del>{html.escape(p.text)}</del>"
                if p.op == "delete"
                else f"<ins>{html.escape(p.text)}</ins>"
                if p.op == "insert"
                else html.escape(p.text)
                for p in inline_diff(op.old or "", op.new or "")
            )
        if text.strip():
            out.append(f"<p>{text}</p>")
    return "\n".join(out)
