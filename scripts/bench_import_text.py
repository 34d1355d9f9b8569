"""Time `clausekit import` of large plain-text contracts, to show it grows linearly.

Writes Chinese text contracts of 2,500, 5,000 and 10,000 articles (`第N条`, each with a
title line and a paragraph holding three blanks: about 1 MB and 30,000 blanks at the
largest), imports each into a fresh library and prints size, time and time per KB.
Prints wall and CPU time (on a busy machine the CPU time is the fairer figure), and the
floor no import can go under: reading the source and creating the files the import
wrote, with the same bytes (`floor`).  Asserts nothing; the largest should import in
under 10 s of CPU.

Run: .venv/bin/python scripts/bench_import_text.py [ARTICLES ...]
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from pathlib import Path

from clausekit.assemble.numbering import cn_number
from clausekit.cli import run

SIZES = (2_500, 5_000, 10_000)


def contract(articles: int) -> str:
    out = ["大型框架合同", "甲方：____", "乙方：____"]
    for a in range(1, articles + 1):
        out.append(f"第{cn_number(a)}条 交付")
        out.append("乙方于____日内交付，付____元，罚____%。")
    out += ["（以下无正文）", "甲方（盖章）：____"]
    return "\n".join(out) + "\n"


def main(sizes: tuple[int, ...]) -> None:
    for articles in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            for folder in ("clauses", "templates", "agreements"):
                (root / "lib" / folder).mkdir(parents=True)
            source = root / "big.txt"
            source.write_text(contract(articles), encoding="utf-8")
            size = source.stat().st_size / 1024
            out = io.StringIO()
            t0, c0 = time.perf_counter(), time.process_time()
            args = ["-C", str(root / "lib"), "import", str(source), "--template", "big"]
            code = run(args, out, out)
            took, cpu = time.perf_counter() - t0, time.process_time() - c0
            summary = out.getvalue().splitlines()[1].strip() if code == 0 else out.getvalue()
            floor = _floor(source, root / "lib", root / "copy")
            print(
                f"{articles:>6} articles {size:7.0f} KB {took:6.2f} s (CPU {cpu:6.2f} s, "
                f"floor {floor:5.2f} s) {1000 * cpu / size:6.2f} CPU ms/KB  exit {code}  "
                f"{summary}"
            )


def _floor(source: Path, lib: Path, copy: Path) -> float:
    """CPU seconds to read the source and create a copy of every file the import wrote."""
    written = {p.relative_to(lib): p.read_bytes() for p in lib.rglob("*") if p.is_file()}
    c0 = time.process_time()
    source.read_text(encoding="utf-8")
    for folder in {rel.parent for rel in written}:
        (copy / folder).mkdir(parents=True, exist_ok=True)
    for rel, data in written.items():
        fd = os.open(copy / rel, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        os.write(fd, data)
        os.close(fd)
    return time.process_time() - c0


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
