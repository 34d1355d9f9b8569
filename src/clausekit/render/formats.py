"""One entry point per output format, and the fingerprint of the rendering toolchain.

Each writer is imported when its format is first asked for: building one DOCX
never loads typst, and a command-line run pays only for what it renders.
"""

from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path
from typing import TYPE_CHECKING

from clausekit import __version__
from clausekit.assemble.model import Assembled
from clausekit.check.cache import installed_versions
from clausekit.render.assets import ASSETS
from clausekit.render.fonts import font_fingerprint, font_paths
from clausekit.render.pandoc import INPUT_FORMAT, pandoc_path, source_date_epoch

if TYPE_CHECKING:
    from clausekit.render.frame import FrameStore
    from clausekit.render.wordnative import WordDocument

FORMATS = ("md", "docx", "pdf", "html")
# The formats whose output typst lays out with the font files (bilingual HTML too).
WITH_FONTS = ("pdf", "html")
# The modules whose code decides what a DOCX or PDF holds, beside the assets.
WRITERS = (
    "wordnative",
    "bilingual_word",
    "docx",
    "pdf",
    "parallel",
    "pandoc",
    "page",
    "signature",
    "frame",
)


def render(
    doc: WordDocument,
    fmt: str,
    what: str,
    fonts: list[str] | None = None,
    frames: FrameStore | None = None,
) -> bytes:
    """The bytes of `doc` in format `fmt`; `what` names it in error messages.  With
    `frames`, an agreement's DOCX is filled into its kept frame (`render.frame`)."""
    if fmt == "md":
        return doc.markdown.encode("utf-8")
    if doc.layout and fmt in ("pdf", "html"):  # bilingual: parallel or sequential
        from clausekit.render.parallel import render_bilingual

        return render_bilingual(
            doc.markdown, doc.lang, fmt, what, fonts, signature_borders=doc.signature_borders
        )
    if fmt == "docx" and frames is not None and isinstance(doc, Assembled) and doc.frame:
        from clausekit.render.frame import render_framed

        return render_framed(doc, what, frames)
    if fmt == "docx":
        from clausekit.render.wordnative import render_word_native

        return render_word_native(doc, what)
    if fmt == "pdf":
        from clausekit.render.pdf import render_pdf
        from clausekit.render.signature import mark_signature
        from clausekit.render.wordnative import watermark_text

        mark = watermark_text(doc.status, doc.lang)
        text = mark_signature(doc.markdown, doc.sections)
        return render_pdf(
            text, doc.lang, what, fonts, mark, doc.first_line_indent, doc.signature_borders
        )
    if fmt == "html":
        from clausekit.render.docx import render_html

        return render_html(doc.markdown, doc.lang, what)
    raise ValueError(f"unknown format {fmt!r}")


def renderer_fingerprint(fonts: list[str] | None, fmt: str) -> str:
    """Changes whenever something other than the Markdown could change an output in
    format `fmt`: clausekit, pandoc or typst versions, the templates, the font files
    (for the formats typst lays out), the timestamp."""
    h = hashlib.sha256()
    h.update(f"clausekit={__version__}\0".encode())
    h.update("\0".join(installed_versions()).encode())  # typst and pypandoc among them
    # The pandoc and typst binaries themselves: a new version is a new file. (Their
    # package metadata would say the same, at the cost of importing its reader.)
    typst = importlib.util.find_spec("typst")
    for tool in (pandoc_path(), Path(typst.origin) if typst and typst.origin else None):
        stat = tool.stat() if tool is not None and tool.exists() else None
        h.update(
            f"{tool}:{stat.st_size if stat else '?'}:{stat.st_mtime_ns if stat else '?'}\0".encode()
        )
    for name in ("clausekit.typst", "reference-zh.docx", "reference-en.docx"):
        h.update(hashlib.sha256((ASSETS / name).read_bytes()).digest())
    here = Path(__file__).parent
    for name in WRITERS:
        h.update(hashlib.sha256((here / f"{name}.py").read_bytes()).digest())
    h.update(INPUT_FORMAT.encode())
    h.update(source_date_epoch().encode())
    h.update("\0".join(font_paths(fonts)).encode())
    if fmt in WITH_FONTS:
        h.update(font_fingerprint(font_paths(fonts)).encode())
    return h.hexdigest()
