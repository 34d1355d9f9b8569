#!/usr/bin/env python3
"""Benchmark of rendering: per-document DOCX and PDF time against raw pandoc + typst,
and a cold build of every example against a no-change rebuild.

The DOCX is the Word-native one (numbering link, REF fields, watermark, properties;
for a bilingual agreement its two-column table too); raw is pandoc alone on the same
Markdown.  The overhead must stay under 20% per document, bilingual ones included.

Run: .venv/bin/python scripts/bench_render.py [--repeat N]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from clausekit.assemble import assemble_agreement, assemble_blank
from clausekit.check import Checked
from clausekit.load import load_library
from clausekit.publish.build import build
from render_timing import time_render

ROOT = Path(__file__).resolve().parent.parent
FORMATS = {"md", "docx", "pdf"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    lib = Checked(load_library(ROOT))

    print("per document, median seconds (overhead = clausekit / raw - 1)")
    print(f"{'document':52} {'docx':>7} {'raw':>7} {'ovh':>6}   {'pdf':>7} {'raw':>7} {'ovh':>6}")
    docs = [(a, assemble_agreement(lib, a)) for a in sorted(lib.lib.agreements)]
    docs += [(f"blank/{t}", assemble_blank(lib, t)) for t in sorted(lib.lib.templates)]
    totals = [0.0, 0.0, 0.0, 0.0]
    bilingual = [0.0, 0.0]
    for name, doc in docs:
        t = time_render(doc.markdown, doc.lang, args.repeat, doc)
        for i, v in enumerate((t.docx, t.raw_docx, t.pdf, t.raw_pdf)):
            totals[i] += v
        if doc.layout:
            bilingual[0] += t.docx
            bilingual[1] += t.raw_docx
        print(
            f"{name:52} {t.docx:7.3f} {t.raw_docx:7.3f} {t.docx_overhead:+6.0%}"
            f"   {t.pdf:7.3f} {t.raw_pdf:7.3f} {t.pdf_overhead:+6.0%}"
        )
    d, rd, p, rp = totals
    name = "all documents"
    print(f"{name:52} {d:7.3f} {rd:7.3f} {d / rd - 1:+6.0%}", end="")
    print(f"   {p:7.3f} {rp:7.3f} {p / rp - 1:+6.0%}")
    if bilingual[1]:
        b, rb = bilingual
        print(f"{'bilingual documents (docx)':52} {b:7.3f} {rb:7.3f} {b / rb - 1:+6.0%}")

    with tempfile.TemporaryDirectory(prefix="clausekit-bench-") as tmp:
        out = Path(tmp)
        blanks = sorted(lib.lib.templates)
        started = time.perf_counter()
        cold = build(lib, None, blanks, FORMATS, out)
        cold_s = time.perf_counter() - started
        started = time.perf_counter()
        warm = build(lib, None, blanks, FORMATS, out)
        warm_s = time.perf_counter() - started
    print(f"\ncold build, {len(cold.built)} outputs ({', '.join(sorted(FORMATS))}): {cold_s:.2f} s")
    counts = f"{len(warm.built)} rebuilt, {len(warm.unchanged)} up to date"
    print(f"no-change rebuild ({counts}): {warm_s:.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
