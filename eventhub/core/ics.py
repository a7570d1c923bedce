"""Calendar files (.ics) for events, training sessions and appointments."""

import datetime as dt

from icalendar import Calendar, Event

from eventhub.core.links import site_host


def calendar_bytes(
    *,
    uid: str,
    summary: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    location: str = "",
    description: str = "",
    url: str = "",
) -> bytes:
    """One VEVENT in a VCALENDAR, as bytes ready to attach or download."""
    calendar = Calendar()
    calendar.add("prodid", "-//EventHub//eventhub//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    item = Event()
    item.add("uid", f"{uid}@{site_host()}")
    item.add("dtstamp", dt.datetime.now(dt.UTC))
    item.add("dtstart", starts_at)
    item.add("dtend", ends_at)
    item.add("summary", summary)
    if location:
        item.add("location", location)
    if description:
        item.add("description", description)
    if url:
        item.add("url", url)
    calendar.add_component(item)
    return calendar.to_ical()
