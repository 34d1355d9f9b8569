"""`clausekit build`: assemble documents, then write them (`publish.write`).

Every document is assembled first (cheap, and a bad agreement stops the build
before anything is written); `write_documents` then renders what changed.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Collection
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
    framed = framed_agreements(checked.lib, formats, agreement_ids)
    docs = assemble_all(checked, agreement_ids, blank_templates, framed)
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


def framed_agreements(
    lib: Library, formats: set[str], agreement_ids: list[str] | None
) -> frozenset[str]:
    """The agreements that get their DOCX frames (`render.frame`): those whose frame
    serves another document.  That is another agreement of the same template and
    status in this build (a batch), or, when the build names its agreements and the
    cache keeps frames, the next build of the same agreement (the edit loop).  A
    whole-library build on a fresh runner makes no frame it would not use."""
    if "docx" not in formats:
        return frozenset()
    from clausekit.cachefiles import cache_folder

    ids = sorted(lib.agreements) if agreement_ids is None else agreement_ids
    known = [lib.agreements[i] for i in ids if i in lib.agreements]
    if agreement_ids is not None and cache_folder() is not None:
        return frozenset(a.id for a in known)
    shared = Counter((a.template_id, a.status) for a in known)
    return frozenset(a.id for a in known if shared[a.template_id, a.status] > 1)


def assemble_all(
    checked: Checked,
    agreement_ids: list[str] | None,
    blank_templates: list[str] | None,
    framed: Collection[str] = (),
) -> list[Document]:
    """Assemble every requested document; all problems are reported together.
    The agreements in `framed` come with their frames (`framed_agreements`)."""
    lib = checked.lib
    ids = sorted(lib.agreements) if agreement_ids is None else agreement_ids
    blanks = blank_templates or []
    jobs: list[tuple[str, str, str, Callable[[], Assembled]]] = []
    for aid in ids:
        jobs.append((aid, "agreement", aid, partial(assemble_locked, checked, aid, aid in framed)))
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
