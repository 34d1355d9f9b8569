"""Key dates as a listing (`clausekit dates`) and as iCalendar files (RFC 5545).

Each key date is an all-day event whose UID depends only on the agreement and
the key date's name (`Due.uid`), so a calendar subscribed to the site's `.ics`
moves an event when a date changes instead of adding a second one.  Reminders
(`notice_days`) are `VALARM`s triggered that many days before the event.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, timedelta

from clausekit.check.schedule import Due

PRODID = "-//clausekit//key dates//EN"


def within(dues: Iterable[Due], start: date | None, end: date | None) -> list[Due]:
    """The key dates from `start` to `end`, both included."""
    return [d for d in dues if (start is None or d.day >= start) and (end is None or d.day <= end)]


def as_text(dues: Sequence[Due]) -> str:
    """One line a key date: `DATE  AGREEMENT  NAME  (reminders …)`, by date."""
    if not dues:
        return "no key dates\n"
    width = max(len(d.agreement) for d in dues)
    lines = []
    for d in dues:
        status = "" if d.status != "draft" else "  [draft]"
        reminders = ", ".join(day.isoformat() for day in d.reminders)
        tail = f"  (reminders {reminders})" if reminders else ""
        lines.append(f"{d.day.isoformat()}  {d.agreement:<{width}}  {d.name}{tail}{status}")
    return "\n".join(lines) + "\n"


def as_json(dues: Sequence[Due]) -> str:
    rows = [
        {
            "date": d.day.isoformat(),
            "agreement": d.agreement,
            "title": d.title,
            "status": d.status,
            "name": d.name,
            "names": dict(d.names) if "" not in d.names else {d.lang: d.name},
            "reminders": [
                {"days_before": n, "date": day.isoformat()}
                for n, day in zip(d.key.notice_days, d.reminders, strict=True)
            ],
            "uid": d.uid,
        }
        for d in dues
    ]
    return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"


def as_ics(dues: Sequence[Due], name: str) -> bytes:
    """An iCalendar file of the key dates, named `name` in calendar applications."""
    stamp = stamp_now()
    return calendar_ics(name, [event_ics(d, stamp) for d in dues])


def calendar_ics(name: str, events: Iterable[bytes]) -> bytes:
    """A VCALENDAR holding events made by `event_ics`: a site writes each event in two
    calendars (its agreement's and the library's), and makes it once."""
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    text = bytes(cal.to_ical())
    end = b"END:VCALENDAR\r\n"
    if not text.endswith(end):
        raise ValueError("icalendar wrote a calendar that does not end with END:VCALENDAR")
    return text[: -len(end)] + b"".join(events) + end


def event_ics(due: Due, stamp: datetime) -> bytes:
    """One key date as an all-day VEVENT, its reminders as VALARMs."""
    from icalendar import Alarm, Event

    event = Event()
    event.add("uid", due.uid)
    event.add("dtstamp", stamp)
    event.add("dtstart", due.day)
    event.add("dtend", due.day + timedelta(days=1))
    event.add("summary", f"{_names(due)} — {due.title}")
    event.add("description", f"{due.title} ({due.agreement}): {_names(due)}")
    event.add("transp", "TRANSPARENT")  # a deadline, not time taken
    for days in due.key.notice_days:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{due.name} ({due.day.isoformat()}) — {due.title}")
        alarm.add("trigger", timedelta(days=-days))
        event.add_component(alarm)
    return bytes(event.to_ical())


def _names(due: Due) -> str:
    """The key date's name in each of its languages, the template's first."""
    names = dict(due.names)
    if "" in names:
        return names[""]
    first = names.pop(due.lang, None)
    return " / ".join([*([first] if first else []), *names.values()])


def stamp_now() -> datetime:
    """When the calendar was made: SOURCE_DATE_EPOCH when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)
