"""Running the Pandoc binary shipped in the `pypandoc-binary` wheel.

We call the binary directly rather than through pypandoc's `convert_text`: it
lets us pass `--sandbox`, control the environment (SOURCE_DATE_EPOCH) and get
stderr back for error messages, and it avoids pypandoc's temp-file juggling.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path

from clausekit.errors import BuildError, ToolMissing

# commonmark_x is CommonMark plus pipe tables and the YAML metadata block.
# east_asian_line_breaks drops the space a soft line break would otherwise put between
# two CJK characters, so a wrapped Chinese sentence gets no stray space (Pandoc 3.9
# accepts it with commonmark_x; tests/test_render_pandoc.py checks).
# Extensions switched off because they would make the DOCX/PDF differ from the site
# (markdown-it-py, plain CommonMark) and alter literal legal text:
#   smart           typographic quotes and dashes are already in the Markdown: clause
#                   text is converted once, at compile time (language.typography), so
#                   the site, DOCX and PDF agree; Pandoc's own rules made "引号" into
#                   “引号“ and would curl the straight quotes of values, which print as typed;
#   tex_math_dollars  "$500 and $300" became a formula;
#   subscript/superscript  ~ and ^ in text;  emoji  :name: shortcodes;
#   fancy_lists     a paragraph starting "(a)" or "i." became a Word-numbered list.
INPUT_FORMAT = (
    "commonmark_x+east_asian_line_breaks"
    "-smart-tex_math_dollars-subscript-superscript-emoji-fancy_lists"
)

# 2026-01-01T00:00:00Z: the creation date of every output unless the environment sets
# its own SOURCE_DATE_EPOCH.  Pandoc in --sandbox mode reads no clock at all (DOCX zip
# entries are dated 1980-01-01, docProps/core.xml 1970-01-01), so render.docx stamps
# this date into core.xml itself.
DEFAULT_EPOCH = "1767225600"

INSTALL_HINT = "pip install pypandoc-binary"


@lru_cache(maxsize=1)
def pandoc_path() -> Path:
    """The pandoc executable of the pypandoc-binary wheel (or $CLAUSEKIT_PANDOC)."""
    override = os.environ.get("CLAUSEKIT_PANDOC")
    if override:
        path = Path(override)
        if not path.is_file():
            raise ToolMissing(f"CLAUSEKIT_PANDOC={override} does not exist")
        return path
    # The wheel puts the binary in pypandoc/files/; find it without importing pypandoc
    # (which would also look for a system pandoc and download nothing we need).
    spec = importlib.util.find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        bundled = Path(folder) / "files" / "pandoc"
        if bundled.is_file():
            return bundled
    found = shutil.which("pandoc")
    if found:
        return Path(found)
    raise ToolMissing(f"pandoc is missing; install it with: {INSTALL_HINT}")


def source_date_epoch() -> str:
    return os.environ.get("SOURCE_DATE_EPOCH", DEFAULT_EPOCH)


def creation_time() -> datetime:
    """The fixed creation date of every output (from SOURCE_DATE_EPOCH)."""
    return datetime.fromtimestamp(int(source_date_epoch()), tz=UTC)


def pandoc_env() -> dict[str, str]:
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = source_date_epoch()
    # Pandoc reads no user data directory in sandbox mode anyway; pin the locale so
    # error messages and collation do not depend on the machine.
    env["LC_ALL"] = "C.UTF-8"
    return env


# Called once Pandoc is running: a build's checks wait for it, so that they take the
# interpreter while Pandoc works, not before it has started (`publish.write`).
STARTED: ContextVar[Callable[[], None] | None] = ContextVar("pandoc_started", default=None)

# Pandoc's heap is capped (GHC's runtime option): a document that would need more is
# an error (exit 251, "Heap exhausted") instead of the machine's memory.  A
# 600-page contract needs a fraction of it.
MEMORY_CAP = ["+RTS", "-M1536m", "-RTS"]


def run_pandoc(
    markdown: str, to: str, args: list[str], what: str, source_format: str = INPUT_FORMAT
) -> bytes:
    """Convert `markdown` to format `to`; returns Pandoc's stdout.

    `what` names the document in error messages (its agreement id or file);
    `source_format` is "json" for a Pandoc AST that clausekit rewrote.
    """
    import subprocess  # here: a build that fills a kept frame runs no Pandoc (5 ms)
    import tempfile

    cmd = [str(pandoc_path()), *MEMORY_CAP, "--sandbox", "-f", source_format, "-t", to, *args]
    pipe = subprocess.PIPE
    try:
        # The text reaches Pandoc from a file, not through a pipe Python feeds 4 KiB at
        # a time: each piece would wait for the interpreter, which a build's checks
        # hold while Pandoc runs (`publish.build`).
        with tempfile.TemporaryFile() as text:
            text.write(markdown.encode("utf-8"))
            text.seek(0)
            with subprocess.Popen(
                cmd, stdin=text, stdout=pipe, stderr=pipe, env=pandoc_env()
            ) as proc:
                started = STARTED.get()
                if started is not None:
                    started()
                out, err = proc.communicate()
    except OSError as exc:
        raise ToolMissing(f"cannot run pandoc ({exc}); reinstall it with: {INSTALL_HINT}") from exc
    if proc.returncode != 0:
        told = " ".join(err.decode("utf-8", "replace").split())
        raise BuildError(f"{what}: pandoc -t {to} failed (exit {proc.returncode}): {told}")
    return out
