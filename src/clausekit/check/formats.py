"""The contract formats of the JSON Schemas (`money`, `percent`, `date`, `email`).

One function per format, each true for a value of another type (the format does
not apply to it): the format checker jsonschema validates with, and `check.verdict`
deciding without it, use these same functions.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal

DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not DATE_RE.fullmatch(value):
        return False
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_money(value: object) -> bool:
    # An amount of money has at most two decimal places (fen / cents).
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        return True
    d = Decimal(value)
    return d.is_finite() and d == d.quantize(Decimal("0.01"))


def _is_percent(value: object) -> bool:
    return not isinstance(value, Decimal) or value.is_finite()


def _is_email(value: object) -> bool:
    return (
        not isinstance(value, str) or re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", value) is not None
    )


# The contract formats, by name (what `check.verdict` decides without jsonschema).
FORMAT_CHECKS: dict[str, Callable[[object], bool]] = {
    "date": is_date,
    "money": _is_money,
    "percent": _is_percent,
    "email": _is_email,
}


def _is_regex(value: object) -> bool:
    """jsonschema's `regex` format: text that Python compiles."""
    if not isinstance(value, str):
        return True
    try:
        re.compile(value)
    except re.error:
        return False
    return True


# What `check.verdict` decides for the schema files: the contract formats and the
# draft's `regex` (the default format checker's, the same test).
FILE_FORMATS: dict[str, Callable[[object], bool]] = {**FORMAT_CHECKS, "regex": _is_regex}
