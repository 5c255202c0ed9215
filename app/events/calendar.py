"""An event as an iCalendar file (RFC 5545), times in UTC."""
from __future__ import annotations

from icalendar import Calendar, Event as VEvent

from ..clock import as_utc
from ..config import settings
from ..models import Event, utcnow


def ics(event: Event, *, url: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//Legwork//events//EN")
    cal.add("version", "2.0")
    item = VEvent()
    # Stable across downloads (a calendar updates the entry), and distinct between installs.
    item.add("uid", f"event-{event.id}-{int(as_utc(event.created_at).timestamp())}@legwork")
    item.add("dtstamp", utcnow())
    item.add("dtstart", as_utc(event.starts_at))
    item.add("dtend", as_utc(event.ends_at))
    item.add("summary", f"{event.title} ({settings().campaign_name})")
    if event.meeting_point:
        item.add("location", event.meeting_point)
    if event.description:
        item.add("description", event.description)
    item.add("url", url)
    cal.add_component(item)
    return cal.to_ical()
