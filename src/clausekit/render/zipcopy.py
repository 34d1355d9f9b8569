"""A zip file with some members replaced, the others' records copied as they are.

Filling a DOCX frame (`render.frame`) changes two or three of its seventeen members.
`docx.rewrite_members` inflates and deflates every member again, 4-5 ms of a build
that fills a frame; this copies the records of the unchanged ones byte for byte
(local header, compressed data, central directory entry, its offset moved) and
writes only the changed ones, each through `zipfile` as `rewrite_members` writes it.
The result is the file `rewrite_members` makes, which tests/test_frame.py checks;
a zip this does not read plainly (a comment, extra fields, data descriptors, a
member twice, Zip64) is handed to `rewrite_members` instead.
"""

from __future__ import annotations

import copy
import io
import struct
import zipfile
from collections.abc import Callable, Mapping

from clausekit.render.docx import rewrite_members

_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"
_END = struct.Struct("<4s4H2LH")  # the end of central directory record, no comment
_OFFSET_AT = 42  # where a central directory entry holds its local header's offset


def replace_members(data: bytes, new: Mapping[str, bytes]) -> bytes:
    """The zip `data` with each member named in `new` holding that text instead."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        infos = src.infolist()
        plain = _plain(src, infos, len(data))
    if not plain or not set(new) <= {i.filename for i in infos}:
        return rewrite_members(data, {name: _constant(text) for name, text in new.items()}, {})
    entries = _central_entries(data, len(infos))
    out, central = bytearray(), bytearray()
    for info, entry in zip(infos, entries, strict=True):
        if info.filename in new:
            record, entry = _written(info, new[info.filename])
        else:
            start = info.header_offset
            names, extra = struct.unpack_from("<2H", data, start + 26)
            record = data[start : start + 30 + names + extra + info.compress_size]
        moved = bytearray(entry)
        struct.pack_into("<L", moved, _OFFSET_AT, len(out))
        out += record
        central += moved
    count = len(infos)
    out += central
    out += _END.pack(b"PK\x05\x06", 0, 0, count, count, len(central), len(out) - len(central), 0)
    return bytes(out)


def _constant(text: bytes) -> Callable[[bytes], bytes]:
    return lambda _: text


def _plain(src: zipfile.ZipFile, infos: list[zipfile.ZipInfo], size: int) -> bool:
    """Whether every record is what this module copies: no comment, extra field or data
    descriptor, one member per name, offsets in reach of 32 bits."""
    names = {i.filename for i in infos}
    return (
        not src.comment
        and len(names) == len(infos)
        and size < 0xFFFFFFFF
        and all(not (i.extra or i.comment or i.flag_bits & 0x08) for i in infos)
    )


def _central_entries(data: bytes, count: int) -> list[bytes]:
    """The central directory's entries, in order (the end record is the file's last 22
    bytes: `_plain` allows no comment)."""
    _, _, _, _, total, _, at, _ = _END.unpack_from(data, len(data) - _END.size)
    if total != count:
        raise zipfile.BadZipFile("the central directory does not list every member")
    entries = []
    for _ in range(count):
        if data[at : at + 4] != _CENTRAL:
            raise zipfile.BadZipFile("a central directory entry is damaged")
        names, extra, comment = struct.unpack_from("<3H", data, at + 28)
        end = at + 46 + names + extra + comment
        entries.append(data[at:end])
        at = end
    return entries


def _written(info: zipfile.ZipInfo, text: bytes) -> tuple[bytes, bytes]:
    """The local record and central directory entry `zipfile` writes for `text` under
    `info` (its name, date, compression and attributes)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as one:
        one.writestr(copy.copy(info), text)
    written = buffer.getvalue()
    _, _, _, _, _, size, at, _ = _END.unpack_from(written, len(written) - _END.size)
    if written[:4] != _LOCAL:
        raise zipfile.BadZipFile("zipfile wrote an unexpected record")
    return written[:at], written[at : at + size]
