"""Front matter and templates parsed by an earlier run, kept by the text they came from.

`build AGREEMENT` after an edit of the agreement reads its template and some twenty
clause files that did not change.  Composing their YAML is most of that reading
(PyYAML builds a Python object for every node): 7 ms of an edit-loop build, against
0.4 ms for reading the same values back as JSON.  So each parse whose value JSON
holds exactly (strings, whole numbers, booleans, null, lists, and mappings with text
keys; not the `Decimal` of a number with a fraction) is kept in a file named by the
digest of the text and of `salt` (clausekit's code and version, which decide how
YAML reads).  A file whose own digest (of its name's key and its content) does not
match is a miss, parsed again and replaced: a damaged or foreign entry is never
used.  Positions are not kept: a `Located` finds them from the text when a problem
asks.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from clausekit.cachefiles import prune_oldest, write_cache_file
from clausekit.load.yamlpos import Located, load_yaml

# Entries kept at most; the oldest go first once a run has added to them.
KEEP = 5000


class KeptParses:
    """The kept parses in `folder` (one per cache, shared by libraries: keyed by text)."""

    def __init__(self, folder: Path, salt: str) -> None:
        self.folder = folder
        self.salt = salt
        self.added = 0

    def load_yaml(self, text: str, line_offset: int = 0) -> Located:
        """`yamlpos.load_yaml(text, line_offset)`, from the kept value when there is one."""
        key = hashlib.sha256(f"{self.salt}\0{line_offset}\0{text}".encode()).hexdigest()
        file = self.folder / f"{key}.json"
        kept = _read(file, key)
        if kept is not None:
            return Located(kept[0], text, line_offset)
        located = load_yaml(text, line_offset)  # raises YamlError: nothing is kept
        data = _faithful_json(located.value)
        if data is not None:
            self._write(file, key, data)
        return located

    def prune(self, keep: int = KEEP) -> None:
        """Keep the `keep` entries written last, once this run has added one."""
        if self.added:
            prune_oldest(self.folder, "*.json", keep)

    def _write(self, file: Path, key: str, data: str) -> None:
        write_cache_file(file, f"{_stamp(key, data)}\n{data}")
        self.added += 1


def _read(file: Path, key: str) -> tuple[Any] | None:
    """The value kept in `file` under `key` (in a one-tuple: the value may be None);
    None when absent, damaged, or written under another key."""
    try:
        stamp, _, data = file.read_text(encoding="utf-8").partition("\n")
    except (OSError, UnicodeDecodeError):
        return None
    if _stamp(key, data) != stamp:
        return None
    return (json.loads(data),)


def _stamp(key: str, data: str) -> str:
    """The digest an entry starts with: of its key and its JSON, so that an altered
    file, or one copied under another entry's name, reads as a miss."""
    return hashlib.sha256(f"{key}\0{data}".encode()).hexdigest()


def _faithful_json(value: Any) -> str | None:
    """`value` as JSON when reading that back gives the same value, types included;
    None otherwise (a `Decimal`, a key that is not text)."""
    try:
        data = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    except (TypeError, ValueError):
        return None
    return data if _same(json.loads(data), value) else None


def _same(one: Any, two: Any) -> bool:
    """Equal, and of the same types all the way down (1 == True in Python)."""
    if type(one) is not type(two):
        return False
    if isinstance(one, dict):
        return one.keys() == two.keys() and all(_same(one[k], two[k]) for k in one)
    if isinstance(one, list):
        return len(one) == len(two) and all(_same(a, b) for a, b in zip(one, two, strict=True))
    return bool(one == two)
