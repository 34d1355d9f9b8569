"""Helpers for the site tests: copy the example library and build its site."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent
MKDOCS = Path(sys.executable).parent / "mkdocs"
LIBRARY_PARTS = ("clauses", "templates", "agreements", "schema", "docs", "clausekit.yml")


def copy_library(dest: Path, downloads: bool = True) -> Path:
    """The repository's library, docs and mkdocs.yml in `dest` (never build in the repo)."""
    dest.mkdir(parents=True, exist_ok=True)
    for name in LIBRARY_PARTS:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name)  # follows the schema symlink
        elif src.is_file():
            shutil.copy2(src, dest / name)
    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    if not downloads:
        assert "downloads: true" in config
        config = config.replace("downloads: true", "downloads: false")
    (dest / "mkdocs.yml").write_text(config, encoding="utf-8")
    return dest


@dataclass
class Built:
    code: int
    output: str  # mkdocs' stdout and stderr together
    site: Path


def mkdocs_build(root: Path, site: Path) -> Built:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.run(
        [str(MKDOCS), "build", "--strict", "-f", str(root / "mkdocs.yml"), "-d", str(site)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    return Built(proc.returncode, proc.stdout + proc.stderr, site)
