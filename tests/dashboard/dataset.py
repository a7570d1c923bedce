"""A small fair over two days with every figure known in advance.

Built with the factories and the real services (check-in, training,
certificates, queues). The expected figures are spelled out in
``tests/dashboard/test_report_figures.py``.

Day 1 (D1) and day 2 (D2) are the fair's two days, two weeks ahead, in the
event's time zone (Europe/Bucharest).

| person | origin | category | e-mail | gate | transport |
|---|---|---|---|---|---|
| Ștefan Mureșan-Țurcanu | RO Timiș | citizen | returning (earlier event) | D1 10:15 North | yes |
| Ana Živković | RS Južno Banatski | stakeholder | first time (1) | D1 10:40 North | no |
| Đorđe Petrović | RS, no region | medical | first time | D1 11:05 South | yes |
| Ioana Popescu | not given | citizen | none | D2 09:30 South | no |
| Milica Jovanović | RS Južno Banatski | citizen | first time (later event) | D2 10:10 North | no |
| Maria Ionescu | RO Timiș | student | — | not checked in | yes |
| Petar Nikolić | — | citizen | waitlisted | — | no |
| Elena Cancel | — | citizen | cancelled | — | yes |

(1) Ana's registration at the earlier event was cancelled.

Training: "Basic life support" D1 11:00 (Ștefan, Ana checked in; Maria's seat
released as a no-show; Ștefan certified). "First aid for children" D2 12:00
(Milica checked in and certified).
Screenings: T (thyroid) on D1: Ștefan done + referral, Ana done, walk-in
Vasile no-show; Đorđe waiting (joined D2). B (breast) on D2: Milica done +
referral.
"""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

from eventhub.core.models import Event, StaffRole
from registrations.models import Attendee, TrainingBooking
from registrations.services.checkin import ticket_check_in
from registrations.services.training import (
    certificate_issue,
    training_booking_create,
    training_no_shows_release,
)
from registrations.services.training_door import training_session_check_in
from screenings.models import QueueEntry
from screenings.services.queue import (
    queue_call_next,
    queue_entry_complete,
    queue_entry_no_show,
    queue_join,
)
from tests.factories import (
    AttendeeFactory,
    EventFactory,
    ProgrammeFactory,
    RegionFactory,
    StaffRoleFactory,
)
from tests.screenings.helpers import make_service
from tests.training.factories import TrainingModuleFactory, TrainingSessionFactory

TZ = ZoneInfo("Europe/Bucharest")


@dataclass
class Fair:
    event: Event
    d1: dt.date
    d2: dt.date
    organizer: object
    people: dict


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=TZ)


def build_fair() -> Fair:
    programme = ProgrammeFactory()
    timis = RegionFactory(programme=programme, country="RO", name="Timiș")
    RegionFactory(programme=programme, country="RO", name="Caraș-Severin")
    juzno = RegionFactory(programme=programme, country="RS", name="Južno Banatski")

    d1 = timezone.localdate() + dt.timedelta(days=14)
    d2 = d1 + dt.timedelta(days=1)
    now = timezone.now()
    earlier = EventFactory(
        programme=programme,
        starts_at=now - dt.timedelta(days=60),
        ends_at=now - dt.timedelta(days=60) + dt.timedelta(hours=8),
        registration_opens_at=now - dt.timedelta(days=90),
        registration_closes_at=now - dt.timedelta(days=61),
    )
    AttendeeFactory(event=earlier, email="stefan.muresan@example.org")
    AttendeeFactory(event=earlier, email="ana@example.org", status=Attendee.Status.CANCELLED)
    later = EventFactory(
        programme=programme,
        starts_at=at(d2, 10) + dt.timedelta(days=30),
        ends_at=at(d2, 18) + dt.timedelta(days=30),
    )
    AttendeeFactory(event=later, email="milica@example.org")

    event = EventFactory(
        name="Cooperation Day — Timișoara",
        programme=programme,
        starts_at=at(d1, 9),
        ends_at=at(d2, 18),
        capacity=6,
    )
    person = {
        "stefan": AttendeeFactory(
            event=event,
            first_name="Ștefan",
            last_name="Mureșan-Țurcanu",
            email="Stefan.Muresan@example.org",
            gender=Attendee.Gender.MALE,
            region=timis,
            needs_transport=True,
        ),
        "ana": AttendeeFactory(
            event=event,
            first_name="Ana",
            last_name="Živković",
            email="ana@example.org",
            gender=Attendee.Gender.FEMALE,
            country="RS",
            region=juzno,
            category=Attendee.Category.STAKEHOLDER,
        ),
        "djordje": AttendeeFactory(
            event=event,
            first_name="Đorđe",
            last_name="Petrović",
            email="djordje@example.org",
            country="RS",
            category=Attendee.Category.MEDICAL,
            needs_transport=True,
        ),
        "ioana": AttendeeFactory(
            event=event, first_name="Ioana", last_name="Popescu", email="", country=""
        ),
        "milica": AttendeeFactory(
            event=event,
            first_name="Milica",
            last_name="Jovanović",
            email="milica@example.org",
            gender=Attendee.Gender.FEMALE,
            country="RS",
            region=juzno,
        ),
        "maria": AttendeeFactory(
            event=event,
            first_name="Maria",
            last_name="Ionescu",
            email="maria@example.org",
            region=timis,
            category=Attendee.Category.STUDENT,
            needs_transport=True,
        ),
        "petar": AttendeeFactory(
            event=event,
            first_name="Petar",
            last_name="Nikolić",
            email="petar@example.org",
            status=Attendee.Status.WAITLISTED,
            confirmed_at=None,
        ),
        "elena": AttendeeFactory(
            event=event,
            first_name="Elena",
            last_name="Cancel",
            email="elena@example.org",
            status=Attendee.Status.CANCELLED,
            needs_transport=True,
        ),
    }
    organizer = StaffRoleFactory(event=event, role=StaffRole.Role.ORGANIZER).user

    for key, gate, when in [
        ("stefan", "North", at(d1, 10, 15)),
        ("ana", "North", at(d1, 10, 40)),
        ("djordje", "South", at(d1, 11, 5)),
        ("ioana", "South", at(d2, 9, 30)),
        ("milica", "North", at(d2, 10, 10)),
    ]:
        result = ticket_check_in(
            event_id=event.pk, payload=person[key].ticket.code, gate=gate, at=when
        )
        assert result.ok, result

    bls = TrainingSessionFactory(
        module=TrainingModuleFactory(event=event, title="Basic life support"),
        starts_at=at(d1, 11),
        capacity=15,
    )
    kids = TrainingSessionFactory(
        module=TrainingModuleFactory(event=event, title="First aid for children"),
        starts_at=at(d2, 12),
        capacity=10,
    )
    for key in ("stefan", "ana", "maria"):
        training_booking_create(attendee_id=person[key].pk, session_id=bls.pk)
    training_booking_create(attendee_id=person["milica"].pk, session_id=kids.pk)
    for key in ("stefan", "ana"):
        training_session_check_in(
            session_id=bls.pk, payload=person[key].ticket.code, now=at(d1, 11, 2)
        )
    training_session_check_in(
        session_id=kids.pk, payload=person["milica"].ticket.code, now=at(d2, 12, 3)
    )
    assert training_no_shows_release(session_id=bls.pk, now=at(d1, 11, 15)) == 1
    for key in ("stefan", "milica"):
        booking = TrainingBooking.objects.get(attendee=person[key])
        certificate_issue(booking_id=booking.pk, send_email=False)

    thyroid = make_service(event, code="T", name="Thyroid ultrasound", stations=1)
    breast = make_service(event, code="B", name="Breast screening", stations=1, position=1)
    t_station, b_station = thyroid.stations.get(), breast.stations.get()
    queue_join(service_id=thyroid.pk, ticket=person["stefan"].ticket.code)
    queue_join(service_id=thyroid.pk, ticket=person["ana"].ticket.code)
    queue_join(service_id=thyroid.pk, walk_in={"first_name": "Vasile"})
    first = queue_call_next(station_id=t_station.pk)
    queue_entry_complete(entry_id=first.pk, referral_recommended=True)
    second = queue_call_next(station_id=t_station.pk)
    queue_entry_complete(entry_id=second.pk)
    third = queue_call_next(station_id=t_station.pk)
    queue_entry_no_show(entry_id=third.pk)
    QueueEntry.objects.filter(queue__service=thyroid).update(joined_at=at(d1, 12))
    djordje = queue_join(service_id=thyroid.pk, ticket=person["djordje"].ticket.code)
    QueueEntry.objects.filter(pk=djordje.entry.pk).update(joined_at=at(d2, 11))

    milica = queue_join(service_id=breast.pk, ticket=person["milica"].ticket.code)
    called = queue_call_next(station_id=b_station.pk)
    assert called.pk == milica.entry.pk
    queue_entry_complete(entry_id=called.pk, referral_recommended=True)
    QueueEntry.objects.filter(queue__service=breast).update(joined_at=at(d2, 13))

    return Fair(event=event, d1=d1, d2=d2, organizer=organizer, people=person)
