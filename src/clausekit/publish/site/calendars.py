"""The site's calendars: one `.ics` per final or executed agreement that has key dates,
one for the whole library, and the key dates listed on each agreement's page."""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from clausekit.check import Checked
from clausekit.check.schedule import Due, library_dates
from clausekit.errors import ProblemsFound
from clausekit.publish.calendar import calendar_ics, event_ics, stamp_now
from clausekit.publish.site.common import RawHtml, html_link, link

LIBRARY_CALENDAR = "calendars/library.ics"
LABELS = {
    "zh": {
        "key_dates": "关键日期",
        "date": "日期",
        "key_date": "事项",
        "reminders": "提醒",
        "calendar": "订阅本协议的日历（.ics）",
    },
    "en": {
        "key_dates": "Key dates",
        "date": "Date",
        "key_date": "Key date",
        "reminders": "Reminders",
        "calendar": "Subscribe to this agreement's calendar (.ics)",
    },
}


def calendar_uri(aid: str) -> str:
    return f"calendars/agreements/{aid}.ics"


@dataclass(frozen=True)
class SiteCalendars:
    files: Mapping[str, bytes]  # site uri -> iCalendar file
    dues: Mapping[str, tuple[Due, ...]]  # agreement id -> its key dates, by date

    def __bool__(self) -> bool:
        return bool(self.files)


def site_calendars(checked: Checked, paged: Iterable[str], site_name: str) -> SiteCalendars:
    """The calendars of the agreements that have a page (final and executed ones only: a
    draft's dates are not commitments); none when no template has key dates."""
    if not any(t.key_dates for t in checked.lib.templates.values()):
        return SiteCalendars({}, {})
    dues, problems = library_dates(checked, drafts=False)
    if problems:
        raise ProblemsFound(problems)
    shown = set(paged)
    by_agreement: dict[str, list[Due]] = defaultdict(list)
    for due in dues:
        if due.agreement in shown:
            by_agreement[due.agreement].append(due)
    stamp = stamp_now()
    events = {(d.agreement, d.key.place): event_ics(d, stamp) for d in dues if d.agreement in shown}
    files = {LIBRARY_CALENDAR: calendar_ics(site_name, events.values())}
    for aid, found in by_agreement.items():
        own = [events[(d.agreement, d.key.place)] for d in found]
        files[calendar_uri(aid)] = calendar_ics(found[0].title, own)
    return SiteCalendars(files, {a: tuple(d) for a, d in by_agreement.items()})


def key_dates_section(
    uri: str, aid: str, calendars: SiteCalendars, lang: str
) -> list[str | RawHtml]:
    """An agreement page's key dates, with a link to subscribe to its calendar."""
    dues = calendars.dues.get(aid, ())
    if not dues:
        return []
    t = LABELS["en" if lang.startswith("en") else "zh"]
    rows = []
    for due in dues:
        reminders = ", ".join(d.isoformat() for d in due.reminders)
        rows.append(
            f"<tr><td>{due.day.isoformat()}</td><td>{html.escape(due.name)}</td>"
            f"<td>{html.escape(reminders)}</td></tr>"
        )
    head = f"<tr><th>{t['date']}</th><th>{t['key_date']}</th><th>{t['reminders']}</th></tr>"
    table = f"<table>\n<thead>{head}</thead>\n<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"
    calendar = html_link(uri, calendar_uri(aid), t["calendar"])
    return [f"## {t['key_dates']} {{#key-dates}}\n", RawHtml(f"{table}\n<p>{calendar}</p>")]


def library_calendar_link(uri: str) -> str:
    return link(uri, LIBRARY_CALENDAR, "关键日期日历 Key dates calendar (.ics)")
