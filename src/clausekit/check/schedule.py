"""The key dates of agreements, computed from their values (`key_dates:` of a template).

A key date is evaluated like a `computed` value: strictly, in the template's
language, with the library's working-day calendar.  A draft may not have the
values a key date needs yet: that date is left out, as one whose `when` does not
hold.  Any other failure (an overflow, a value that is not a date) is a problem
at the key date's line in the template.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from jinja2 import TemplateSyntaxError, Undefined, UndefinedError
from jinja2.exceptions import SecurityError

from clausekit.errors import Problem
from clausekit.load.model import Agreement, KeyDate, Template

if TYPE_CHECKING:
    from clausekit.check.checked import Checked
    from clausekit.check.scope import TemplateScope
    from clausekit.check.values import Values

LISTED = ("final", "executed")  # the statuses `clausekit dates` lists without --drafts


@dataclass(frozen=True)
class Due:
    """One key date of one agreement."""

    agreement: str  # the agreement id
    title: str  # the agreement's title (its id when it has none)
    status: str
    key: KeyDate
    lang: str  # the template's language: the name calendars show first
    day: date

    @property
    def name(self) -> str:
        return self.key.name(self.lang)

    @property
    def names(self) -> Mapping[str, str]:
        return self.key.names

    @property
    def reminders(self) -> tuple[date, ...]:
        """The days of the reminders (`notice_days` before the date), earliest first."""
        return tuple(self.day - timedelta(days=n) for n in self.key.notice_days)

    @property
    def uid(self) -> str:
        """The same for this agreement's key date in every build, so that a subscribed
        calendar updates the event instead of adding another."""
        seed = f"{self.agreement}\n{self.key.name(self.lang)}".encode()
        return hashlib.sha256(seed).hexdigest()[:32] + "@clausekit"

    def sort_key(self) -> tuple[date, str, int]:
        return self.day, self.agreement, self.key.place


def agreement_dates(checked: Checked, agreement: Agreement) -> tuple[list[Due], list[Problem]]:
    """An agreement's key dates, or the problems that keep them from being computed."""
    template = checked.lib.templates.get(agreement.template_id)
    if template is None or not template.key_dates:
        return [], []
    scope = checked.scope(template)
    if scope.problems:  # a mistake in the template (a key date's typo): nothing to trust
        return [], list(scope.problems)
    values, problems = checked.agreement(agreement)
    if values is None:
        return [], problems
    dues: list[Due] = []
    found: list[Problem] = []
    for key in template.key_dates:
        result = _evaluate(scope, key, values)
        if isinstance(result, Problem):
            found.append(result)
        elif result is not None:
            title = str(agreement.data.get("title") or agreement.id)
            dues.append(Due(agreement.id, title, agreement.status, key, template.lang, result))
    return dues, found


def library_dates(checked: Checked, drafts: bool) -> tuple[list[Due], list[Problem]]:
    """The key dates of every final and executed agreement (and drafts when asked), by
    day; problems of the agreements and templates that stop them."""
    dues: list[Due] = []
    problems: list[Problem] = []
    for aid in sorted(checked.lib.agreements):
        agreement = checked.lib.agreements[aid]
        if agreement.status in LISTED or drafts:
            found, wrong = agreement_dates(checked, agreement)
            dues += found
            problems += wrong
    return sorted(dues, key=Due.sort_key), sorted(set(problems))


def _evaluate(scope: TemplateScope, key: KeyDate, values: Values) -> date | Problem | None:
    """The key date's day; None when its `when` does not hold or a draft lacks a value."""
    template = scope.template
    where = ("key_dates", key.place, "date")
    try:
        if key.when is not None:
            where = ("key_dates", key.place, "when")
            if not scope.evaluate(key.when, values.context):
                return None
            where = ("key_dates", key.place, "date")
        day: Any = scope.evaluate(key.expression, values.context)
    except UndefinedError:
        return None  # a draft without the value yet (a final one fails its check first)
    except (TemplateSyntaxError, SecurityError, TypeError, ArithmeticError, ValueError) as exc:
        return _problem(template, where, f"cannot evaluate: {exc}")
    if isinstance(day, Undefined):
        return None  # a blank: a computed value a draft cannot compute yet
    if not isinstance(day, date):
        return _problem(template, where, f"gives {day!r}, not a date")
    return day


def _problem(template: Template, path: tuple[str, int, str], message: str) -> Problem:
    dotted = f"key_dates[{path[1]}].{path[2]}"
    return Problem.at(
        template.source.path, template.doc.pos(path), "key-date", f"{dotted}: {message}"
    )


def moved(old: list[Due], new: list[Due]) -> Iterator[tuple[str, str, date | None, date | None]]:
    """Key dates a change moves, adds or removes: (agreement, name, before, after)."""
    before = {(d.agreement, d.name): d.day for d in old}
    after = {(d.agreement, d.name): d.day for d in new}
    for pair in sorted(before.keys() | after.keys()):
        if before.get(pair) != after.get(pair):
            yield pair[0], pair[1], before.get(pair), after.get(pair)
