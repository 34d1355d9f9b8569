"""Reading the input file's bytes: the checks every format shares, and text decoding.

Chinese Windows tools save text as GB18030 (or its subset GBK); Notepad puts a
UTF-8 byte-order mark in front.  Both are read; anything else is a one-line error.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from ..errors import ClausekitError

SUFFIXES = (".docx", ".md", ".markdown", ".txt")
# A DOCX is a zip: its members are inflated before anything reads them, so their sizes
# are checked first (a 1 MB file can inflate to gigabytes).  Word's own files stay far
# below these; the sizes are the ones the zip's directory declares, and Python's zip
# reader never inflates a member past its declared size.
MAX_MEMBER = 64 * 2**20
MAX_TOTAL = 256 * 2**20
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
            _check_sizes(zf.infolist(), shown)
            bad = zf.testzip()
            _refuse_dtd(zf, shown)
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        raise ImportFailed(f"{shown}: not a valid DOCX file (not a readable zip archive)") from None
    if bad is not None:
        raise ImportFailed(f"{shown}: not a valid DOCX file (damaged member {bad})")
    if "word/document.xml" not in names:
        raise ImportFailed(f"{shown}: not a valid DOCX file (no word/document.xml)")


def _refuse_dtd(zf: zipfile.ZipFile, shown: str) -> None:
    """Word never writes a DTD; one in a part can define entities that expand without
    end (or reach for files), so a DOCX with one is refused before any XML is parsed."""
    for info in zf.infolist():
        if info.filename.endswith((".xml", ".rels")) and b"<!doctype" in zf.read(info).lower():
            raise ImportFailed(
                f"{shown}: not imported: {info.filename} holds a DTD (<!DOCTYPE …>), "
                "which Word never writes"
            )


def _check_sizes(members: list[zipfile.ZipInfo], shown: str) -> None:
    for info in members:
        if info.file_size > MAX_MEMBER:
            raise ImportFailed(
                f"{shown}: not imported: member {info.filename} inflates to "
                f"{info.file_size // 2**20} MiB (the limit is {MAX_MEMBER // 2**20} MiB)"
            )
    total = sum(info.file_size for info in members)
    if total > MAX_TOTAL:
        raise ImportFailed(
            f"{shown}: not imported: the DOCX inflates to {total // 2**20} MiB "
            f"(the limit is {MAX_TOTAL // 2**20} MiB)"
        )


def decode_text(data: bytes, shown: str) -> tuple[str, str]:
    """(text, encoding name): UTF-8 with or without BOM, else GB18030; newlines as \\n."""
    _refuse_shift_jis(data, shown)
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


def _refuse_shift_jis(data: bytes, shown: str) -> None:
    """Japanese Shift-JIS text decodes as GB18030 too, into the wrong characters: refuse
    it.  Its kana (lead bytes 0x82, 0x83) are rare characters in GB18030, so a text
    that reads as Shift-JIS with kana in one character of ten is taken for Japanese."""
    try:
        data.decode("utf-8")
        return
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp932")
    except UnicodeDecodeError:
        return
    wide = sum(1 for c in text if ord(c) > 0x7F)
    kana = sum(1 for c in text if "\u3041" <= c <= "\u30ff")
    if kana and kana * 10 >= wide:
        raise ImportFailed(
            f"{shown}: looks like Japanese text in Shift-JIS, which clausekit does not "
            "read; save it as UTF-8 and retry"
        )
