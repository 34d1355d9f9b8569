"""Locale-aware filters for clause bodies: amounts, 大写, dates, numbers in words.

Every function takes exact values (`Decimal`, `int`, `date`) and returns text;
the Jinja environment (`sandbox.py`) binds them to the document's language
and turns missing values into blanks.  Money is rounded half-up to the fen /
cent, the way amounts are rounded in contracts and invoices (Python's and
Babel's default, half-even, would not be what a finance team expects).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

CENT = Decimal("0.01")
# A percentage prints at most four decimals, rounded half-even as Babel rounds them.
PERCENT_PLACES = Decimal("0.0001")
# Below this, Python's own format prints a percentage as Babel would (tested); larger
# numbers, which the four decimals would take past the decimal context, go to Babel.
PLAIN_LIMIT = 10**15
UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"
UPPER_UNITS = ("", "拾", "佰", "仟")
LOWER_DIGITS = "零一二三四五六七八九"
LOWER_UNITS = ("", "十", "百", "千")


@cache
def babel_locale(lang: str) -> Locale:
    # Parsing a locale costs more than formatting a number: do it once per language.
    # Babel is imported here, when a locale is first needed: heading numbers (in the
    # Word writer, too) use this module without it.
    from babel import Locale

    return Locale.parse(lang.replace("-", "_"))


def cents(value: Decimal | int) -> Decimal:
    """Round to 0.01, half-up: `(total * 30 / 100) | cents`."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


# Languages whose numbers group thousands with "," and mark decimals with ".", as
# Python's own format does; others go through Babel's locale data.
PLAIN_NUMBERS = ("zh", "en")


def money(value: Decimal | int, lang: str = "zh-CN") -> str:
    """`1234567.5` -> `1,234,567.50`."""
    if lang.split("-")[0] in PLAIN_NUMBERS:
        return format(cents(value), ",.2f")  # the same text, without a locale lookup
    from babel.numbers import format_decimal

    return format_decimal(cents(value), format="#,##0.00", locale=babel_locale(lang))


def percent(value: Decimal | int, lang: str = "zh-CN") -> str:
    """Values are in percent units: `30` -> `30%`, `0.05` -> `0.05%`."""
    number = Decimal(value)
    if lang.split("-")[0] in PLAIN_NUMBERS and number.is_finite() and abs(number) < PLAIN_LIMIT:
        # The same text without Babel's locale data, which costs a build ~20 ms to load.
        text = format(number.quantize(PERCENT_PLACES, rounding=ROUND_HALF_EVEN), ",f")
        return text.rstrip("0").rstrip(".") + "%"
    from babel.numbers import format_decimal

    return format_decimal(number, format="#,##0.####", locale=babel_locale(lang)) + "%"


def format_day(value: date, lang: str = "zh-CN") -> str:
    """`2026-12-01` -> `2026年12月1日` (zh) / `1 December 2026` (en)."""
    if lang.startswith("zh"):
        return f"{value.year}年{value.month}月{value.day}日"
    from babel.dates import format_date

    return format_date(value, format="d MMMM y", locale=babel_locale(lang))


def _chinese_integer(n: int, digits: str, units: tuple[str, ...]) -> str:
    """Chinese numerals for a non-negative integer, with the zero rules of
    financial writing: 100005 -> 壹拾万零伍, 1050 -> 壹仟零伍拾,
    1000100000000 -> 壹万零壹亿 (a count of 亿 is itself written with 万)."""
    if n == 0:
        return digits[0]
    if n >= 10**16:
        raise ValueError("number too large for Chinese numerals")
    return _grouped(n, digits, units)


def _grouped(n: int, digits: str, units: tuple[str, ...]) -> str:
    """n (0 < n < 10**16) as [count of 亿]亿[count of 万]万[rest], with 零 where a
    group is shorter than its place (1_0005 -> 壹万零伍, 1_0000_0005 -> 壹亿零伍)."""
    for size, unit in ((10**8, "亿"), (10**4, "万")):
        if n >= size:
            high, low = divmod(n, size)
            out = _grouped(high, digits, units) + unit
            if low:
                out += (digits[0] if low < size // 10 else "") + _grouped(low, digits, units)
            return out
    return _section(n, digits, units)


def _section(n: int, digits: str, units: tuple[str, ...]) -> str:
    out, zero = "", False
    for i in range(3, -1, -1):
        d = n // 10**i % 10
        if d == 0:
            zero = bool(out)
        else:
            if zero:
                out += digits[0]
                zero = False
            out += digits[d] + units[i]
    return out


def rmb_upper(value: Decimal | int) -> str:
    """Amount in Chinese capital numerals: 123456.5 -> 壹拾贰万叁仟肆佰伍拾陆元伍角."""
    amount = cents(value)
    sign = "负" if amount < 0 else ""
    amount = abs(amount)
    yuan = int(amount)
    fen_total = int((amount - yuan) * 100)
    jiao, fen = divmod(fen_total, 10)
    out = _chinese_integer(yuan, UPPER_DIGITS, UPPER_UNITS) + "元" if yuan else ""
    if jiao == 0 and fen == 0:
        return sign + (out or "零元") + "整"
    if jiao:
        out += UPPER_DIGITS[jiao] + "角"
    if fen:
        out += (UPPER_DIGITS[0] if out and not jiao else "") + UPPER_DIGITS[fen] + "分"
    return sign + out


def cn_number(value: Decimal | int) -> str:
    """An integer in ordinary Chinese numerals: 12 -> 十二, 105 -> 一百零五."""
    n = int(value)
    if n != value:
        raise ValueError(f"cn_number needs a whole number, got {value}")
    sign = "负" if n < 0 else ""
    text = _chinese_integer(abs(n), LOWER_DIGITS, LOWER_UNITS)
    # 10-19 are read 十, 十一 … not 一十, 一十一.
    if 10 <= abs(n) < 20:
        text = text[1:]
    return sign + text


ONES = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
]
TENS = ["_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
SCALES = ("", " thousand", " million", " billion", " trillion")


def _words_below_1000(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [f"{ONES[hundreds]} hundred"] if hundreds else []
    if rest:
        if rest < 20:
            tail = ONES[rest]
        else:
            tens, ones = divmod(rest, 10)
            tail = TENS[tens] + (f"-{ONES[ones]}" if ones else "")
        parts.append(("and " if hundreds else "") + tail)
    return " ".join(parts)


def _integer_words(n: int) -> str:
    if n == 0:
        return "zero"
    groups: list[int] = []
    while n:
        groups.append(n % 1000)
        n //= 1000
    if len(groups) > len(SCALES):
        raise ValueError("number too large to write in words")
    parts = [_words_below_1000(g) + SCALES[i] for i, g in reversed(list(enumerate(groups))) if g]
    # British usage: "one thousand and five".
    if len(parts) > 1 and groups[0] and groups[0] < 100:
        parts[-1] = "and " + parts[-1]
    return " ".join(parts)


# Currency code -> (unit, units, cent, cents); None: a currency without cents.
CURRENCIES: dict[str, tuple[str, str, str | None, str | None]] = {
    "USD": ("US dollar", "US dollars", "cent", "cents"),
    "EUR": ("euro", "euros", "cent", "cents"),
    "GBP": ("pound sterling", "pounds sterling", "penny", "pence"),
    "HKD": ("Hong Kong dollar", "Hong Kong dollars", "cent", "cents"),
    "SGD": ("Singapore dollar", "Singapore dollars", "cent", "cents"),
    "AUD": ("Australian dollar", "Australian dollars", "cent", "cents"),
    "CAD": ("Canadian dollar", "Canadian dollars", "cent", "cents"),
    "CHF": ("Swiss franc", "Swiss francs", "centime", "centimes"),
    "CNY": ("yuan", "yuan", "fen", "fen"),
    "RMB": ("yuan", "yuan", "fen", "fen"),
    "JPY": ("yen", "yen", None, None),
}
CENTS_STYLES = ("words", "fraction")


def words(value: Decimal | int, currency: str | None = None, cents: str | None = None) -> str:
    """An amount in English words.

    `words` alone: 120000.5 -> one hundred and twenty thousand and 50/100.
    `words('USD')`: 1.35 -> one US dollar and thirty-five cents; 1 -> one US dollar.
    `cents='fraction'` writes the cents as 35/100 (`cents='words'` spells them).
    """
    style = cents or ("words" if currency else "fraction")
    if style not in CENTS_STYLES:
        raise ValueError(f"words: cents must be one of {', '.join(CENTS_STYLES)}, not {style!r}")
    code = currency.upper() if currency else None
    if code is not None and code not in CURRENCIES:
        known = ", ".join(sorted(CURRENCIES))
        raise ValueError(f"words: no currency {currency!r} (known: {known})")
    amount = Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)  # as `cents` rounds
    sign = "minus " if amount < 0 else ""
    amount = abs(amount)
    whole = int(amount)
    cents_value = int((amount - whole) * 100)
    if code is None:
        text = _integer_words(whole)
        if not cents_value:
            return sign + text
        spelt = f"{_integer_words(cents_value)} hundredth{'s' if cents_value > 1 else ''}"
        tail = spelt if style == "words" else f"{cents_value:02d}/100"
        return sign + f"{text} and {tail}"
    unit, units, cent, cents_name = CURRENCIES[code]
    if cent is None or cents_name is None:
        cents_value = 0  # a currency without cents: the amount was rounded to the unit
        whole = int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    parts = []
    if whole or not cents_value:
        parts.append(f"{_integer_words(whole)} {unit if whole == 1 else units}")
    if cents_value and cent and cents_name:
        if style == "words":
            parts.append(
                f"{_integer_words(cents_value)} {cent if cents_value == 1 else cents_name}"
            )
        else:
            parts.append(f"{cents_value:02d}/100")
    return sign + " and ".join(parts)


def ordinal(value: Decimal | int, lang: str = "zh-CN") -> str:
    """1 -> 第一 (zh) / 1st (en)."""
    n = int(value)
    if lang.startswith("zh"):
        return "第" + cn_number(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"
