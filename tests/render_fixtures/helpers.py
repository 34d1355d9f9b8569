"""Shared helpers of the render and build tests: fixtures, text extraction, pixels."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import pypdf

FIXTURES = Path(__file__).parent

# What the hostile party name must print as, after the tool's Markdown escaping.
HOSTILE = (
    '*ACME* [x](http://e.vil) <b> # * _ \\ $ < > [ ] #sys.exit() #read("/etc/passwd") '
    "<w:p><w:r><w:t>pwned</w:t></w:r></w:p>"
)
HOSTILE_SHORT = "*ACME* [x](http://e.vil) <b>"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def squash(text: str) -> str:
    """Text without whitespace: PDF extraction breaks lines and spaces CJK differently."""
    return re.sub(r"\s+", "", text)


def docx_text(data: bytes) -> tuple[list[tuple[str, str]], list[list[str]]]:
    """(style name, text) of every body paragraph, and the rows of every table."""
    document = docx.Document(io.BytesIO(data))
    paragraphs = [
        (p.style.name if p.style is not None else "", p.text) for p in document.paragraphs
    ]
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    return paragraphs, rows


def docx_part(data: bytes, name: str) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return z.read(name).decode("utf-8")


def pdf_text(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def pdf_embedded_fonts(data: bytes) -> dict[str, str]:
    """BaseFont name -> the /FontFile key carrying its embedded program."""
    found: dict[str, str] = {}
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        resources = page.get("/Resources")
        fonts = resources.get_object().get("/Font") if resources is not None else None
        for ref in (fonts.get_object() if fonts is not None else {}).values():
            font = ref.get_object()
            name = str(font.get("/BaseFont"))
            descriptors = [font.get("/FontDescriptor")]
            for desc in font.get("/DescendantFonts", []) or []:
                descriptors.append(desc.get_object().get("/FontDescriptor"))
            for d in descriptors:
                if d is None:
                    continue
                d = d.get_object()
                for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                    if key in d:
                        found[name] = key
    return found


def dark_pixels_page1(pdf_path: Path) -> tuple[int, int]:
    """(non-white pixels, all pixels) of page 1 rendered by pdftoppm at 50 dpi.

    `-gray -singlefile` without an output name writes one binary PGM to stdout."""
    exe = shutil.which("pdftoppm")
    assert exe, "pdftoppm missing: apt-get install poppler-utils"
    out = subprocess.run(
        [exe, "-gray", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(pdf_path)],
        check=True,
        capture_output=True,
    ).stdout
    # Binary PGM: "P5\n<w> <h>\n<max>\n" then one byte per pixel.
    m = re.match(rb"P5\s+(\d+)\s+(\d+)\s+(\d+)\s", out)
    assert m, out[:20]
    w, h = int(m.group(1)), int(m.group(2))
    pixels = out[m.end() : m.end() + w * h]
    return sum(1 for b in pixels if b < 200), w * h
