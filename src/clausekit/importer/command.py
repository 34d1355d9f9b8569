"""`clausekit import FILE`: read, structure, name the blanks, write, report."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TextIO

from .. import ids
from ..errors import UsageError
from . import decode, names, structure, textread, write
from .blanks import TOKEN, Registry
from .markdown import Inline, body
from .model import BOLD_OFF, BOLD_ON, Article, Document, Review, Variable
from .refs import REF, Targets
from .text import plain

_FIELD_START = re.compile(r"^\W*([^\s:：]{1,20})\s*[:：]")


def import_contract(
    root: Path,
    file: Path,
    shown: str,
    template: str | None,
    prefix: str | None,
    lang: str | None,
    dry_run: bool,
    out: TextIO,
) -> int:
    data = decode.read_input(file, shown)
    reviews: list[Review] = []
    suffix = file.suffix.lower()
    if suffix == ".docx":
        from .docxread import read_docx

        paras, title = read_docx(data, shown)
        what = "DOCX"
    else:
        text, encoding = decode.decode_text(data, shown)
        paras = (
            textread.read_md(text, reviews)
            if suffix in (".md", ".markdown")
            else textread.read_txt(text)
        )
        title, what = None, f"{'Markdown' if suffix != '.txt' else 'text'}, {encoding}"
    if not paras:
        raise decode.ImportFailed(f"{shown}: nothing to import (no text found)")
    doc = structure.build(paras, title, lang, reviews)
    tid = template or _default_id(file)
    pre = prefix or tid
    for value, option in ((tid, "--template"), (pre, "--prefix")):
        if not ids.is_valid_id(value):
            raise UsageError(f"{option} {value}: {ids.why_invalid(value)}")
    if (root / "templates" / f"{tid}.yaml").exists():
        raise write.ImportConflict(
            f"template {tid!r} already exists; nothing written (choose another --template)"
        )
    files, reg = _render(doc, tid, pre, file.name, reviews)
    clauses = [k for k in files if k.startswith("clauses/")]
    # Write first, then report: a reader that stops early (a closed pipe) must not stop
    # the import half-way or leave a report of files that were never written.
    if not dry_run:
        write.write_all(root, files)
    print(f"{shown}: {what}; template {tid} (numbering {doc.numbering}, lang {doc.lang})", file=out)
    print(
        f"  {len(doc.articles)} articles, {len(clauses)} clauses, "
        f"{len(reg.variables)} variables, {_count_refs(files)} references, "
        f"{len(reviews)} items to review",
        file=out,
    )
    verb = "would write" if dry_run else "wrote"
    for rel in files:
        print(f"  {verb} {rel}", file=out)
    for item in sorted(set(reviews), key=lambda r: (r.line, r.message)):
        print(f"{shown}:{item.line}: {item.message}", file=out)
    return 0


def _default_id(file: Path) -> str:
    stem = file.name.split(".")[0].lower()
    return re.sub(r"[^a-z0-9]+", "-", stem).strip("-") or "imported"


def _count_refs(files: dict[str, str]) -> int:
    return sum(text.count("{{ ref(") for text in files.values())


def _render(
    doc: Document, tid: str, prefix: str, source: str, reviews: list[Review]
) -> tuple[dict[str, str], Registry]:
    targets = Targets.of(doc, prefix)
    for art in doc.articles:
        for block in art.blocks:
            for m in REF.finditer(block.text):
                target = targets.resolve(m)
                if target is not None and "#" in target.ref:
                    targets.used_anchors.add(target.ref)
    reg = Registry()
    labels: dict[str, str] = {}
    ordered: list[tuple[str, Article]] = [
        *((f"{prefix}/{a.slug}", a) for a in doc.preamble),
        *((f"{prefix}/{a.slug}", a) for a in doc.articles),
        *(((f"{prefix}/signature", doc.signature),) if doc.signature else ()),
        *((f"{prefix}/{a.slug}", a) for a in doc.annexes),
    ]
    bodies: dict[str, str] = {}
    for cid, art in ordered:
        inline = Inline(reg, targets, cid, doc.lang)
        parties = art in doc.preamble or art is doc.signature
        bodies[cid] = _body(art, inline, reg, labels) if parties else body(art, inline)
        reviews.extend(inline.reviews)
    note = f"imported from {source}"
    files: dict[str, str] = {}
    template_vars = [v for v in reg.variables.values() if len(reg.used_in[v.path[0]]) > 1]
    # Each clause's own variables, found in one pass (not one pass per clause).
    owned: dict[str, list[Variable]] = {}
    for v in reg.variables.values():
        users = reg.used_in[v.path[0]]
        if len(users) == 1:
            owned.setdefault(next(iter(users)), []).append(v)
    for cid, art in ordered:
        own = owned.get(cid, [])
        title = plain(art.title) or cid.rsplit("/", 1)[-1]
        files[f"clauses/{cid}.md"] = write.clause_file(
            title, doc.lang, write.schemas(own, labels), bodies[cid], note
        )
    meta = {
        "title": doc.title,
        "version": "1.0.0",
        "status": "draft",
        "lang": doc.lang,
        "numbering": doc.numbering,
        "summary": note,
        "variables": write.schemas(template_vars, labels),
        "preamble": [f"{prefix}/{a.slug}" for a in doc.preamble],
        "body": [f"{prefix}/{a.slug}" for a in doc.articles],
    }
    if doc.signature:
        meta["signature"] = f"{prefix}/signature"
    if doc.annexes:
        meta["annexes"] = [f"{prefix}/{a.slug}" for a in doc.annexes]
    ordered_files = {
        f"templates/{tid}.yaml": write.template_file(meta, note),
        **files,
        f"agreements/{tid}/draft.yaml": write.agreement_file(tid, doc.title),
    }
    return ordered_files, reg


def _party_header(text: str, bold_only: bool) -> str | None:
    """`甲方（委托方）：` -> party_a; `EMPLOYER:` -> employer; else None."""
    if len(text) > 30 or TOKEN.search(text):
        return None
    party = names.party_name(text)
    if party:
        return party
    if (text.endswith((":", "：")) or bold_only) and not names.field_name(text.rstrip(":：")):
        return names.identifier(text, 2) or None
    return None


def _body(art: Article, inline: Inline, reg: Registry, labels: dict[str, str]) -> str:
    """A preamble or signature clause: party blocks (甲方: / Name:) group into objects."""
    parts: list[str] = []
    for i, block in enumerate(art.blocks):
        if block.kind == "option":
            if i == 0 or art.blocks[i - 1].kind != "option":  # a group of check boxes
                group = [b for b in art.blocks[i:]]
                end = next((k for k, b in enumerate(group) if b.kind != "option"), len(group))
                parts.append(body(Article(art.title, art.line, "", group[:end]), inline).strip())
            continue
        text = plain(block.text)
        bold_only = block.text.startswith(BOLD_ON) and block.text.endswith(BOLD_OFF)
        party = _party_header(text, bold_only) if block.kind == "para" else None
        field = _FIELD_START.match(text)
        if party:
            reg.party, reg.party_label = party, text.rstrip(":：").strip()
            labels.setdefault(party, reg.party_label)
        elif not (field and names.field_name(field.group(1))):
            reg.party = ""
        parts.append(body(Article(art.title, art.line, "", [block], art.slug), inline).strip())
    reg.party = ""
    joined = "\n\n".join(p for p in parts if p)
    return joined + "\n" if joined else "\n"
