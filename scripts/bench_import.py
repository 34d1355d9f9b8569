"""Time `clausekit import` of a 50-page contract against a raw `pandoc docx -> json` run.

A synthetic Chinese contract of about 50 pages (40 articles, each with sections,
items, blanks and cross-references) is written as Markdown, built into a DOCX by
Pandoc, then imported into a fresh library; the import's time is compared with
Pandoc's own DOCX reading measured in the same run.  Prints figures, asserts nothing.

Run: .venv/bin/python scripts/bench_import.py
"""

from __future__ import annotations

import io
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from clausekit.filters import cn_number

from clausekit.cli import run
from clausekit.render.pandoc import pandoc_env, pandoc_path

ARTICLES, SECTIONS, ITEMS, RUNS = 40, 3, 4, 5


def contract() -> str:
    out = ["# 大型服务框架合同", "", "甲方：", "", "名称：________", "", "住所地：________", ""]
    for a in range(1, ARTICLES + 1):
        out += [f"## {cn_number(a)}、第{a}项服务安排", ""]
        for s in range(1, SECTIONS + 1):
            out += [f"### （{cn_number(s)}）履行要求", ""]
            for i in range(1, ITEMS + 1):
                ref = f"第{cn_number(max(1, a - 1))}条" if i == 1 else "本条"
                out.append(
                    f"{i}. 乙方应在收到甲方书面通知后____个工作日内完成第{i}阶段工作，"
                    f"并按照{ref}的约定向甲方提交阶段报告；逾期的，每日按合同总价的____%"
                    "支付违约金，累计不超过人民币________元（大写：________元整）。"
                    "双方确认，本项工作的验收标准以双方签署的技术文件为准，"
                    "技术文件未约定的，按照国家标准或者行业标准执行。"
                )
            out.append("")
    out += ["（以下无正文）", "", "甲方（盖章）：________", ""]
    return "\n".join(out)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        md = root / "big.md"
        md.write_text(contract(), encoding="utf-8")
        docx = root / "big.docx"
        subprocess.run([str(pandoc_path()), str(md), "-o", str(docx)], check=True)
        chars = len(md.read_text(encoding="utf-8"))
        pandoc_times, import_times = [], []
        for n in range(RUNS):
            t0 = time.perf_counter()
            subprocess.run(
                [str(pandoc_path()), "--sandbox", "-f", "docx", "-t", "json", str(docx)],
                check=True,
                capture_output=True,
                env=pandoc_env(),
            )
            pandoc_times.append(time.perf_counter() - t0)
            lib = root / f"lib{n}"
            for folder in ("clauses", "templates", "agreements"):
                (lib / folder).mkdir(parents=True)
            out = io.StringIO()
            t0 = time.perf_counter()
            code = run(["-C", str(lib), "import", str(docx), "--template", "big"], out, out)
            import_times.append(time.perf_counter() - t0)
            assert code == 0, out.getvalue()
        summary = out.getvalue().splitlines()[1].strip()
        pandoc_s, import_s = statistics.median(pandoc_times), statistics.median(import_times)
        print(f"contract: {chars} characters (about {chars // 1500} pages of 1,500), {summary}")
        print(f"raw pandoc docx->json: {pandoc_s:.3f} s median of {RUNS}")
        print(f"clausekit import:      {import_s:.3f} s median of {RUNS} (target < 2 s)")
        print(f"ratio import / pandoc: {import_s / pandoc_s:.2f}")


if __name__ == "__main__":
    main()
