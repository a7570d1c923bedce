"""Reading groups: by the contact's manage key, by the gate code, for transport."""

from collections import defaultdict

from django.db.models import Prefetch

from registrations.models import Attendee, CheckIn, Group
from registrations.ticket_codes import normalize_manage_key


def _with_members(qs):
    members = Attendee.objects.select_related("ticket").order_by("pk")
    return qs.select_related("event", "contact").prefetch_related(
        Prefetch("members", queryset=members)
    )


def group_for_manage_key(*, key: str) -> Group | None:
    """The group whose contact holds this key (the group page's credential), or None."""
    normalized = normalize_manage_key(key)
    if normalized is None:
        return None
    return _with_members(Group.objects.filter(manage_key=normalized)).first()


def group_for_code(*, event_id: int, code: str) -> Group | None:
    """The group of this event with this gate code (in the group page's QR), or None."""
    code = (code or "").strip().upper()
    if not code:
        return None
    return _with_members(Group.objects.filter(event_id=event_id, code=code)).first()


def group_members(group: Group) -> list[Attendee]:
    """The members, the contact first, then the companions in order."""
    return sorted(group.members.all(), key=lambda a: (a.pk != group.contact_id, a.pk))


def group_admitted_ticket_ids(group: Group) -> set[int]:
    return set(
        CheckIn.objects.filter(ticket__attendee__group=group, target="event").values_list(
            "ticket_id", flat=True
        )
    )


ACTIVE = [Attendee.Status.CONFIRMED, Attendee.Status.WAITLISTED]


def transport_list(*, event_id: int) -> list[dict]:
    """Groups needing transport, by pick-up place (sorted), with their seats.

    Each place: ``{"place", "seats", "confirmed_seats", "groups": [{"group",
    "contact", "phone", "seats", "confirmed"}]}``; seats count the active
    members (confirmed or waiting), cancelled people need no seat.
    """
    groups = _with_members(
        Group.objects.filter(event_id=event_id).exclude(transport_from="").order_by("pk")
    )
    places: dict[str, dict] = defaultdict(lambda: {"seats": 0, "confirmed_seats": 0, "groups": []})
    for group in groups:
        active = [m for m in group.members.all() if m.status in ACTIVE]
        if not active:
            continue
        confirmed = sum(1 for m in active if m.status == Attendee.Status.CONFIRMED)
        key = " ".join(group.transport_from.split())
        place = places[key.casefold()]
        place.setdefault("place", key)
        place["seats"] += len(active)
        place["confirmed_seats"] += confirmed
        place["groups"].append(
            {
                "group": group,
                "contact": group.contact.full_name,
                "phone": group.contact.phone,
                "seats": len(active),
                "confirmed": confirmed,
            }
        )
    return [places[k] for k in sorted(places)]
