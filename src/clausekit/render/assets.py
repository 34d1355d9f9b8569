"""Where the package's own files are (the reference DOCX files, the Typst template).

clausekit is installed as a regular package on disk (the wheel is never run from a
zip), so the folder beside this module is the package's data; a plain path saves
importing `importlib.resources` (2-3 ms) on every build.
"""

from __future__ import annotations

from pathlib import Path

ASSETS = Path(__file__).resolve().parent.parent / "assets"
