"""Clause bodies compiled by Jinja, kept on disk by the digest of what makes them.

Building one agreement after editing a value renders each of its clauses, and
compiling a body (Jinja's parse, its code generator, Python's `compile`) costs more
than rendering it.  The compiled code follows from the body's text and where it is
read from, Jinja, Python and clausekit's sandbox (all in the key, through the result
cache's salt: clausekit's version and code, the installed distributions); so it is
kept, marshalled, in the user's cache folder, as Jinja's own bytecode cache does.
A file that does not read back as code is a miss: compiled afresh, then replaced.
"""

from __future__ import annotations

import marshal
import sys
from collections.abc import Callable
from pathlib import Path
from types import CodeType

from clausekit.cachefiles import write_cache_file
from clausekit.check.cache import digest

FORMAT = 1


def kept_code(
    folder: Path | None, salt: str, path: str, body: str, make: Callable[[], CodeType]
) -> CodeType:
    """The code of `body` (read from `path`), from `folder` when kept there."""
    if folder is None:
        return make()
    key = digest("jinja-code", str(FORMAT), salt, sys.version, path, body)
    file = folder / f"{key[:40]}.code"
    try:
        code = marshal.loads(file.read_bytes())
        if isinstance(code, CodeType):
            return code
    except (OSError, ValueError, EOFError, TypeError):
        pass  # absent, damaged, of another Python: compiled afresh, then replaced
    code = make()
    write_cache_file(file, marshal.dumps(code))
    return code
