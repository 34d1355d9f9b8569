"""The JSON Schemas of clausekit's files, and how their errors are reported.

The rules live in `schema/*.json` (draft 2020-12) and nowhere else: this
module only loads them, adds the contract formats (`money`, `percent`,
`date`) to the format checker, and turns jsonschema's errors, which carry
paths, into `Problem`s that carry file positions.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from clausekit.check.cache import ResultCache, digest
from clausekit.check.formats import FORMAT_CHECKS, is_date
from clausekit.check.suggest import did_you_mean
from clausekit.errors import Problem, ProblemsFound
from clausekit.ids import ID_RE, why_invalid
from clausekit.load.files import escape_problem, inside
from clausekit.load.model import Source
from clausekit.load.yamlpos import JsonPath, Located

PACKAGED = Path(__file__).parents[1] / "schemas"
NAMES = ("clause", "template", "agreement")
ID_PATTERN = f"^{ID_RE.pattern}$"  # the id pattern as the schema files spell it

if TYPE_CHECKING:
    from jsonschema import Draft202012Validator, FormatChecker
    from jsonschema.exceptions import ValidationError

# jsonschema is imported only when something is validated: a build whose
# results are all cached never pays for it.


def _format_checker() -> FormatChecker:
    """The draft's format checker with the contract formats added."""
    from jsonschema import FormatChecker

    checker = FormatChecker()
    for name, check in FORMAT_CHECKS.items():
        checker.checks(name)(check)
    return checker


def documents(contents: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """The schema files by the URIs `file_validators` registers them under."""
    return {f"urn:clausekit:{n}": c for n, c in contents.items()}


def read_schemas(folder: Path, results: ResultCache | None = None) -> dict[str, dict[str, Any]]:
    """The schema files in `folder`, by name, each checked against the draft's
    meta-schema (see `file_validators`)."""
    return {n: _read(folder, n, results) for n in NAMES}


def file_validators(
    folder: Path, results: ResultCache | None = None
) -> dict[str, Draft202012Validator]:
    """The validators of the schema files in `folder`, by name (`clause`, …).

    Each file is checked against the draft's meta-schema, which takes longer than
    validating an agreement; with `results`, a file found valid is not checked again
    while its bytes are the same (`results` is salted with the jsonschema version)."""
    from jsonschema import Draft202012Validator
    from jsonschema_specifications import REGISTRY as SPECIFICATIONS
    from referencing import Registry, Resource

    formats = _format_checker()
    contents = read_schemas(folder, results)
    resources = [(uri, Resource.from_contents(c)) for uri, c in documents(contents).items()]
    # Crawled once, together with the draft 2020-12 meta-schemas that variable
    # declarations are checked against: otherwise every $ref lookup re-crawls.
    registry: Registry = SPECIFICATIONS.with_resources(resources).crawl()
    return {
        n: Draft202012Validator(c, registry=registry, format_checker=formats)
        for n, c in contents.items()
    }


def _read(folder: Path, name: str, results: ResultCache | None = None) -> dict[str, Any]:
    """A schema file, itself checked: a broken schema/ is reported, not a traceback."""
    path = folder / f"{name}.schema.json"
    shown = f"schema/{path.name}"
    # Confinement is checked on every run, never kept: it is not a property of the bytes.
    if folder != PACKAGED and not inside(folder.parent, path):
        raise ProblemsFound([escape_problem(folder.parent, path)])
    try:
        raw = path.read_bytes()
        data = json.loads(raw.decode("utf-8"))
    except json.JSONDecodeError as exc:
        raise ProblemsFound(
            [Problem(shown, exc.lineno, exc.colno, "schema-file", exc.msg)]
        ) from exc
    except UnicodeDecodeError as exc:
        msg = f"not UTF-8 text: {exc.reason}"
        raise ProblemsFound([Problem(shown, 1, 1, "schema-file", msg)]) from exc
    except OSError as exc:
        raise ProblemsFound([Problem(shown, 1, 1, "schema-file", str(exc.strerror))]) from exc
    if isinstance(data, dict) and raw == _packaged(name):
        return data  # the text clausekit ships, valid (tests/test_check_verdict.py)
    key = validity_key(raw)
    if results is not None and results.rows(key) == [] and isinstance(data, dict):
        return data  # this very text was found valid before (only success is kept)
    from jsonschema import Draft202012Validator

    errors = list(Draft202012Validator(Draft202012Validator.META_SCHEMA).iter_errors(data))
    if not isinstance(data, dict) or errors:
        msg = errors[0].message if errors else "a schema file holds a JSON object"
        raise ProblemsFound(
            [Problem(shown, 1, 1, "schema-file", f"not a valid JSON Schema: {msg}")]
        )
    if results is not None:
        results.put_rows(key, [])
    return data


def _packaged(name: str) -> bytes | None:
    """The bytes of the schema file clausekit ships under `name`."""
    try:
        return (PACKAGED / f"{name}.schema.json").read_bytes()
    except OSError:
        return None


def validity_key(raw: bytes) -> str:
    """The result-cache key under which a schema file's text is kept as found valid."""
    return digest("schema-file", hashlib.sha256(raw).hexdigest())


def keep_validity(folder: Path, results: ResultCache) -> None:
    """Mark the schema files' validity as used by this run, so that a run that needs no
    validator (every agreement found clean before) does not prune it."""
    for name in NAMES:
        try:
            results.touch(validity_key((folder / f"{name}.schema.json").read_bytes()))
        except OSError:
            continue  # reported when a validator is needed


def schema_folder(root: Path) -> Path:
    """The repository's own `schema/` when it has one (the files users see), else the packaged
    copy."""
    own = root / "schema"
    return own if (own / "clause.schema.json").is_file() else PACKAGED


def validator_for(schema: dict[str, Any]) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(schema, format_checker=_format_checker())


def problems(
    validator: Draft202012Validator,
    instance: Any,
    source: Source,
    located: Located,
    base: JsonPath = (),
) -> Iterator[Problem]:
    """Every schema error of `instance` (found at `base` in `located`) as a Problem."""
    from jsonschema.exceptions import best_match

    for error in validator.iter_errors(instance):
        # For oneOf/anyOf, report the branch that came closest, not the sum.
        err = best_match(error.context) if error.context else error
        path: JsonPath = (*base, *err.absolute_path)
        pos = located.pos(path)
        if err.validator == "required" and isinstance(err.instance, dict):
            # One line per missing value: each is a separate blank to fill in.
            for name in err.validator_value:
                if name not in err.instance:
                    msg = f"{dotted(path)}: required {name!r} is not set"
                    yield Problem(source.path, pos.line, pos.col, "schema", msg)
            continue
        unknown = _unknown_keys(err, path)
        if unknown:
            # One line per unknown key, at the key itself: the likely typo is there.
            for key, msg in unknown:
                at = located.key_pos((*path, key))
                yield Problem(source.path, at.line, at.col, "schema", msg)
            continue
        raw = _written(source.text, pos.line, pos.col)
        yield Problem(source.path, pos.line, pos.col, "schema", describe(err, path, raw))


def _unknown_keys(err: ValidationError, path: JsonPath) -> list[tuple[str, str]]:
    """For an `additionalProperties` error in a value (not in a variable's definition,
    which `describe` explains): each unknown key with its message and a suggestion."""
    v = err.instance
    if err.validator != "additionalProperties" or not isinstance(v, dict):
        return []
    allowed = set((err.schema.get("properties") or {}) if isinstance(err.schema, dict) else [])
    if allowed >= KEYWORDS_OF_A_VARIABLE:
        return []
    missing = [k for k in allowed if k not in v]
    return [
        (
            str(k),
            f"{dotted(path)}: unknown key {k!r}"
            + (did_you_mean(str(k), missing) or did_you_mean(str(k), allowed)),
        )
        for k in sorted(map(str, v))
        if k not in allowed
    ]


def _written(text: str, line: int, col: int) -> str | None:
    """The scalar as written at a position (`0755123456`, which YAML read as a number)."""
    lines = text.split("\n")
    if not 1 <= line <= len(lines):
        return None
    m = re.match(r"[^\s,\]}#]+", lines[line - 1][col - 1 :])
    return m.group(0) if m else None


def dotted(path: JsonPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def show(value: Any) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return "a mapping" if isinstance(value, dict) else "a list"


def describe(err: ValidationError, path: JsonPath, written: str | None = None) -> str:
    """A message naming the value and what was expected (`-5 is not greater than 0`)."""
    v, kw, arg = err.instance, err.validator, cast(Any, err.validator_value)
    where = dotted(path)
    if kw == "exclusiveMinimum":
        return f"{where}: {show(v)} is not greater than {arg}"
    if kw == "minimum":
        return f"{where}: {show(v)} is less than the minimum {arg}"
    if kw == "exclusiveMaximum":
        return f"{where}: {show(v)} is not less than {arg}"
    if kw == "maximum":
        return f"{where}: {show(v)} is greater than the maximum {arg}"
    if kw == "type" and v is None and _in_definition(err, path):
        name = ".".join(str(p) for p in path[1:-1] if p != "properties")
        return f"variable {name!r}: {path[-1]} has no value (write one after '{path[-1]}:')"
    if kw == "type":
        return f"{where}: {_wrong_type(v, arg, written)}"
    if kw == "required":
        missing = [r for r in arg if isinstance(v, dict) and r not in v]
        name = missing[0] if missing else "?"
        return f"{where}: required {show(name)} is not set"
    if kw == "additionalProperties" and isinstance(v, dict):
        allowed = set((err.schema.get("properties") or {}) if isinstance(err.schema, dict) else [])
        extra = sorted(k for k in v if k not in allowed)
        if allowed >= KEYWORDS_OF_A_VARIABLE:
            return _unknown_keyword(path, v, extra, allowed)
        return f"{where}: unknown key {', '.join(map(repr, extra))}"
    if kw == "enum":
        return f"{where}: {show(v)} is not one of {', '.join(map(show, arg))}"
    if kw == "const":
        return f"{where}: {show(v)} should be {show(arg)}"
    if kw == "format":
        hint = {"date": " (YYYY-MM-DD)", "money": " (an amount with at most 2 decimals)"}
        return f"{where}: {show(v)} is not a valid {arg}{hint.get(str(arg), '')}"
    if kw == "pattern" and arg == ID_PATTERN:
        return f"{where}: {why_invalid(v)}"
    return f"{where}: {err.message}"


# The keywords of a variable's schema (clause.schema.json's `$defs/schema`), by which
# an error about a variable definition is told from one about an agreement's values.
KEYWORDS_OF_A_VARIABLE = frozenset({"type", "format", "description", "minLength", "properties"})


def _in_definition(err: ValidationError, path: JsonPath) -> bool:
    """Whether the error is in a variable's definition (checked through `$defs/schema`)."""
    where = list(err.absolute_schema_path)[:3]
    return where == ["properties", "variables", "additionalProperties"] and len(path) > 2


def _unknown_keyword(
    path: JsonPath, value: dict[str, Any], extra: list[str], known: set[str]
) -> str:
    """An unknown key in a variable's definition, and the likely slip behind it."""
    name = ".".join(str(p) for p in path[1:] if p != "properties") or "?"
    keys = ", ".join(map(repr, extra))
    message = f"unknown key {keys} in variable {name!r}"
    if any(value[k] is None for k in extra) and ("description" in value or "title" in value):
        # `{description: Paid monthly, in advance}`: the comma ended the description.
        return message + ": quote a description that contains a comma (description: '…, …')"
    hints = [did_you_mean(str(k), known) for k in extra]
    return message + next((h for h in hints if h), f" (a variable's schema may use {_few(known)})")


def _few(known: set[str]) -> str:
    return ", ".join(sorted(known))


@cache
def _written_numbers() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A percentage and a number with thousands separators, as text: compiled when a
    value of the wrong type is reported, not on every start."""
    percent = re.compile(r"\s*([-+]?\d+(?:\.\d+)?)\s*[%％]\s*")
    return percent, re.compile(r"\s*[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?\s*")


def _wrong_type(value: Any, expected: str | list[str], written: str | None) -> str:
    """What is wrong with a value of the wrong type, and how to write it instead."""
    kinds = expected if isinstance(expected, list) else [expected]
    if value is None:
        return "not filled in"
    numeric = isinstance(value, int | Decimal | float) and not isinstance(value, bool)
    if "string" in kinds and numeric:
        # YAML reads an unquoted ID or phone number as a number (and may drop digits).
        shown = written if written and written.lstrip("+-").replace(".", "").isalnum() else value
        return f"write it in quotes: '{shown}'"
    if {"number", "integer"} & set(kinds) and isinstance(value, str):
        percent_text, grouped_number = _written_numbers()
        percent = percent_text.fullmatch(value)
        if percent:
            return f"write {percent.group(1)}, not {value.strip()} (percentages are numbers)"
        if grouped_number.fullmatch(value):
            plain = value.strip().replace(",", "")
            return f"write {plain}, not {value.strip()} (numbers have no thousands separators)"
    return f"expected {' or '.join(kinds)}, got {show(value)}"


SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
SUBSCHEMA_LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
SUBSCHEMA_ONE = ("items", "additionalProperties", "not", "if", "then", "else", "contains")


# Keywords that describe a value without changing what validates.
ANNOTATIONS = frozenset({"description", "title", "examples", "$comment", "deprecated"})


def without_annotations(schema: Any) -> Any:
    """A schema without its annotations: what two declarations must agree on (a
    translation translates its descriptions; a version bump ignores them)."""
    if isinstance(schema, dict):
        return {k: without_annotations(v) for k, v in schema.items() if k not in ANNOTATIONS}
    if isinstance(schema, list):
        return [without_annotations(v) for v in schema]
    return schema


def without_required(schema: Any) -> Any:
    """A copy of `schema` with every `required` dropped: what a draft agreement is checked with."""
    if not isinstance(schema, dict):
        return schema
    out = {k: v for k, v in schema.items() if k != "required"}
    for key in SUBSCHEMA_MAPS:
        if isinstance(out.get(key), dict):
            out[key] = {k: without_required(s) for k, s in out[key].items()}
    for key in SUBSCHEMA_LISTS:
        if isinstance(out.get(key), list):
            out[key] = [without_required(s) for s in out[key]]
    for key in SUBSCHEMA_ONE:
        if key in out:
            out[key] = without_required(out[key])
    return out


def coerce(schema: Any, value: Any) -> Any:
    """Typed values after validation: `format: date` text -> date, money/percent -> Decimal,
    defaults filled in for absent object properties."""
    if not isinstance(schema, dict):
        return value
    fmt = schema.get("format")
    if fmt == "date" and isinstance(value, str) and is_date(value):
        return date.fromisoformat(value)
    if fmt in ("money", "percent") and isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    if isinstance(value, dict):
        props = schema.get("properties") or {}
        out = {k: coerce(props.get(k), v) for k, v in value.items()}
        for k, sub in props.items():
            if k not in out and isinstance(sub, dict) and "default" in sub:
                out[k] = coerce(sub, copy.deepcopy(sub["default"]))
        return out
    if isinstance(value, list):
        return [coerce(schema.get("items"), v) for v in value]
    return value
