#!/usr/bin/env python3
"""Benchmark clausekit on a synthetic library and print the figures.

    .venv/bin/python scripts/bench.py [--clauses 1000 --templates 100 --agreements 10000]

Generates, in a temporary folder, a library of zh-CN clauses (each with two
variables, a sub-heading and a cross-reference), templates of ten clauses
each with a computed value and a rule, and final agreements; then times:
- check with an empty cache: `clausekit check` of the whole library (a subprocess,
  as CI runs it), against a one-core libyaml parse of the same files;
- check warm: the same again, finding the results the first run kept;
- its peak memory; the edit loop of one agreement in this library (one value edited,
  then `clausekit build AGREEMENT`, against raw pandoc); assembling every agreement
  once the library is loaded;
- batch: `clausekit build` of 100 agreements to DOCX with no cache, per document,
  against one raw pandoc run measured in the same run;
- `clausekit --version` (CLI start-up).
Each line names its case and its ratio to the floor of the same run.  Speed is
measured here, never in unit tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CLAUSE = """---
title: 合成条款 {i}
version: 1.0.0
status: approved
lang: zh-CN
summary: 基准测试用条款 {i}
tags: [bench]
variables:
  v{i}:
    type: object
    properties:
      amount: {{type: number, format: money, exclusiveMinimum: 0, description: 金额}}
      name: {{type: string, minLength: 1, description: 名称}}
    required: [amount, name]
changelog:
  - {{version: 1.0.0, date: 2026-11-20, note: 首次发布}}
---
{name_ref}应支付人民币 {{{{ v{i}.amount | money }}}} 元
（大写：{{{{ v{i}.amount | rmb_upper }}}}）。

# 履行 {{#perform}}

1. 本款由 {{{{ v{i}.name }}}} 负责履行，详见{{{{ ref('{ref}') }}}}。
2. 逾期履行的，按本协议约定承担违约责任。
"""

TEMPLATE = """title: 合成协议 {t}
version: 1.0.0
lang: zh-CN
numbering: zh-CN
computed:
  total: "{total}"
rules:
  - assert: "total > 0"
    message: 合计金额必须大于零
body:
{body}
"""


def generate(root: Path, n_clauses: int, n_templates: int, n_agreements: int) -> None:
    per = n_clauses // n_templates
    for i in range(n_clauses):
        t = i // per
        first = t * per
        ref = f"bench/c{first + (i - first + 1) % per:04d}#perform"
        path = root / "clauses" / "bench" / f"c{i:04d}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(CLAUSE.format(i=i, ref=ref, name_ref="甲方"), "utf-8")
    for t in range(n_templates):
        ids = range(t * per, (t + 1) * per)
        body = "\n".join(f"  - bench/c{i:04d}" for i in ids)
        total = " + ".join(f"v{i}.amount" for i in ids)
        path = root / "templates" / f"t{t:03d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(TEMPLATE.format(t=t, body=body, total=total), "utf-8")
    for a in range(n_agreements):
        t = a % n_templates
        lines = [f"template: t{t:03d}", "status: final", "variables:"]
        lines += [
            f"  v{i}: {{amount: {1000 + a + i}.50, name: 项目组{i}}}"
            for i in range(t * per, (t + 1) * per)
        ]
        path = root / "agreements" / f"t{t:03d}" / f"a{a:05d}.yaml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", "utf-8")


def parse_floor(root: Path) -> float:
    """Seconds to read and parse every library file with libyaml on one core: the
    least any checker must do."""
    import yaml

    t0 = time.perf_counter()
    for path in sorted(root.rglob("*")):
        if path.suffix == ".yaml":
            yaml.load(path.read_text("utf-8"), Loader=yaml.CSafeLoader)
        elif path.suffix == ".md":
            yaml.load(path.read_text("utf-8").split("---")[1], Loader=yaml.CSafeLoader)
    return time.perf_counter() - t0


def timed_check(root: Path) -> float:
    """One `clausekit check` process; its result cache lives beside the library, so
    the first run is cold and the second finds what the first kept."""
    env = {**os.environ, "CLAUSEKIT_CACHE_DIR": str(root / ".cache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: modules compiled once
    t0 = time.perf_counter()
    proc = subprocess.run(
        [*clausekit(), "-C", str(root), "check"],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        print(proc.stdout[:2000], proc.stderr[:2000])
        sys.exit(1)
    return seconds


def clausekit() -> list[str]:
    return [str(Path(sys.executable).parent / "clausekit")]


# `clausekit check` in a child that reports its own peak resident memory and that of
# its forked workers (RUSAGE_CHILDREN: the largest of them).
MEMORY_PROBE = """
import io, resource, sys
from clausekit.cli import run
code = run(["-C", sys.argv[1], "check"], io.StringIO(), sys.stderr)
me = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(code, me, workers)
"""
MEMORY_TARGET_MIB = 1024


def print_check_memory(root: Path) -> None:
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(root)], capture_output=True, text=True, check=True
    ).stdout.split()
    code, me, workers = (int(x) for x in out)
    # ru_maxrss is in KiB on Linux. Workers are forked: pages they share with the parent
    # count in both figures, so the sum is an upper bound of what the machine needed.
    total = (me + workers) / 1024
    print(
        f"clausekit check, peak resident memory: {me / 1024:.0f} MiB main process, "
        f"{workers / 1024:.0f} MiB largest worker, {total:.0f} MiB both "
        f"(target < {MEMORY_TARGET_MIB} MiB; exit {code})"
    )


EDIT_RUNS = 7


def print_edit_loop(root: Path) -> None:
    """`clausekit build AGREEMENT` to DOCX after one value of the agreement was edited,
    in this library (what `bench_one.py` measures on the examples, at scale), against
    raw pandoc on the agreement's Markdown; runs alternate, median of each.  Relies on
    the cache (check results, kept parses, the DOCX frame made by two earlier builds)."""
    from clausekit.render.pandoc import INPUT_FORMAT, pandoc_path

    env = {**os.environ, "CLAUSEKIT_CACHE_DIR": str(root / ".edit-cache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    aid = "t000/a00000"
    agreement = root / "agreements" / f"{aid}.yaml"
    base = [*clausekit(), "-C", str(root)]
    markdown = subprocess.run(
        [*base, "assemble", aid], env=env, capture_output=True, check=True
    ).stdout
    raw = [str(pandoc_path()), "--sandbox", "-f", INPUT_FORMAT, "-t", "docx", "-o"]
    build = [*base, "build", aid, "--to", "docx", "-o"]
    for i in range(2):  # the second makes the frame
        subprocess.run(
            [*build, str(root / f"edit-warm{i}")], env=env, capture_output=True, check=True
        )
    text = agreement.read_text("utf-8")
    mine, floor = [], []
    for i in range(EDIT_RUNS):
        # One amount of the agreement, a cent more each run: each build is of values no
        # earlier run built, so no kept document of an earlier run can be rendered.
        agreement.write_text(text.replace(".50,", f".{51 + i},", 1), "utf-8")
        t0 = time.perf_counter()
        subprocess.run([*build, str(root / f"edit{i}")], env=env, capture_output=True, check=True)
        mine.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        out = str(root / f"edit-raw{i}.docx")
        subprocess.run([*raw, out], input=markdown, capture_output=True, check=True, env=env)
        floor.append(time.perf_counter() - t0)
    ms, one = statistics.median(mine) * 1000, statistics.median(floor) * 1000
    print(
        f"edit loop in this library: {ms:.0f} ms = {ms / one:.2f}x raw pandoc on the "
        f"agreement's Markdown ({one:.0f} ms, same run; relies on the cache; "
        "bench_one.py's target <= 2.5x)"
    )


BATCH = 100


def print_batch(root: Path) -> None:
    """`clausekit build` of 100 agreements to DOCX with no cache, per document, against
    one raw pandoc run on one of their Markdown texts (median of 5, same run)."""
    generate(root, 10, 1, BATCH)
    env = {**os.environ, "CLAUSEKIT_CACHE_DIR": "off"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    ids = sorted(
        p.relative_to(root / "agreements").with_suffix("").as_posix()
        for p in (root / "agreements").rglob("*.yaml")
    )
    from clausekit.render.pandoc import INPUT_FORMAT, pandoc_path

    markdown = subprocess.run(
        [*clausekit(), "-C", str(root), "assemble", ids[0]],
        env=env,
        capture_output=True,
        check=True,
    ).stdout
    raw = [str(pandoc_path()), "--sandbox", "-f", INPUT_FORMAT, "-t", "docx", "-o"]
    floor = []
    for i in range(5):
        t0 = time.perf_counter()
        out = str(root / f"raw{i}.docx")
        subprocess.run([*raw, out], input=markdown, capture_output=True, check=True, env=env)
        floor.append(time.perf_counter() - t0)
    t0 = time.perf_counter()
    cmd = [*clausekit(), "-C", str(root), "build", *ids, "--to", "docx", "-o", str(root / "out")]
    subprocess.run(cmd, capture_output=True, check=True, env=env)
    per = (time.perf_counter() - t0) / len(ids) * 1000
    one = statistics.median(floor) * 1000
    print(
        f"batch: {len(ids)} agreements to DOCX, no cache: {per:.1f} ms per document = "
        f"{per / one:.2f}x one raw pandoc run ({one:.0f} ms, the floor; target <= 0.5x)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clauses", type=int, default=1000)
    parser.add_argument("--templates", type=int, default=100)
    parser.add_argument("--agreements", type=int, default=10000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="clausekit-bench-") as tmp:
        root = Path(tmp)
        t0 = time.perf_counter()
        generate(root, args.clauses, args.templates, args.agreements)
        print(
            f"library: {args.clauses} clauses, {args.templates} templates, "
            f"{args.agreements} agreements (generated in {time.perf_counter() - t0:.1f} s)"
        )

        floor = parse_floor(root)
        print(f"floor: libyaml parse of every file, one core: {floor:.2f} s")
        cases = (
            ("check with an empty cache", "target <= 3x, on 2 cores"),
            ("check warm", "relies on the results the first run kept; target <= 5 s"),
        )
        for case, note in cases:
            check_s = timed_check(root)
            print(f"{case}: {check_s:.2f} s = {check_s / floor:.2f}x the parse floor ({note})")

        print_check_memory(root)
        print_edit_loop(root)

        from clausekit.assemble import assemble_agreement
        from clausekit.check import Checked
        from clausekit.load import load_library

        t0 = time.perf_counter()
        lib = load_library(root)
        load_s = time.perf_counter() - t0
        checked = Checked(lib)
        times = []
        for ident in sorted(lib.agreements):
            t0 = time.perf_counter()
            assemble_agreement(checked, ident)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        print(
            f"load library: {load_s:.1f} s; assemble one agreement: median "
            f"{statistics.median(times):.2f} ms, p95 {times[int(len(times) * 0.95)]:.2f} ms "
            f"(target < 50 ms); slowest {max(times):.1f} ms (the first of a template: its "
            "scope derived, its clauses compiled)"
        )

    with tempfile.TemporaryDirectory(prefix="clausekit-bench-batch-") as tmp:
        print_batch(Path(tmp))

    runs = []
    for _ in range(10):
        t0 = time.perf_counter()
        subprocess.run([*clausekit(), "--version"], capture_output=True, check=True)
        runs.append((time.perf_counter() - t0) * 1000)
    print(
        f"clausekit --version: median {statistics.median(runs):.0f} ms over 10 runs "
        "(target < 150 ms)"
    )


if __name__ == "__main__":
    main()
