"""Dotted names checked against the composed schema: `term.strat` is a typo, found
without any agreement.

A chain (`check.analysis.Chain`) is walked through the schema of its first
name: object properties, list items (a loop variable stands for an item), and
the attributes Python gives the typed values clauses see (dates, decimals,
text).  The first name that the schema does not know is the problem, with
the closest known name when one is close.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from clausekit.check.analysis import ITEM, Chain, Use
from clausekit.check.compose import Declaration
from clausekit.check.suggest import did_you_mean


def _public(kind: type) -> frozenset[str]:
    return frozenset(a for a in dir(kind) if not a.startswith("_"))


# What Jinja can reach on the values clauses see (see check.schemas.coerce).
DATE_ATTRS = frozenset(
    {"year", "month", "day", "weekday", "isoweekday", "isoformat", "toordinal", "replace"}
)
NUMBER_ATTRS = _public(Decimal) | _public(int)
TEXT_ATTRS = _public(str)
LIST_ATTRS = _public(list)
MAPPING_ATTRS = frozenset({"keys", "values", "items", "get"})


def _types(schema: Mapping[str, Any]) -> set[str]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return {kind}
    if isinstance(kind, list):
        return {str(k) for k in kind}
    if "properties" in schema:
        return {"object"}
    if "items" in schema:
        return {"array"}
    return set()


def schema_at(decls: Mapping[str, Declaration], path: tuple[str, ...]) -> dict[str, Any] | None:
    """The schema of the value at `path` (`ITEM` for a list's items); None when unknown."""
    decl = decls.get(path[0]) if path else None
    schema: Any = decl.schema if decl else None
    for part in path[1:]:
        if not isinstance(schema, dict):
            return None
        if part == ITEM:
            schema = schema.get("items")
        else:
            props = schema.get("properties") or {}
            schema = props.get(part, schema.get("additionalProperties"))
    return schema if isinstance(schema, dict) else None


def chain_problem(decls: Mapping[str, Declaration], chain: Chain) -> tuple[Use, str] | None:
    """The first attribute of `chain` its schema does not have, and a message that says so."""
    if chain.base[0] not in decls:
        return None  # undeclared or computed: reported (or typed) elsewhere
    schema = schema_at(decls, chain.base)
    for i, attr in enumerate(chain.attrs):
        if schema is None:
            return None
        owner = _owner(chain, i)
        kinds = _types(schema)
        if "object" in kinds:
            props = schema.get("properties") or {}
            if attr.name in props:
                schema = props[attr.name]
                continue
            extra = schema.get("additionalProperties")
            if isinstance(extra, dict):
                schema = extra
                continue
            if extra is True or "patternProperties" in schema or attr.name in MAPPING_ATTRS:
                return None
            if len(kinds) == 1:
                return attr, _missing(chain, i, owner, sorted(props))
        allowed, what = _attributes(schema, kinds)
        if allowed is None or attr.name in allowed:
            return None  # a method's result is not typed: stop here
        return attr, f"{chain.text(i + 1)}: {owner} is {what}, with no {attr.name!r}" + (
            did_you_mean(attr.name, allowed) or _list_hint(chain, i, what)
        )
    return None


def _owner(chain: Chain, i: int) -> str:
    """How the value before the i-th attribute is named in a message."""
    if i == 0 and chain.base[-1] == ITEM:
        return f"{chain.root.name!r} (an item of {_dotted(chain.base[:-1])!r})"
    return repr(chain.text(i))


def _dotted(path: tuple[str, ...]) -> str:
    return ".".join(p for p in path if p != ITEM)


def _missing(chain: Chain, i: int, owner: str, props: list[str]) -> str:
    attr = chain.attrs[i].name
    message = f"{chain.text(i + 1)}: {owner} has no {attr!r}"
    hint = did_you_mean(attr, props)
    if not hint and props and len(props) <= 8:
        hint = f" (it has {', '.join(props)})"
    return message + hint


def _attributes(schema: Mapping[str, Any], kinds: set[str]) -> tuple[frozenset[str] | None, str]:
    if kinds == {"string"} and schema.get("format") == "date":
        return DATE_ATTRS, "a date"
    if kinds == {"string"}:
        return TEXT_ATTRS, "text"
    if kinds and kinds <= {"number", "integer"}:
        return NUMBER_ATTRS, "a number"
    if kinds == {"boolean"}:
        return frozenset(), "yes or no"
    if kinds == {"array"}:
        return LIST_ATTRS, "a list"
    return None, ""  # several types, or none: anything may be there


def _list_hint(chain: Chain, i: int, what: str) -> str:
    if what != "a list":
        return ""
    return (
        f": loop over its items, {{% for item in {chain.text(i)} %}}"
        f"{{{{ item.{chain.attrs[i].name} }}}}{{% endfor %}}"
    )
