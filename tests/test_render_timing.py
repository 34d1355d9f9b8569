"""The benchmark helpers run and compare like with like."""

from __future__ import annotations

import sys
from pathlib import Path

from clausekit.render.docx import render_docx
from clausekit.render.pdf import render_pdf
from render_fixtures.helpers import docx_text, fixture, pdf_text, squash

sys.path.insert(0, str(Path(__file__).parents[1] / "scripts"))
from render_timing import raw_docx, raw_pdf, time_render


def test_raw_paths_produce_the_same_documents(tmp_path: Path) -> None:
    md = fixture("en.md")
    # The raw baseline is the same conversion, not a cheaper one.
    # (Not byte-equal: clausekit re-zips the DOCX to date docProps/core.xml.)
    (raw, raw_rows), (ours, rows) = (
        docx_text(raw_docx(md, "en", tmp_path)),
        docx_text(render_docx(md, "en")),
    )
    assert raw_rows == rows and len(raw) == len(ours)
    # clausekit's one departure: body paragraphs with line breaks take the Lines style.
    assert sum(style == "Lines" for style, _ in ours) == 2
    for (raw_style, raw_text), (style, text) in zip(raw, ours, strict=True):
        assert text == raw_text
        assert style == raw_style or (style, raw_style in ("Body Text", "First Paragraph")) == (
            "Lines",
            True,
        )
    assert squash("".join(pdf_text(raw_pdf(md, "en", tmp_path)))) == squash(
        "".join(pdf_text(render_pdf(md, "en")))
    )


def test_time_render_reports_positive_figures() -> None:
    t = time_render(fixture("en.md"), "en", repeat=1)
    assert min(t.docx, t.raw_docx, t.pdf, t.raw_pdf) > 0
    assert t.docx_overhead > -1 and t.pdf_overhead > -1
