"""Whether a value is valid under a JSON Schema, decided without jsonschema.

Building one agreement after editing one of its values must validate that value,
and importing jsonschema (with its registry of meta-schemas) costs more than the
rest of the check.  Agreement schemas use a handful of keywords; for those, this
module decides validity exactly as jsonschema's draft 2020-12 validator does
(the same type rules, the same `equal`, `re.search` for `pattern`, the contract
formats' own checks).  It answers with three values:

* True: valid;
* False: invalid (the caller asks jsonschema for the messages);
* None: a keyword, format or value this module does not decide (a `$ref`, an
  unknown format, a comparison that raises), anywhere in the schema the value
  meets: the caller asks jsonschema.

`$ref`s are followed within the documents given (the schema files, by the URIs
the validator's registry knows them by, and `#/…` pointers within the document a
reference sits in); any other reference is left to jsonschema.

So it can only ever send a file to jsonschema, never let through one that
jsonschema refuses.  A schema object with a keyword outside the list below is
left to jsonschema whole: some keywords change what their siblings mean
(`patternProperties` what `additionalProperties` counts, `prefixItems` where
`items` starts), and a False inside `not` or `if` must be exact too.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

Verdict = bool | None

# Keywords that never change validity (and `then`/`else`, which `if` applies).
PASSIVE = frozenset(
    {
        "$schema",
        "$id",
        "$comment",
        "$defs",
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "then",
        "else",
    }
)


Formats = Mapping[str, Callable[[Any], bool]]


class _Context(NamedTuple):
    formats: Formats
    documents: Mapping[str, Any]  # by URI
    base: Any  # the document the schema being applied sits in


def verdict(
    schema: Any, instance: Any, formats: Formats, documents: Mapping[str, Any] | None = None
) -> Verdict:
    """Whether `instance` is valid under `schema`; None when this cannot tell.

    `formats` are the checks of the format checker jsonschema would use; a format
    not among them is left to jsonschema.  `documents` are the schemas a `$ref` may
    name by URI (`urn:clausekit:clause`)."""
    try:
        return _verdict(schema, instance, _Context(formats, documents or {}, schema))
    except (TypeError, ValueError, ArithmeticError, re.error, RecursionError):
        return None  # what jsonschema makes of it is for jsonschema to say


def _verdict(schema: Any, instance: Any, ctx: _Context) -> Verdict:
    if schema is True or schema is False:
        return schema
    if not isinstance(schema, dict):
        return None
    if any(key not in KEYWORDS and key not in PASSIVE for key in schema):
        return None
    if "$id" in schema and schema is not ctx.base:
        return None  # a new base URI inside a document: jsonschema's to follow
    return _all(
        [KEYWORDS[k](arg, instance, schema, ctx) for k, arg in schema.items() if k not in PASSIVE]
    )


def _all(found: Sequence[Verdict]) -> Verdict:
    # Undecided anywhere is undecided everywhere: that part may be one jsonschema
    # cannot even evaluate (a `$ref` to nowhere), beside a failing or a valid one.
    return None if None in found else False not in found


def _is_type(instance: Any, name: Any) -> Verdict:
    if name == "string":
        return isinstance(instance, str)
    if name == "object":
        return isinstance(instance, dict)
    if name == "array":
        return isinstance(instance, list)
    if name == "boolean":
        return isinstance(instance, bool)
    if name == "null":
        return instance is None
    if name == "number":
        return _is_number(instance)
    if name == "integer":  # draft 6 on: a float with no fraction is an integer too
        if isinstance(instance, bool):
            return False
        return isinstance(instance, int) or (isinstance(instance, float) and instance.is_integer())
    return None


def _is_number(instance: Any) -> bool:
    return not isinstance(instance, bool) and isinstance(instance, numbers.Number)


def _equal(one: Any, two: Any) -> bool:
    """jsonschema's equality: `True` is not `1`, in lists and mappings too."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(_equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return one.keys() == two.keys() and all(_equal(one[k], two[k]) for k in one)
    return bool(_unbool(one) == _unbool(two))


_TRUE, _FALSE = object(), object()


def _unbool(value: Any) -> Any:
    return _TRUE if value is True else _FALSE if value is False else value


Check = Callable[[Any, Any, dict[str, Any], _Context], Verdict]


def _type(arg: Any, instance: Any, _s: dict[str, Any], _c: _Context) -> Verdict:
    names = arg if isinstance(arg, list) else [arg]
    found = [_is_type(instance, n) for n in names]
    return None if None in found else True in found


def _enum(arg: Any, instance: Any, _s: dict[str, Any], _c: _Context) -> Verdict:
    if not isinstance(arg, list):
        return None
    return any(_equal(each, instance) for each in arg)


def _const(arg: Any, instance: Any, _s: dict[str, Any], _c: _Context) -> Verdict:
    return _equal(instance, arg)


def _bound(test: Callable[[Any, Any], bool]) -> Check:
    def check(arg: Any, instance: Any, _s: dict[str, Any], _c: _Context) -> Verdict:
        return not _is_number(instance) or bool(test(instance, arg))

    return check


def _multiple_of(arg: Any, instance: Any, _s: dict[str, Any], _c: _Context) -> Verdict:
    if not _is_number(instance):
        return True
    if isinstance(arg, float):
        quotient = instance / arg
        return bool(int(quotient) == quotient)
    return not instance % arg


def _length(
    test: Callable[[int, Any], bool], kind: type[str | list[Any] | dict[str, Any]]
) -> Check:
    def check(arg: Any, instance: Any, _s: dict[str, Any], _c: _Context) -> Verdict:
        return not isinstance(instance, kind) or bool(test(len(instance), arg))

    return check


def _pattern(arg: Any, instance: Any, _s: dict[str, Any], _c: _Context) -> Verdict:
    return not isinstance(instance, str) or re.search(arg, instance) is not None


def _format(arg: Any, instance: Any, _s: dict[str, Any], ctx: _Context) -> Verdict:
    check = ctx.formats.get(arg)
    return None if check is None else bool(check(instance))


def _required(arg: Any, instance: Any, _s: dict[str, Any], _c: _Context) -> Verdict:
    return not isinstance(instance, dict) or all(name in instance for name in arg)


def _properties(arg: Any, instance: Any, _s: dict[str, Any], ctx: _Context) -> Verdict:
    if not isinstance(instance, dict):
        return True
    return _all([_verdict(sub, instance[k], ctx) for k, sub in arg.items() if k in instance])


def _additional(arg: Any, instance: Any, schema: dict[str, Any], ctx: _Context) -> Verdict:
    if not isinstance(instance, dict):
        return True
    extras = [k for k in instance if k not in schema.get("properties", {})]
    if isinstance(arg, dict):
        return _all([_verdict(arg, instance[k], ctx) for k in extras])
    return bool(arg) or not extras


def _items(arg: Any, instance: Any, _s: dict[str, Any], ctx: _Context) -> Verdict:
    if not isinstance(instance, list):
        return True
    return _all([_verdict(arg, item, ctx) for item in instance])


def _all_of(arg: Any, instance: Any, _s: dict[str, Any], ctx: _Context) -> Verdict:
    return _all([_verdict(sub, instance, ctx) for sub in arg])


def _any_of(arg: Any, instance: Any, _s: dict[str, Any], ctx: _Context) -> Verdict:
    found = [_verdict(sub, instance, ctx) for sub in arg]
    return None if None in found else True in found


def _one_of(arg: Any, instance: Any, _s: dict[str, Any], ctx: _Context) -> Verdict:
    found = [_verdict(sub, instance, ctx) for sub in arg]
    return None if None in found else found.count(True) == 1


def _not(arg: Any, instance: Any, _s: dict[str, Any], ctx: _Context) -> Verdict:
    found = _verdict(arg, instance, ctx)
    return None if found is None else not found


def _if(arg: Any, instance: Any, schema: dict[str, Any], ctx: _Context) -> Verdict:
    found = _verdict(arg, instance, ctx)
    if found is None:
        return None
    branch = "then" if found else "else"
    return _verdict(schema[branch], instance, ctx) if branch in schema else True


def _unique(arg: Any, instance: Any, _s: dict[str, Any], _c: _Context) -> Verdict:
    if not isinstance(instance, list) or not arg:
        return True
    # Decided for text alone, or whole numbers alone (where `==` is jsonschema's equal).
    if all(isinstance(item, str) for item in instance) or all(
        isinstance(item, int) and not isinstance(item, bool) for item in instance
    ):
        return len(set(instance)) == len(instance)
    return None


def _property_names(arg: Any, instance: Any, _s: dict[str, Any], ctx: _Context) -> Verdict:
    if not isinstance(instance, dict):
        return True
    return _all([_verdict(arg, name, ctx) for name in instance])


def _ref(arg: Any, instance: Any, _s: dict[str, Any], ctx: _Context) -> Verdict:
    """A reference to a document given, or to a JSON pointer within one."""
    if not isinstance(arg, str) or "%" in arg:
        return None
    uri, _, fragment = arg.partition("#")
    document = ctx.base if uri == "" else ctx.documents.get(uri)
    if document is None or (fragment and not fragment.startswith("/")):
        return None  # another document, or an anchor
    target = document
    for part in fragment.split("/")[1:] if fragment else []:
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, dict) or part not in target:
            return None
        target = target[part]
    return _verdict(target, instance, ctx._replace(base=document))


KEYWORDS: dict[str, Check] = {
    "type": _type,
    "enum": _enum,
    "const": _const,
    # Spelled as jsonschema tests them (a NaN compares false both ways).
    "minimum": _bound(lambda v, a: not v < a),
    "maximum": _bound(lambda v, a: not v > a),
    "exclusiveMinimum": _bound(lambda v, a: not v <= a),
    "exclusiveMaximum": _bound(lambda v, a: not v >= a),
    "multipleOf": _multiple_of,
    "minLength": _length(lambda n, a: n >= a, str),
    "maxLength": _length(lambda n, a: n <= a, str),
    "minItems": _length(lambda n, a: n >= a, list),
    "maxItems": _length(lambda n, a: n <= a, list),
    "minProperties": _length(lambda n, a: n >= a, dict),
    "maxProperties": _length(lambda n, a: n <= a, dict),
    "pattern": _pattern,
    "format": _format,
    "required": _required,
    "properties": _properties,
    "additionalProperties": _additional,
    "items": _items,
    "allOf": _all_of,
    "anyOf": _any_of,
    "oneOf": _one_of,
    "not": _not,
    "if": _if,
    "uniqueItems": _unique,
    "propertyNames": _property_names,
    "$ref": _ref,
}
