"""What a check rule may ask of the checked library, as a protocol.

Rules (`clauses.py`, `templates.py`) take a `CheckContext`, implemented by
`Checked`: they read the library and the results derived once (a clause's
analysis, its problems, the file schemas) without importing `Checked`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from clausekit.check.analysis import Analysis
from clausekit.errors import Problem
from clausekit.load.model import Clause, Library

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator


class CheckContext(Protocol):
    @property
    def lib(self) -> Library: ...

    def analysis(self, clause: Clause) -> Analysis | Problem:
        """The clause body's static analysis, or its Jinja syntax problem."""
        ...

    def clause_problems(self, clause: Clause) -> tuple[Problem, ...]:
        """Every problem of the clause file itself (load problems included)."""
        ...

    def file_valid(self, name: str, instance: Any) -> bool:
        """Whether `instance` is surely valid under `schema/<name>.schema.json`, found
        without building a validator (False: ask `file_validator`)."""
        ...

    def file_validator(self, name: str) -> Draft202012Validator:
        """The validator of `schema/<name>.schema.json`."""
        ...
