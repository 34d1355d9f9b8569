"""Stage 2, check: every problem of a library, each with its file, line and column.

Rules are generators, like jsonschema's `iter_errors`: they yield every
problem and never stop at the first.  `Checked(lib)` is the stage's entry and
its hand-off to assembly: the library with each template's scope (problems,
composed schema, compiled expressions) derived once.  Problems that only
rendering can find (a `ref` to a clause an agreement leaves out) are
assembly's; `publish.verify` runs both for `clausekit check`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from clausekit.lazy import exports

if TYPE_CHECKING:
    from clausekit.check.checked import Checked
    from clausekit.check.scope import TemplateScope
    from clausekit.check.values import Values, blank_values

__all__ = ["Checked", "TemplateScope", "Values", "blank_values"]
__getattr__ = exports(__name__, __all__, ("values", "scope", "checked"))
