"""A DOCX filled into a kept frame is, byte for byte, the one Pandoc writes.

Every example agreement, with its values changed, is filled into the frame its
first build made and compared with the DOCX of the ordinary Pandoc path; random
values (Chinese, English, spaces, quotes, Markdown characters) are compared the
same way on a small library; and the table of characters Pandoc's DOCX writer
gives the East Asian hint is measured again on the locked Pandoc.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import unicodedata
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from clausekit.assemble import Assembled, assemble_agreement
from clausekit.check import Checked
from clausekit.errors import ProblemsFound
from clausekit.load import load_library
from clausekit.publish.build import framed_agreements
from clausekit.render.frame import FrameStore, bake, mark_title, render_framed
from clausekit.render.pandoc import INPUT_FORMAT, pandoc_path
from clausekit.render.runs import kind
from clausekit.render.wordnative import render_word_native
from helpers_lib import write_library
from site_fixtures import copy_library

ONE_LANGUAGE = [
    "customer-service-training/2026-draft",
    "customer-service-training/2026-shenzhen-final",
    "customer-service-training-en/2026-draft",
    "customer-service-training-en/2026-shanghai-final",
    "mutual-nda/2026-draft",
    "mutual-nda/2026-shenzhen-hangzhou-final",
]


@pytest.fixture(scope="module")
def examples(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_library(tmp_path_factory.mktemp("frame") / "lib", downloads=False)


def framed(root: Path, aid: str) -> Assembled:
    return assemble_agreement(Checked(load_library(root)), aid, framed=True)


def _numbers_up(values: Any) -> Any:
    if isinstance(values, dict):
        return {k: _numbers_up(v) for k, v in values.items()}
    if isinstance(values, list):
        return [_numbers_up(v) for v in values]
    if isinstance(values, bool):
        return values
    if isinstance(values, int | float | Decimal):
        return values + 1
    return values


def _words_changed(values: Any) -> Any:
    """Each string changed in a way a schema rarely refuses: one more character."""
    if isinstance(values, dict):
        return {k: _words_changed(v) for k, v in values.items()}
    if isinstance(values, list):
        return [_words_changed(v) for v in values]
    if isinstance(values, str) and values and "@" not in values:
        cjk = any("\u4e00" <= c <= "\u9fff" for c in values)
        return values + ("华" if cjk else "s")
    return values


def with_values(root: Path, aid: str, change: Any, dest: Path) -> Path:
    """A copy of the library with the agreement's values changed by `change`."""
    copy = dest / aid.replace("/", "-")
    if not copy.exists():
        subprocess.run(["cp", "-r", str(root), str(copy)], check=True)
    path = copy / "agreements" / f"{aid}.yaml"
    data = yaml.safe_load((root / "agreements" / f"{aid}.yaml").read_text("utf-8"))
    data["variables"] = change(data.get("variables") or {})
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return copy


@pytest.mark.parametrize("aid", ONE_LANGUAGE)
def test_every_example_fills_as_pandoc_writes(examples: Path, aid: str, tmp_path: Path) -> None:
    store = FrameStore(None, "test")
    first = framed(examples, aid)
    assert first.frame is not None and first.frame.slots
    # The first build of a text only notes it; the second makes the frame (and checks
    # that its own values fill back).
    assert render_framed(first, aid, store) == render_word_native(first, aid)
    assert all(f is None for f in store._frames.values())
    assert render_framed(first, aid, store) == render_word_native(first, aid)
    assert store.filled == 0 and any(f is not None for f in store._frames.values())
    filled = 0
    for change in (_numbers_up, _words_changed):
        try:
            doc = framed(with_values(examples, aid, change, tmp_path), aid)
        except ProblemsFound:
            continue  # the schema refuses such values
        assert doc.frame is not None and doc.frame.slots != first.frame.slots
        before = store.filled
        assert render_framed(doc, aid, store) == render_word_native(doc, aid)
        filled += store.filled - before
    assert filled >= 1, "no changed values were filled into the frame"


def test_a_batch_fills_one_frame_per_template(examples: Path, tmp_path: Path) -> None:
    """Agreements of one template share a frame: the properties that name the
    agreement and its content are marks too.  The first notes the text, the second
    makes the frame, the third is filled into it."""
    store = FrameStore(None, "test")
    aid = "mutual-nda/2026-shenzhen-hangzhou-final"
    other = with_values(examples, aid, _words_changed, tmp_path)
    for copy in ("2026-copy", "2026-copy2"):
        twin = other / "agreements" / "mutual-nda" / f"{copy}.yaml"
        twin.write_bytes((other / "agreements" / f"{aid}.yaml").read_bytes())
    lib = Checked(load_library(other))
    for ident in (aid, "mutual-nda/2026-copy", "mutual-nda/2026-copy2"):
        doc = assemble_agreement(lib, ident, framed=True)
        assert render_framed(doc, ident, store) == render_word_native(doc, ident)
    assert store.filled == 1


ZH_CLAUSE = """\
---
title: 当事人
version: 1.0.0
status: approved
lang: zh-CN
variables:
  name: {type: string, minLength: 1}
  addr: {type: string, minLength: 1}
  note: {type: string, minLength: 1}
  signer: {type: string, minLength: 1}
---
甲方：{{ name }}，住所：{{ addr }}。

**备注**：{{ note }}；联系人 {{ name }}

签署人**{{ signer }}**（盖章）于*{{ signer }}*签署。
"""
EN_CLAUSE = (
    ZH_CLAUSE.replace("lang: zh-CN", "lang: en")
    .replace("甲方：{{ name }}，住所：{{ addr }}。", "Party A: {{ name }}, of {{ addr }}.")
    .replace(
        "签署人**{{ signer }}**（盖章）于*{{ signer }}*签署。",
        "Signed by **{{ signer }}** at *{{ signer }}*.",
    )
)
TEMPLATE = """\
title: {title}
version: 1.0.0
lang: {lang}
numbering: {numbering}
body:
  - t/{id}
changelog:
  - {{version: 1.0.0, date: 2026-11-20, note: first}}
"""


def small_library(root: Path) -> Path:
    files = {
        "clauses/t/zh.md": ZH_CLAUSE,
        "clauses/t/en.md": EN_CLAUSE,
        "templates/zh.yaml": TEMPLATE.format(
            title="协议", lang="zh-CN", numbering="zh-CN", id="zh"
        ),
        "templates/en.yaml": TEMPLATE.format(
            title="Agreement", lang="en", numbering="decimal", id="en"
        ),
    }
    return write_library(root, files)


WORDS = st.text(
    alphabet=st.sampled_from(list("甲方乙公司路号ABCxyz019 ,.;-'\"&<>*_@#（），：《》·—é½")),
    min_size=1,
    max_size=12,
)


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return small_library(tmp_path_factory.mktemp("small"))


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lang=st.sampled_from(["zh", "en"]), name=WORDS, addr=WORDS, note=WORDS)
def test_random_values_fill_as_pandoc_writes(
    small: Path, lang: str, name: str, addr: str, note: str
) -> None:
    agreements = small / "agreements"
    first = {"name": "示例公司", "addr": "北京市 1 号", "note": "无", "signer": "张三"}
    store = FrameStore(None, "test")
    again = {"name": name, "addr": addr, "note": note, "signer": name}
    for values in (first, first, again):  # the second build of a text makes its frame
        data = {"template": lang, "status": "final", "variables": values}
        (agreements / "a.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
        try:
            doc = assemble_agreement(Checked(load_library(small)), "a", framed=True)
        except ProblemsFound:
            assert values is not first, "the example library does not assemble"
            return  # a value the checks refuse (a line too long, …)
        assert render_framed(doc, "a", store) == render_word_native(doc, "a")


def test_the_hint_table_is_pandocs(tmp_path: Path) -> None:
    """`kind` says which characters Pandoc's DOCX writer gives the East Asian hint:
    measured on characters from every range the table names, and at its edges."""
    codes = [*range(0x21, 0x250, 7), *range(0x2000, 0x2100, 5), *range(0x3000, 0x3100, 3)]
    codes += [0x4DFF, 0x4E00, 0x6C49, 0x9FA5, 0x9FFF, 0xFF01, 0xFF0C, 0xFF1A, 0xFFEE]
    chars = [
        chr(c)
        for c in codes
        if kind(chr(c)) is not None and chr(c) not in "\\`*_[]<>&|~^$@:{}#!-+=.()\"'"
    ]
    words = " ".join(f"x{c}" for c in chars)  # each its own word
    out = subprocess.run(
        [str(pandoc_path()), "--sandbox", "-f", INPUT_FORMAT, "-t", "docx", "-o", "-"],
        input=words.encode("utf-8"),
        capture_output=True,
        check=True,
    ).stdout
    xml = zipfile.ZipFile(io.BytesIO(out)).read("word/document.xml").decode("utf-8")
    hinted = set()
    for m in re.finditer(r"<w:r>(<w:rPr>.*?</w:rPr>)?<w:t[^>]*>([^<]*)</w:t>", xml):
        if m.group(1) and "eastAsia" in m.group(1):
            hinted.update(w[1:] for w in m.group(2).split(" ") if w)
    assert len(chars) > 100
    for c in chars:
        assert (c in hinted) == (kind(c) == "cjk"), f"U+{ord(c):04X} {unicodedata.name(c, '')}"


MARK = "\ue0500\ue051"


@pytest.mark.parametrize(
    ("text", "baked"),
    [
        (f"---\ntitle: {MARK}\n---\n\nplain {MARK} text\n", "---\ntitle: V\n---\n\nplain M text\n"),
        (f"---\n---\n\n# Heading {MARK}\n", "---\n---\n\n# Heading V\n"),
        (f"---\n---\n\n| a | {MARK} |\n", "---\n---\n\n| a | M |\n"),
        (f"---\n---\n\n{MARK} starts\n", "---\n---\n\nV starts\n"),
        (f"---\n---\n\n- {MARK} item\n", "---\n---\n\n- V item\n"),
        (f"---\n---\n\nends {MARK}\nnext line\n", "---\n---\n\nends V\nnext line\n"),
        (f"---\n---\n\nends {MARK}\\\nnext line\n", "---\n---\n\nends M\\\nnext line\n"),
        (f"---\n---\n\nends {MARK}\n\nnew paragraph\n", "---\n---\n\nends M\n\nnew paragraph\n"),
        (f"---\n---\n\n[{MARK}](http://x) {MARK}\n", "---\n---\n\n[V](http://x) M\n"),
        (f"---\n---\n\nsee [{MARK}]{{.ck-ref}} x\n", "---\n---\n\nsee [V]{.ck-ref} x\n"),
        (f"---\n---\n\na **{MARK}** b\n", "---\n---\n\na **V** b\n"),
        (f"---\n---\n\na \\{MARK} b\n", "---\n---\n\na \\V b\n"),
        (f"---\n---\n\na `{MARK}` b &amp; {MARK}\n", "---\n---\n\na `V` b &amp; V\n"),
    ],
)
def test_marks_that_cannot_be_filled_are_baked(text: str, baked: str) -> None:
    assert bake(text, ["V"]) == baked.replace("M", MARK)


def _run_build(lib: Path, cache: Path | str, out: Path) -> bytes:
    env = {**os.environ, "CLAUSEKIT_CACHE_DIR": str(cache)}
    aid = "mutual-nda/2026-shenzhen-hangzhou-final"
    clausekit = Path(sys.executable).parent / "clausekit"
    cmd = [str(clausekit), "-C", str(lib), "build", aid, "--to", "docx"]
    proc = subprocess.run([*cmd, "-o", str(out)], capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    return (out / f"{aid}.docx").read_bytes()


def test_the_edit_loop_fills_the_kept_frame(examples: Path, tmp_path: Path) -> None:
    """Build twice, change a value, build: the second build makes the frame, the
    third DOCX comes from it and is the one a build with no cache writes; a damaged
    frame is made again."""
    lib = tmp_path / "lib"
    subprocess.run(["cp", "-r", str(examples), str(lib)], check=True)
    cache = tmp_path / "cache"
    _run_build(lib, cache, tmp_path / "a")
    assert not list((cache / "frames").glob("*.docx"))  # a text seen once: no frame
    _run_build(lib, cache, tmp_path / "a2")
    frames = list((cache / "frames").glob("*.docx"))
    assert len(frames) == 1
    agreement = lib / "agreements" / "mutual-nda" / "2026-shenzhen-hangzhou-final.yaml"
    agreement.write_text(agreement.read_text("utf-8").replace("years: 2", "years: 3"), "utf-8")
    kept = frames[0].stat().st_mtime_ns
    filled = _run_build(lib, cache, tmp_path / "b")
    assert frames[0].stat().st_mtime_ns == kept  # filled, not made again
    assert filled == _run_build(lib, "off", tmp_path / "c")
    text = zipfile.ZipFile(io.BytesIO(filled)).read("word/document.xml").decode("utf-8")
    assert "3" in text and "\ue050" not in text
    frames[0].write_bytes(frames[0].read_bytes()[:-100])  # cut short
    agreement.write_text(agreement.read_text("utf-8").replace("years: 3", "years: 4"), "utf-8")
    again = _run_build(lib, cache, tmp_path / "d")
    assert again == _run_build(lib, "off", tmp_path / "e")
    assert frames[0].stat().st_mtime_ns != kept  # made again


@pytest.mark.parametrize(
    ("lang", "values"),
    [
        (
            "zh",
            {
                "name": "上海 ABC 科技有限公司",
                "addr": "浦东新区 88 号",
                "note": 'O\'Neil & "X" <b>',
            },
        ),
        ("en", {"name": "O'Neil & Co", "addr": "12 *High* Street_2", "note": "a|b @x [y] #1"}),
        ("zh", {"name": "张三", "addr": "北京市海淀区", "note": "电话 010-1234 5678"}),
        ("en", {"name": "北京示例", "addr": "Room 5, 北京", "note": "½ — é"}),
    ],
)
def test_names_addresses_and_markup_are_filled(
    small: Path, lang: str, values: dict[str, str]
) -> None:
    """Values with spaces beside Chinese, quotes, ampersands and Markdown characters are
    filled, not left to Pandoc, and still give Pandoc's bytes."""
    store = FrameStore(None, "test")
    first = {"name": "示例公司", "addr": "北京市 1 号", "note": "无"}
    # The second build of a text makes its frame, the third is filled into it.
    for vals in ({**first, "signer": "张三"},) * 2 + ({**values, "signer": "张三"},):
        data = {"template": lang, "status": "final", "variables": vals}
        (small / "agreements" / "b.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True), "utf-8"
        )
        doc = assemble_agreement(Checked(load_library(small)), "b", framed=True)
        assert render_framed(doc, "b", store) == render_word_native(doc, "b")
    assert store.filled == 1


def test_a_mark_outside_the_text_keeps_no_frame(small: Path) -> None:
    """A value in a footnote lands in word/footnotes.xml, which filling does not
    touch: such a frame is never kept, and the document is Pandoc's."""
    clause = small / "clauses" / "t" / "en.md"
    original = clause.read_text("utf-8")
    clause.write_text(
        original.replace(
            "of {{ addr }}.", "of {{ addr }}.[^1]\n\n[^1]: The note is {{ note }} here."
        )
    )
    try:
        data = {"template": "en", "status": "final", "variables": dict(FIRST)}
        (small / "agreements" / "c.yaml").write_text(yaml.safe_dump(data), "utf-8")
        doc = assemble_agreement(Checked(load_library(small)), "c", framed=True)
        store = FrameStore(None, "test")
        render_framed(doc, "c", store)  # the first build of a text only notes it
        made = render_framed(doc, "c", store)
        assert made == render_word_native(doc, "c")
        notes = zipfile.ZipFile(io.BytesIO(made)).read("word/footnotes.xml").decode("utf-8")
        assert "The note is none here." in notes
        assert list(store._frames.values()) == [None]  # looked for, none kept
    finally:
        clause.write_text(original, "utf-8")
        (small / "agreements" / "c.yaml").unlink(missing_ok=True)


FIRST = {"name": "Acme Ltd", "addr": "London", "note": "none", "signer": "Ann"}


def test_frames_are_made_where_one_serves_another_document(
    examples: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch shares a frame per template and status; a build naming its agreements
    keeps one for the next build; a whole-library build makes none it would not use
    (the examples' agreements each have a template and status of their own)."""
    lib = load_library(examples)
    nda = "mutual-nda/2026-shenzhen-hangzhou-final"
    assert framed_agreements(lib, {"docx"}, None) == frozenset()
    assert framed_agreements(lib, {"pdf"}, [nda]) == frozenset()
    assert framed_agreements(lib, {"docx"}, [nda]) == {nda}  # the test cache is on
    monkeypatch.setenv("CLAUSEKIT_CACHE_DIR", "off")
    assert framed_agreements(lib, {"docx"}, [nda]) == frozenset()
    twin = with_values(examples, nda, _words_changed, tmp_path)
    copy = twin / "agreements" / "mutual-nda" / "2026-copy.yaml"
    copy.write_bytes((twin / "agreements" / f"{nda}.yaml").read_bytes())
    both = framed_agreements(load_library(twin), {"docx"}, None)
    assert both == {nda, "mutual-nda/2026-copy"}


def _titled(small: Path, title: str) -> Assembled:
    data = {"template": "zh", "status": "final", "title": title, "variables": FIRST}
    (small / "agreements" / "d.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), "utf-8")
    try:
        return assemble_agreement(Checked(load_library(small)), "d", framed=True)
    finally:
        (small / "agreements" / "d.yaml").unlink()


def test_a_text_seen_once_makes_no_frame(small: Path) -> None:
    """Each edit of a title that stays in the frame's text (one holding `&`) is a new
    text: no second Pandoc run for a frame nothing would fill; the same text seen again
    makes one."""
    store = FrameStore(None, "test")
    kept: list[int] = []
    for title in ("A & B 协议", "A & C 协议", "A & C 协议"):
        doc = _titled(small, title)
        assert render_framed(doc, "d", store) == render_word_native(doc, "d")
        kept.append(sum(f is not None for f in store._frames.values()))
    assert kept == [0, 0, 1]


@pytest.mark.parametrize(
    "last",
    [
        "保密协议（修订）",
        "Mutual NDA",
        "协议 Alpha 版",
        "2026 年度客服中心专项培训协议",
        "2026. Services Agreement",
        "3) 服务协议",
        "2026年度 NDA",
    ],
)
def test_an_edited_title_is_filled_into_the_frame(small: Path, last: str) -> None:
    """The title is a mark of the frame: editing it fills the Title paragraph and the
    document's title property (docProps/core.xml) instead of running Pandoc."""
    store = FrameStore(None, "test")
    for title in ("协议一", "协议二"):  # the second makes the frame
        doc = _titled(small, title)
        assert render_framed(doc, "d", store) == render_word_native(doc, "d")
    assert store.filled == 0 and sum(f is not None for f in store._frames.values()) == 1
    doc = _titled(small, last)
    filled = render_framed(doc, "d", store)
    assert store.filled == 1
    assert filled == render_word_native(doc, "d")
    with zipfile.ZipFile(io.BytesIO(filled)) as docx:
        assert f"<dc:title>{last}</dc:title>" in docx.read("docProps/core.xml").decode()
        assert last.split(" ")[0] in docx.read("word/document.xml").decode()


@pytest.mark.parametrize("title", ["（一）协议", "A & B 协议", "协议  二", "*协议*", "¹ 协议"])
def test_a_title_pandoc_may_print_otherwise_stays_in_the_frame(small: Path, title: str) -> None:
    """A title starting with anything but a letter or an ASCII digit, holding a
    character XML escapes, doubled spaces or Markdown is not marked: Pandoc renders
    each such title."""
    doc = _titled(small, title)
    assert doc.frame is not None
    text, marked = mark_title(doc.frame.word_markdown, len(doc.frame.slots))
    assert marked is None and text == doc.frame.word_markdown
