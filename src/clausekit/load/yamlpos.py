"""YAML with source positions.

`load_yaml` parses with `yaml.safe_load` semantics (no tags, no objects) but
keeps, beside the plain Python value, where every value came from: a map
from its JSON path (`("variables", "fee", "total")`) to a 1-based line and
column.  Validators report paths; this map turns a path into `FILE:LINE:COL`.

Two departures from plain `safe_load`, both for contracts:
- floats are read as `decimal.Decimal` from their text, so `1234.5` is the
  exact decimal a lawyer typed, never a binary float;
- timestamps stay strings (`"2026-12-01"`): dates are checked by the JSON
  Schema `format: date` and converted only after validation.
Duplicate mapping keys, which `safe_load` silently collapses, are problems.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from decimal import Decimal, InvalidOperation
from typing import Any, NamedTuple

import yaml

try:  # libyaml's composer is ~10x faster; the positions it gives are the same.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - libyaml is present in the wheels
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

JsonPath = tuple[str | int, ...]

_COLLECTION_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})
# Aliases let a tiny file expand into a huge tree ("billion laughs").
MAX_NODES = 200_000


class Pos(NamedTuple):
    line: int  # 1-based
    col: int  # 1-based


class _Positions(NamedTuple):
    values: dict[JsonPath, Pos]
    keys: dict[JsonPath, Pos]


class Located:
    """A parsed YAML document and the position of each of its values.

    Positions are needed only to report a problem, and most files have none:
    they are computed on first use, by composing the text again.
    """

    __slots__ = ("_positions", "_text", "line_offset", "value")

    def __init__(self, value: Any, text: str = "", line_offset: int = 0) -> None:
        self.value = value
        self._text = text
        self.line_offset = line_offset
        self._positions: _Positions | None = None

    def with_value(self, value: Any) -> Located:
        """Another value read from the same text (a view of it): same positions."""
        other = Located(value, self._text, self.line_offset)
        other._positions = self._positions
        return other

    @property
    def positions(self) -> dict[JsonPath, Pos]:
        return self._index().values

    def pos(self, path: JsonPath) -> Pos:
        """Position of the value at `path`, or of its nearest ancestor."""
        values = self.positions
        while path not in values and path:
            path = path[:-1]
        return values.get(path, Pos(1 + self.line_offset, 1))

    def key_pos(self, path: JsonPath) -> Pos:
        """Position of the mapping key that names `path` (falls back to the value)."""
        return self._index().keys.get(path) or self.pos(path)

    def _index(self) -> _Positions:
        if self._positions is None:
            index = _Positions({}, {})
            node = yaml.compose(self._text, Loader=_Loader) if self._text else None
            if node is not None:
                _index(node, (), index, self.line_offset)
            self._positions = index
        return self._positions


class YamlProblem(NamedTuple):
    line: int
    col: int
    message: str


class YamlError(Exception):
    def __init__(self, problem: YamlProblem) -> None:
        self.problem = problem
        super().__init__(problem.message)


# Numbers a contract can hold: amounts, rates, counts (a trillion has 13 digits).
MAX_DIGITS = 40
MAX_EXPONENT = 40


def _not_a_number(node: yaml.ScalarNode, message: str) -> yaml.constructor.ConstructorError:
    return yaml.constructor.ConstructorError(None, None, message, node.start_mark)


class _ScalarConstructor(yaml.constructor.SafeConstructor):
    """safe_load's scalar rules, with exact decimals and dates kept as text."""

    def construct_yaml_float(self, node: yaml.ScalarNode) -> Decimal:  # type: ignore[override]
        text = str(self.construct_scalar(node)).replace("_", "").lower()
        try:
            value = Decimal(text)
        except InvalidOperation:  # .nan, .inf: no amount, date or count is one
            raise _not_a_number(
                node, f"{node.value!r} is not a number a contract can hold"
            ) from None
        if value and not -MAX_EXPONENT <= value.adjusted() <= MAX_EXPONENT:
            # 1.0e+999999999 is exact, but every sum or comparison with it fails.
            raise _not_a_number(node, f"{node.value!r} is too large or too small a number")
        return value

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        if len(node.value) > MAX_DIGITS:  # Python refuses to read over 4,300 digits
            raise _not_a_number(node, f"a number of more than {MAX_DIGITS} digits")
        value: int = super().construct_yaml_int(node)
        return value

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> str:  # type: ignore[override]
        return str(self.construct_scalar(node))


_SCALARS = _ScalarConstructor()
# The tags libyaml's resolver gives plain scalars, and how each is read.  Calling
# the constructor's method directly skips `construct_object`'s bookkeeping, which
# costs more than the parse itself on a large library.
_READERS = {
    "tag:yaml.org,2002:str": lambda node: node.value,
    "tag:yaml.org,2002:null": lambda node: None,
    "tag:yaml.org,2002:bool": _SCALARS.construct_yaml_bool,
    "tag:yaml.org,2002:int": _SCALARS.construct_yaml_int,
    "tag:yaml.org,2002:float": _SCALARS.construct_yaml_float,
    "tag:yaml.org,2002:timestamp": _SCALARS.construct_yaml_timestamp,
}


def load_yaml(text: str, line_offset: int = 0) -> Located:
    """Parse one YAML document; raise `YamlError` with a position on bad input.

    `line_offset` shifts reported lines, for YAML embedded after other lines
    (a clause's front matter starts on line 2 of its file).
    """
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        msg = " ".join(s for s in (exc.context, exc.problem) if s) or "invalid YAML"
        raise YamlError(YamlProblem(line + line_offset, col, f"invalid YAML: {msg}")) from exc
    except yaml.YAMLError as exc:
        raise YamlError(YamlProblem(1 + line_offset, 1, f"invalid YAML: {exc}")) from exc
    if node is None:
        return Located(None, text, line_offset)
    budget = [MAX_NODES]
    return Located(_build(node, line_offset, budget), text, line_offset)


def _pos(node: yaml.Node, line_offset: int) -> Pos:
    return Pos(node.start_mark.line + 1 + line_offset, node.start_mark.column + 1)


def _fail(node: yaml.Node, off: int, message: str) -> YamlError:
    p = _pos(node, off)
    return YamlError(YamlProblem(p.line, p.col, message))


def _build(node: yaml.Node, off: int, budget: list[int]) -> Any:
    budget[0] -= 1
    if budget[0] < 0:
        raise _fail(node, off, "invalid YAML: document too large (aliases?)")
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, off)
    if node.tag not in _COLLECTION_TAGS:
        # safe_load refuses tags it cannot construct (`!!python/object`, `!custom`).
        raise _fail(node, off, f"invalid YAML: unsupported tag {node.tag!r}")
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, off, budget) for item in node.value]
    assert isinstance(node, yaml.MappingNode)  # the collection tags are map and seq
    result: dict[str, Any] = {}
    for key_node, value_node in _merged_pairs(node):
        key = _scalar(key_node, off) if isinstance(key_node, yaml.ScalarNode) else None
        if not isinstance(key, str):
            raise _fail(key_node, off, "mapping keys must be text")
        if key in result:
            raise _fail(key_node, off, f"duplicate key {key!r}")
        result[key] = _build(value_node, off, budget)
    return result


def _index(node: yaml.Node, path: JsonPath, out: _Positions, off: int) -> None:
    """Record where each value (and each mapping key) of a valid document is."""
    out.values.setdefault(path, _pos(node, off))
    if isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index(item, (*path, i), out, off)
    elif isinstance(node, yaml.MappingNode):
        for key_node, value_node in _merged_pairs(node):
            sub = (*path, str(key_node.value))
            out.keys[sub] = _pos(key_node, off)
            _index(value_node, sub, out, off)


def _merged_pairs(node: yaml.MappingNode) -> Iterator[tuple[yaml.Node, yaml.Node]]:
    # `<<: *base` merge keys are part of safe_load semantics; explicit keys win.
    if not any(k.tag == "tag:yaml.org,2002:merge" for k, _ in node.value):
        yield from node.value
        return
    explicit = [(k, v) for k, v in node.value if k.tag != "tag:yaml.org,2002:merge"]
    seen = {k.value for k, _ in explicit if isinstance(k, yaml.ScalarNode)}
    for k, v in node.value:
        if k.tag == "tag:yaml.org,2002:merge":
            sources = v.value if isinstance(v, yaml.SequenceNode) else [v]
            for src in sources:
                if isinstance(src, yaml.MappingNode):
                    for mk, mv in _merged_pairs(src):
                        if isinstance(mk, yaml.ScalarNode) and mk.value not in seen:
                            seen.add(mk.value)
                            yield mk, mv
    yield from explicit


def _scalar(node: yaml.ScalarNode, off: int) -> Any:
    reader = _READERS.get(node.tag)
    try:
        return reader(node) if reader else _SCALARS.construct_object(node)
    except yaml.constructor.ConstructorError as exc:
        raise _fail(node, off, f"invalid YAML: {exc.problem}") from exc


FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n?", re.S | re.M)


class FrontMatterDoc(NamedTuple):
    meta: Located
    body: str
    body_line: int  # 1-based line of the file on which the body starts


def split_front_matter(
    text: str, parse: Callable[[str, int], Located] = load_yaml
) -> FrontMatterDoc | None:
    """Split `---` YAML front matter from a Markdown body; None when absent.  `parse`
    reads the front matter (`load_yaml`, or a kept parse: `load.kept`)."""
    m = FRONT_MATTER.match(text)
    if not m:
        return None
    meta = parse(m.group(1), 1)
    body_line = text.count("\n", 0, m.end()) + 1
    return FrontMatterDoc(meta, text[m.end() :], body_line)
