#!/usr/bin/env python3
"""Fill DOCX frames with random values and compare each file with Pandoc's.

For every one-language example agreement, each text value (and, half the time, the
title) is replaced by random text (Chinese, English, digits, spaces, quotes, Markdown
characters) and each number moved; agreements the checks refuse are skipped.  Each
document is made twice: by `render.frame` (filled into the frame an earlier build
kept, where it can be) and by Pandoc; the two must be the same bytes.  Prints how
many were filled and how many differ; exits 1 on any difference.

Run: .venv/bin/python scripts/fuzz_frame.py [--rounds 40] [--seed 1]
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from clausekit.assemble import assemble_agreement
from clausekit.check import Checked
from clausekit.errors import ProblemsFound
from clausekit.load import load_library
from clausekit.render.frame import FrameStore, render_framed
from clausekit.render.wordnative import render_word_native

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ("agreements", "clauses", "templates", "schema")
ALPHABET = list("甲乙方公司有限责任路号区市ABCxyzQ0189 ,.;:-'\"&<>*_@#%()（），：；《》·—é½")


def changed(values: Any, rng: random.Random) -> Any:
    if isinstance(values, dict):
        return {k: changed(v, rng) for k, v in values.items()}
    if isinstance(values, list):
        return [changed(v, rng) for v in values]
    if isinstance(values, bool) or values is None:
        return values
    if isinstance(values, int | float | Decimal):
        return values + rng.choice([1, 2, 10])
    if isinstance(values, str) and rng.random() < 0.3:
        return random_text(rng) or "x"
    return values


def random_text(rng: random.Random) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 14))).strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    made = filled = refused = differ = 0
    with tempfile.TemporaryDirectory(prefix="clausekit-fuzz-") as tmp:
        lib = Path(tmp)
        for name in LIBRARY:
            shutil.copytree(ROOT / name, lib / name)
        ids = sorted(
            str(p.relative_to(lib / "agreements").with_suffix(""))
            for p in (lib / "agreements").rglob("*.yaml")
            if "bilingual" not in p.parent.name
        )
        originals = {i: (lib / "agreements" / f"{i}.yaml").read_text("utf-8") for i in ids}
        store = FrameStore(None, "fuzz")
        for round_ in range(args.rounds):
            for ident in ids:
                data = yaml.safe_load(originals[ident])
                if round_:  # the first round makes the frames from the examples' values
                    data["variables"] = changed(data.get("variables") or {}, rng)
                    if rng.random() < 0.5:  # the title is a mark of the frame too
                        data["title"] = random_text(rng) or "协议"
                text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
                (lib / "agreements" / f"{ident}.yaml").write_text(text, "utf-8")
                try:
                    doc = assemble_agreement(Checked(load_library(lib)), ident, framed=True)
                except ProblemsFound:
                    refused += 1
                    continue
                before = store.filled
                framed = render_framed(doc, ident, store)
                made += 1
                filled += store.filled - before
                if framed != render_word_native(doc, ident):
                    differ += 1
                    print(f"DIFFERS: {ident} with {doc.frame.slots if doc.frame else ()}")
    print(
        f"{made} documents made ({refused} value sets refused by the checks): "
        f"{filled} filled into a frame, {made - filled} by Pandoc; {differ} differ from Pandoc's"
    )
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
