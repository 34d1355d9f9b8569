"""The site's calendars: an .ics per final agreement and one for the library, linked from
the agreement pages and the home page, valid iCalendar, with UIDs that survive a rebuild."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from icalendar import Calendar

from site_fixtures import Built, copy_library, mkdocs_build

ZH = "customer-service-training/2026-shenzhen-final"
EN = "customer-service-training-en/2026-shanghai-final"


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Built, Built]:
    """The example site built, then built again after the Chinese agreement's term end
    moved by a year."""
    root = copy_library(tmp_path_factory.mktemp("calendars") / "lib", downloads=False)
    first = mkdocs_build(root, root / "site-1")
    assert first.code == 0, first.output
    agreement = root / "agreements" / f"{ZH}.yaml"
    text = agreement.read_text("utf-8")
    agreement.write_text(text.replace("end: 2027-03-31", "end: 2028-03-31"), "utf-8")
    second = mkdocs_build(root, root / "site-2")
    assert second.code == 0, second.output
    return first, second


def _events(site: Path, rel: str) -> dict[str, tuple[str, date]]:
    cal = Calendar.from_ical((site / rel).read_bytes())
    return {str(e["UID"]): (str(e["SUMMARY"]), e.decoded("DTSTART")) for e in cal.walk("VEVENT")}


def test_each_final_agreement_has_a_calendar_that_parses(builds: tuple[Built, Built]) -> None:
    site = builds[0].site
    events = _events(site, f"calendars/agreements/{ZH}.ics")
    days = sorted((day, summary.split(" — ")[0]) for summary, day in events.values())
    assert days == [
        (date(2026, 12, 15), "进度款支付期限"),
        (date(2027, 3, 31), "培训服务期限届满"),
        (date(2027, 4, 21), "尾款最早到期日（服务期满当日提交全部资料时）"),
    ]
    cal = Calendar.from_ical((site / f"calendars/agreements/{ZH}.ics").read_bytes())
    term_end = next(e for e in cal.walk("VEVENT") if e.decoded("DTSTART") == date(2027, 3, 31))
    triggers = sorted(a.decoded("TRIGGER") for a in term_end.walk("VALARM"))
    assert triggers == [timedelta(days=-30), timedelta(days=-7)]
    english = [s for s, _ in _events(site, f"calendars/agreements/{EN}.ics").values()]
    assert any(s.startswith("Service period ends — ") for s in english)
    # Drafts have no calendar: their dates are not commitments.
    assert not list((site / "calendars" / "agreements").rglob("*draft*"))


def test_the_library_calendar_holds_every_agreements_events(builds: tuple[Built, Built]) -> None:
    site = builds[0].site
    library = _events(site, "calendars/library.ics")
    own = {
        uid
        for ics in (site / "calendars" / "agreements").rglob("*.ics")
        for uid in _events(site, ics.relative_to(site).as_posix())
    }
    assert set(library) == own and len(own) == 11  # 3 + 3 + 3 training dates, 2 NDA dates


def test_uids_stay_the_same_from_build_to_build(builds: tuple[Built, Built]) -> None:
    first = _events(builds[0].site, "calendars/library.ics")
    second = _events(builds[1].site, "calendars/library.ics")
    assert first.keys() == second.keys()
    moved = {uid: (a[1], second[uid][1]) for uid, a in first.items() if a != second[uid]}
    assert sorted(moved.values()) == [
        (date(2027, 3, 31), date(2028, 3, 31)),
        (date(2027, 4, 21), date(2028, 4, 21)),
    ]


def test_pages_list_key_dates_and_link_the_calendars(builds: tuple[Built, Built]) -> None:
    site = builds[0].site
    page = (site / "agreements" / ZH / "index.html").read_text("utf-8")
    assert 'id="key-dates"' in page
    assert "<td>2027-03-31</td><td>培训服务期限届满</td><td>2027-03-01, 2027-03-24</td>" in page
    links = re.findall(r'href="([^"]+\.ics)"', page)
    assert links == [
        "../../../calendars/agreements/customer-service-training/2026-shenzhen-final.ics"
    ]
    target = (site / "agreements" / ZH / links[0]).resolve()
    assert target.is_file()
    english = (site / "agreements" / EN / "index.html").read_text("utf-8")
    assert (
        "Key dates" in english and html.escape("Subscribe to this agreement's calendar") in english
    )
    home = (site / "index.html").read_text("utf-8")
    assert 'href="calendars/library.ics"' in home
    draft = site / "agreements" / "customer-service-training" / "2026-draft" / "index.html"
    assert 'id="key-dates"' not in draft.read_text("utf-8")
