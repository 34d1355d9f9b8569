"""Sharded and changed-only builds, the output-folder lock and killed builds: the real
`clausekit` command in subprocesses, on a copy of the example library in a real git
repository."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from site_fixtures import REPO, copy_library

CLAUSEKIT = str(Path(sys.executable).parent / "clausekit")
FORMATS = "md,docx,pdf"


# The example library's documents: each agreement, and each template's blank form.
DOCUMENTS = len(list((REPO / "agreements").rglob("*.yaml"))) + len(
    list((REPO / "templates").glob("*.yaml"))
)


def ck(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(
        [CLAUSEKIT, "-C", str(root), *args], capture_output=True, text=True, check=False
    )
    assert "Traceback" not in proc.stderr
    if check:
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return proc


def git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t", *args],
        check=True,
        capture_output=True,
    )


def published(folder: Path) -> dict[str, bytes]:
    """The documents of an output folder (not its manifest, cache or lock)."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and not p.name.startswith(".") and p.name != "manifest.json"
    }


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_library(tmp_path_factory.mktemp("scale") / "lib", downloads=False)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "library")
    return root


@pytest.fixture(scope="module")
def full(repo: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("full")
    ck(repo, "build", "--to", FORMATS, "-o", str(out))
    return out


def test_shards_partition_the_build_byte_for_byte(repo: Path, full: Path, tmp_path: Path) -> None:
    everything = published(full)
    assert len(everything) == 3 * DOCUMENTS  # every agreement and blank form, in 3 formats
    shards = []
    for i in (1, 2, 3, 4):
        out = tmp_path / f"shard{i}"
        ck(repo, "build", "--to", FORMATS, "--shard", f"{i}/4", "-o", str(out))
        shards.append(published(out))
    names = [set(s) for s in shards]
    assert sum(len(n) for n in names) == len(everything)  # no document twice
    assert set().union(*names) == set(everything)  # none left out
    assert max(len(n) for n in names) - min(len(n) for n in names) <= 3  # balanced: ±1 doc
    for files in shards:
        for name, data in files.items():
            assert data == everything[name], name
    joined = ck(repo, "manifest", *(str(tmp_path / f"shard{i}") for i in (1, 2, 3, 4)))
    assert joined.stdout == (full / "manifest.json").read_text("utf-8")
    assert len(json.loads(joined.stdout)["documents"]) == DOCUMENTS
    _join_as_the_publish_workflow_does(repo, tmp_path, full)


def _join_as_the_publish_workflow_does(repo: Path, tmp_path: Path, full: Path) -> None:
    """Run the workflow's own join step on the shards; the site's build then renders
    nothing again."""
    workflow = yaml.safe_load((REPO / ".github/workflows/publish.yml").read_text("utf-8"))
    (step,) = [
        s for s in workflow["jobs"]["build"]["steps"] if s.get("name", "").startswith("Join")
    ]
    work = tmp_path / "ci"
    for i in (1, 2, 3, 4):
        shutil.copytree(tmp_path / f"shard{i}", work / "shards" / f"shard-{i}")
    # The step finds clausekit where the action installed it (its `bin` output).
    assert step["env"] == {"CLAUSEKIT_BIN": "${{ steps.check.outputs.bin }}"}
    env = {**os.environ, "CLAUSEKIT_BIN": str(Path(CLAUSEKIT).parent)}
    subprocess.run(["bash", "-euo", "pipefail", "-c", step["run"]], cwd=work, env=env, check=True)
    assert published(work / "dist") == published(full)
    assert (work / "dist" / "manifest.json").read_bytes() == (full / "manifest.json").read_bytes()
    again = ck(repo, "build", "--to", FORMATS, "-o", str(work / "dist"))
    assert again.stdout.startswith(f"0 written, {3 * DOCUMENTS} up to date")


def test_shard_and_manifest_errors(repo: Path, tmp_path: Path) -> None:
    for bad in ("0/4", "5/4", "x", "1/0"):
        proc = ck(repo, "build", "--shard", bad, "-o", str(tmp_path), check=False)
        assert proc.returncode == 2
        assert proc.stderr.startswith("clausekit: error: --shard")
    proc = ck(repo, "manifest", str(tmp_path / "none"), check=False)
    assert proc.returncode == 2
    assert "manifest.json: no such file" in proc.stderr


def _changed(repo: Path, tmp_path: Path, name: str, extra: int = 0) -> list[str]:
    total = DOCUMENTS + extra
    out = tmp_path / name
    proc = ck(repo, "build", "--to", "md", "--changed-since", "HEAD", "-o", str(out))
    built = sorted(k.removesuffix(".md") for k in published(out))
    assert proc.stdout.startswith(f"{len(built)} of {total} documents changed since HEAD")
    return built


def test_changed_since_builds_only_what_changed(repo: Path, tmp_path: Path) -> None:
    assert _changed(repo, tmp_path, "none") == []
    # A clause used by one template: its agreements and its blank form.
    nda_clause = next((repo / "clauses" / "nda").glob("*.md"))
    text = nda_clause.read_text("utf-8")
    body_at = text.index("\n---\n", 4) + 5
    nda_clause.write_text(text[:body_at] + "补充一句。\n\n" + text[body_at:], "utf-8")
    assert _changed(repo, tmp_path, "clause") == [
        "blank/mutual-nda",
        "mutual-nda/2026-draft",
        "mutual-nda/2026-shenzhen-hangzhou-final",
    ]
    nda_clause.write_text(text, "utf-8")
    # The values of one agreement: that agreement alone.
    agreement = repo / "agreements" / "customer-service-training" / "2026-draft.yaml"
    values = agreement.read_text("utf-8")
    agreement.write_text(values.replace("2026", "2027", 1), "utf-8")
    assert _changed(repo, tmp_path, "values") == ["customer-service-training/2026-draft"]
    agreement.write_text(values, "utf-8")
    # A new agreement is new since HEAD.
    new = repo / "agreements" / "mutual-nda" / "2027-draft.yaml"
    new.write_text(
        (repo / "agreements" / "mutual-nda" / "2026-draft.yaml").read_text("utf-8"), "utf-8"
    )
    assert _changed(repo, tmp_path, "new", 1) == ["mutual-nda/2027-draft"]
    new.unlink()
    # A rendering input (clausekit.yml, the pinned clausekit): everything.
    (repo / "requirements.txt").write_text("clausekit==0.0.1\n", "utf-8")
    git(repo, "add", "requirements.txt")
    git(repo, "commit", "-qm", "pin")
    (repo / "requirements.txt").write_text("clausekit==0.0.2\n", "utf-8")
    assert len(_changed(repo, tmp_path, "toolchain")) == DOCUMENTS
    git(repo, "checkout", "-q", "--", "requirements.txt")
    assert _changed(repo, tmp_path, "clean-again") == []
    proc = ck(repo, "build", "--changed-since", "no-such-rev", "-o", str(tmp_path), check=False)
    assert proc.returncode == 1
    assert "revision 'no-such-rev' does not exist" in proc.stderr


# Holds the output folder's lock until a line arrives on its standard input (or for
# argv[2] seconds at most): the test, not the machine's speed, decides when it ends.
HOLD = """
import fcntl, os, select, sys
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(fd, fcntl.LOCK_EX)
print("locked", flush=True)
select.select([sys.stdin], [], [], float(sys.argv[2]))
"""


def test_a_second_build_exits_or_waits(repo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(out / ".clausekit-build.lock"), "120"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "locked\n"
        proc = ck(repo, "build", "--to", "md", "-o", str(out), check=False)
        assert proc.returncode == 1
        assert f"clausekit: error: another build is writing {out.resolve()}" in proc.stderr
        assert published(out) == {}
        waiting = subprocess.Popen(
            [CLAUSEKIT, "-C", str(repo), "build", "--to", "md", "--wait", "-o", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(2)
        assert waiting.poll() is None  # still waiting for the holder
        assert published(out) == {}
        holder.communicate("release\n", timeout=10)
        assert holder.returncode == 0
        stdout, stderr = waiting.communicate(timeout=300)
        assert waiting.returncode == 0, stderr
        assert f"{DOCUMENTS} written" in stdout
    finally:
        holder.kill()
        holder.wait()


def test_killed_builds_leave_no_partial_file(repo: Path, full: Path, tmp_path: Path) -> None:
    everything = published(full)
    out = tmp_path / "out"
    for delay in (0.3, 0.6, 0.9, 1.2, 1.5, 2.0):
        proc = subprocess.Popen(
            [CLAUSEKIT, "-C", str(repo), "build", "--to", FORMATS, "--force", "-o", str(out)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        for name, data in published(out).items():
            assert data == everything[name], f"{name} is partial after a kill at {delay} s"
        manifest = out / "manifest.json"
        if manifest.exists():
            json.loads(manifest.read_text("utf-8"))  # complete JSON, never half
    # What a kill between mkstemp and os.replace leaves; the next build removes it.
    leftover = out / "blank" / ".mutual-nda.pdf.k1ll3d_x.tmp"
    leftover.parent.mkdir(parents=True, exist_ok=True)  # a kill may come before any file
    leftover.write_bytes(b"%PDF-1.7 half")
    ck(repo, "build", "--to", FORMATS, "-o", str(out))
    assert published(out) == everything
    assert [p.name for p in out.rglob("*.tmp")] == []
    assert (out / "manifest.json").read_bytes() == (full / "manifest.json").read_bytes()
