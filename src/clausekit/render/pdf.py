"""PDF: Pandoc writes Typst with clausekit's template, Typst compiles in-process.

One `typst.Compiler` per thread is created on first use and reused for every later
document (Compiler objects are not shared between threads; the loaded fonts are).
Typst warnings are errors: a warning here means an unknown font family or similar,
i.e. a PDF that does not look like what we promised.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from clausekit.errors import BuildError, ToolMissing
from clausekit.render.assets import ASSETS
from clausekit.render.fonts import FONT_SETS, font_paths, lang_key, typst_fonts
from clausekit.render.page import typst_inputs
from clausekit.render.pandoc import creation_time, run_pandoc

TEMPLATE_NAME = "clausekit.typst"


def template_path() -> Path:
    return ASSETS / TEMPLATE_NAME


def markdown_to_typst(markdown: str, what: str) -> str:
    """The Typst source of a document (Pandoc with clausekit's template)."""
    out = run_pandoc(markdown, "typst", ["--standalone", f"--template={template_path()}"], what)
    return out.decode("utf-8")


class _Local(threading.local):
    compiler: Any = None
    key: tuple[str, ...] | None = None


_local = _Local()


def _compiler(paths: tuple[str, ...]) -> Any:
    try:
        import typst
    except ImportError as exc:
        raise ToolMissing("typst is missing; install it with: pip install typst") from exc
    if _local.compiler is None or _local.key != paths:
        fonts = typst_fonts(paths)
        # The root bounds what Typst code could read. The document never reads files
        # (it is given as bytes and Pandoc escapes every `#`), so as defence in depth
        # the root is clausekit's own assets folder, with nothing secret in it.
        _local.compiler = typst.Compiler(
            root=str(template_path().parent), font_paths=fonts, ignore_system_fonts=True
        )
        _local.key = paths
    return _local.compiler


def compile_typst(
    source: str,
    lang: str,
    what: str,
    fonts: Sequence[str | Path] | None = None,
    watermark: str | None = None,
    indent: bool | None = None,
    signature_borders: bool = False,
) -> bytes:
    """Compile Typst source (from `markdown_to_typst`) to PDF bytes; `indent` turns the
    first-line indent of body paragraphs on or off (None: the language's default)."""
    import typst

    paths = font_paths(fonts)
    compiler = _compiler(paths)
    fontset = FONT_SETS[lang_key(lang)]
    inputs = {
        "lang": lang_key(lang),
        "body-fonts": "|".join(fontset.body),
        "heading-fonts": "|".join(fontset.heading),
        "watermark": watermark or "",
        "signature-borders": "yes" if signature_borders else "",
        **typst_inputs(lang, indent),
    }
    try:
        pdf, warnings = compiler.compile_with_warnings(
            input=source.encode("utf-8"),
            format="pdf",
            sys_inputs=inputs,
            timestamp=creation_time(),
        )
    except typst.TypstError as exc:
        raise BuildError(f"{what}: typst failed: {exc.diagnostic or exc.message}") from exc
    if warnings:
        text = "; ".join(w.diagnostic.strip() or w.message for w in warnings)
        if "unknown font family" in text:
            raise ToolMissing(f"{what}: {text}; install the fonts with: {FONT_HINT}")
        raise BuildError(f"{what}: typst warning treated as error: {text}")
    if not isinstance(pdf, bytes):
        raise BuildError(f"{what}: typst returned no PDF")
    return pdf


FONT_HINT = "apt-get install fonts-noto-cjk fonts-liberation2"


def render_pdf(
    markdown: str,
    lang: str,
    what: str = "document",
    fonts: Sequence[str | Path] | None = None,
    watermark: str | None = None,
    indent: bool | None = None,
    signature_borders: bool = False,
) -> bytes:
    """PDF bytes of an assembled Markdown document; `watermark` (`DRAFT`) is set
    diagonally behind the text of every page."""
    source = markdown_to_typst(markdown, what)
    return compile_typst(source, lang, what, fonts, watermark, indent, signature_borders)
