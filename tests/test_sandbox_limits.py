"""Bounds on the work a template may ask for (clausekit.language.limits)."""

from __future__ import annotations

import pytest
from jinja2.exceptions import SecurityError

from clausekit.language.limits import LimitExceeded
from clausekit.language.sandbox import environment


def _render(source: str, **values: object) -> str:
    return environment("zh-CN", False).from_string(source).render(values)


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{% macro f(s) %}{{ f(s ~ s) }}{% endmacro %}{{ f('ab') }}", "characters or items"),
        ("{{ 'ab' * 600000 }}", "characters or items"),
        ("{{ '%.5000f' % 1 }}", "wider than 1,000"),
        ("{{ '%*d' % (5, 1) }}", "wider than 1,000"),
        ("{{ 7 ** 99999 }}", "digits"),
        (
            "{% for a in x %}{% for b in x %}{% for c in x %}.{% endfor %}{% endfor %}{% endfor %}",
            "more than 200,000 times",
        ),
        ("{% for a in x %}{% for b in x %}{{ v }}{% endfor %}{% endfor %}", "printed exceed"),
    ],
)
def test_bounds(source: str, message: str) -> None:
    with pytest.raises(LimitExceeded, match=message):
        _render(source, x=list(range(100)), v="w" * 2000)


def test_within_bounds_renders() -> None:
    assert _render("{{ '%05d' % 42 }} {{ 'ab' * 3 }} {{ 2 ** 10 }}") == "00042 ababab 1024"
    assert _render("{% for a in x %}{{ a }}{% endfor %}", x=[1, 2, 3]) == "123"


def test_format_is_a_method_like_the_others() -> None:
    with pytest.raises(SecurityError):
        _render("{{ '{:0999999999}'.format(1) }}")
