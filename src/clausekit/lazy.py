"""A package's entry points, imported when first used (PEP 562 `__getattr__`).

A build that finds its document in the cache renders it without Jinja, PyYAML or
jsonschema (`clausekit.publish.quick`).  So a stage's package names its entry
points without importing the modules that hold them: `from clausekit.load import
load_library` imports `clausekit.load.library` then, and `clausekit.load.files`
alone stays light.  Type checkers read the names from the package's
`if TYPE_CHECKING:` imports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import import_module


def exports(package: str, names: Iterable[str], modules: Iterable[str]) -> Callable[[str], object]:
    """The `__getattr__` of `package`: each of `names` from the first of its `modules`
    that has it (list the light ones first: those tried are imported)."""
    public, where = frozenset(names), tuple(modules)

    def __getattr__(name: str) -> object:
        if name in public:
            for module in where:
                found = import_module(f"{package}.{module}")
                if hasattr(found, name):
                    return getattr(found, name)
        # Also how `from package import submodule` falls back to importing it.
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    return __getattr__
