"""Timing helpers for the benchmark (scripts/bench_render.py, scripts/bench.py).

"Raw" is what a person would run by hand on the same assembled Markdown: the pandoc
binary (same input format and reference DOCX / Typst template) and a one-shot
`typst.compile` that loads the fonts itself.  "clausekit" is the code path of
`clausekit build`, so the difference is the overhead the tool adds (or saves, since
it reuses one Typst compiler and its loaded fonts across documents).
"""

from __future__ import annotations

import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from clausekit.assemble import Assembled
from clausekit.render.docx import reference_docx, render_docx
from clausekit.render.fonts import FONT_SETS, font_paths, lang_key
from clausekit.render.page import typst_inputs
from clausekit.render.pandoc import INPUT_FORMAT, creation_time, pandoc_env, pandoc_path
from clausekit.render.pdf import markdown_to_typst, render_pdf, template_path
from clausekit.render.wordnative import render_word_native


@dataclass(frozen=True)
class RenderTiming:
    """Median seconds per document of each path."""

    docx: float
    raw_docx: float
    pdf: float
    raw_pdf: float

    @property
    def docx_overhead(self) -> float:
        return self.docx / self.raw_docx - 1

    @property
    def pdf_overhead(self) -> float:
        return self.pdf / self.raw_pdf - 1


def median_seconds(fn: Callable[[int], object], repeat: int) -> float:
    """Median time of fn(1) … fn(repeat), after a warm-up call fn(0).

    The warm-up keeps first-use costs (imports, font loading: once per build, not per
    document) out of the figure.  fn gets the run number so that it can vary the
    document: Typst memoizes, and compiling the very same source again would be
    unrealistically fast."""
    fn(0)
    runs = []
    for i in range(1, repeat + 1):
        started = time.perf_counter()
        fn(i)
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def variant(markdown: str, run: int) -> str:
    # A different last paragraph per run: the same work, but nothing to reuse.
    return f"{markdown}\n\nrun {run}\n"


def raw_docx(markdown: str, lang: str, workdir: Path) -> bytes:
    src = workdir / "doc.md"
    src.write_text(markdown, encoding="utf-8")
    out = workdir / "doc.docx"
    cmd = [str(pandoc_path()), "-f", INPUT_FORMAT, "-t", "docx"]
    cmd += [f"--reference-doc={reference_docx(lang)}", "-o", str(out), str(src)]
    subprocess.run(cmd, check=True, env=pandoc_env(), capture_output=True)
    return out.read_bytes()


def raw_pdf(markdown: str, lang: str, workdir: Path) -> bytes:
    import typst

    src = workdir / "doc.md"
    src.write_text(markdown, encoding="utf-8")
    typ = workdir / "doc.typ"
    cmd = [str(pandoc_path()), "-f", INPUT_FORMAT, "-t", "typst", "--standalone"]
    cmd += [f"--template={template_path()}", "-o", str(typ), str(src)]
    subprocess.run(cmd, check=True, env=pandoc_env(), capture_output=True)
    fontset = FONT_SETS[lang_key(lang)]
    inputs = {
        "lang": lang_key(lang),
        "body-fonts": "|".join(fontset.body),
        "heading-fonts": "|".join(fontset.heading),
        # The page figures clausekit sets: the same template, the same layout.
        **typst_inputs(lang, None),
    }
    pdf: bytes = typst.compile(
        str(typ),
        font_paths=list(font_paths()),
        ignore_system_fonts=True,
        sys_inputs=inputs,
        timestamp=creation_time(),
    )
    return pdf


def time_render(
    markdown: str, lang: str, repeat: int = 5, doc: Assembled | None = None
) -> RenderTiming:
    """Per-document DOCX and PDF time, clausekit's path against raw pandoc + typst.

    With `doc` (the assembled document of `markdown`), clausekit's DOCX is the
    Word-native one (post-processing included; a bilingual document's table too); raw
    pandoc converts the Markdown with typed numbers, as a person would by hand."""

    def docx(i: int) -> bytes:
        if doc is None:
            return render_docx(variant(markdown, i), lang)
        # One-language and bilingual (parallel, sequential) alike: the Word text.
        return render_word_native(replace(doc, word_markdown=variant(doc.word_markdown, i)))

    with tempfile.TemporaryDirectory(prefix="clausekit-bench-") as tmp:
        work = Path(tmp)
        return RenderTiming(
            docx=median_seconds(docx, repeat),
            raw_docx=median_seconds(lambda i: raw_docx(variant(markdown, i), lang, work), repeat),
            pdf=median_seconds(lambda i: render_pdf(variant(markdown, i), lang), repeat),
            raw_pdf=median_seconds(lambda i: raw_pdf(variant(markdown, i), lang, work), repeat),
        )


def time_typst_source(markdown: str) -> float:
    """Seconds of the Pandoc step alone (Markdown to Typst), for context."""
    return median_seconds(lambda i: markdown_to_typst(variant(markdown, i), "bench"), 3)
