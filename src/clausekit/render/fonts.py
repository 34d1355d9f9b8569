"""The fonts of PDF output: which families, where they are, and whether they exist.

Typst is given explicit font folders and never looks at system or embedded fonts:
a PDF must not change because someone installed a font, and a missing font must be
an error (exit 3 with the install command), not a silent fallback to another face.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

from clausekit.errors import ToolMissing

# Debian packages fonts-noto-cjk and fonts-liberation2.
DEFAULT_FONT_PATHS: tuple[str, ...] = (
    "/usr/share/fonts/opentype/noto",
    "/usr/share/fonts/truetype/liberation2",
)
INSTALL_HINT = "apt-get install fonts-noto-cjk fonts-liberation2"
FONT_PATHS_ENV = "CLAUSEKIT_FONT_PATHS"


class FontSet(NamedTuple):
    """Typst font families (first match wins, glyph by glyph) for one language."""

    body: tuple[str, ...]
    heading: tuple[str, ...]


# zh: Song-style (serif) body and Hei-style (sans) headings; Latin letters and digits
# in Chinese text come from the CJK faces too, which keeps their baseline and weight
# consistent.  Liberation is the fallback for any glyph the CJK faces lack.
FONT_SETS: dict[str, FontSet] = {
    "zh": FontSet(
        body=("Noto Serif CJK SC", "Liberation Serif"),
        heading=("Noto Sans CJK SC", "Liberation Sans"),
    ),
    "en": FontSet(
        body=("Liberation Serif", "Noto Serif CJK SC"),
        heading=("Liberation Serif", "Noto Serif CJK SC"),
    ),
}


def lang_key(lang: str) -> str:
    """ "zh" for any Chinese BCP 47 tag, else "en"."""
    return "zh" if lang.lower().split("-")[0] == "zh" else "en"


def font_paths(explicit: Sequence[str | Path] | None = None) -> tuple[str, ...]:
    """Folders to load fonts from: the argument, else $CLAUSEKIT_FONT_PATHS, else Debian's."""
    if explicit:
        return tuple(str(p) for p in explicit)
    env = os.environ.get(FONT_PATHS_ENV)
    if env:
        return tuple(p for p in env.split(os.pathsep) if p)
    return DEFAULT_FONT_PATHS


_lock = threading.Lock()
_fonts_cache: dict[tuple[str, ...], Any] = {}


def typst_fonts(paths: tuple[str, ...], required: Sequence[str] | None = None) -> Any:
    """A `typst.Fonts` of exactly `paths`, loaded once per process and shared.

    Raises ToolMissing when a required family is not among them.
    """
    import typst

    with _lock:
        fonts = _fonts_cache.get(paths)
        if fonts is None:
            existing = [p for p in paths if Path(p).exists()]
            fonts = typst.Fonts(
                include_system_fonts=False, include_embedded_fonts=False, font_paths=existing
            )
            _fonts_cache[paths] = fonts
    wanted = required if required is not None else required_families()
    have = set(fonts.families())
    missing = sorted(set(wanted) - have)
    if missing:
        raise ToolMissing(
            f"font{'s' if len(missing) > 1 else ''} {', '.join(missing)} not found in "
            f"{os.pathsep.join(paths)}; install them with: {INSTALL_HINT}"
        )
    return fonts


def required_families() -> list[str]:
    names = {f for fs in FONT_SETS.values() for f in (*fs.body, *fs.heading)}
    return sorted(names)


def font_fingerprint(paths: Sequence[str]) -> str:
    """Changes whenever a font file typst may load from `paths` changes.

    Each file (folders walked as typst walks them, links followed) by its path, size,
    modification and status-change times and inode: a font rewritten in place or
    replaced gets a new ctime or inode even when its mtime is set back, and hashing
    every CJK face (tens of MB) on each build would cost more than rendering.
    """
    h = hashlib.sha256()
    for folder in paths:
        h.update(f"{folder}\0".encode())
        for parent, dirs, files in os.walk(folder, followlinks=True):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(parent, name)
                try:
                    st = os.stat(path)
                except OSError as exc:
                    h.update(f"{path}:{exc.errno}\0".encode())
                    continue
                stamp = f"{path}:{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"
                h.update(f"{stamp}\0".encode())
    return h.hexdigest()
