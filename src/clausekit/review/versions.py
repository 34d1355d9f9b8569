"""Version discipline: `clausekit check --base REV`.

A clause or template whose document-relevant content changed since REV must carry
a higher version with a changelog entry for it.  How much higher follows semantic
versioning from the point of view of the agreements that use it:

- major: an existing agreement may stop validating — a variable removed, retyped,
  made required, or a new required variable (no default);
- minor: something new that existing agreements need not fill in — a new optional
  variable, a changed constraint or default;
- patch: wording only.

Drafting aids (guidance, summary, tags, status, alternatives) never reach a
document, so changing them alone needs no bump.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from clausekit.check.schemas import without_annotations
from clausekit.errors import Problem
from clausekit.load.model import Clause, Library, Template

LEVELS = ("patch", "minor", "major")
# Front-matter keys that never reach a document (and the bookkeeping keys themselves).
NOT_CONTENT = frozenset(
    {"version", "changelog", "guidance", "summary", "tags", "status", "alternatives", "translates"}
)
SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?$")


@dataclass(frozen=True)
class Change:
    """What changed in one file, and the smallest bump it needs, with the reason."""

    level: str  # "patch" | "minor" | "major"
    reason: str


def version_problems(base: Library, head: Library, rev: str) -> list[Problem]:
    """One `error[version]` problem per clause or template that changed without the
    bump and changelog entry the change needs."""
    found: list[Problem] = []
    for cid, clause in sorted(head.clauses.items()):
        old = base.clauses.get(cid)
        if old is not None:
            found.extend(_check(rev, clause, old, clause_change(old, clause)))
    for tid, template in sorted(head.templates.items()):
        old_t = base.templates.get(tid)
        if old_t is not None:
            found.extend(_check(rev, template, old_t, template_change(old_t, template)))
    return found


def clause_change(old: Clause, new: Clause) -> Change | None:
    """None when nothing that reaches a document changed."""
    changes = list(variable_changes(old.variables, new.variables))
    if old.body != new.body:
        changes.append(Change("patch", "the text changed"))
    if _content(old.data, {"variables"}) != _content(new.data, {"variables"}):
        changes.append(Change("patch", "the heading or language changed"))
    return max(changes, key=lambda c: LEVELS.index(c.level), default=None)


def template_change(old: Template, new: Template) -> Change | None:
    changes = list(variable_changes(old.variables, new.variables))
    if _content(old.data, {"variables"}) != _content(new.data, {"variables"}):
        changes.append(Change("patch", "the template changed"))
    return max(changes, key=lambda c: LEVELS.index(c.level), default=None)


def _content(data: dict[str, Any], also: set[str]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in NOT_CONTENT and k not in also}


def variable_changes(old: dict[str, Any], new: dict[str, Any]) -> Iterator[Change]:
    for name in sorted(set(old) | set(new)):
        if name not in new:
            yield Change("major", f"variable {name!r} was removed")
        elif name not in old:
            schema = new[name]
            if isinstance(schema, dict) and "default" in schema:
                yield Change("minor", f"optional variable {name!r} was added")
            else:
                yield Change("major", f"required variable {name!r} was added")
        else:
            breaking = _breaking(old[name], new[name], name)
            if breaking:
                yield Change("major", breaking)
            elif without_annotations(old[name]) != without_annotations(new[name]):
                yield Change("minor", f"the schema of variable {name!r} changed")
            elif old[name] != new[name]:
                yield Change("patch", f"the description of variable {name!r} changed")


def _breaking(old: Any, new: Any, where: str) -> str | None:
    """Why an agreement valid under schema `old` may fail under `new`, or None."""
    if not isinstance(old, dict) or not isinstance(new, dict):
        return None if old == new else f"variable {where!r} changed type"
    if old.get("type") != new.get("type"):
        return f"variable {where!r} changed type from {old.get('type')} to {new.get('type')}"
    if "default" in old and "default" not in new:
        return f"variable {where!r} is now required (its default was removed)"
    old_enum, new_enum = old.get("enum"), new.get("enum")
    if isinstance(new_enum, list) and (
        not isinstance(old_enum, list) or any(v not in new_enum for v in old_enum)
    ):
        return f"variable {where!r} no longer accepts some values it accepted"
    old_props = old.get("properties") if isinstance(old.get("properties"), dict) else {}
    new_props = new.get("properties") if isinstance(new.get("properties"), dict) else {}
    assert isinstance(old_props, dict) and isinstance(new_props, dict)
    old_req = set(old.get("required") or [])
    for prop in sorted(set(old_props) - set(new_props)):
        if new.get("additionalProperties") is False:
            return f"variable '{where}.{prop}' was removed"
    for prop in sorted(set(new.get("required") or []) - old_req):
        schema = new_props.get(prop)
        if not (isinstance(schema, dict) and "default" in schema):
            return f"'{where}.{prop}' is now required"
    for prop in sorted(set(old_props) & set(new_props)):
        reason = _breaking(old_props[prop], new_props[prop], f"{where}.{prop}")
        if reason:
            return reason
    if "items" in old or "items" in new:
        return _breaking(old.get("items"), new.get("items"), f"{where}[]")
    return None


def parse(version: str | None) -> tuple[int, int, int, str | None] | None:
    m = SEMVER.match(version or "")
    if not m:
        return None
    return int(m[1]), int(m[2]), int(m[3]), m[4]


def bump_level(old: str | None, new: str | None) -> str | None:
    """The kind of increase (major, minor, patch), "same", "lower", or None if unparsable."""
    a, b = parse(old), parse(new)
    if a is None or b is None:
        return None
    if a == b:
        return "same"
    if b[:3] == a[:3]:
        # Same numbers, different pre-release: 1.0.0-rc.1 -> 1.0.0 is a release.
        return "patch" if a[3] is not None and (b[3] is None or b[3] > a[3]) else "lower"
    if b[:3] < a[:3]:
        return "lower"
    return "major" if b[0] > a[0] else "minor" if b[1] > a[1] else "patch"


def next_version(old: str | None, level: str) -> str:
    v = parse(old)
    if v is None:
        return "?"
    major, minor, patch, _ = v
    if level == "major":
        return f"{major + 1}.0.0"
    if level == "minor":
        return f"{major}.{minor + 1}.0"
    return f"{major}.{minor}.{patch + 1}"


def _check(
    rev: str, new: Clause | Template, old: Clause | Template, change: Change | None
) -> Iterator[Problem]:
    old_v, new_v = old.version, new.version
    located = new.meta if isinstance(new, Clause) else new.doc
    pos = located.pos(("version",))
    path = new.source.path

    def problem(message: str) -> Problem:
        return Problem(path, pos.line, pos.col, "version", message)

    level = bump_level(old_v, new_v)
    if level is None:
        return  # an unparsable version is reported by the schema check
    if change is None and level == "same":
        return
    if level == "lower":
        yield problem(f"version {new_v} is lower than {old_v} at {rev}; versions only go up")
        return
    if level == "same":
        assert change is not None
        yield problem(
            f"changed since {rev} ({change.reason}) but version is still {old_v}: "
            f"bump it to {next_version(old_v, change.level)} and add a changelog entry"
        )
        return
    if change is not None and LEVELS.index(level) < LEVELS.index(change.level):
        yield problem(
            f"{old_v} -> {new_v} is a {level} bump, but {change.reason} since {rev}: "
            f"that needs a {change.level} bump ({next_version(old_v, change.level)})"
        )
        return
    log = new.data.get("changelog")
    entries = log if isinstance(log, list) else []
    if not any(isinstance(e, dict) and str(e.get("version")) == new_v for e in entries):
        yield problem(
            f"version {new_v} has no changelog entry: add "
            f"{{version: {new_v}, date: YYYY-MM-DD, note: …}} at the top of changelog"
        )
