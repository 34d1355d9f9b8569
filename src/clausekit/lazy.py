"""A package's entry points, imported when first used (PEP 562 `__getattr__`).

A build that finds its document in the cache renders it without Jinja, PyYAML or
jsonschema (`clausekit.publish.quick`).  So a stage's package names its entry
points without importing the modules that hold them: `from clausekit.load import
load_library` imports `clausekit.load.library` then, and `clausekit.load.files`
alone stays light.  Type checkers read the names from the package's
`if TYPE_CHECKING:` imports.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from importlib import import_module


def exports(package: str, where: Mapping[str, str]) -> Callable[[str], object]:
    """The `__getattr__` of `package`: each name in `where` from its module there."""

    def __getattr__(name: str) -> object:
        module = where.get(name)
        if module is None:  # also how `from package import submodule` falls back
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        return getattr(import_module(f"{package}.{module}"), name)

    return __getattr__
