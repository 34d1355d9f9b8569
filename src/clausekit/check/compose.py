"""The schema composed from a template's clauses.

The composed schema is what an agreement of the template must match: every
variable its clauses and the template declare, required unless it has a
default.  `clausekit schema` prints it for editors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from clausekit.errors import Problem
from clausekit.load.model import Library, Template
from clausekit.load.yamlpos import JsonPath, Located


class Declaration(NamedTuple):
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
    sources: list[tuple[str, dict[str, Any], Located]] = []
    for entry in template.outline.clause_entries():
        clause = lib.clauses.get(entry.clause or "")
        if clause is None or clause.id in seen:
            continue
        seen.add(clause.id)
        sources.append((clause.source.path, clause.variables, clause.meta))
    sources.append((template.source.path, template.variables, template.doc))
    for file, variables, located in sources:
        for name, schema in variables.items():
            if not isinstance(schema, dict):
                continue
            decl = Declaration(name, schema, file, ("variables", name))
            first = found.setdefault(name, decl)
            if first.schema != schema:
                problems.append(
                    Problem.at(
                        file,
                        located.key_pos(decl.path),
                        "variable-conflict",
                        f"variable {name!r} is declared differently in {first.file}; "
                        "a variable has one schema across an agreement",
                    )
                )
    return found, problems


def variables_schema(decls: dict[str, Declaration]) -> dict[str, Any]:
    props = {name: d.schema for name, d in sorted(decls.items())}
    required = sorted(n for n, d in decls.items() if "default" not in d.schema)
    return {
        "type": "object",
        "additionalProperties": False,
        "properties": props,
        "required": required,
    }


def composed_schema(
    lib: Library, template: Template, agreement_schema: dict[str, Any]
) -> dict[str, Any]:
    """The JSON Schema of this template's agreements, self-contained for editors."""
    decls, _ = declarations(lib, template)
    base = agreement_schema
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"Agreement: {template.title}",
        "type": "object",
        "required": base["required"],
        "additionalProperties": False,
        "properties": file_schema(base, template.id, variables_schema(decls))["properties"],
    }


def file_schema(
    base: Mapping[str, Any], template_id: str, variables: dict[str, Any]
) -> dict[str, Any]:
    """The agreement file schema `base` for one template: its id, its variables."""
    properties = {**base.get("properties", {}), "template": {"const": template_id}}
    return {**base, "properties": {**properties, "variables": variables}}
