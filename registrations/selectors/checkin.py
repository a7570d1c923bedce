"""Reads for the gate: attendance totals, the manual look-up, printable lists,
the offline pack and the double entries found when offline scans are synced."""

import unicodedata
from collections import defaultdict

from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import formats, timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _

from eventhub.core.models import Event
from registrations.models import Attendee, CheckIn, ScanLog, Ticket
from registrations.ticket_codes import offline_ticket_hash

Status = Attendee.Status
Result = ScanLog.Result
SEARCH_LIMIT = 20
DOUBLE_ENTRY_LIMIT = 200
# What a synced offline scan the device had let in ("ok") was answered, and
# the kind of double entry it makes.
DOUBLE_ENTRY_KINDS = {
    Result.ALREADY: "double_entry",
    Result.CANCELLED: "cancelled",
    Result.WAITLISTED: "waitlisted",
}


def attendance_totals(*, event_id: int, target: str = "event") -> dict:
    """Registered, confirmed, waitlisted, checked-in counts and capacity, per gate too."""
    counts = Attendee.objects.filter(event_id=event_id).aggregate(
        confirmed=Count("pk", filter=Q(status=Status.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=Status.WAITLISTED)),
    )
    by_gate = dict(
        CheckIn.objects.filter(event_id=event_id, target=target)
        .values_list("gate")
        .annotate(n=Count("pk"))
        .order_by("gate")
        .values_list("gate", "n")
    )
    capacity = Event.objects.values_list("capacity", flat=True).get(pk=event_id)
    return {
        "registered": counts["confirmed"] + counts["waitlisted"],
        "confirmed": counts["confirmed"],
        "waitlisted": counts["waitlisted"],
        "checked_in": sum(by_gate.values()),
        "capacity": capacity,
        "by_gate": by_gate,
    }


def attendee_search(*, event_id: int, query: str, limit: int = SEARCH_LIMIT) -> list[dict]:
    """People of the event matching ``query`` in name or e-mail, for the gate look-up.

    Every word must match the first name, last name or e-mail. Cancelled
    registrations are listed too, so the volunteer sees why. Rows carry the
    attendee id to admit by, never the ticket's code or manage key.
    """
    words = [w for w in (query or "").split() if w][:4]
    if not words or sum(len(w) for w in words) < 2:
        return []
    qs = Attendee.objects.filter(event_id=event_id)
    for word in words:
        qs = qs.filter(
            Q(first_name__icontains=word) | Q(last_name__icontains=word) | Q(email__icontains=word)
        )
    rows = list(
        qs.select_related("ticket")
        .order_by(Lower("last_name"), Lower("first_name"), "pk")
        .values("pk", "first_name", "last_name", "email", "category", "status")[:limit]
    )
    checked = dict(
        CheckIn.objects.filter(
            ticket__attendee_id__in=[r["pk"] for r in rows], target="event"
        ).values_list("ticket__attendee_id", "checked_in_at")
    )
    return [
        {
            "id": r["pk"],
            "display_name": f"{r['first_name']} {r['last_name']}".strip(),
            "email": _mask_email(r["email"]),
            "category": r["category"],
            "status": r["status"],
            "checked_in_at": checked.get(r["pk"]),
        }
        for r in rows
    ]


def _mask_email(email: str) -> str:
    """``io***@example.org``: enough to tell two namesakes apart at the gate."""
    if "@" not in email:
        return ""
    local, domain = email.split("@", 1)
    return f"{local[:2]}***@{domain}"


def alphabetical_key(text: str) -> str:
    """A sort key that files Čolić under C and Đorđe under D, as readers expect.

    Database collations differ (SQLite and PostgreSQL's "C" sort by code
    point, putting every accented letter after Z), so lists sort in Python.
    """
    text = text.casefold().replace("đ", "dj").replace("ß", "ss")
    decomposed = unicodedata.normalize("NFKD", text)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return f"{base}\x00{text}"  # ties: accented after plain


def attendees_for_print(*, event_id: int) -> list[Ticket]:
    """Confirmed attendees' tickets, alphabetical by last then first name."""
    tickets = Ticket.objects.filter(
        attendee__event_id=event_id, attendee__status=Status.CONFIRMED
    ).select_related("attendee")
    return sorted(
        tickets,
        key=lambda t: (
            alphabetical_key(t.attendee.last_name),
            alphabetical_key(t.attendee.first_name),
            t.pk,
        ),
    )


def recent_scans(*, event_id: int, limit: int = 50):
    """The latest scan log entries of the event, newest first."""
    return list(
        ScanLog.objects.filter(event_id=event_id)
        .select_related("ticket__attendee", "user")
        .order_by("-scanned_at", "-pk")[:limit]
    )


def offline_pack(*, event_id: int, target: str = "event") -> dict:
    """What a scanner needs to decide without the network: ticket hashes only.

    ``admitted``: hashes of the tickets with a check-in at ``target``;
    ``refused``: hash → status of the cancelled and waitlisted attendees'
    tickets. Two queries, no names, no codes (``offline_ticket_hash``).
    """
    admitted = [
        offline_ticket_hash(event_id, code)
        for code in CheckIn.objects.filter(event_id=event_id, target=target)
        .order_by()
        .values_list("ticket__code", flat=True)
    ]
    refused = {
        offline_ticket_hash(event_id, code): status
        for code, status in Ticket.objects.filter(
            attendee__event_id=event_id,
            attendee__status__in=[Status.CANCELLED, Status.WAITLISTED],
        )
        .order_by()
        .values_list("code", "attendee__status")
    }
    return {"admitted": admitted, "refused": refused}


# A scan log row of an offline scan the device let in that the server refused.
_LET_IN_OFFLINE = Q(
    method=CheckIn.Method.OFFLINE, local_result=Result.OK, result__in=list(DOUBLE_ENTRY_KINDS)
)


def _double_entry_scans(*, event_id: int, target: str = "event"):
    """Offline scans the device let in that the server refused: the holder got
    in although already admitted (or cancelled, or waitlisted)."""
    return ScanLog.objects.filter(
        _LET_IN_OFFLINE, event_id=event_id, target=target, ticket__isnull=False
    )


def double_entry_count(*, event_id: int) -> int:
    """How many double entries the event has (one per ticket and kind)."""
    return (
        _double_entry_scans(event_id=event_id)
        .order_by()
        .values("ticket_id", "result")
        .distinct()
        .count()
    )


def double_entries(
    *,
    event_id: int,
    device: str | None = None,
    newest_first: bool = False,
    limit: int = DOUBLE_ENTRY_LIMIT,
) -> list[dict]:
    """The event's double entries, oldest first (or newest first), at most ``limit``.

    One item per ticket and kind (``double_entry``, ``cancelled``,
    ``waitlisted``): ``id`` (its first scan log row), ``ticket`` (the offline
    hash), ``attendee_id``, ``display_name``, ``kind``, ``entries`` (the
    admissions in time order: the admission the offline scans were refused
    for, then every offline scan let in by a device; each ``gate``,
    ``device``, ``at``, ``offline``, ``undone``) and ``text``, one sentence in
    the active language. An admission undone afterwards (``check_in_undo``)
    is still listed, from its undo's scan log row, with ``undone`` true. With
    ``device``, only those in which that device took part, on either side.
    Three queries. Names are personal data: callers go through
    ``access_double_entries``.
    """
    scans = _double_entry_scans(event_id=event_id)
    if device is not None:
        involved = scans.filter(
            Q(device=device)
            | Q(ticket__check_ins__target="event", ticket__check_ins__device=device)
            | Q(
                ticket__scan_logs__target="event",
                ticket__scan_logs__result=Result.UNDONE,
                ticket__scan_logs__device=device,
            )
        ).values("ticket_id")
        scans = scans.filter(ticket_id__in=involved)
    # The same tickets' undos come in the same query (each part on its own
    # index): an admission undone after the double entry was found is known
    # by its undo row alone.
    undone = ScanLog.objects.filter(
        event_id=event_id,
        target="event",
        result=Result.UNDONE,
        ticket_id__in=scans.order_by().values("ticket_id"),
    )
    fields = ["pk", "ticket_id", "result", "gate", "device", "method", "scanned_at", "admitted_at"]
    logged = scans.order_by().values(*fields).union(undone.order_by().values(*fields), all=True)
    groups: dict[tuple[int, str], list[dict]] = defaultdict(list)
    undos: dict[int, list[dict]] = defaultdict(list)
    for row in sorted(logged, key=lambda row: (row["scanned_at"], row["pk"])):
        if row["result"] == Result.UNDONE:
            undos[row["ticket_id"]].append(row)
        else:
            groups[(row["ticket_id"], row["result"])].append(row)
    ordered = sorted(groups.items(), key=lambda item: (item[1][0]["scanned_at"], item[1][0]["pk"]))
    if newest_first:
        ordered.reverse()
    ordered = ordered[:limit]
    ticket_ids = {ticket_id for (ticket_id, _result), _rows in ordered}
    check_ins = {
        row["ticket_id"]: row
        for row in CheckIn.objects.filter(ticket_id__in=ticket_ids, target="event")
        .order_by()
        .values("ticket_id", "gate", "device", "checked_in_at", "method")
    }
    people = {
        row["pk"]: row
        for row in Ticket.objects.filter(pk__in=ticket_ids)
        .order_by()
        .values("pk", "code", "attendee_id", "attendee__first_name", "attendee__last_name")
    }
    items = []
    for (ticket_id, result), rows in ordered:
        kind = DOUBLE_ENTRY_KINDS[result]
        entries = [
            {
                "gate": r["gate"],
                "device": r["device"],
                "at": r["scanned_at"],
                "offline": True,
                "undone": False,
            }
            for r in rows
        ]
        if kind == "double_entry":
            # Ties: the admission first (the sort is stable).
            entries[:0] = _admissions_refused_for(
                rows, undos=undos[ticket_id], check_in=check_ins.get(ticket_id)
            )
        entries.sort(key=lambda e: e["at"])
        person = people[ticket_id]
        name = Attendee(
            first_name=person["attendee__first_name"], last_name=person["attendee__last_name"]
        ).full_name
        items.append(
            {
                "id": rows[0]["pk"],
                "ticket": offline_ticket_hash(event_id, person["code"]),
                "attendee_id": person["attendee_id"],
                "display_name": name,
                "kind": kind,
                "entries": entries,
                "text": double_entry_text(kind, entries),
            }
        )
    return items


def _admissions_refused_for(
    scans: list[dict], *, undos: list[dict], check_in: dict | None
) -> list[dict]:
    """The admissions that the offline ``scans`` of a ticket were answered
    ``already_checked_in`` for, as double-entry entries.

    A scan met the admission standing when it was logged: the one the first
    undo logged after it undid (the log's ids follow the ticket's lock) or,
    when none was undone since, the ticket's check-in.
    """
    undos = sorted(undos, key=lambda undo: undo["pk"])
    met: dict[int | None, dict] = {}
    for scan in scans:
        undo = next((u for u in undos if u["pk"] > scan["pk"]), None)
        if undo is None and check_in is not None:
            met[None] = {
                "gate": check_in["gate"],
                "device": check_in["device"],
                "at": check_in["checked_in_at"],
                "offline": check_in["method"] == CheckIn.Method.OFFLINE,
                "undone": False,
            }
        elif undo is not None and undo["admitted_at"] is not None:
            met[undo["pk"]] = {
                "gate": undo["gate"],
                "device": undo["device"],
                "at": undo["admitted_at"],
                "offline": undo["method"] == CheckIn.Method.OFFLINE,
                "undone": True,
            }
    return sorted(met.values(), key=lambda e: e["at"])


def double_entry_text(kind: str, entries: list[dict]) -> str:
    """One sentence for people: "Admitted offline at North 10:02 and South 10:05."

    Times in the fair's time zone; consecutive offline admissions share one
    "offline"; an admission undone afterwards says so ("at Main 09:58
    (undone later)").
    """
    runs: list[tuple[bool, list[str]]] = []
    for entry in entries:
        where = {
            "gate": entry["gate"] or "—",
            "time": formats.time_format(timezone.localtime(entry["at"]), "H:i"),
        }
        if entry.get("undone"):
            place = _("%(gate)s %(time)s (undone later)") % where
        else:
            place = _("%(gate)s %(time)s") % where
        if runs and runs[-1][0] == entry["offline"]:
            runs[-1][1].append(place)
        else:
            runs.append((entry["offline"], [place]))
    parts = [
        (_("offline at %(places)s") if offline else _("at %(places)s"))
        % {"places": get_text_list(places, _("and"))}
        for offline, places in runs
    ]
    admissions = get_text_list(parts, _("and"))
    if kind == "cancelled":
        return _("Admitted %(admissions)s although the registration was cancelled.") % {
            "admissions": admissions
        }
    if kind == "waitlisted":
        return _("Admitted %(admissions)s although the person was on the waiting list.") % {
            "admissions": admissions
        }
    return _("Admitted %(admissions)s.") % {"admissions": admissions}
