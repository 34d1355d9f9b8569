"""`render.zipcopy.replace_members` writes the very file `docx.rewrite_members` writes,
on DOCX files Pandoc made and on zips it hands back to `rewrite_members`."""

from __future__ import annotations

import io
import zipfile

import pytest

from clausekit.render.docx import render_docx, rewrite_members
from clausekit.render.zipcopy import replace_members


@pytest.fixture(scope="module")
def docx() -> bytes:
    return render_docx("---\ntitle: 协议\nlang: zh-CN\n---\n\n# 一\n\n甲方应当付款。\n", "zh-CN")


def _rewritten(data: bytes, new: dict[str, bytes]) -> bytes:
    return rewrite_members(data, {k: (lambda _, v=v: v) for k, v in new.items()}, {})


@pytest.mark.parametrize(
    "new",
    [
        {},
        {"word/document.xml": b"<w:document/>"},
        {"docProps/core.xml": "<t>标题</t>".encode(), "docProps/custom.xml": b"x" * 5000},
    ],
)
def test_the_same_file_as_rewriting_every_member(docx: bytes, new: dict[str, bytes]) -> None:
    out = replace_members(docx, new)
    assert out == _rewritten(docx, new)
    with zipfile.ZipFile(io.BytesIO(out)) as z:
        assert z.testzip() is None
        for name, text in new.items():
            assert z.read(name) == text


def test_a_zip_with_a_comment_or_extra_field_is_rewritten() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.xml", b"one")
        info = zipfile.ZipInfo("b.xml")
        info.extra = b"\x99\x99\x02\x00ab"
        z.writestr(info, b"two")
        z.comment = b"note"
    data = buffer.getvalue()
    new = {"a.xml": b"uno"}
    assert replace_members(data, new) == _rewritten(data, new)


def test_a_damaged_central_directory_is_refused(docx: bytes) -> None:
    at = docx.rindex(b"PK\x01\x02")
    damaged = docx[:at] + b"XX" + docx[at + 2 :]
    with pytest.raises(zipfile.BadZipFile):
        replace_members(damaged, {"word/document.xml": b"x"})
