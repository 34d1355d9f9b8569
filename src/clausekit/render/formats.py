"""One entry point per output format, and the fingerprint of the rendering toolchain."""

from __future__ import annotations

import hashlib
from importlib import metadata, resources
from pathlib import Path

from clausekit.render import docx, parallel, wordnative
from clausekit.render.docx import render_html
from clausekit.render.fonts import font_paths
from clausekit.render.pandoc import INPUT_FORMAT, source_date_epoch
from clausekit.render.parallel import render_bilingual
from clausekit.render.pdf import render_pdf
from clausekit.render.wordnative import WordDocument, render_word_native, watermark_text

FORMATS = ("md", "docx", "pdf", "html")


def render(doc: WordDocument, fmt: str, what: str, fonts: list[str] | None = None) -> bytes:
    """The bytes of `doc` in format `fmt`; `what` names it in error messages."""
    if fmt == "md":
        return doc.markdown.encode("utf-8")
    if doc.layout and fmt in ("docx", "pdf", "html"):  # bilingual: parallel or sequential
        return render_bilingual(doc.markdown, doc.lang, fmt, what, fonts)
    if fmt == "docx":
        return render_word_native(doc, what)
    if fmt == "pdf":
        mark = watermark_text(doc.status, doc.lang)
        return render_pdf(doc.markdown, doc.lang, what, fonts, mark)
    if fmt == "html":
        return render_html(doc.markdown, doc.lang, what)
    raise ValueError(f"unknown format {fmt!r}")


def renderer_fingerprint(fonts: list[str] | None = None) -> str:
    """Changes whenever something other than the Markdown could change an output:
    clausekit, pandoc or typst versions, the templates, fonts, the timestamp."""
    h = hashlib.sha256()
    for dist in ("clausekit", "pypandoc-binary", "typst"):
        try:
            h.update(f"{dist}={metadata.version(dist)}\0".encode())
        except metadata.PackageNotFoundError:
            h.update(f"{dist}=?\0".encode())
    assets = resources.files("clausekit") / "assets"
    for name in ("clausekit.typst", "reference-zh.docx", "reference-en.docx"):
        h.update(hashlib.sha256((assets / name).read_bytes()).digest())
    # The modules whose post-processing shapes the DOCX.
    for source in (wordnative.__file__, docx.__file__, parallel.__file__):
        h.update(hashlib.sha256(Path(source).read_bytes()).digest())
    h.update(INPUT_FORMAT.encode())
    h.update(source_date_epoch().encode())
    h.update("\0".join(font_paths(fonts)).encode())
    return h.hexdigest()
