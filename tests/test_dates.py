"""`key_dates:` of templates: checked at their line, computed for final and executed
agreements, listed by `clausekit dates` as text, JSON and iCalendar."""

from __future__ import annotations

import json
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from conftest import REPO, cli, make_library, snapshot

KEY_DATES = """\
key_dates:
  - name: {zh-CN: 服务期限届满, en: Term ends}
    date: "term.end"
    notice_days: [30, 7]
  - name: 续约通知截止日
    date: "term.end | add_months(-1)"
    notice_days: 5
  - name: 大额预付款到期
    date: "term.start | workdays(3)"
    when: "payment.prepay_percent > 50"
"""


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    root = make_library(tmp_path / "lib")
    template = root / "templates" / "base.yaml"
    template.write_text(
        template.read_text("utf-8").replace("preamble:", KEY_DATES + "preamble:"), "utf-8"
    )
    return root


def _agreement(root: Path, name: str, text: str) -> None:
    path = root / "agreements" / "base" / f"{name}.yaml"
    path.write_text(textwrap.dedent(text), "utf-8")


def _json(root: Path, *args: str) -> list[dict[str, object]]:
    result = cli("-C", root, "dates", "--format", "json", *args)
    assert result.code == 0, result.err
    rows: list[dict[str, object]] = json.loads(result.out)
    return rows


def test_the_examples_list_their_term_ends_and_payment_dates() -> None:
    rows = _json(REPO)
    found = {(r["agreement"], r["name"]): r["date"] for r in rows}
    zh = "customer-service-training/2026-shenzhen-final"
    # Term 2026-12-01 to 2027-03-31; progress payment by the 10th working day after the
    # start (Tuesday 1 December + 10 working days = Tuesday 15 December); the balance
    # 15 working days after the end (Wednesday 31 March 2027 -> Wednesday 21 April).
    assert found[(zh, "进度款支付期限")] == "2026-12-15"
    assert found[(zh, "培训服务期限届满")] == "2027-03-31"
    assert found[(zh, "尾款最早到期日（服务期满当日提交全部资料时）")] == "2027-04-21"
    en = "customer-service-training-en/2026-shanghai-final"
    assert found[(en, "Service period ends")] == "2027-04-30"
    nda = "mutual-nda/2026-shenzhen-hangzhou-final"
    # Five years from 1 December 2026, the last day included.
    assert found[(nda, "保密期限届满")] == "2031-11-30"
    assert [r["date"] for r in rows] == sorted(str(r["date"]) for r in rows)
    assert not any(str(r["agreement"]).endswith("draft") for r in rows)
    text = cli("-C", REPO, "dates")
    assert text.code == 0
    assert "2027-03-31  customer-service-training/2026-shenzhen-final" in text.out
    assert "(reminders 2027-03-01, 2027-03-24)" in text.out


def test_a_when_that_does_not_hold_leaves_its_key_date_out(lib: Path) -> None:
    names = [r["name"] for r in _json(lib)]
    assert names == ["续约通知截止日", "服务期限届满"]  # prepay 30%: no 大额预付款
    ok = lib / "agreements" / "base" / "ok.yaml"
    ok.write_text(ok.read_text("utf-8").replace("prepay_percent: 30", "prepay_percent: 60"))
    rows = _json(lib)
    assert [(r["name"], r["date"]) for r in rows] == [
        ("大额预付款到期", "2026-12-04"),
        ("续约通知截止日", "2027-02-28"),  # 31 March - 1 month: the end of February
        ("服务期限届满", "2027-03-31"),
    ]


def test_a_draft_is_listed_only_with_drafts(lib: Path) -> None:
    _agreement(
        lib,
        "draft",
        """\
        template: base
        status: draft
        variables:
          term: {start: 2027-01-04, end: 2027-06-30}
        """,
    )
    _agreement(
        lib,
        "empty-draft",
        """\
        template: base
        status: draft
        variables:
          term: {start: 2027-01-04}
        """,
    )
    assert {r["agreement"] for r in _json(lib)} == {"base/ok"}
    rows = _json(lib, "--drafts")
    drafts = [(r["name"], r["date"], r["status"]) for r in rows if r["agreement"] == "base/draft"]
    # The draft has no prepayment yet: the `when` cannot hold, the date is left out.
    assert drafts == [
        ("续约通知截止日", "2027-05-30", "draft"),
        ("服务期限届满", "2027-06-30", "draft"),
    ]
    # A draft without an end date has no key date from it, and no error either.
    assert not [r for r in rows if r["agreement"] == "base/empty-draft"]
    assert "[draft]" in cli("-C", lib, "dates", "--drafts").out


def test_from_and_to_bound_the_listing(lib: Path) -> None:
    rows = _json(lib, "--from", "2027-03-01", "--to", "2027-03-31")
    assert [r["date"] for r in rows] == ["2027-03-31"]
    assert _json(lib, "--to", "2027-02-27") == []
    bad = cli("-C", lib, "dates", "--from", "2027-02-30")
    assert bad.code == 2 and "is not a date" in bad.err
    reversed_ = cli("-C", lib, "dates", "--from", "2027-03-01", "--to", "2027-01-01")
    assert reversed_.code == 2 and "after --to" in reversed_.err


def test_names_in_each_language(lib: Path) -> None:
    term_end = next(r for r in _json(lib) if r["date"] == "2027-03-31")
    assert term_end["name"] == "服务期限届满"
    assert term_end["names"] == {"zh-CN": "服务期限届满", "en": "Term ends"}
    ics = Calendar.from_ical(cli("-C", lib, "dates", "--format", "ics").out)
    summaries = [str(e["SUMMARY"]) for e in ics.walk("VEVENT")]
    assert "服务期限届满 / Term ends — base/ok" in summaries
    en = cli("-C", REPO, "dates", "--format", "json")
    assert "Balance due at the earliest" in en.out and "尾款最早到期日" in en.out


def test_the_calendar_parses_back_with_alarms_and_all_day_events(lib: Path) -> None:
    text = cli("-C", lib, "dates", "--format", "ics").out
    cal = Calendar.from_ical(text)
    assert str(cal["VERSION"]) == "2.0" and "clausekit" in str(cal["PRODID"])
    events = list(cal.walk("VEVENT"))
    assert len(events) == 2
    end = next(e for e in events if str(e["SUMMARY"]).startswith("服务期限届满"))
    assert end.decoded("DTSTART") == date(2027, 3, 31)  # a date, not a date-time
    assert end.decoded("DTEND") == date(2027, 4, 1)
    triggers = sorted(a.decoded("TRIGGER") for a in end.walk("VALARM"))
    assert triggers == [timedelta(days=-30), timedelta(days=-7)]
    assert all(str(a["ACTION"]) == "DISPLAY" for a in end.walk("VALARM"))
    assert len({str(e["UID"]) for e in events}) == 2
    assert all("DTSTAMP" in e for e in events)


def test_uids_stay_when_a_date_moves(lib: Path) -> None:
    def events() -> dict[str, date]:
        cal = Calendar.from_ical(cli("-C", lib, "dates", "--format", "ics").out)
        return {str(e["UID"]): e.decoded("DTSTART") for e in cal.walk("VEVENT")}

    first = events()
    assert events() == first
    ok = lib / "agreements" / "base" / "ok.yaml"
    ok.write_text(ok.read_text("utf-8").replace("end: 2027-03-31", "end: 2028-03-31"))
    moved = events()
    assert moved.keys() == first.keys()
    assert sorted(moved.values()) == [date(2028, 2, 29), date(2028, 3, 31)]


@pytest.mark.parametrize(
    ("expr", "code", "col", "message"),
    [
        ('"term.edn"', "unknown-name", 17, "'term' has no 'edn'"),
        ('"term.end | add_month(1)"', "unknown-filter", 23, "no filter 'add_month'"),
        ('"fee.total * 2"', "key-date", 11, "gives a number, not a date"),
        ('"term.end | date"', "key-date", 11, "gives text, not a date"),
        ('"term.end +"', "jinja-syntax", 11, "key_dates[1].date"),
    ],
)
def test_a_mistake_in_a_key_date_is_reported_at_its_line(
    lib: Path, expr: str, code: str, col: int, message: str
) -> None:
    template = lib / "templates" / "base.yaml"
    text = template.read_text("utf-8").replace('"term.end | add_months(-1)"', expr)
    template.write_text(text, "utf-8")
    line = text.split("\n").index(f"    date: {expr}") + 1
    before = snapshot(lib)
    result = cli("-C", lib, "check")
    assert result.code == 1
    wanted = f"templates/base.yaml:{line}:{col}: error[{code}]: "
    assert wanted in result.out, result.out
    assert message in result.out
    dates = cli("-C", lib, "dates")
    assert dates.code == 1 and dates.out == ""
    assert f"templates/base.yaml:{line}:" in dates.err and "Traceback" not in dates.err
    assert snapshot(lib) == before


def test_duplicate_key_date_names_are_reported(lib: Path) -> None:
    template = lib / "templates" / "base.yaml"
    text = template.read_text("utf-8").replace("续约通知截止日", "服务期限届满")
    template.write_text(text, "utf-8")
    result = cli("-C", lib, "check")
    assert result.code == 1 and "error[duplicate-key-date]" in result.out


def test_workdays_skip_the_holidays_of_the_library_calendar(lib: Path) -> None:
    template = lib / "templates" / "base.yaml"
    text = template.read_text("utf-8").replace(
        '"term.end | add_months(-1)"', '"term.start | workdays(3)"'
    )
    template.write_text(text, "utf-8")
    assert [r["date"] for r in _json(lib) if r["name"] == "续约通知截止日"] == ["2026-12-04"]
    (lib / "clausekit.yml").write_text("lang: zh-CN\ncalendar: holidays.yaml\n", "utf-8")
    (lib / "holidays.yaml").write_text("- 2026-12-02\n- 2026-12-03\n", "utf-8")
    # Tuesday 1 December: Wednesday and Thursday are holidays, then Fri, Mon, Tue.
    assert [r["date"] for r in _json(lib) if r["name"] == "续约通知截止日"] == ["2026-12-08"]
    (lib / "holidays.yaml").write_text("- 2026-12-02\n- someday\n", "utf-8")
    bad = cli("-C", lib, "dates")
    assert bad.code == 1 and bad.out == ""
    assert "holidays.yaml:2:3: error[calendar]: 'someday' is not a date" in bad.err
    (lib / "holidays.yaml").unlink()
    missing = cli("-C", lib, "check")
    assert missing.code == 1 and "clausekit.yml:2:11: error[calendar]: " in missing.err


@pytest.mark.needs("git")
def test_diff_lists_the_key_dates_a_change_moves(lib: Path, tmp_path: Path) -> None:
    from review_fixtures import Repo

    repo = Repo.create(tmp_path / "repo", source=lib)
    repo.edit("agreements/base/ok.yaml", "end: 2027-03-31", "end: 2028-03-31")
    repo.edit("agreements/base/ok.yaml", "prepay_percent: 30", "prepay_percent: 60")
    result = cli("-C", repo.root, "diff", "--base", "HEAD")
    assert result.code == 0, result.err
    assert "### Key dates moved" in result.out
    assert "| `base/ok` | 服务期限届满 | 2027-03-31 → 2028-03-31 |" in result.out
    assert "| `base/ok` | 续约通知截止日 | 2027-02-28 → 2028-02-29 |" in result.out
    assert "| `base/ok` | 大额预付款到期 | (none) → 2026-12-04 |" in result.out
    data = json.loads(cli("-C", repo.root, "diff", "--base", "HEAD", "--format", "json").out)
    assert len(data["key_dates_moved"]) == 3
    repo.commit("move the term end")
    quiet = cli("-C", repo.root, "diff", "--base", "HEAD")
    assert quiet.code == 0 and "Key dates moved" not in quiet.out


def test_a_changed_holiday_calendar_is_never_served_from_the_quick_build_cache(
    tmp_path: Path,
) -> None:
    from site_fixtures import copy_library
    from test_build_quick import AID, build, way

    root = copy_library(tmp_path / "lib", downloads=False)
    (root / "clausekit.yml").write_text("lang: zh-CN\ncalendar: holidays.yaml\n", "utf-8")
    (root / "holidays.yaml").write_text("- 2027-01-01\n", "utf-8")
    cache = tmp_path / "cache"
    assert way(build(root, cache, AID, "--to", "md", "-o", str(tmp_path / "a"))) == "FULL"
    assert way(build(root, cache, AID, "--to", "md", "-o", str(tmp_path / "b"))) == "QUICK"
    (root / "holidays.yaml").write_text("- 2027-01-01\n- 2027-02-11\n", "utf-8")
    assert way(build(root, cache, AID, "--to", "md", "-o", str(tmp_path / "c"))) == "FULL"


def test_a_computed_value_is_typed_by_its_expression(lib: Path) -> None:
    template = lib / "templates" / "base.yaml"
    text = template.read_text("utf-8")
    text = text.replace(
        "computed:\n",
        'computed:\n  renewal: "term.end | add_years(1)"\n  double: "fee.total * 2"\n',
    )
    text = text.replace('"term.end | add_months(-1)"', '"renewal | add_days(-60)"')
    template.write_text(text, "utf-8")
    assert [r["date"] for r in _json(lib) if r["name"] == "续约通知截止日"] == ["2028-01-31"]
    template.write_text(text.replace('"renewal | add_days(-60)"', '"double"'), "utf-8")
    result = cli("-C", lib, "check")
    assert result.code == 1 and "'double' gives a number, not a date" in result.out


def test_a_typo_in_a_key_dates_when_is_reported_at_its_column(lib: Path) -> None:
    template = lib / "templates" / "base.yaml"
    text = template.read_text("utf-8").replace(
        "payment.prepay_percent > 50", "payment.prepay_pct > 50"
    )
    template.write_text(text, "utf-8")
    line = text.split("\n").index('    when: "payment.prepay_pct > 50"') + 1
    result = cli("-C", lib, "check")
    assert f"templates/base.yaml:{line}:20: error[unknown-name]: " in result.out, result.out
    assert "did you mean 'prepay_percent'?" in result.out
