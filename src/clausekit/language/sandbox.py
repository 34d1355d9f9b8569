"""The Jinja2 sandbox clause bodies and template expressions run in.

Agreement values come from pull requests, so they are untrusted twice over:
- as code: bodies run in `SandboxedEnvironment` (no `__class__`, no imports,
  no file access), and undefined names are errors (`StrictUndefined`), or
  blanks in a draft or a blank form (`Blank`);
- as Markdown: every `{{ … }}` result passes through `finalize`, which
  escapes it as literal text.  Filters that deliberately produce Markdown
  return `MarkdownSafe`, which `finalize` lets through.
Clause text itself, never a value, gets typographic quotes and dashes when
it is compiled (`typography.Typography`).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterator, Mapping
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from functools import cache
from types import MappingProxyType
from typing import Any

from jinja2 import ChainableUndefined, StrictUndefined, Template, Undefined, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

from clausekit.language import dates, filters, limits
from clausekit.language.marks import SLOT_CLOSE, SLOT_OPEN
from clausekit.language.typography import Typography


class MarkdownSafe(str):
    """Text that is already Markdown and must not be escaped again."""

    __slots__ = ()


BLANKS = {"zh": r"\_\_\_\_\_\_", "en": r"\[●\]"}

# Characters CommonMark or Pandoc's commonmark_x extensions could read as
# syntax anywhere in a line: emphasis, links, raw HTML, entities, code, math,
# pipe tables, sub/superscript, citations, emoji shortcodes.
_ALWAYS = re.compile(r"([\\`*_\[\]<>&|~^$@:{}])")
# Characters that are syntax only at the start of a line (headings, lists,
# block quotes, setext underlines); a value may land there.
_LEADING = re.compile(r"^([#>+=-])")
_LEADING_NUMBER = re.compile(r"^(\d+)([.)])(?=\s|$)")
_BREAKS = re.compile(r"\s*[\r\n]+\s*")
# Most values (names, amounts, dates) hold none of the above: found in one scan.
_ANY = re.compile(r"[\r\n\\`*_\[\]<>&|~^$@:{}]|^[#>+=\-\d]")


def md_escape(text: str) -> str:
    """`*ACME* [x](http://e.vil) <b>` -> text that renders as exactly that."""
    if _ANY.search(text) is None:
        return text
    text = _BREAKS.sub(" ", text)  # values are inline: no new blocks
    text = _ALWAYS.sub(r"\\\1", text)
    text = _LEADING.sub(r"\\\1", text)
    return _LEADING_NUMBER.sub(r"\1\\\2", text)


def blank_for(lang: str) -> MarkdownSafe:
    return MarkdownSafe(BLANKS["zh" if lang.startswith("zh") else "en"])


# The options of each choice (`enum`) of the document being rendered, by dotted path
# (`[]` for a list's items): a missing choice prints its options with check boxes.
CHOICES: ContextVar[Mapping[str, tuple[str, ...]]] = ContextVar(
    "choices", default=MappingProxyType({})
)
# While a document's frame is rendered (`assemble.document`, for `render.frame`): each
# value's text is kept here and a mark printed in its place.
SLOTS: ContextVar[list[str] | None] = ContextVar("slots", default=None)


def slot(text: str) -> str:
    """`text`, or, while a frame is rendered, the mark that stands for it."""
    kept = SLOTS.get()
    if kept is None:
        return text
    kept.append(text)
    return f"{SLOT_OPEN}{len(kept) - 1}{SLOT_CLOSE}"


class Blank(ChainableUndefined):
    """A missing value in a draft or a blank form: prints as a blank line, a list as one
    blank item, a choice as its options with check boxes (☐ A ☐ B)."""

    __slots__ = ()
    blank: str = BLANKS["zh"]

    def __str__(self) -> str:
        options = CHOICES.get().get(self._undefined_name or "")
        if options:
            return " ".join("☐ " + md_escape(o) for o in options)
        return self.blank

    def __getattr__(self, name: str) -> Any:
        if name[:2] == "__":
            raise AttributeError(name)
        return type(self)(name=f"{self._undefined_name}.{name}")

    def __iter__(self) -> Iterator[Any]:
        # A list not filled in yet: one blank item, so the form shows where items go.
        yield type(self)(name=f"{self._undefined_name}.[]")


def _blank_class(lang: str) -> type[Blank]:
    # One subclass per language, so a blank knows how it prints.
    return type(f"Blank_{lang}", (Blank,), {"__slots__": (), "blank": blank_for(lang)})


def _date_blank(lang: str) -> str:
    return r"\_\_\_\_年\_\_月\_\_日" if lang.startswith("zh") else blank_for(lang)


def to_text(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return ("是" if value else "否") if lang.startswith("zh") else ("yes" if value else "no")
    if isinstance(value, date):
        return filters.format_day(value, lang)
    return str(value)


def _lenient(
    func: Callable[..., str], lang: str, *, takes_lang: bool, blank: str | None = None
) -> Callable[..., Any]:
    """Bind a filter to the document language; a missing value stays a blank,
    shaped like what the filter prints (`______%`, `____年__月__日`)."""

    def bound(value: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(value, Blank):
            return MarkdownSafe(blank) if blank is not None else value
        if isinstance(value, Undefined):
            return str(value)  # StrictUndefined: raises UndefinedError
        if isinstance(value, bool) or not isinstance(value, Decimal | int | date):
            shown = f"{value!r}" if isinstance(value, str) else "a " + type(value).__name__
            raise TypeError(f"{func.__name__} needs a number, got {shown}")
        return func(value, lang, *args, **kwargs) if takes_lang else func(value, *args, **kwargs)

    bound.__name__ = func.__name__
    return bound


def _date_math(name: str, func: Callable[..., date]) -> Callable[..., Any]:
    """A date filter (`add_months`, …): a missing date stays missing, so a draft prints
    a blank and `check` of a final agreement reports the value."""

    def bound(value: Any, *args: Any) -> Any:
        if isinstance(value, Undefined):
            return value if isinstance(value, Blank) else str(value)  # strict: raises
        if not isinstance(value, date):
            shown = f"{value!r}" if isinstance(value, str) else "a " + type(value).__name__
            raise TypeError(f"{name} needs a date, got {shown}")
        for arg in args:
            if isinstance(arg, Blank):
                return arg
            if isinstance(arg, Undefined):
                return str(arg)  # StrictUndefined: raises UndefinedError
        return func(value, *args)

    bound.__name__ = name
    return bound


def _cents(value: Any) -> Any:
    if isinstance(value, Undefined):
        return value
    return filters.cents(value)


class _Template(Template):
    def render(self, *args: Any, **kwargs: Any) -> str:
        token = limits.BUDGET.set(limits.Budget())  # each rendering has its own
        try:
            return super().render(*args, **kwargs)
        finally:
            limits.BUDGET.reset(token)


class _CodeGenerator(CodeGenerator):
    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        # Every loop's items pass through `limits.counted` (a copy of the node: the
        # tree may be the one `check` analysed).
        counted = copy.copy(node)
        counter = nodes.EnvironmentAttribute("ck_counted", lineno=node.lineno)
        counted.iter = nodes.Call(counter, [node.iter], [], None, None, lineno=node.lineno)
        super().visit_For(counted, frame)


class _Sandbox(SandboxedEnvironment):
    """The sandbox, with values that are only values: a method (`name.format_map`,
    `party.items`) is not one, and printing it would show a Python address; and
    with bounds on the work a template may ask for (`limits`)."""

    template_class = _Template
    code_generator_class = _CodeGenerator
    intercepted_binops = frozenset({"*", "**", "%", "+"})
    ck_counted = staticmethod(limits.counted)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        limits.check_binop(operator, left, right)
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> None:
        return None  # str.format is a method like any other: not available

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        budget = limits.BUDGET.get() or limits.Budget()
        budget.step()
        for arg in (*args, *kwargs.values()):
            limits.check_size(arg)
        if budget.depth >= limits.MAX_DEPTH:
            raise limits.LimitExceeded(f"calls nested deeper than {limits.MAX_DEPTH}")
        budget.depth += 1
        try:
            return super().call(__context, __obj, *args, **kwargs)
        finally:
            budget.depth -= 1

    def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
        if callable(value) and not isinstance(value, Undefined):
            return False
        return super().is_safe_attribute(obj, attr, value)

    def unsafe_undefined(self, obj: Any, attribute: str) -> Undefined:
        if attribute.startswith("_") or not callable(getattr(obj, attribute, None)):
            return super().unsafe_undefined(obj, attribute)
        kind = "text" if isinstance(obj, str) else f"a {type(obj).__name__}"
        return self.undefined(
            f"{attribute!r} is a method of {kind}, not a value",
            name=attribute,
            obj=obj,
            exc=SecurityError,
        )


# The filters that compute a date; `check` requires a key date to end with one of them
# (or with a date value).
DATE_FILTERS = ("add_days", "add_months", "add_years", "workdays")


@cache
def environment(
    lang: str, lenient: bool, holidays: frozenset[date] = frozenset()
) -> SandboxedEnvironment:
    """The environment for a document language; `lenient` turns missing values into blanks;
    `holidays` are the days `workdays` skips besides weekends (clausekit.yml `calendar:`)."""
    undefined: type[Undefined] = _blank_class(lang) if lenient else StrictUndefined

    def finalize(value: Any) -> str:
        if isinstance(value, Undefined):
            return str(value)  # a blank, or StrictUndefined raising UndefinedError
        if isinstance(value, MarkdownSafe):
            return value
        if callable(value):
            name = getattr(value, "__name__", type(value).__name__)
            raise SecurityError(f"{name!r} is a method, not a value")
        text = md_escape(to_text(value, lang))
        budget = limits.BUDGET.get()
        if budget is not None:
            budget.emit(text)
        return slot(text)

    env = _Sandbox(
        undefined=undefined,
        finalize=finalize,
        autoescape=False,
        keep_trailing_newline=True,
        # A block tag alone on its line (`{% for %}`, `{% endfor %}`) leaves no line
        # behind: a loop over list items prints a tight list, not one item per
        # paragraph with blank lines between them.
        trim_blocks=True,
        lstrip_blocks=True,
        # Clause text gets typographic quotes and dashes; values never do.
        extensions=[Typography],
        # `{#id}` after a heading is an anchor for ref() (Pandoc's attribute
        # syntax), so Jinja comments are written `{## … ##}` instead.
        comment_start_string="{##",
        comment_end_string="##}",
    )
    # Only clausekit's filters and a few harmless built-ins: a smaller surface.
    keep = {"default", "upper", "lower", "title", "trim", "length", "join", "round", "abs", "int"}
    env.filters = {k: v for k, v in env.filters.items() if k in keep}
    env.filters.update(
        money=_lenient(filters.money, lang, takes_lang=True),
        percent=_lenient(filters.percent, lang, takes_lang=True, blank=blank_for(lang) + "%"),
        date=_lenient(filters.format_day, lang, takes_lang=True, blank=_date_blank(lang)),
        ordinal=_lenient(filters.ordinal, lang, takes_lang=True),
        rmb_upper=_lenient(filters.rmb_upper, lang, takes_lang=False),
        cn_number=_lenient(filters.cn_number, lang, takes_lang=False),
        words=_lenient(filters.words, lang, takes_lang=False),
        cents=_cents,
        add_days=_date_math("add_days", dates.add_days),
        add_months=_date_math("add_months", dates.add_months),
        add_years=_date_math("add_years", dates.add_years),
        workdays=_date_math("workdays", lambda day, n: dates.workdays(day, n, holidays)),
    )
    env.globals = {}
    return env


def expression_env() -> SandboxedEnvironment:
    """For `computed`, `rules` and `when`: strict, so a missing value is noticed."""
    return environment("zh-CN", False)
