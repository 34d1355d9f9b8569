"""Reading the input file's bytes: the checks every format shares, and text decoding.

Chinese Windows tools save text as GB18030 (or its subset GBK); Notepad puts a
UTF-8 byte-order mark in front.  Both are read; anything else is a one-line error.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import ClausekitError

SUFFIXES = (".docx", ".md", ".markdown", ".txt")
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class ImportFailed(ClausekitError):
    """An input that cannot be imported; the message names the file."""


def read_input(path: Path, shown: str) -> bytes:
    """The file's bytes, after the checks that need no parsing."""
    if path.suffix.lower() not in SUFFIXES:
        raise ImportFailed(
            f"{shown}: cannot import {path.suffix or 'a file without suffix'} "
            "files; use .docx, .md or .txt"
        )
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImportFailed(f"{shown}: no such file") from None
    except IsADirectoryError:
        raise ImportFailed(f"{shown}: is a folder, not a file") from None
    except OSError as exc:
        raise ImportFailed(f"{shown}: cannot read file: {exc.strerror}") from None
    if not data.strip():
        raise ImportFailed(f"{shown}: the file is empty")
    if path.suffix.lower() == ".docx":
        check_docx(data, shown)
    return data


def check_docx(data: bytes, shown: str) -> None:
    if data.startswith(_OLE_MAGIC):
        raise ImportFailed(
            f"{shown}: the DOCX is encrypted or password-protected (an OLE container, "
            "not a zip); save an unprotected copy in Word and import that"
        )
    import io

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            bad = zf.testzip()
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        raise ImportFailed(f"{shown}: not a valid DOCX file (not a readable zip archive)") from None
    if bad is not None:
        raise ImportFailed(f"{shown}: not a valid DOCX file (damaged member {bad})")
    if "word/document.xml" not in names:
        raise ImportFailed(f"{shown}: not a valid DOCX file (no word/document.xml)")


def decode_text(data: bytes, shown: str) -> tuple[str, str]:
    """(text, encoding name): UTF-8 with or without BOM, else GB18030; newlines as \\n."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "utf-8-sig":
            name = "UTF-8 with BOM" if data.startswith(b"\xef\xbb\xbf") else "UTF-8"
        else:
            name = "GB18030"
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.strip():
            raise ImportFailed(f"{shown}: the file is empty")
        return text, name
    raise ImportFailed(f"{shown}: not text in UTF-8 or GB18030; save it as UTF-8 and retry")
