"""A template's outline and the schema composed from its clauses.

The outline is the template's `preamble`/`body`/`signature` read into typed
entries that remember where in the template file they were written.  The
composed schema is what an agreement of the template must match: every
variable its clauses and the template declare, required unless it has a
default.  `clausekit schema` prints it for editors.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

from .errors import Problem
from .model import Library, Template
from .schemas import file_validator, schema_folder
from .yamlpos import JsonPath


@dataclass(frozen=True)
class Entry:
    """One place in a template: a clause, or a group heading with children."""

    path: JsonPath  # where it is written in the template file
    clause: str | None = None
    heading: str | None = None
    when: str | None = None
    children: tuple[Entry, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Outline:
    preamble: tuple[Entry, ...]
    body: tuple[Entry, ...]
    signature: Entry | None

    def clause_entries(self) -> Iterator[Entry]:
        """Every clause entry, in document order."""
        yield from self.preamble
        yield from _flatten(self.body)
        if self.signature:
            yield self.signature


def _flatten(entries: tuple[Entry, ...]) -> Iterator[Entry]:
    for e in entries:
        if e.clause:
            yield e
        yield from _flatten(e.children)


def outline(template: Template) -> Outline:
    data = template.data
    pre = tuple(
        Entry(("preamble", i), clause=c)
        for i, c in enumerate(data.get("preamble") or [])
        if isinstance(c, str)
    )
    body = tuple(_entries(data.get("body"), ("body",)))
    sig = data.get("signature")
    return Outline(pre, body, Entry(("signature",), clause=sig) if isinstance(sig, str) else None)


def _entries(items: Any, base: JsonPath) -> Iterator[Entry]:
    if not isinstance(items, list):
        return
    for i, item in enumerate(items):
        path = (*base, i)
        if isinstance(item, str):
            yield Entry(path, clause=item)
        elif isinstance(item, dict) and isinstance(item.get("clause"), str):
            yield Entry(path, clause=item["clause"], when=_opt_str(item.get("when")))
        elif isinstance(item, dict) and isinstance(item.get("heading"), str):
            children = tuple(_entries(item.get("children"), (*path, "children")))
            yield Entry(
                path, heading=item["heading"], when=_opt_str(item.get("when")), children=children
            )


def _opt_str(v: Any) -> str | None:
    return v if isinstance(v, str) else None


@dataclass(frozen=True)
class Declaration:
    """A variable declared in a clause's front matter or a template."""

    name: str
    schema: dict[str, Any]
    file: str  # repository-relative path of the declaring file
    path: JsonPath  # within that file's YAML


def declarations(lib: Library, template: Template) -> tuple[dict[str, Declaration], list[Problem]]:
    """All variables of a template's agreements; a name declared two ways is a problem."""
    found: dict[str, Declaration] = {}
    problems: list[Problem] = []
    seen: set[str] = set()
    sources: list[tuple[str, dict[str, Any], str]] = []
    for entry in outline(template).clause_entries():
        clause = lib.clauses.get(entry.clause or "")
        if clause is None or clause.id in seen:
            continue
        seen.add(clause.id)
        sources.append((clause.source.path, clause.variables, "clause"))
    sources.append((template.source.path, template.variables, "template"))
    for file, variables, _kind in sources:
        for name, schema in variables.items():
            if not isinstance(schema, dict):
                continue
            decl = Declaration(name, schema, file, ("variables", name))
            first = found.get(name)
            if first is None:
                found[name] = decl
            elif first.schema != schema:
                located = _located_for(lib, file)
                pos = located.key_pos(decl.path) if located else None
                problems.append(
                    Problem(
                        file,
                        pos.line if pos else 1,
                        pos.col if pos else 1,
                        "variable-conflict",
                        f"variable {name!r} is declared differently in {first.file}; "
                        "a variable has one schema across an agreement",
                    )
                )
    return found, problems


def _located_for(lib: Library, file: str) -> Any:
    for c in lib.clauses.values():
        if c.source.path == file:
            return c.meta
    for t in lib.templates.values():
        if t.source.path == file:
            return t.doc
    return None


def variables_schema(decls: dict[str, Declaration]) -> dict[str, Any]:
    props = {name: d.schema for name, d in sorted(decls.items())}
    required = sorted(n for n, d in decls.items() if "default" not in d.schema)
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": props,
        "required": required,
    }


def composed_schema(lib: Library, template: Template) -> dict[str, Any]:
    """The JSON Schema of this template's agreements, self-contained for editors."""
    decls, _ = declarations(lib, template)
    base = cast(dict[str, Any], file_validator(schema_folder(lib.root), "agreement").schema)
    props = dict(base["properties"])
    props["template"] = {"const": template.id}
    props["variables"] = variables_schema(decls)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Agreement: {template.title}",
        "type": "object",
        "required": base["required"],
        "additionalProperties": False,
        "properties": props,
    }
