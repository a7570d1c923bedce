"""Registering a group: a contact person and up to ten companions, together.

Every member is an ``Attendee`` with their own ticket; the contact gives the
group's one e-mail and phone. The group takes its places on the fair's pool
in one step (``FAIR.take_in_turn(event, places=N)``) under the event lock,
so it is confirmed whole or waitlisted whole; only an event that allows
splitting confirms the members who fit and keeps the others waiting. The
waiting list is first come, first served among groups and single people: a
group at its head that does not fit waits, and nobody behind it overtakes
(``FairPool.promote``). See docs/groups.md.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eventhub.core.exceptions import DomainError, RegistrationClosed
from eventhub.core.models import Event
from registrations.models import Attendee, Group, Ticket
from registrations.services.attendees import FAIR, _ticket_email_on_commit

Status = Attendee.Status


class GroupTooLarge(DomainError):
    code, http_status = "group_too_large", 400
    default_message = _("A group has at most 10 companions.")


class GroupEmailTaken(DomainError):
    code, http_status = "email_taken", 409
    default_message = _("Another registration for this event uses this e-mail address.")


SHARED_EMAIL = _(
    "Each person needs their own e-mail address; leave it empty and the ticket "
    "goes to the contact person."
)


@dataclass(frozen=True)
class GroupResult:
    group: Group
    attendees: list[Attendee]  # the contact first, then the companions in order

    @property
    def status(self) -> str:
        return group_status(self.attendees)


def group_status(attendees) -> str:
    """``confirmed`` or ``waitlisted`` when all agree; ``partly_confirmed`` after a split."""
    statuses = {a.status for a in attendees if a.status != Status.CANCELLED}
    if statuses == {Status.CONFIRMED}:
        return "confirmed"
    if statuses == {Status.WAITLISTED}:
        return "waitlisted"
    if not statuses:
        return "cancelled"
    return "partly_confirmed"


@transaction.atomic
def group_register(
    *,
    event_id: int,
    contact: dict,
    members: list[dict],
    transport_from: str = "",
    source: str = Attendee.Source.ONLINE,
    enforce_window: bool = True,
) -> GroupResult:
    """Register a contact person (``attendee_register``'s keyword arguments)
    and their companions (``first_name``, ``last_name``, ``age``) together.

    The group is confirmed whole while there is room for all, else waitlisted
    whole (or split, if the event allows it). A pick-up place
    (``transport_from``) means the whole group needs transport. Companions
    share the contact's region, country and language; one who gives an
    ``email`` (their own: one active registration per address and event)
    gets their own ticket e-mail, like the contact, after the commit. Raise
    GroupTooLarge, GroupEmailTaken, RegistrationClosed. Lock: the event row.
    """
    if len(members) > Group.MAX_COMPANIONS:
        raise GroupTooLarge(fields={"members": [str(GroupTooLarge.default_message)]})
    event = FAIR.lock(event_id)
    if event.status != Event.Status.PUBLISHED or (
        enforce_window and not event.registration_is_open()
    ):
        raise RegistrationClosed()
    email = contact.get("email", "").strip()
    if (
        email
        and Attendee.objects.filter(event_id=event_id, email__iexact=email)
        .exclude(status=Status.CANCELLED)
        .exists()
    ):
        raise GroupEmailTaken(fields={"contact": {"email": [str(GroupEmailTaken.default_message)]}})
    _check_member_emails(event_id, email, members)

    transport_from = transport_from.strip()
    needs_transport = bool(transport_from) or bool(contact.get("needs_transport"))
    places = 1 + len(members)
    if FAIR.take_in_turn(event, places):
        confirmed_places = places
    elif event.allow_group_split and (fit := FAIR.free(event)) and FAIR.take_in_turn(event, fit):
        confirmed_places = fit  # the first members (the contact first) take what is free
    else:
        confirmed_places = 0
    now = timezone.now()

    shared = {
        "event": event,
        "country": contact.get("country", ""),
        "region_id": contact.get("region_id"),
        "language": contact.get("language", "en"),
        "needs_transport": needs_transport,
        "terms_accepted_at": now,
        "source": source,
    }
    people = [
        {
            "first_name": contact["first_name"].strip(),
            "last_name": contact["last_name"].strip(),
            "email": email,
            "phone": contact.get("phone", ""),
            "category": contact.get("category", Attendee.Category.CITIZEN),
            "gender": contact.get("gender", ""),
            "accessibility_needs": contact.get("accessibility_needs", ""),
        },
        *(
            {
                "first_name": member["first_name"].strip(),
                "last_name": member["last_name"].strip(),
                "age": member.get("age"),
                "email": (member.get("email") or "").strip(),
            }
            for member in members
        ),
    ]
    attendees = []
    for index, person in enumerate(people):
        confirmed = index < confirmed_places
        attendees.append(
            Attendee.objects.create(
                **shared,
                **person,
                status=Status.CONFIRMED if confirmed else Status.WAITLISTED,
                confirmed_at=now if confirmed else None,
            )
        )
    group = Group.objects.create(event=event, contact=attendees[0], transport_from=transport_from)
    Attendee.objects.filter(pk__in=[a.pk for a in attendees]).update(group=group)
    for attendee in attendees:
        attendee.group = group
    Ticket.objects.bulk_create([Ticket(attendee=a) for a in attendees])
    if confirmed_places < places:
        FAIR.announce(event)  # the waiting list grew: the totals change too
    for attendee in attendees:
        if attendee.email:
            _ticket_email_on_commit(attendee.pk, "registered")
    return GroupResult(group=group, attendees=attendees)


def _check_member_emails(event_id: int, contact_email: str, members: list[dict]) -> None:
    """Refuse a companion's e-mail used by the contact, another companion or
    another registration of the event (GroupEmailTaken naming the rows)."""
    errors: dict[int, dict] = {}
    seen = {contact_email.lower()} if contact_email else set()
    for index, member in enumerate(members):
        address = (member.get("email") or "").strip().lower()
        if not address:
            continue
        if address in seen:
            errors[index] = {"email": [str(SHARED_EMAIL)]}
        elif (
            Attendee.objects.filter(event_id=event_id, email__iexact=address)
            .exclude(status=Status.CANCELLED)
            .exists()
        ):
            errors[index] = {"email": [str(GroupEmailTaken.default_message)]}
        seen.add(address)
    if errors:
        raise GroupEmailTaken(fields={"members": errors})
