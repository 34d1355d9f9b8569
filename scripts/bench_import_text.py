"""Time `clausekit import` of large plain-text contracts, to show it grows linearly.

Writes Chinese text contracts of 2,500, 5,000 and 10,000 articles (`第N条`, each with a
title line and a paragraph holding three blanks: about 1 MB and 30,000 blanks at the
largest), imports each into a fresh library and prints size, time and time per KB.
Prints wall and CPU time (on a busy machine the CPU time is the fairer figure).
Asserts nothing; the largest should import in under 10 s.

Run: .venv/bin/python scripts/bench_import_text.py [ARTICLES ...]
"""

from __future__ import annotations

import io
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
            print(
                f"{articles:>6} articles {size:7.0f} KB {took:6.2f} s (CPU {cpu:6.2f} s) "
                f"{1000 * cpu / size:6.2f} CPU ms/KB  exit {code}  {summary}"
            )


if __name__ == "__main__":
    main(tuple(int(a) for a in sys.argv[1:]) or SIZES)
