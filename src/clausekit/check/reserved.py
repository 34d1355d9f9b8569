"""Characters no clause, template or agreement may hold (`language.marks`).

clausekit marks text with private-use characters while it assembles and renders;
one typed into a file would be read as a mark (U+E004 `0` U+E005 printed
"第四条").  Each is reported at its line and column, before anything else reads
the file.  So is a "word" longer than `MAX_WORD` characters with no place to
break a line, which no contract prints and which the PDF would take minutes over.
"""

from __future__ import annotations

from collections.abc import Iterator

from clausekit.errors import Problem
from clausekit.language.limits import MAX_WORD, unbroken_runs
from clausekit.language.marks import private_use
from clausekit.load.model import Source


def reserved_characters(source: Source) -> Iterator[Problem]:
    for line, col, code in private_use(source.text):
        message = (
            f"{code} is a character clausekit reserves for its own marks (private use, "
            "or Linear B); remove it"
        )
        yield Problem(source.path, line, col, "character", message)
    for line, col, length in unbroken_runs(source.text):
        message = (
            f"{length:,} characters in a row with no space or other place to break a line "
            f"(at most {MAX_WORD:,}); add spaces"
        )
        yield Problem(source.path, line, col, "long-word", message)
