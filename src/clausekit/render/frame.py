"""A DOCX made by filling a frame Pandoc converted before, not by Pandoc.

Change a value, build, look at it in Word: in that loop the agreement's words,
numbering and layout stay as they were, and only the values' texts change.
Assembly hands over the Word text with a mark in place of each value's text
(`assemble.frame`).  Pandoc converts that marked text once; the DOCX it makes,
finished as any other (`render.wordnative`), is the frame, kept under the digest
of everything that made it: the marked text as Pandoc reads it, the finishing
settings and the toolchain.  The next build whose marked text is the same fills
the marks in `word/document.xml` with the new values' texts.

Filling must give the very bytes Pandoc would have written, so a value is only
filled where Pandoc is known to print it as its plain characters:

* where the mark stands (`bake`): not in the metadata block (but for the title,
  `mark_title`, filled in the Title paragraph and docProps/core.xml), a heading (Pandoc
  makes its bookmark from the words), a link or a reference's text, a code span or
  a line with an entity (`&l` and a value `t;` make `<`); not where a line or list
  item starts (`2024` there before `. ` would start a list), nor at a line end that
  a soft line break joins to the next (Pandoc's `east_asian_line_breaks` drops that
  space between two Chinese characters); not beside `*`, `_`, `~`, `=` or after a
  backslash (Pandoc reads the mark as punctuation there, so `**` would open or
  close emphasis otherwise than for the value).  Such a value is written into the
  frame's text, so a change in it is a change of frame;
* what the value holds (`render.runs.printed`): characters Pandoc's Markdown reader prints as
  they are once Markdown escaping is undone, in Unicode's composed form, with single
  spaces between words, and no `==` or bare `www.` address;
* the runs it lands in (`fill_run`): Pandoc's DOCX writer puts a word holding a
  Chinese character in a run with an East Asian font hint, and the other words and
  the spaces in runs without.  The filled run is cut the same way, formatting kept,
  where the cut is known (`kind`) and cannot merge with a neighbouring run.

Anything else, and any mark left over after filling, renders through Pandoc as
always.  A frame is made the second time its text is seen (`FrameStore.seen_before`:
making it costs a second Pandoc run), and only kept when filling it with the values
of the build that made it gives, byte for byte, the DOCX Pandoc made for that build,
and no mark is left in a part filling does not touch (a footnote).
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import threading
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from clausekit.assemble.model import Assembled, Frame
from clausekit.cachefiles import prune_oldest, write_cache_file
from clausekit.language.marks import SLOT, SLOT_CLOSE, SLOT_OPEN, fill_slots
from clausekit.render.runs import fill_run, printed, text_run_at, xml_escape
from clausekit.render.signature import mark_signature
from clausekit.render.wordnative import (
    properties,
    render_word_native,
    with_properties,
    word_docx,
    word_openxml,
)
from clausekit.render.zipcopy import replace_members

FORMAT = 1
# The properties a frame holds marks for (the agreements of one template share it):
# each document's own are written in when filling (docProps/custom.xml).
PROPERTY_MARKS = {
    "clausekit-agreement": f"{SLOT_OPEN}agreement{SLOT_CLOSE}",
    "clausekit-content-hash": f"{SLOT_OPEN}hash{SLOT_CLOSE}",
}
# Frames kept per cache folder: one per template and status being worked on.
KEEP = 200
_SLOT_BYTES = SLOT_OPEN.encode("utf-8")
_RUN = re.compile(
    r'<w:r>(<w:rPr>(?:(?!</w:rPr>).)*</w:rPr>)?<w:t xml:space="preserve">([^<]*)</w:t></w:r>',
    re.S,
)


class FrameStore:
    """The frames of one build: kept on disk in `folder` (None: this build only),
    each under a key that `fingerprint` (the DOCX toolchain's) is part of."""

    def __init__(self, folder: Path | None, fingerprint: str) -> None:
        self.folder = folder
        self.fingerprint = fingerprint
        self.filled = 0  # documents made by filling a frame, not by Pandoc
        self._frames: dict[str, bytes | None] = {}
        self._seen: set[str] = set()
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def lock(self, key: str) -> threading.Lock:
        """One lock per frame: the documents of a batch wait for the first to make it."""
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def get(self, key: str) -> bytes | None:
        if key not in self._frames:
            self._frames[key] = self._read(key)
        return self._frames[key]

    def seen_before(self, key: str) -> bool:
        """Whether a document with this frame's text was built before, in this build or
        an earlier one that kept frames; records that one is built now.  A frame is
        made the second time its text is seen: a text seen once (a title being
        edited, each edit a new text) costs no second Pandoc run."""
        if key in self._seen:
            return True
        self._seen.add(key)
        if self.folder is None:
            return False
        mark = self.folder / f"{key}.seen"
        if mark.exists():
            return True
        write_cache_file(mark, b"")
        prune_oldest(self.folder, "*.seen", KEEP)
        return False

    def put(self, key: str, frame: bytes) -> None:
        self._frames[key] = frame
        if self.folder is None:
            return
        stamp = hashlib.sha256(frame).hexdigest().encode("ascii")
        write_cache_file(self.folder / f"{key}.docx", stamp + b"\n" + frame)
        prune_oldest(self.folder, "*.docx", KEEP)

    def _read(self, key: str) -> bytes | None:
        """The kept frame; None when there is none, or it is damaged (its digest is
        the first line: a cut or altered file is made again)."""
        if self.folder is None:
            return None
        try:
            data = (self.folder / f"{key}.docx").read_bytes()
        except OSError:
            return None
        stamp, _, frame = data.partition(b"\n")
        return frame if hashlib.sha256(frame).hexdigest().encode("ascii") == stamp else None


class _Prepared(NamedTuple):
    """The frame's text as Pandoc reads it, its OpenXML pieces and its key; the
    document's own values of the properties the frame holds marks for, by mark; and
    the texts of its marks (the values', then the title's when the title is marked)."""

    text: str
    pieces: list[str]
    key: str
    own: dict[str, str]
    slots: tuple[str, ...]


def render_framed(doc: Assembled, what: str, store: FrameStore) -> bytes:
    """The DOCX of `doc` (as `render_word_native` makes it), filled into its kept
    frame where there is one; otherwise made by Pandoc, with the frame kept."""
    frame = doc.frame
    prepared = _prepare(doc, frame, store.fingerprint) if frame and not doc.layout else None
    if frame is None or prepared is None:
        return render_word_native(doc, what)
    with store.lock(prepared.key):
        kept = store.get(prepared.key)
        if kept is not None:
            filled = fill(kept, prepared.slots, prepared.own)
            if filled is None:
                return render_word_native(doc, what)
            store.filled += 1
            return filled
        if not store.seen_before(prepared.key):
            return render_word_native(doc, what)
        from concurrent.futures import ThreadPoolExecutor  # a miss only

        with ThreadPoolExecutor(max_workers=1) as pool:  # both Pandoc runs at once
            framing = pool.submit(word_docx, doc, prepared.text, prepared.pieces, None, what)
            made = render_word_native(doc, what)
            blank = framing.result()
        if not marked_elsewhere(blank) and fill(blank, prepared.slots, prepared.own) == made:
            store.put(prepared.key, blank)
        return made


def _prepare(doc: Assembled, frame: Frame, fingerprint: str) -> _Prepared | None:
    """The frame's Word text as `render_word_native` prepares a document's, its values
    baked where they cannot be filled; None when a value reaches an OpenXML piece."""
    props = properties(doc)
    if set(PROPERTY_MARKS) - set(props):
        return None  # a blank form's: no agreement id
    own = {mark: props[name] for name, mark in PROPERTY_MARKS.items()}
    props.update(PROPERTY_MARKS)
    text = mark_signature(with_properties(frame.word_markdown, props), frame.word_sections)
    text, title = mark_title(bake(text, frame.slots), len(frame.slots))
    text, pieces = word_openxml(text)
    if any(SLOT_OPEN in piece for piece in pieces):
        return None
    h = hashlib.sha256()
    settings = (FORMAT, doc.lang, doc.numbering, doc.status, doc.signature_borders)
    for part in (fingerprint, repr(settings), repr(doc.first_line_indent), text, *pieces):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    slots = (*frame.slots, title) if title is not None else tuple(frame.slots)
    return _Prepared(text, pieces, h.hexdigest(), own, slots)


_TITLE = re.compile(r'^title: ("(?:[^"\\\n]|\\.)*")$', re.M)


def _may_start_title(char: str) -> bool:
    return char.isalpha() or "0" <= char <= "9"


def mark_title(text: str, number: int) -> tuple[str, str | None]:
    """`text` with the title of its metadata block replaced by mark `number`, and the
    title's Markdown; `text` and None when the title is not filled.  Agreements of a
    template share a frame whatever their titles, and editing the title changes no
    frame.  Pandoc prints the title in the Title paragraph and in docProps/core.xml;
    it is filled where it is plain words (`printed`, starting with a letter or an
    ASCII digit, no character that XML escapes), and otherwise stays in the frame's
    text.  A leading number is safe: `md_escape` escaped any list marker after it, and
    the mark stands for the whole title, so nothing follows it that Pandoc could read
    as a list."""
    head, sep, body = text.partition("\n---\n")
    found = _TITLE.search(head)
    if found is None or not sep:
        return text, None
    title = json.loads(found.group(1))
    shown = printed(title) if isinstance(title, str) else None
    if shown is None or not _may_start_title(shown[0]) or any(c in shown for c in "&<>\"'"):
        return text, None
    mark = json.dumps(f"{SLOT_OPEN}{number}{SLOT_CLOSE}")
    head = head[: found.start(1)] + mark + head[found.end(1) :]
    return head + sep + body, title


# A line whose marks are baked: a heading, an autolink, a code line or span (the value's
# escapes would print), an entity (`&l` and a value `t;` make `<`).
_BAKED_LINE = re.compile(r"^ {0,3}#|<[a-z]+:|^(?: {4}|\t)|`|~~~|&")
# A link, or a span with attributes (a reference of the Word text): its marks are
# baked, as Pandoc may make more of its words than text.
_SPAN = re.compile(r"\[[^\]\n]*\](?:\([^)\n]*\)|\{[^}\n]*\})")
# What may come before a mark at the start of a block: markers of lists and quotes.
_BLOCK_START = re.compile(r"^\s*(?:(?:[>*+-]|\d{1,9}[.)])\s*)*$")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+) *$")
_HARD_BREAK = ("\\", "  ")
# Emphasis, strikeout and highlight delimiters; and a backslash, before a value.
_DELIMITERS = frozenset("*_~=")
_BESIDE = _DELIMITERS | {"\\"}


def bake(text: str, slots: Sequence[str]) -> str:
    """`text` with the marks that cannot be filled replaced by their values' texts."""
    if SLOT_OPEN not in text:
        return text
    head, sep, body = text.partition("\n---\n")  # the metadata block is always baked
    lines = body.split("\n")
    for i, line in enumerate(lines):
        if SLOT_OPEN not in line:
            continue
        following = lines[i + 1] if i + 1 < len(lines) else ""
        if _BAKED_LINE.search(line) or _SETEXT.match(following):
            lines[i] = fill_slots(line, slots)
        else:
            line = _SPAN.sub(lambda m: fill_slots(m.group(0), slots), line)
            lines[i] = _bake_ends(lines, i, line, slots)
    return fill_slots(head, slots) + sep + "\n".join(lines)


def _bake_ends(lines: list[str], i: int, line: str, slots: Sequence[str]) -> str:
    """The line (`lines[i]`, now `line`) with the marks at its start (after list
    markers) and, when a soft break joins it to the next line, at its end baked."""
    before = lines[i - 1] if i > 0 else ""
    after = lines[i + 1] if i + 1 < len(lines) else ""

    def mark(m: re.Match[str]) -> str:
        at_start = _BLOCK_START.match(line[: m.start()]) is not None
        at_end = line[m.end() :].strip() == "" and after.strip() != ""
        soft_before = at_start and before.strip() != "" and not before.endswith(_HARD_BREAK)
        before_mark = line[m.start() - 1] if m.start() else ""
        after_mark = line[m.end()] if m.end() < len(line) else ""
        # A backslash would escape the value's first character; whether `**` beside a
        # value opens or closes emphasis depends on its first or last character
        # (Pandoc takes the mark's for punctuation).
        beside = before_mark in _BESIDE or after_mark in _DELIMITERS
        if at_start or at_end or soft_before or beside:
            return slots[int(m.group(1))]
        return m.group(0)

    return SLOT.sub(mark, line)


def fill(frame: bytes, slots: Sequence[str], own: dict[str, str]) -> bytes | None:
    """The frame with its marks filled and the document's own properties (`own`, by
    their marks) written in; None when a value cannot be filled as Pandoc would print
    it, or the frame is damaged.  Marks elsewhere (`marked_elsewhere`) are left: a
    frame holding any is not kept."""
    try:
        with zipfile.ZipFile(io.BytesIO(frame)) as docx:
            document = docx.read("word/document.xml").decode("utf-8")
            custom = docx.read("docProps/custom.xml")
            core = docx.read("docProps/core.xml").decode("utf-8")
    except (zipfile.BadZipFile, KeyError, UnicodeDecodeError, OSError):
        return None
    filled = _fill_document(document, slots)
    text = custom.decode("utf-8")
    if filled is None or any(text.count(mark) != 1 for mark in own):
        return None
    for mark, value in own.items():
        text = text.replace(mark, xml_escape(value))
    titled = _fill_core(core, slots)
    if titled is None:
        return None
    new = {
        "word/document.xml": filled.encode("utf-8"),
        "docProps/custom.xml": text.encode("utf-8"),
        "docProps/core.xml": titled.encode("utf-8"),
    }
    try:
        return replace_members(frame, new)
    except zipfile.BadZipFile:
        return None


def marked_elsewhere(frame: bytes) -> bool:
    """Whether a mark is in a part other than the text and its properties (a
    footnote, a header): `fill` does not fill those."""
    with zipfile.ZipFile(io.BytesIO(frame)) as docx:
        others = [n for n in docx.namelist() if n not in _FILLED_PARTS]
        return any(_SLOT_BYTES in docx.read(n) for n in others)


_FILLED_PARTS = ("word/document.xml", "docProps/custom.xml", "docProps/core.xml")
_TEXT_END = "</w:t></w:r>"


def _fill_document(xml: str, slots: Sequence[str]) -> str | None:
    texts = [printed(v) for v in slots]
    failed = False

    def run(m: re.Match[str]) -> str:
        nonlocal failed
        if SLOT_OPEN not in m.group(2):
            return m.group(0)
        joined = (xml.endswith(_TEXT_END, 0, m.start()), text_run_at(xml, m.end()))
        runs = fill_run(m.group(1) or "", m.group(2), texts, joined)
        if runs is None:
            failed = True
            return m.group(0)
        return runs

    out = _RUN.sub(run, xml)
    return None if failed or SLOT_OPEN in out else out


def _fill_core(xml: str, slots: Sequence[str]) -> str | None:
    """docProps/core.xml with a marked title filled (`mark_title` lets only a title
    without XML's special characters be marked); None when it cannot be."""
    if SLOT_OPEN not in xml:
        return xml
    found = SLOT.findall(xml)
    shown = [printed(slots[int(n)]) if int(n) < len(slots) else None for n in found]
    if len(found) != 1 or shown[0] is None:
        return None
    title = xml_escape(shown[0])
    return SLOT.sub(lambda _: title, xml)
