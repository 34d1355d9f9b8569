"""The wheel alone: built from this source, installed into a fresh virtual
environment outside the repository, it starts a library that checks, builds and
publishes, with no editable install and no file of this repository in reach.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from clausekit import __version__
from conftest import REPO
from render_fixtures.helpers import pdf_text, squash
from starter_helpers import AMOUNT_WORDS


def _run(
    args: list[str | Path], cwd: Path, env: dict[str, str], timeout: int = 600
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _wheel(tmp_path: Path, env: dict[str, str]) -> Path:
    # Built from a copy, so that setuptools' build/ and egg-info never land in
    # the repository while other tests read it.
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(
        REPO / "src", source / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
    )
    wheels = tmp_path / "wheels"
    done = _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", wheels, source], tmp_path, env
    )
    assert done.returncode == 0, done.stdout + done.stderr
    [wheel] = wheels.glob("clausekit-*.whl")
    assert wheel.name == f"clausekit-{__version__}-py3-none-any.whl"
    return wheel


def test_the_wheel_alone_starts_a_working_library(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["NO_MKDOCS_2_WARNING"] = "1"
    wheel = _wheel(tmp_path, env)
    venv = tmp_path / "venv"
    assert _run([sys.executable, "-m", "venv", venv], tmp_path, env).returncode == 0
    bin_ = venv / "bin"
    # The wheel file itself; its dependencies from the package index (pip's cache).
    done = _run([bin_ / "pip", "install", "--quiet", wheel], tmp_path, env)
    assert done.returncode == 0, done.stdout + done.stderr
    env["PATH"] = f"{bin_}{os.pathsep}{env.get('PATH', '')}"

    where = _run(
        [bin_ / "python", "-c", "import clausekit; print(clausekit.__file__)"], tmp_path, env
    )
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout

    work = tmp_path / "work"
    work.mkdir()
    done = _run(["clausekit", "init", "contracts"], work, env)
    assert done.returncode == 0, done.stdout + done.stderr
    lib = work / "contracts"
    for args in (["clausekit", "check"], ["clausekit", "build", "--to", "md,docx,pdf"]):
        done = _run(args, lib, env)
        assert done.returncode == 0, done.stdout + done.stderr
    pdf = (lib / "dist/example/service-draft.pdf").read_bytes()
    assert squash(AMOUNT_WORDS["zh-CN"]) in squash("".join(pdf_text(pdf)))
    assert (lib / "dist/example/service-draft.docx").stat().st_size > 0

    site = _run(["mkdocs", "build", "--strict"], lib, env)
    assert site.returncode == 0, site.stdout + site.stderr
    assert (lib / "site/library/index.html").is_file()
