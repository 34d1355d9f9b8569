"""clausekit.publish.build on fixture documents (assembly stubbed): paths, manifest, cache,
--force, atomic writes, failures, progress."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import pytest

from clausekit.assemble import Assembled, InputRef, Speculation
from clausekit.check import Checked
from clausekit.errors import BuildError, Problem, ProblemsFound, ToolMissing, UsageError
from clausekit.load.model import Library, Settings
from clausekit.publish import build as build_mod
from clausekit.publish import write as write_mod
from clausekit.publish.build import CACHE, MANIFEST, build
from clausekit.publish.outlock import LOCK
from clausekit.render.atomic import atomic_write, sha256_file
from clausekit.render.fonts import DEFAULT_FONT_PATHS
from render_fixtures.helpers import fixture

ALL = {"md", "docx", "pdf", "html"}


def doc(name: str, markdown: str | None = None) -> Assembled:
    md = markdown if markdown is not None else fixture(f"{name}.md")
    return Assembled(
        markdown=md,
        title="T",
        lang="zh-CN" if name == "zh" else "en",
        inputs=(
            InputRef("template", "tpl", "templates/tpl.yaml", "1.0.0", "a" * 64),
            InputRef("clause", "c/one", "clauses/c/one.md", "1.2.0", "b" * 64),
        ),
    )


class Docs:
    """The stand-in for assembly: documents by id, editable between builds."""

    def __init__(self) -> None:
        self.agreements = {"acme/zh-final": doc("zh"), "acme/en-final": doc("en")}
        self.blanks = {"training": doc("zh")}
        self.fail: set[str] = set()


@pytest.fixture
def docs(monkeypatch: pytest.MonkeyPatch) -> Docs:
    d = Docs()

    def agreement(checked: Checked, aid: str, framed: bool = False) -> Speculation:
        # Rendered before its checks, as a build renders agreements: the checks of a
        # failing one run while it renders, and must stop the build with nothing written.
        def confirm() -> Assembled:
            if aid in d.fail:
                raise ProblemsFound([Problem(f"agreements/{aid}.yaml", 3, 5, "schema", "bad")])
            return d.agreements[aid]

        return Speculation(d.agreements[aid], confirm)

    monkeypatch.setattr(build_mod, "speculate_locked", agreement)
    monkeypatch.setattr(build_mod, "assemble_blank", lambda checked, tid: d.blanks[tid])
    # The stand-in library holds ids, not agreements: no frames (none of them is framed).
    monkeypatch.setattr(build_mod, "framed_agreements", lambda *args: frozenset())
    return d


@pytest.fixture
def lib(docs: Docs, tmp_path: Path) -> Checked:
    library = Library(
        root=tmp_path,
        settings=Settings(),
        clauses={},
        templates=dict.fromkeys(docs.blanks),  # type: ignore[arg-type]
        agreements=dict.fromkeys(docs.agreements),  # type: ignore[arg-type]
        agreement_files=(),
        problems=(),
        files_read=0,
    )
    return Checked(library)


def files(outdir: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(outdir)): p.read_bytes() for p in sorted(outdir.rglob("*")) if p.is_file()
    }


def test_writes_every_format_with_manifest(lib: Checked, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    report = build(lib, None, ["training"], ALL, out)
    keys = ("acme/zh-final", "acme/en-final", "blank/training")
    expected = {f"{k}.{f}" for k in keys for f in ALL}
    assert set(report.built) == expected and not report.unchanged
    assert set(files(out)) == expected | {MANIFEST, CACHE, LOCK}
    manifest = json.loads((out / MANIFEST).read_text())
    entry = manifest["documents"]["acme/zh-final"]
    assert entry["kind"] == "agreement" and entry["lang"] == "zh-CN"
    assert entry["inputs"][1] == {
        "kind": "clause",
        "id": "c/one",
        "path": "clauses/c/one.md",
        "version": "1.2.0",
        "sha256": "b" * 64,
    }
    for fmt, o in entry["outputs"].items():
        assert o["path"] == f"acme/zh-final.{fmt}"
        assert o["sha256"] == sha256_file(out / o["path"])
    assert manifest["documents"]["blank/training"]["kind"] == "blank"
    assert (out / "acme/zh-final.md").read_text() == fixture("zh.md")


def test_no_change_rebuild_builds_nothing(lib: Checked, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build(lib, None, ["training"], ALL, out)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    report = build(lib, None, ["training"], ALL, out)
    assert report.built == [] and len(report.unchanged) == 12
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


def test_only_changed_document_is_rebuilt(lib: Checked, docs: Docs, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build(lib, None, None, {"md", "pdf"}, out)
    docs.agreements["acme/en-final"] = doc("en", fixture("en.md") + "\nOne more line.\n")
    report = build(lib, None, None, {"md", "pdf"}, out)
    assert sorted(report.built) == ["acme/en-final.md", "acme/en-final.pdf"]


def test_output_deleted_or_edited_by_hand_is_rebuilt(lib: Checked, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build(lib, ["acme/zh-final"], None, {"md", "docx"}, out)
    (out / "acme/zh-final.docx").unlink()
    (out / "acme/zh-final.md").write_text("tampered")
    report = build(lib, ["acme/zh-final"], None, {"md", "docx"}, out)
    assert sorted(report.built) == ["acme/zh-final.docx", "acme/zh-final.md"]


def test_force_rebuilds_all_with_identical_bytes(lib: Checked, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build(lib, None, ["training"], ALL, out)
    first = files(out)
    report = build(lib, None, ["training"], ALL, out, force=True)
    assert len(report.built) == 12
    assert files(out) == first


def test_building_a_subset_keeps_other_manifest_entries(lib: Checked, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build(lib, None, None, {"md"}, out)
    build(lib, ["acme/zh-final"], None, {"md"}, out)
    manifest = json.loads((out / MANIFEST).read_text())
    assert set(manifest["documents"]) == {"acme/zh-final", "acme/en-final"}


def test_assembly_problems_write_nothing(lib: Checked, docs: Docs, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    docs.fail = {"acme/en-final", "acme/zh-final"}
    with pytest.raises(ProblemsFound) as info:
        build(lib, None, None, ALL, out)
    assert len(info.value.problems) == 2  # all problems, not the first
    assert not out.exists()


def test_problems_found_while_rendering_leave_the_last_build(
    lib: Checked, docs: Docs, tmp_path: Path
) -> None:
    """An agreement is rendered while its checks run: when they find a problem, the
    build writes nothing, though the other agreement rendered fine, and Pandoc ran."""
    out = tmp_path / "dist"
    build(lib, None, None, {"md", "docx"}, out)
    good = files(out)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    for aid, lang in (("acme/zh-final", "zh"), ("acme/en-final", "en")):
        docs.agreements[aid] = doc(lang, fixture(f"{lang}.md") + "\nchanged\n")
    docs.fail = {"acme/en-final"}
    with pytest.raises(ProblemsFound) as info:
        build(lib, None, None, {"md", "docx"}, out)
    assert [p.path for p in info.value.problems] == ["agreements/acme/en-final.yaml"]
    assert files(out) == good
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == stamps


def test_problems_outrank_a_failed_render(
    lib: Checked, docs: Docs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the second thread the checks came first: their problems are what a
    build tells, not the render's failure, and the folders it made are gone."""

    def failing(*args: Any) -> bytes:
        raise BuildError("pandoc -t docx failed")

    monkeypatch.setattr(write_mod, "render", failing)
    docs.fail = {"acme/zh-final"}
    with pytest.raises(ProblemsFound):
        build(lib, None, None, {"docx"}, tmp_path / "new" / "dist")
    assert not (tmp_path / "new").exists()
    docs.fail = set()
    with pytest.raises(BuildError, match="pandoc"):
        build(lib, None, None, {"docx"}, tmp_path / "new" / "dist")


def test_render_failure_keeps_previous_output(
    lib: Checked, docs: Docs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dist"
    build(lib, None, None, {"docx"}, out)
    good = files(out)
    docs.agreements["acme/zh-final"] = doc("zh", fixture("zh.md") + "\nchanged\n")
    docs.agreements["acme/en-final"] = doc("en", fixture("en.md") + "\nchanged\n")
    real = write_mod.render

    def flaky(
        d: Assembled, fmt: str, what: str, fonts: list[str] | None = None, frames: Any = None
    ) -> bytes:
        if what == "acme/zh-final":
            raise BuildError(f"{what}: pandoc -t docx failed")
        return real(d, fmt, what, fonts, frames)

    monkeypatch.setattr(write_mod, "render", flaky)
    with pytest.raises(BuildError, match="acme/zh-final: pandoc"):
        build(lib, None, None, {"docx"}, out)
    now = files(out)
    assert now["acme/zh-final.docx"] == good["acme/zh-final.docx"]  # untouched
    assert now["acme/en-final.docx"] != good["acme/en-final.docx"]  # the other was built
    assert not [p for p in out.rglob("*.tmp")]
    # The failed output is retried next time, the good one is not.
    monkeypatch.setattr(write_mod, "render", real)
    report = build(lib, None, None, {"docx"}, out)
    assert report.built == ["acme/zh-final.docx"]


def test_missing_font_stops_the_build(lib: Checked, tmp_path: Path) -> None:
    with pytest.raises(ToolMissing) as info:
        build(lib, None, None, {"pdf"}, tmp_path / "dist", font_paths=[str(tmp_path)])
    assert info.value.exit_code == 3
    assert not list((tmp_path / "dist").rglob("*.pdf"))


def test_unknown_ids_and_formats(lib: Checked, tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        build(lib, ["nope"], None, {"md"}, tmp_path / "dist")
    with pytest.raises(UsageError):
        build(lib, [], ["nope"], {"md"}, tmp_path / "dist")
    with pytest.raises(BuildError, match="unknown output format"):
        build(lib, None, None, {"rtf"}, tmp_path / "dist")


def test_progress_lines_when_not_a_terminal(lib: Checked, tmp_path: Path) -> None:
    stream = io.StringIO()
    build(lib, None, None, {"md", "html"}, tmp_path / "dist", progress=stream)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 4 and all(line.startswith("[") for line in lines)
    assert "\r" not in stream.getvalue()
    assert any("built acme/zh-final.html" in line for line in lines)


def test_atomic_write_failure_leaves_previous_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "x.pdf"
    target.write_bytes(b"old")

    def boom(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(BuildError, match=r"x\.pdf: cannot write: disk full"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.pdf"]


def test_a_changed_font_file_renders_the_pdf_again(lib: Checked, tmp_path: Path) -> None:
    # A font folder of links to the installed faces: one link retargeted is a font
    # file replaced under the same name.
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    for folder in DEFAULT_FONT_PATHS:
        for face in Path(folder).iterdir():
            (fonts / face.name).symlink_to(face)
    out, formats = tmp_path / "dist", {"md", "docx", "pdf"}
    build(lib, None, None, formats, out, font_paths=[str(fonts)])
    assert build(lib, None, None, formats, out, font_paths=[str(fonts)]).built == []
    regular = fonts / "LiberationSerif-Regular.ttf"
    regular.unlink()
    regular.symlink_to(Path(DEFAULT_FONT_PATHS[1]) / "LiberationSerif-Bold.ttf")
    report = build(lib, None, None, formats, out, font_paths=[str(fonts)])
    # The PDFs depend on the font files; Markdown and DOCX do not.
    assert sorted(report.built) == ["acme/en-final.pdf", "acme/zh-final.pdf"]
