"""Group names and message builders of the screening queues (no queries here).

Two kinds of group, so that names never reach a public screen:

- ``queue.<service_id>``: the public boards. Entries carry numbers and
  stations only.
- ``consoles.<service_id>``: the doctor consoles of the service (one group,
  so a change is sent once whatever the number of stations). Entries carry
  the first name and flags the doctor needs; each console picks out its own
  station's people by ``station_id``.

Every change to a queue bumps ``Queue.seq`` inside the locked transaction and
sends the same ``seq`` to both kinds of group after commit. Layer events are
``queue.delta`` ``{"seq", "message"}``; consumers forward ``message`` or, on a
gap, send a fresh snapshot.
"""

from screenings.models import QueueEntry, Station, format_number

# Message types seen by clients.
ENTRY_ADDED = "queue.entry_added"
ENTRY_CALLED = "queue.entry_called"
ENTRY_UPDATED = "queue.entry_updated"
ENTRY_REMOVED = "queue.entry_removed"
STATION_UPDATED = "queue.station_updated"


def queue_group(service_id: int) -> str:
    return f"queue.{service_id}"


def console_group(service_id: int) -> str:
    """Every doctor console of a service: they all see the same queue."""
    return f"consoles.{service_id}"


def _time(value):
    return value.isoformat() if value else None


def public_entry(entry: QueueEntry, *, service_code: str) -> dict:
    """An entry as a board may show it: number, status and station, never a name."""
    station = entry.station if entry.station_id else None
    return {
        "id": entry.pk,
        "number": format_number(service_code, entry.number),
        "status": entry.status,
        "station": station.name if station else None,
        "station_id": entry.station_id,
    }


def console_entry(entry: QueueEntry, *, service_code: str) -> dict:
    """An entry as the service's doctors see it: first name and flags, no more."""
    payload = public_entry(entry, service_code=service_code)
    appointment = entry.appointment if entry.appointment_id else None
    payload.update(
        {
            "kind": entry.kind,
            "first_name": entry.first_name,
            "flags": list(entry.flags),
            "due_at": _time(entry.due_at),
            "joined_at": _time(entry.joined_at),
            "called_at": _time(entry.called_at),
            "started_at": _time(entry.started_at),
            "recalls": entry.recalls,
            "slot_starts_at": _time(appointment.slot.starts_at) if appointment else None,
        }
    )
    return payload


def station_payload(station: Station) -> dict:
    return {"id": station.pk, "name": station.name, "room": station.room, "open": station.is_open}


def delta(message_type: str, seq: int, **body) -> dict:
    """The layer event wrapping one client message with its sequence number."""
    return {
        "type": "queue.delta",
        "seq": seq,
        "message": {"type": message_type, "seq": seq, **body},
    }
