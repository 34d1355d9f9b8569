"""Bounds on the work a clause body or a template expression may ask for.

The sandbox keeps templates away from Python's internals, but not from work: one
`{{ '%0999999999d' % 1 }}`, `('a' * 10**9) | length` or ten nested loops held
`check` past a minute at a gigabyte.  Each bound below is far above what a contract
needs, and going past one is an error with its place (`LimitExceeded`, a
`ValueError`, reported like any other value error of a clause or a rule).
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any

MAX_TEXT = 1_000_000  # characters (or items) of a text or list a template makes
MAX_WIDTH = 1_000  # a `%` field's width or precision
MAX_DIGITS = 10_000  # digits of a power
MAX_STEPS = 200_000  # loop iterations and calls in one rendering of a clause
MAX_DEPTH = 50  # macro calls inside macro calls
MAX_OUTPUT = 10_000_000  # characters of values printed in one rendering
MAX_WORD = 1_000  # characters in a row with no place to break a line

# A run of characters a line cannot break inside: no space, and none of the CJK
# letters and punctuation a line may break between.  typst spends seconds per
# kilobyte laying out such a run (a 100 KB "word" held the PDF for half a minute),
# and no contract prints one: the longest real ones are URLs of a few hundred.
# Long runs without a space are found first (a cheap pattern); only those are
# searched for CJK-free stretches, whose pattern (a large character class) takes
# milliseconds to compile, so it is compiled on first need.
_NO_SPACE = re.compile(f"\\S{{{MAX_WORD + 1},}}")


@functools.cache
def _unbroken() -> re.Pattern[str]:
    cjk = "\u2e80-\u303f\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef"
    return re.compile(f"[^{cjk}]{{{MAX_WORD + 1},}}")


def unbroken_runs(text: str) -> Iterator[tuple[int, int, int]]:
    """Each run in `text` longer than MAX_WORD: its 1-based line, column and length."""
    for word in _NO_SPACE.finditer(text):
        for m in _unbroken().finditer(word.group(0)):
            at = word.start() + m.start()
            line = text.count("\n", 0, at) + 1
            col = at - (text.rfind("\n", 0, at) + 1) + 1
            yield line, col, m.end() - m.start()


@functools.cache
def _percent_field() -> re.Pattern[str]:
    """`%(name)-08.3f`: the flags, then the width and precision we bound (compiled
    for the first `%` applied to a text; few templates have one)."""
    return re.compile(r"%(?:\([^)]*\))?[-+ #0]*(\*|\d+)?(?:\.(\*|\d+))?")


class LimitExceeded(ValueError):
    """A template asked for more work or memory than any contract needs."""


class Budget:
    """The steps left in one rendering, and the depth of macro calls."""

    def __init__(self) -> None:
        self.steps = MAX_STEPS
        self.depth = 0
        self.output = MAX_OUTPUT

    def step(self) -> None:
        self.steps -= 1
        if self.steps < 0:
            raise LimitExceeded(f"loops and calls ran more than {MAX_STEPS:,} times")

    def emit(self, text: str) -> None:
        self.output -= len(text)
        if self.output < 0:
            raise LimitExceeded(f"the values printed exceed {MAX_OUTPUT:,} characters")


BUDGET: ContextVar[Budget | None] = ContextVar("budget", default=None)


def counted(iterable: Iterable[Any]) -> Iterator[Any]:
    """A loop's items, each a step of the rendering's budget."""
    budget = BUDGET.get() or Budget()  # outside a rendering: this loop alone
    for item in iterable:
        budget.step()
        yield item


def check_binop(operator: str, left: Any, right: Any) -> None:
    """Refuse `*`, `**`, `%` and `+` whose result would be out of bounds."""
    if operator == "*":
        for seq, n in ((left, right), (right, left)):
            if isinstance(seq, str | list | tuple) and isinstance(n, int) and n > 0:
                _size(len(seq) * n)
    elif operator == "**" and _is_int(left) and _is_int(right):
        if abs(left) > 1 and right > 0 and right * math.log10(abs(left)) > MAX_DIGITS:
            raise LimitExceeded(f"{left} ** {right} has more than {MAX_DIGITS:,} digits")
    elif operator == "%" and isinstance(left, str):
        for m in _percent_field().finditer(left):
            for number in m.groups():
                if number == "*" or (number is not None and int(number) > MAX_WIDTH):
                    raise LimitExceeded(
                        f"a % field of {m.group(0)!r} is wider than {MAX_WIDTH:,} characters"
                    )
    elif operator == "+" and isinstance(left, str | list | tuple) and hasattr(right, "__len__"):
        _size(len(left) + len(right))


def check_size(value: Any) -> None:
    if isinstance(value, str | list | tuple):
        _size(len(value))


def _size(n: int) -> None:
    if n > MAX_TEXT:
        raise LimitExceeded(f"a text or list of {n:,} characters or items (at most {MAX_TEXT:,})")


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
