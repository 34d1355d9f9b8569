"""`clausekit build`: assemble documents, then write them (`publish.write`).

Every document is assembled first (cheap, and a bad agreement stops the build
before anything is written); `write_documents` then renders what changed.  The
agreements are rendered before their templates and clauses are checked
(`assemble.speculate`): the checks run in a second thread while Pandoc makes the
files, and no file is written until they pass (`write_documents`' gate).
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable, Collection
from functools import partial
from pathlib import Path
from typing import Generic, NamedTuple, TextIO, TypeVar

from clausekit.assemble import Speculation, assemble_blank
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
from clausekit.review.locks import speculate_locked, toolchain_note

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
    tried = speculate_all(checked, agreement_ids, blank_templates, framed)
    fonts = font_paths if font_paths is not None else settings_font_paths(checked.lib)
    docs = [
        Document(t.key, t.kind, t.source_id, t.speculation.doc)
        for t in tried
        if t.speculation.doc is not None
    ]
    if len(docs) == len(tried):  # each was rendered: its checks run while it is written
        checking = Background(partial(_meanwhile, checked, tried))
        try:
            report = write_documents(
                docs, formats, outdir, force, progress, jobs, fonts, wait, checking
            )
        except Exception:
            checking.result()  # the checks' problems are told first, as without the thread
            raise
        checking.result()
    else:
        docs = _confirmed(checked, tried)
        report = write_documents(docs, formats, outdir, force, progress, jobs, fonts, wait)
    report.notes = [
        note
        for doc in docs
        if doc.kind == "agreement"
        and (note := toolchain_note(checked.lib.root, doc.source_id)) is not None
    ]
    report.elapsed = time.perf_counter() - started
    return report


T = TypeVar("T")


class Background(Generic[T]):
    """`work` run in a thread of its own once `begin` (or `result`) is called; `result`
    waits for it and returns what it returned or raises what it raised.

    A build begins its checks when it begins to render: the thread that renders gets
    Pandoc started first, and the checks run while it waits (`write.Gate`)."""

    def __init__(self, work: Callable[[], T]) -> None:
        self._outcome: tuple[T] | BaseException | None = None
        self._begun = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(work,), name="clausekit-checks")
        self._thread.start()

    def _run(self, work: Callable[[], T]) -> None:
        self._begun.wait()
        try:
            self._outcome = (work(),)
        except BaseException as exc:  # handed to `result`, which raises it
            self._outcome = exc

    def begin(self) -> None:
        self._begun.set()

    def result(self) -> T:
        self._begun.set()
        self._thread.join()
        if isinstance(self._outcome, BaseException):
            raise self._outcome
        assert self._outcome is not None
        return self._outcome[0]


def _meanwhile(checked: Checked, tried: list[Tried]) -> list[Document]:
    """What the second thread does while Pandoc runs: the checks, and asking the
    toolchain's versions for the manifest (Pandoc's own, without a cache, is another
    Pandoc process), which would otherwise wait until the files are made."""
    from clausekit.render.toolchain import current_toolchain

    docs = _confirmed(checked, tried)
    current_toolchain()
    return docs


def _confirmed(checked: Checked, tried: list[Tried]) -> list[Document]:
    """Every document checked (`confirm_all`); what the checks found is kept for the
    next run."""
    docs = confirm_all(tried)
    checked.results.save()
    return docs


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


class Tried(NamedTuple):
    """A document to build, with its speculation (`assemble.Speculation`)."""

    key: str  # where it is written: the agreement's id, or blank/<template id>
    kind: str  # "agreement" or "blank"
    source_id: str
    speculation: Speculation


def assemble_all(
    checked: Checked,
    agreement_ids: list[str] | None,
    blank_templates: list[str] | None,
    framed: Collection[str] = (),
) -> list[Document]:
    """Assemble every requested document; all problems are reported together.
    The agreements in `framed` come with their frames (`framed_agreements`)."""
    return confirm_all(speculate_all(checked, agreement_ids, blank_templates, framed))


def speculate_all(
    checked: Checked,
    agreement_ids: list[str] | None,
    blank_templates: list[str] | None,
    framed: Collection[str] = (),
) -> list[Tried]:
    """Every requested document, its agreement rendered before its checks (a blank
    form is not: `confirm_all` assembles it)."""
    lib = checked.lib
    ids = sorted(lib.agreements) if agreement_ids is None else agreement_ids
    jobs: list[tuple[str, str, str]] = [(aid, "agreement", aid) for aid in ids]
    jobs += [(f"blank/{tid}", "blank", tid) for tid in blank_templates or []]
    tried: list[Tried] = []
    seen: set[str] = set()
    for key, kind, source_id in jobs:
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
        if kind == "agreement":
            speculation = speculate_locked(checked, source_id, source_id in framed)
        else:
            speculation = Speculation(None, partial(assemble_blank, checked, source_id))
        tried.append(Tried(key, kind, source_id, speculation))
    return tried


def confirm_all(tried: list[Tried]) -> list[Document]:
    """Each document as its checks confirm it; all problems are reported together."""
    problems: list[Problem] = []
    docs: list[Document] = []
    for t in tried:
        try:
            docs.append(Document(t.key, t.kind, t.source_id, t.speculation.confirm()))
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
