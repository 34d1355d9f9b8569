"""`check.verdict` decides validity as jsonschema does, or leaves it to jsonschema.

A True where jsonschema finds an error would let a bad agreement be built; so
every verdict is compared with jsonschema's own, on generated schemas and values
and on every example agreement.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from clausekit.check import Checked, schemas
from clausekit.check.cache import ResultCache
from clausekit.check.formats import FORMAT_CHECKS
from clausekit.check.verdict import verdict
from clausekit.load import load_library

ROOT = Path(__file__).resolve().parents[1]
FORMATS = FORMAT_CHECKS

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.sampled_from([0.0, 1.0, 2.5, -1.5, float("nan")]),
    st.sampled_from([Decimal("1"), Decimal("2.50"), Decimal("0.125"), Decimal("-3")]),
    st.sampled_from(["", "a", "ab", "2026-12-01", "2026-13-01", "x@y.cn", "1,000", "甲方"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3),
    ),
    max_leaves=6,
)
numbers = st.one_of(st.integers(-3, 3), st.sampled_from([0.5, 2.0, 1.5]))
types = st.sampled_from(["string", "number", "integer", "boolean", "null", "object", "array"])
leaf_keywords = st.one_of(
    st.builds(lambda t: {"type": t}, st.one_of(types, st.lists(types, min_size=1, max_size=2))),
    st.builds(lambda v: {"enum": v}, st.lists(scalars, min_size=1, max_size=3)),
    st.builds(lambda v: {"const": v}, scalars),
    st.builds(
        lambda k, n: {k: n},
        st.sampled_from(["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"]),
        numbers,
    ),
    st.builds(lambda n: {"multipleOf": n}, st.sampled_from([1, 2, 0.5, 0.01])),
    st.builds(
        lambda k, n: {k: n},
        st.sampled_from(
            ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"]
        ),
        st.integers(0, 2),
    ),
    st.builds(lambda p: {"pattern": p}, st.sampled_from(["^a", "b", r"\d{4}"])),
    st.builds(lambda f: {"format": f}, st.sampled_from([*FORMATS, "uri", "ipv4"])),
    st.builds(lambda r: {"required": r}, st.lists(st.sampled_from(["a", "b"]), max_size=2)),
    st.just({"$ref": "#/$defs/x", "$defs": {"x": {"type": "string"}}}),
    st.just({"description": "x", "title": "y", "default": 1}),
    st.builds(lambda u: {"uniqueItems": u}, st.booleans()),
)


def _merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for part in parts:
        out.update(part)
    return out


schemas_ = st.recursive(
    st.one_of(st.builds(_merge, st.lists(leaf_keywords, max_size=3)), st.booleans()),
    lambda inner: st.one_of(
        st.builds(
            lambda props, extra: {"properties": props, "additionalProperties": extra},
            st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2),
            st.one_of(st.booleans(), inner),
        ),
        st.builds(lambda s: {"items": s}, inner),
        st.builds(
            lambda k, s: {k: s},
            st.sampled_from(["allOf", "anyOf", "oneOf"]),
            st.lists(inner, min_size=1, max_size=3),
        ),
        st.builds(lambda s: {"not": s}, inner),
        st.builds(lambda s: {"propertyNames": s}, inner),
        st.builds(lambda i, t, e: {"if": i, "then": t, "else": e}, inner, inner, inner),
        st.builds(lambda s: {"patternProperties": {"^a": s}}, inner),
    ),
    max_leaves=5,
)


def _jsonschema_valid(schema: Any, instance: Any) -> bool:
    validator = schemas.validator_for(schema) if isinstance(schema, dict) else None
    if validator is None:
        return bool(schema)
    return not any(True for _ in validator.iter_errors(instance))


@settings(max_examples=400, deadline=None)
@given(schemas_, values)
def test_verdict_agrees_with_jsonschema(schema: Any, instance: Any) -> None:
    found = verdict(schema, instance, FORMATS)
    if found is None:
        return  # left to jsonschema: always allowed
    try:
        expected = _jsonschema_valid(schema, instance)
    except Exception:  # a bad $ref, a Decimal divided by a float
        # The validator fails: False sends the agreement to it, True would skip it.
        assert found is False, (schema, instance)
        return
    assert found == expected, (schema, instance)


def test_unknown_keywords_and_formats_are_left_to_jsonschema() -> None:
    assert verdict({"$ref": "#/$defs/x"}, "a", FORMATS) is None
    assert verdict({"type": "string", "x-widget": "text"}, "a", FORMATS) is None
    assert verdict({"format": "uri"}, "a", FORMATS) is None
    # Inside `not`, an undecided branch leaves the whole schema undecided.
    assert verdict({"not": {"patternProperties": {"^a": False}}}, {"a": 1}, FORMATS) is None
    # As jsonschema tests it: a NaN is not less than the minimum.
    assert verdict({"minimum": 1}, float("nan"), FORMATS) is _jsonschema_valid(
        {"minimum": 1}, float("nan")
    )
    # A division Python refuses is jsonschema's to report, not a verdict.
    assert verdict({"multipleOf": 0.5}, Decimal("1.5"), FORMATS) is None


def test_every_example_agreement_is_decided_without_jsonschema() -> None:
    """The examples' schemas use only decided keywords: their edit loop imports no
    jsonschema, and each verdict is jsonschema's."""
    checked = Checked(load_library(ROOT), ResultCache(None, ""))
    base = checked.file_schema("agreement")
    assert checked.lib.agreements
    for agreement in checked.lib.agreements.values():
        template = checked.lib.templates[agreement.template_id]
        scope = checked.scope(template)
        draft = agreement.status == "draft"
        schema = scope.file_schema(draft, base)
        whole = agreement.doc.value
        if draft:
            whole = {**whole, "variables": _without_nulls(agreement.values)}
        found = verdict(schema, whole, FORMATS)
        assert found is True, agreement.id
        assert not list(Draft202012Validator(schema).iter_errors(whole)), agreement.id
        broken = {**whole, "variables": {**whole["variables"], "unknown-key": 1}}
        assert verdict(schema, broken, FORMATS) is False


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_nulls(v) for k, v in value.items() if v is not None}
    return value


def test_packaged_schema_files_are_valid() -> None:
    """A schema file with the packaged bytes is not checked against the meta-schema
    again (a cold build); that holds because these are valid."""
    for name in schemas.NAMES:
        schema = json.loads((schemas.PACKAGED / f"{name}.schema.json").read_text("utf-8"))
        Draft202012Validator.check_schema(schema)


def test_every_example_file_is_decided_against_the_schema_files() -> None:
    """Clause front matter and templates, through `$ref`s across the schema files: a
    cold build of a valid library needs no validator, and each verdict is its own."""
    checked = Checked(load_library(ROOT), ResultCache(None, ""))
    files: list[tuple[str, Any]] = [("clause", c.meta.value) for c in checked.lib.clauses.values()]
    files += [("template", t.doc.value) for t in checked.lib.templates.values()]
    for name, value in files:
        assert checked.file_valid(name, value), value
        assert checked.file_validator(name).is_valid(value)
    clause = dict(next(iter(checked.lib.clauses.values())).meta.value)
    for broken in (
        {**clause, "version": "one"},  # a pattern, through a $ref to $defs/semver
        {**clause, "tags": ["a", "a"]},  # uniqueItems
        {**clause, "variables": {"Bad Name": {"type": "string"}}},  # propertyNames
        {**clause, "unknown": 1},
    ):
        assert not checked.file_valid("clause", broken)
        assert not checked.file_validator("clause").is_valid(broken)
    template = dict(next(iter(checked.lib.templates.values())).doc.value)
    broken_template = {**template, "lang": "xx-nope-1"}  # urn:clausekit:clause#/$defs/lang
    assert not checked.file_valid("template", broken_template)
    assert not checked.file_validator("template").is_valid(broken_template)


def test_references_outside_the_documents_given_are_left_to_jsonschema() -> None:
    docs = {"urn:x": {"$defs": {"a": {"type": "string"}, "b": {"$ref": "#/$defs/a"}}}}
    assert verdict({"$ref": "urn:x#/$defs/b"}, "s", FORMATS, docs) is True
    assert verdict({"$ref": "urn:x#/$defs/b"}, 1, FORMATS, docs) is False
    assert verdict({"$ref": "urn:y#/$defs/a"}, "s", FORMATS, docs) is None
    assert verdict({"$ref": "urn:x#anchor"}, "s", FORMATS, docs) is None
    assert verdict({"$ref": "urn:x#/$defs/nope"}, "s", FORMATS, docs) is None
    assert (
        verdict({"properties": {"a": {"$id": "urn:z", "type": "string"}}}, {"a": 1}, FORMATS)
        is None
    )
