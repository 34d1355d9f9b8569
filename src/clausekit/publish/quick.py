"""Building named agreements again from the documents an earlier build assembled.

Change a value, build, look at it in Word: that loop builds one agreement at a
time, and assembling it anew means reading and checking the library, with
PyYAML, jsonschema and Jinja loaded for it, before Pandoc even starts.  Yet the
assembled text follows from a small set of files only:

* the agreement file, and its lock (or that it has none);
* every file under `clauses/`, `templates/` and `schema/` (a template names its
  clauses; a clause reads its alternatives and its translation's source);
* `clausekit.yml`, and clausekit itself (its version and code, as the check
  cache salts its results).

The other agreements never change it.  So a build that names its agreements
keeps each assembled document in the user's cache folder under a digest of all
of those bytes, and the next such build whose digest matches renders the kept
document, importing none of the loader, the checker or Jinja.  Anything else
(a changed byte, a new file, a link leading outside the repository, no entry)
is a miss, and the full build runs and reports problems as always: the cache
can miss, never build something the full build would not.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from functools import cached_property
from pathlib import Path
from typing import NamedTuple, TextIO

from clausekit.assemble.model import Assembled
from clausekit.cachefiles import cache_folder, prune_oldest, write_cache_file
from clausekit.check.cache import digest, library_folder, package_salt
from clausekit.ids import is_valid_id
from clausekit.load.files import inside, library_files
from clausekit.publish.digests import FileDigests, Identity, identity, settled
from clausekit.publish.paths import font_folders, output_folder
from clausekit.publish.write import BuildReport, Document, write_documents

FORMAT = 1
# Kept documents per library: the ones being worked on.  A build naming thousands of
# agreements would otherwise leave a copy of each in the user's cache folder.
KEEP = 100
# Every file of these folders is an input of every document (see above).
SHARED = (("clauses", ".md"), ("templates", ".yaml"), ("schema", ".json"))


class Request(NamedTuple):
    """What `clausekit build AGREEMENT…` asks for, as the command line gave it."""

    agreements: Sequence[str]
    formats: set[str]
    output: Path | None
    force: bool
    wait: bool


class DocumentCache:
    """The assembled agreements of one library, each under the digest of its inputs."""

    def __init__(self, root: Path, folder: Path) -> None:
        self.root = root
        self.folder = folder
        # Beside the kept documents, which `prune` counts.
        self.digests = FileDigests.open(folder.parent / f"{folder.name}.digests.json")
        # What `shared` read, each with its identity then: the files and the folders
        # listed (a file added or removed changes its folder's times).
        self._read: list[tuple[str, Identity]] = []

    @classmethod
    def open(cls, root: Path) -> DocumentCache | None:
        """The cache of the library at `root`; None when caching is off."""
        base = cache_folder()
        if base is None:
            return None
        return cls(root, base / "documents" / library_folder(root))

    def key(self, agreement_id: str) -> str | None:
        """The digest of everything the agreement's document is made from; None
        when one of them cannot be read here (the full build says why)."""
        shared = self.shared
        own = self._file_digest(f"agreements/{agreement_id}.yaml")
        lock = self._file_digest(f"agreements/{agreement_id}.lock.json", absent_ok=True)
        if shared is None or own is None or lock is None:
            return None
        if lock != "-" and not self._lock_is_current(agreement_id):
            return None
        return digest("document", str(FORMAT), agreement_id, shared, own, lock)

    def _lock_is_current(self, agreement_id: str) -> bool:
        """Whether every version the agreement's lock names is the file as it is now.

        A version found only in git history may be gone from it by the next build
        (history rewritten, a shallow clone), and the full build then refuses the
        agreement: a kept document must not outlive it, so such agreements are always
        assembled afresh.  A lock this cannot read is left to the full build too."""
        try:
            path = self.root / "agreements" / f"{agreement_id}.lock.json"
            content = json.loads(path.read_text(encoding="utf-8"))
            entries = [content["template"], *content["clauses"].values()]
            return all(self._file_digest(str(e["path"])) == e["sha256"] for e in entries)
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return False

    def get(self, agreement_id: str, key: str) -> tuple[Document, dict[str, str]] | None:
        """The kept document and the settings it was built with, if kept under `key`."""
        try:
            data = json.loads(self._entry(agreement_id).read_text(encoding="utf-8"))
            if data["key"] != key:
                return None
            assembled = Assembled.from_data(data["document"])
            settings = {str(k): str(v) for k, v in data["settings"].items()}
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # damaged or of another format: assembled afresh, then replaced
        return Document(agreement_id, "agreement", agreement_id, assembled), settings

    def put(self, doc: Document, key: str, settings: dict[str, str]) -> None:
        """Keep `doc`; a cache that cannot be written only costs time next run."""
        data = {"key": key, "settings": settings, "document": doc.assembled.as_data()}
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        try:
            write_cache_file(self._entry(doc.source_id), text)
        except OSError:
            return

    def prune(self, keep: int = KEEP) -> None:
        """Keep the `keep` documents written last; the others are assembled afresh
        when next asked for."""
        prune_oldest(self.folder, "*.json", keep)

    def _entry(self, agreement_id: str) -> Path:
        return self.folder / f"{digest(agreement_id)[:32]}.json"

    @cached_property
    def shared(self) -> str | None:
        """The digest of the inputs every agreement shares; None when one of them
        cannot be read here (a link leading outside the repository, say)."""
        parts = [package_salt()]
        settings = self._file_digest("clausekit.yml", absent_ok=True)
        if settings is None:
            return None
        parts.append(settings)
        # The holidays `workdays` skips change documents too (`calendar:` in clausekit.yml).
        calendar = self._calendar_digest()
        if calendar is None:
            return None
        parts.append(calendar)
        top = len(self.root.parts)
        walked: list[str] = []
        for folder, suffix in SHARED:
            files, problems = library_files(self.root, folder, suffix, walked)
            if problems:
                return None
            try:
                self._read += [(f, identity(f)) for f in walked]
                walked.clear()
                for path in files:
                    rel = "/".join(path.parts[top:])  # `relative_to`, in a tenth of the time
                    seen = identity(path)
                    parts.append(f"{rel}:{self.digests.sha256(path, rel, seen)}")
                    self._read.append((str(path), seen))
            except OSError:
                return None
        self.digests.save()
        return digest(*parts)

    def unchanged(self) -> bool:
        """Whether every file and folder `shared` read has the identity it had then, and
        had it for long enough that a change within the file system's clock tick
        cannot hide behind it (as `FileDigests` keeps digests); then `shared` holds."""
        try:
            return bool(self._read) and all(
                identity(path) == was and settled(was) for path, was in self._read
            )
        except OSError:
            return False

    def _calendar_digest(self) -> str | None:
        """The digest of clausekit.yml's `calendar:` file ("-" without one), read without
        a YAML parser: a name this line does not find plainly is a miss."""
        try:
            text = (self.root / "clausekit.yml").read_text("utf-8")
        except FileNotFoundError:
            return "-"
        except (OSError, UnicodeDecodeError):
            return None
        lines = [line for line in text.splitlines() if line.startswith("calendar:")]
        if not lines:
            return "-"
        name = lines[0].removeprefix("calendar:").strip()
        if len(lines) > 1 or not re.fullmatch(r"[\w./-]+", name):
            return None
        return self._file_digest(name)

    def _file_digest(self, rel: str, absent_ok: bool = False) -> str | None:
        path = self.root / rel
        if not path.exists() and not path.is_symlink():
            return "-" if absent_ok else None
        if not inside(self.root, path):
            return None
        try:
            return hashlib.sha256(path.read_bytes()).hexdigest()
        except OSError:
            return None


def agreement_id(root: Path, arg: str) -> str | None:
    """The id an AGREEMENT argument names, when that is plain (an id, or the path of
    an agreement file); None sends the argument to the full build to resolve."""
    if is_valid_id(arg) and (root / "agreements" / f"{arg}.yaml").is_file():
        return arg
    path = Path(arg)
    path = path if path.is_absolute() else Path.cwd() / path
    folder = root / "agreements"
    if path.suffix != ".yaml" or not path.is_relative_to(folder):
        return None
    ident = path.relative_to(folder).with_suffix("").as_posix()
    return ident if is_valid_id(ident) and path.is_file() else None


class QuickBuild(NamedTuple):
    """A build of named agreements: from the cache when every one is kept, and
    otherwise the full build, whose documents it then keeps."""

    cache: DocumentCache
    request: Request
    keys: dict[str, str | None]  # computed before the full build reads anything

    @classmethod
    def start(cls, root: Path, request: Request) -> QuickBuild | None:
        """None when caching is off or an argument is not a plain agreement."""
        cache = DocumentCache.open(root)
        ids = [agreement_id(root, arg) for arg in request.agreements]
        if cache is None or not ids or None in ids or len(set(ids)) != len(ids):
            return None  # the full build resolves (or refuses) such arguments
        return cls(cache, request, {i: cache.key(i) for i in ids if i is not None})

    def run(self, progress: TextIO) -> BuildReport | None:
        """Write the agreements from their kept documents; None when one of them is
        not kept under its current key (the full build then makes them all)."""
        docs: list[Document] = []
        settings: dict[str, str] = {}
        for ident, key in self.keys.items():
            found = self.cache.get(ident, key) if key else None
            if found is None:
                return None
            docs.append(found[0])
            settings = found[1]  # the same for all: clausekit.yml is in every key
        root, request = self.cache.root, self.request
        outdir = request.output or output_folder(root, settings.get("output", "dist"))
        fonts = font_folders(root, settings.get("fonts"))
        return write_documents(
            docs, request.formats, outdir, request.force, progress, fonts=fonts, wait=request.wait
        )

    def remember(self, docs: Sequence[Document], output: str, fonts: str | None) -> None:
        """Keep what the full build assembled, under the keys computed before it read
        the library, unless a file changed meanwhile (the keys would not match)."""
        # The library's files as the key read them (their identities unchanged), or the
        # key made again: a file written during the build is in no kept document.
        again = (
            self.cache
            if self.cache.unchanged()
            else DocumentCache(self.cache.root, self.cache.folder)
        )
        settings = {"output": output, **({"fonts": fonts} if fonts else {})}
        for doc in list(docs)[-KEEP:]:  # no more are kept anyway
            key = self.keys.get(doc.source_id)
            if doc.kind == "agreement" and key and again.key(doc.source_id) == key:
                self.cache.put(doc, key, settings)
        self.cache.prune()
