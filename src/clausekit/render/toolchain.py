"""Which toolchain makes the documents: clausekit, pandoc, typst and the reference DOCX.

A locked agreement rebuilds byte for byte only with the same toolchain, so the build
manifest and `clausekit lock` record it, and a build with another one says so. The
versions come from the installed packages' `*.dist-info` folders and from pandoc
itself (the pypandoc-binary wheel's version is pypandoc's, not pandoc's).  Asking
pandoc costs a process start on every build, so its answer is kept in the user cache
under the binary's path, size, times and inode: another binary is asked again.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from typing import NamedTuple

from clausekit import __version__
from clausekit.cachefiles import cache_folder, write_cache_file
from clausekit.check.cache import installed_versions
from clausekit.errors import ToolMissing
from clausekit.render.assets import ASSETS
from clausekit.render.pandoc import pandoc_env, pandoc_path


class Toolchain(NamedTuple):
    clausekit: str
    pandoc: str
    typst: str
    reference_docx: str  # sha256 of the reference DOCX files, in order zh, en

    def as_dict(self) -> dict[str, str]:
        return self._asdict()

    def differences(self, recorded: dict[str, object]) -> list[str]:
        """`name recorded → now` for each part that differs from a recorded toolchain."""
        return [
            f"{name} {recorded[name]} → {now}"
            for name, now in self.as_dict().items()
            if name in recorded and recorded[name] != now
        ]


@lru_cache(maxsize=1)
def current_toolchain() -> Toolchain:
    return Toolchain(
        clausekit=__version__,
        pandoc=_pandoc_version(),
        typst=_package_version("typst"),
        reference_docx=_reference_digest(),
    )


def _pandoc_version() -> str:
    """Pandoc's version, kept by the binary it comes from (see above)."""
    binary = pandoc_path()
    folder = cache_folder()
    try:
        stat = binary.stat()
    except OSError:
        folder = None  # pandoc itself says what is wrong
    if folder is None:
        return _ask_pandoc()
    key = f"{binary}:{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}"
    file = folder / "pandoc-version.json"
    try:
        kept = json.loads(file.read_text(encoding="utf-8"))
        if isinstance(kept, dict) and kept.get("key") == key and isinstance(kept["version"], str):
            return kept["version"]
    except (OSError, ValueError, KeyError):
        pass  # absent or damaged: asked again, then replaced
    version = _ask_pandoc()
    write_cache_file(file, json.dumps({"key": key, "version": version}))
    return version


def _ask_pandoc() -> str:
    import subprocess  # only when the version is not kept: 5 ms of imports

    try:
        out = subprocess.run(
            [str(pandoc_path()), "--version"],
            capture_output=True,
            text=True,
            check=True,
            env=pandoc_env(),
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        raise ToolMissing(
            f"pandoc does not run ({exc}); reinstall it: pip install pypandoc-binary"
        ) from exc
    # "pandoc 3.9.0.2" on the first line.
    first = out.splitlines()[0] if out else ""
    return first.split()[-1] if first else "unknown"


def _package_version(name: str) -> str:
    """The version in the name of the distribution's `*.dist-info` folder (`typst-0.15.2`),
    read without importing a metadata reader."""
    prefix = f"{name}-"
    for folder in installed_versions():
        if folder.lower().startswith(prefix) and folder.endswith(".dist-info"):
            return folder[len(prefix) : -len(".dist-info")]
    from importlib import metadata  # installed elsewhere: ask the metadata reader

    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def _reference_digest() -> str:
    h = hashlib.sha256()
    for name in ("reference-zh.docx", "reference-en.docx"):
        h.update(hashlib.sha256((ASSETS / name).read_bytes()).digest())
    return h.hexdigest()
