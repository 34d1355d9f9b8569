"""Kept parses (`load.kept`): a clause or template read back from the cache is what
parsing it gives, a value JSON cannot hold exactly is never kept, and a damaged or
foreign entry is parsed again."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from clausekit.load import load_library
from clausekit.load.kept import KeptParses
from clausekit.load.library import load_named
from clausekit.load.yamlpos import YamlError, load_yaml
from conftest import REPO, cli

NDA = "mutual-nda/2026-shenzhen-hangzhou-final"


def _entries(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.json")) if folder.is_dir() else []


@pytest.mark.parametrize("aid", sorted(load_library(REPO).agreements))
def test_a_library_read_back_from_kept_parses_is_the_one_parsed(tmp_path: Path, aid: str) -> None:
    first = load_named(REPO, {aid}, kept=KeptParses(tmp_path, "salt"))
    again = load_named(REPO, {aid}, kept=KeptParses(tmp_path, "salt"))
    plain = load_named(REPO, {aid})
    assert first is not None and again is not None and plain is not None
    assert _entries(tmp_path), "nothing was kept"
    for lib in (first, again):
        assert list(lib.clauses) == list(plain.clauses)
        for cid, clause in lib.clauses.items():
            other = plain.clauses[cid]
            assert clause.meta.value == other.meta.value and clause.body == other.body
            # Positions still come from the text: a problem points where it did.
            assert clause.meta.pos(("title",)) == other.meta.pos(("title",))
        for tid, template in lib.templates.items():
            assert template.doc.value == plain.templates[tid].doc.value


@pytest.mark.parametrize(
    ("text", "keepable"),
    [
        ("fee: 1234.50\n", False),  # a Decimal
        ("n: 1\nm: true\n", True),
        ("flags: [yes, 1, 1.0]\n", False),
        ("when: 2026-01-01T10:00:00\n", True),  # timestamps stay text
        ("title: 保密\n", True),
    ],
)
def test_a_value_json_cannot_hold_exactly_is_not_kept(
    tmp_path: Path, text: str, keepable: bool
) -> None:
    """A decimal stays a `Decimal`: such parses are made each time."""
    value = KeptParses(tmp_path, "salt").load_yaml(text).value
    assert value == load_yaml(text).value
    assert len(_entries(tmp_path)) == (1 if keepable else 0)
    again = KeptParses(tmp_path, "salt").load_yaml(text).value
    assert again == value and [type(v) for v in again.values()] == [type(v) for v in value.values()]
    assert not keepable or not any(isinstance(v, Decimal) for v in value.values())


def test_types_are_kept_exactly(tmp_path: Path) -> None:
    text = "a: true\nb: 1\nc: null\nd: [x, 2, false]\ne: {f: '1'}\n"
    KeptParses(tmp_path, "salt").load_yaml(text)
    (entry,) = _entries(tmp_path)
    value = KeptParses(tmp_path, "salt").load_yaml(text).value
    assert value == {"a": True, "b": 1, "c": None, "d": ["x", 2, False], "e": {"f": "1"}}
    assert [type(v) for v in value["d"]] == [str, int, bool] and type(value["a"]) is bool
    assert entry.exists()


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # cut short
        lambda text: text.replace("Confidential", "Xonfidential"),  # one letter changed
        lambda text: "",
    ],
)
def test_a_damaged_entry_is_parsed_again_and_replaced(tmp_path: Path, damage: object) -> None:
    text = "title: Confidential information\nversion: 1.0.0\n"
    KeptParses(tmp_path, "salt").load_yaml(text)
    (entry,) = _entries(tmp_path)
    assert callable(damage)
    good = entry.read_text("utf-8")
    entry.write_text(damage(good), "utf-8")
    value = KeptParses(tmp_path, "salt").load_yaml(text).value
    assert value == {"title": "Confidential information", "version": "1.0.0"}
    assert entry.read_text("utf-8") == good  # replaced by the parse made again


def test_an_entry_under_another_name_is_not_used(tmp_path: Path) -> None:
    """A kept file copied over another text's entry (a foreign entry) is a miss."""
    kept = KeptParses(tmp_path, "salt")
    kept.load_yaml("title: one\n")
    kept.load_yaml("title: two\n")
    one, two = _entries(tmp_path)
    two.write_bytes(one.read_bytes())
    values = {
        KeptParses(tmp_path, "salt").load_yaml(f"title: {n}\n").value["title"]
        for n in ("one", "two")
    }
    assert values == {"one", "two"}


def test_another_salt_or_offset_is_another_entry(tmp_path: Path) -> None:
    """The code that reads YAML, and where the text starts, are part of the key."""
    KeptParses(tmp_path, "one").load_yaml("a: 1\n")
    KeptParses(tmp_path, "two").load_yaml("a: 1\n")
    KeptParses(tmp_path, "one").load_yaml("a: 1\n", 1)
    assert len(_entries(tmp_path)) == 3


def test_bad_yaml_is_told_and_never_kept(tmp_path: Path) -> None:
    with pytest.raises(YamlError) as raised:
        KeptParses(tmp_path, "salt").load_yaml("a: [1\n", 1)
    assert raised.value.problem.line == 3  # the file's line, offset as load_yaml gives
    assert _entries(tmp_path) == []


def test_prune_keeps_the_newest(tmp_path: Path) -> None:
    kept = KeptParses(tmp_path, "salt")
    for i in range(5):
        kept.load_yaml(f"n: {i}\n")
    kept.prune(keep=2)
    assert len(_entries(tmp_path)) == 2


def test_the_edit_loop_reads_kept_parses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`build AGREEMENT` keeps its clauses' parses, reads them back on the next
    build, and writes the same document as a build without any cache."""
    lib, cache = tmp_path / "lib", tmp_path / "cache"
    for name in ("agreements", "clauses", "templates", "schema"):
        shutil.copytree(REPO / name, lib / name)
    monkeypatch.setenv("CLAUSEKIT_CACHE_DIR", str(cache))
    for out in ("a", "b"):
        result = cli("-C", lib, "build", NDA, "--to", "md", "-o", tmp_path / out)
        assert result.code == 0, result.err
    assert len(_entries(cache / "parsed")) >= 20  # the template and the clauses it uses
    monkeypatch.setenv("CLAUSEKIT_CACHE_DIR", "off")
    result = cli("-C", lib, "build", NDA, "--to", "md", "-o", tmp_path / "c")
    assert result.code == 0, result.err
    name = f"{NDA}.md"
    assert (tmp_path / "b" / name).read_bytes() == (tmp_path / "c" / name).read_bytes()


def test_pruning_leaves_a_file_being_written(tmp_path: Path) -> None:
    """Another run's temporary file (renamed into place when written) is never pruned."""
    from clausekit.cachefiles import TEMPORARY, prune_oldest

    writing = tmp_path / f"{TEMPORARY}x.json"
    writing.write_text("{", "utf-8")
    for i in range(3):
        (tmp_path / f"{i}.json").write_text("{}", "utf-8")
    prune_oldest(tmp_path, "*.json", keep=1)
    assert writing.exists() and len(list(tmp_path.glob("[0-9].json"))) == 1
