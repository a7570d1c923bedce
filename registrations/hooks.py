"""Hooks: how the features above this app take part in an attendee's day.

``registrations`` sits below ``screenings`` (docs/architecture.md) and may
not import it, yet a person's ticket page shows their screenings, cancelling
a registration frees their screening slots, and erasing a person wipes what
every app keeps about them. So this app exposes the points below, and the
composition floor (``eventhub.journeys``, in its ``AppConfig.ready``) plugs
the apps above into them. Every hook runs inside the caller's transaction.

- ``TICKET_SECTIONS``: templates added to the ticket page and the PDF ticket,
  in page order (see ``registrations.ticket_sections``).
- ``ON_CANCEL``: ``fn(*, attendee_id)``, after a registration is cancelled
  (the person's places elsewhere must be freed, and waiting people promoted).
- ``ON_ERASE``: ``fn(*, attendee_id, now)``, while a person is erased, after
  their registration was cancelled and before their names go.
- ``TASK_ROWS``: ``fn(*, attendee_id) -> {task_path: [primary keys]}``, the
  background tasks about the person that erasure must drop.
- ``DATA_EXPORT``: ``fn(*, attendee_id) -> dict``, sections merged into the
  person's "download everything" file.
- ``TICKET_LINKS``: ``fn(*, attendee) -> [(label, path)]``, what a confirmed
  person can book elsewhere, linked from the ticket e-mail (label in the
  active language, path from the site root).
"""

from collections.abc import Callable

TICKET_SECTIONS: list[str] = []
ON_CANCEL: list[Callable[..., object]] = []
ON_ERASE: list[Callable[..., object]] = []
TASK_ROWS: list[Callable[..., dict[str, list[int]]]] = []
DATA_EXPORT: list[Callable[..., dict]] = []
TICKET_LINKS: list[Callable[..., list[tuple[str, str]]]] = []


def register(hook: list, fn) -> None:
    """Add ``fn`` to ``hook`` once (``ready()`` may run twice in tests)."""
    if fn not in hook:
        hook.append(fn)
