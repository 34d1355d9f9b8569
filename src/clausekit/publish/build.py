"""`clausekit build`: assemble documents, then write them (`publish.write`).

Every document is assembled first (cheap, and a bad agreement stops the build
before anything is written); `write_documents` then renders what changed.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TextIO

from clausekit.assemble import Assembled, assemble_blank
from clausekit.check import Checked
from clausekit.errors import BuildError, Problem, ProblemsFound, UsageError
from clausekit.ids import is_valid_id
from clausekit.load.model import Library
from clausekit.publish.paths import font_folders, output_folder
from clausekit.publish.write import (
    CACHE,
    MANIFEST,
    BuildReport,
    Document,
    known_formats,
    write_documents,
)
from clausekit.review.locks import assemble_locked, toolchain_note

__all__ = [
    "CACHE",
    "MANIFEST",
    "BuildReport",
    "Document",
    "build",
    "default_outdir",
    "settings_font_paths",
    "write_documents",
]


def build(
    checked: Checked,
    agreement_ids: list[str] | None,
    blank_templates: list[str] | None,
    formats: set[str],
    outdir: Path,
    force: bool = False,
    progress: TextIO | None = None,
    jobs: int | None = None,
    font_paths: list[str] | None = None,
    wait: bool = False,
) -> BuildReport:
    """Build agreements (None: all of them) and blank forms (None: none) into outdir.

    Raises ProblemsFound when a document does not assemble (nothing is written then),
    BuildError when rendering fails (other outputs are still written; the failed ones
    keep their previous file) and ToolMissing when pandoc, typst or a font is missing.
    """
    started = time.perf_counter()
    known_formats(formats)
    docs = assemble_all(
        checked, agreement_ids, blank_templates, framed=framing(formats, agreement_ids)
    )
    checked.results.save()  # what assembling found is kept for the next run
    fonts = font_paths if font_paths is not None else settings_font_paths(checked.lib)
    report = write_documents(docs, formats, outdir, force, progress, jobs, fonts, wait)
    report.notes = [
        note
        for doc in docs
        if doc.kind == "agreement"
        and (note := toolchain_note(checked.lib.root, doc.source_id)) is not None
    ]
    report.elapsed = time.perf_counter() - started
    return report


def framing(formats: set[str], agreement_ids: list[str] | None) -> bool:
    """Whether agreements get their DOCX frames (`render.frame`): when a DOCX is built
    and a frame can serve another one, kept for a later build or shared in this one
    (with caching off, a build of one agreement only pays for making it)."""
    from clausekit.check.cache import cache_folder

    several = agreement_ids is None or len(agreement_ids) > 1
    return "docx" in formats and (several or cache_folder() is not None)


def assemble_all(
    checked: Checked,
    agreement_ids: list[str] | None,
    blank_templates: list[str] | None,
    framed: bool = False,
) -> list[Document]:
    """Assemble every requested document; all problems are reported together.
    `framed`: with each agreement's frame, for its DOCX (`render.frame`)."""
    lib = checked.lib
    ids = sorted(lib.agreements) if agreement_ids is None else agreement_ids
    blanks = blank_templates or []
    jobs: list[tuple[str, str, str, Callable[[], Assembled]]] = []
    for aid in ids:
        jobs.append((aid, "agreement", aid, partial(assemble_locked, checked, aid, framed)))
    for tid in blanks:
        jobs.append((f"blank/{tid}", "blank", tid, partial(assemble_blank, checked, tid)))
    problems: list[Problem] = []
    docs: list[Document] = []
    seen: set[str] = set()
    for key, kind, source_id, assemble in jobs:
        known = lib.agreements if kind == "agreement" else lib.templates
        if source_id not in known:
            raise UsageError(
                f"no {'agreement' if kind == 'agreement' else 'template'} {source_id!r}"
            )
        if not is_valid_id(source_id):
            # Ids reach the file system as output paths; the loader checks them, and
            # this is the last line of defence against writing outside outdir.
            raise BuildError(f"{source_id!r} is not a valid {kind} id")
        if key in seen:
            raise BuildError(f"two documents would both be written to {key}.*")
        seen.add(key)
        try:
            docs.append(Document(key, kind, source_id, assemble()))
        except ProblemsFound as exc:
            problems.extend(exc.problems)
    if problems:
        raise ProblemsFound(problems)
    return docs


def settings_font_paths(lib: Library) -> list[str] | None:
    """Font folders from clausekit.yml `fonts: {paths: "a:b"}` (relative to the repository)."""
    return font_folders(lib.root, lib.settings.fonts.get("paths") if lib.settings.fonts else None)


def default_outdir(lib: Library) -> Path:
    """`output` of clausekit.yml (default dist/), which must stay inside the repository."""
    return output_folder(lib.root, lib.settings.output)
