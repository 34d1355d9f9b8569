"""Writing assembled documents: render each (document, format), incrementally.

Each (document, format) whose cache key changed is rendered by a thread pool:
Pandoc runs as a subprocess and Typst releases the GIL, so threads use all
cores without paying for process start-up and font loading in each worker.
Outputs are written atomically, holding the output folder's lock;
`manifest.json` records every output and input with its sha256.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TextIO

from clausekit.assemble.model import Assembled
from clausekit.errors import BuildError, ClausekitError
from clausekit.publish.outlock import output_lock
from clausekit.render.atomic import atomic_write, sha256_file
from clausekit.render.formats import FORMATS, render, renderer_fingerprint
from clausekit.render.progress import Progress

if TYPE_CHECKING:
    from typing import Protocol

    from clausekit.render.frame import FrameStore

    class Gate(Protocol):
        """What a build waits for before it writes a file (`publish.build`'s checks;
        a Protocol costs every command a millisecond to create, hence only here)."""

        def begin(self) -> None:
            """Pandoc is running: the gate's own work may start (`render.pandoc.STARTED`)."""

        def result(self) -> object:
            """Wait for it; raises to stop the build with nothing written."""


MANIFEST = "manifest.json"
CACHE = ".clausekit-cache.json"


class Document(NamedTuple):
    """One document to build: an agreement, or the blank form of a template."""

    key: str  # manifest key and output stem: the agreement id, or blank/<template id>
    kind: str  # "agreement" | "blank"
    source_id: str
    assembled: Assembled


class BuildReport:
    """What a build wrote, found up to date or failed to make."""

    def __init__(self, outdir: Path, documents: list[Document] | None = None) -> None:
        self.outdir = outdir
        self.built: list[str] = []  # outputs written, relative to outdir
        self.unchanged: list[str] = []  # outputs already up to date
        self.seconds: dict[str, float] = {}  # render time per output
        self.elapsed = 0.0
        self.failures: list[str] = []  # one line per failed render
        self.documents: list[Document] = documents or []  # what was asked for
        self.notes: list[str] = []  # one line each, for the user, not errors

    @property
    def outputs(self) -> list[str]:
        return sorted([*self.built, *self.unchanged])


def known_formats(formats: set[str]) -> None:
    unknown = formats - set(FORMATS)
    if unknown:
        raise BuildError(f"unknown output format {', '.join(sorted(unknown))}; use {FORMATS}")


def write_documents(
    docs: list[Document],
    formats: set[str],
    outdir: Path,
    force: bool = False,
    progress: TextIO | None = None,
    jobs: int | None = None,
    fonts: list[str] | None = None,
    wait: bool = False,
    gate: Gate | None = None,
) -> BuildReport:
    """Render assembled documents into outdir, holding its lock (see `outlock`).

    `gate` is asked before any file is written: it raises to stop the build with
    nothing written (the documents' checks, run while they render: `publish.build`)."""
    started = time.perf_counter()
    known_formats(formats)
    outdir = outdir.resolve()
    with output_lock(outdir, wait):
        report = _write_locked(docs, formats, outdir, force, progress, jobs, fonts, gate)
    report.elapsed = time.perf_counter() - started
    if report.failures:
        raise BuildError("\n".join(report.failures))
    return report


def _write_locked(
    docs: list[Document],
    formats: set[str],
    outdir: Path,
    force: bool,
    progress: TextIO | None,
    jobs: int | None,
    fonts: list[str] | None,
    gate: Gate | None = None,
) -> BuildReport:
    fingerprints = {fmt: renderer_fingerprint(fonts, fmt) for fmt in formats}
    cache = _read_json(outdir / CACHE)
    manifest = _read_json(outdir / MANIFEST)
    report = BuildReport(outdir=outdir, documents=list(docs))

    tasks: list[Task] = []
    for doc in docs:
        for fmt in sorted(formats):
            rel = f"{doc.key}.{fmt}"
            a = doc.assembled
            # The Word text, status (watermark) and agreement (properties) shape outputs too.
            content = "\0".join((a.markdown, a.word_markdown, a.status or "", a.agreement or ""))
            key = _cache_key(content, fmt, fingerprints[fmt])
            entry = cache.get(rel)
            if not force and _up_to_date(outdir / rel, entry, key):
                report.unchanged.append(rel)
            else:
                tasks.append((doc, fmt, rel, key))

    bar = Progress(progress, len(tasks))
    workers = max(1, min(jobs or os.cpu_count() or 1, len(tasks) or 1))
    framed = any(doc.assembled.frame for doc, fmt, _, _ in tasks if fmt == "docx")
    frames = _frame_store(fingerprints["docx"]) if framed else None
    for (_, _, rel, key), outcome in _rendered(tasks, outdir, fonts, workers, frames, gate):
        if isinstance(outcome, BuildError):
            report.failures.append(str(outcome))
            cache.pop(rel, None)
            bar.step(rel, failed=True)
            continue
        report.built.append(rel)
        report.seconds[rel] = outcome
        cache[rel] = {"key": key, "sha256": sha256_file(outdir / rel)}
        bar.step(rel)
    bar.done()
    if gate is not None:  # with nothing to render, it has not been asked yet
        gate.result()
    _update_manifest(manifest, docs, formats, outdir, cache)
    _write_json(outdir / MANIFEST, manifest)
    _write_json(outdir / CACHE, cache)
    return report


Task = tuple[Document, str, str, str]  # document, format, relative path, cache key


def _frame_store(fingerprint: str) -> FrameStore:
    """Where agreements' DOCX frames are kept (`render.frame`): the user's cache
    folder; with caching off, this build's memory only (a batch still shares them)."""
    from clausekit.cachefiles import cache_folder
    from clausekit.check.cache import digest, package_salt
    from clausekit.render.frame import FrameStore

    base = cache_folder()
    # The DOCX toolchain's fingerprint names the renderer's modules; the salt adds the
    # rest of clausekit's code (the numbering styles' order, say) and its version.
    key = digest(fingerprint, package_salt())
    return FrameStore(base / "frames" if base is not None else None, key)


def _rendered(
    tasks: list[Task],
    outdir: Path,
    fonts: list[str] | None,
    workers: int,
    frames: FrameStore | None = None,
    gate: Gate | None = None,
) -> Iterator[tuple[Task, float | BuildError]]:
    """Each task with its render time, or the BuildError it failed with, as each ends.

    Several tasks go to a thread pool; one is rendered right here, without starting
    (or importing) one.  Any other error (ToolMissing) stops everything: every other
    document would fail the same way.
    """
    if workers == 1:
        for task in tasks:
            doc, fmt, rel, _ = task
            try:
                yield task, _render_one(doc, fmt, outdir / rel, fonts, frames, gate)
            except BuildError as exc:
                yield task, exc
        return
    from concurrent.futures import ThreadPoolExecutor, as_completed

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="clausekit-build") as pool:
        futures = {
            pool.submit(_render_one, doc, fmt, outdir / rel, fonts, frames, gate): (
                doc,
                fmt,
                rel,
                key,
            )
            for doc, fmt, rel, key in tasks
        }
        for fut in as_completed(futures):  # completion order, for a live progress bar
            try:
                seconds = fut.result()
            except BuildError as exc:
                yield futures[fut], exc
                continue
            except ClausekitError:
                pool.shutdown(cancel_futures=True)
                raise
            yield futures[fut], seconds


def _render_one(
    doc: Document,
    fmt: str,
    target: Path,
    fonts: list[str] | None,
    frames: FrameStore | None,
    gate: Gate | None = None,
) -> float:
    from clausekit.render.pandoc import STARTED as PANDOC_STARTED

    started = time.perf_counter()
    begun = PANDOC_STARTED.set(gate.begin if gate is not None else None)
    try:
        data = render(doc.assembled, fmt, doc.key, fonts, frames)
    finally:
        PANDOC_STARTED.reset(begun)
        if gate is not None:  # what it raises outranks a failed render, as it came first
            gate.result()
    atomic_write(target, data, durable=False)  # a short file is found and made again
    return time.perf_counter() - started


def _cache_key(markdown: str, fmt: str, fingerprint: str) -> str:
    h = hashlib.sha256()
    for part in (fingerprint, fmt, markdown):
        h.update(part.encode("utf-8"))
        h.update(b"\0")
    return h.hexdigest()


def _up_to_date(path: Path, entry: object, key: str) -> bool:
    if not isinstance(entry, dict) or entry.get("key") != key:
        return False
    # An output edited or deleted by hand is rebuilt, not trusted.
    try:
        return sha256_file(path) == entry.get("sha256")
    except FileNotFoundError:
        return False


def _update_manifest(
    manifest: dict[str, object],
    docs: list[Document],
    formats: set[str],
    outdir: Path,
    cache: dict[str, object],
) -> None:
    documents = manifest.get("documents")
    if not isinstance(documents, dict):
        documents = {}
    for doc in docs:
        old = documents.get(doc.key)
        outputs = dict(old.get("outputs", {})) if isinstance(old, dict) else {}
        for fmt in formats:
            rel = f"{doc.key}.{fmt}"
            entry = cache.get(rel)
            if isinstance(entry, dict):
                outputs[fmt] = {"path": rel, "sha256": entry["sha256"]}
        documents[doc.key] = {
            "kind": doc.kind,
            "id": doc.source_id,
            "title": doc.assembled.title,
            "lang": doc.assembled.lang,
            "inputs": [
                {
                    "kind": i.kind,
                    "id": i.id,
                    "path": i.path,
                    "version": i.version,
                    "sha256": i.sha256,
                }
                for i in doc.assembled.inputs
            ],
            "outputs": dict(sorted(outputs.items())),
        }
    # Drop entries whose files are gone (a deleted agreement, `rm dist/x.pdf`).
    for key in list(documents):
        entry = documents[key]
        outs = entry.get("outputs", {}) if isinstance(entry, dict) else {}
        live = {f: o for f, o in outs.items() if (outdir / o["path"]).is_file()}
        if live:
            entry["outputs"] = live
        else:
            del documents[key]
    from clausekit import __version__
    from clausekit.render.toolchain import current_toolchain

    manifest.clear()
    manifest["generator"] = f"clausekit {__version__}"
    # What made the files: the same inputs with another toolchain may differ.
    manifest["toolchain"] = current_toolchain().as_dict()
    manifest["documents"] = dict(sorted(documents.items()))


def _read_json(path: Path) -> dict[str, object]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        # A corrupt cache only costs a full rebuild; say so rather than fail.
        print(f"clausekit: ignoring unreadable {path} ({exc}); rebuilding", file=sys.stderr)
        return {}
    return data if isinstance(data, dict) else {}


def _write_json(path: Path, data: dict[str, object]) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    raw = text.encode("utf-8")
    try:
        if path.read_bytes() == raw:
            return  # keep the mtime of an unchanged file
    except FileNotFoundError:
        pass
    atomic_write(path, raw, durable=False)  # an unreadable one means a full rebuild
