#!/usr/bin/env python3
"""Time `mkdocs build --strict` of the clause-library site and print the figures.

    .venv/bin/python scripts/bench_site.py [--clauses 1000 --templates 100 --agreements 10000]

Builds (1) the example library of this repository, with its DOCX/PDF downloads
(once cold, once again with the render cache warm, as `mkdocs serve` rebuilds),
and (2) the synthetic library of `scripts/bench.py` without downloads (rendering
thousands of PDFs is `clausekit build`'s benchmark, not the site's).  Each build
runs in a temporary copy; the repository is never written to.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import generate

REPO = Path(__file__).resolve().parents[1]
MKDOCS = str(Path(sys.executable).parent / "mkdocs")
TARGET_S = 60.0


def mkdocs_build(root: Path) -> float:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    t0 = time.perf_counter()
    proc = subprocess.run(
        [MKDOCS, "build", "--strict", "-q", "-f", str(root / "mkdocs.yml"), "-d", str(root / "s")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - t0
    if proc.returncode != 0:
        print(proc.stdout[-3000:], proc.stderr[-3000:], sep="\n")
        sys.exit(1)
    return elapsed


def site_config(downloads: bool, nav: bool = True) -> str:
    text = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    text = text if downloads else text.replace("downloads: true", "downloads: false")
    if not nav:  # mkdocs' default, and what a new library has: the plugin's compact nav
        text = text[: text.index("\nnav:\n")] + "\n"
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clauses", type=int, default=1000)
    parser.add_argument("--templates", type=int, default=100)
    parser.add_argument("--agreements", type=int, default=10000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="clausekit-site-bench-") as tmp:
        root = Path(tmp) / "examples"
        for name in ("clauses", "templates", "agreements", "schema", "docs"):
            shutil.copytree(REPO / name, root / name)
        (root / "mkdocs.yml").write_text(site_config(True), encoding="utf-8")
        cold = mkdocs_build(root)
        warm = mkdocs_build(root)
        print(f"examples with DOCX/PDF downloads: {cold:.1f} s cold, {warm:.1f} s cache warm")

        synth = Path(tmp) / "synthetic"
        generate(synth, args.clauses, args.templates, args.agreements)
        shutil.copytree(REPO / "docs", synth / "docs")
        # The floor, measured in this run: `clausekit check` of the same library, which
        # the site does first (every agreement is assembled there, once).
        t0 = time.perf_counter()
        subprocess.run(
            [str(Path(sys.executable).parent / "clausekit"), "-C", str(synth), "check"],
            capture_output=True,
            check=True,
        )
        floor = time.perf_counter() - t0
        print(f"clausekit check of the synthetic library (the floor): {floor:.1f} s")
        for nav in (True, False):
            (synth / "mkdocs.yml").write_text(site_config(False, nav), encoding="utf-8")
            took = mkdocs_build(synth)
            pages = sum(1 for _ in (synth / "s").rglob("index.html"))
            print(
                f"synthetic: {args.clauses} clauses, {args.templates} templates, "
                f"{args.agreements} agreements, no downloads, "
                f"{'explicit nav' if nav else 'no nav (compact nav)'}: {took:.1f} s for "
                f"{pages} pages, {took / floor:.1f}x check (target < {TARGET_S:.0f} s)"
            )
            shutil.rmtree(synth / "s")


if __name__ == "__main__":
    main()
