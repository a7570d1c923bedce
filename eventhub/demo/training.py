"""The demo fair's training module (seeds/000): basic life support taught by
emergency doctors, 30 seats in two sessions of 15."""

from eventhub.core.models import Event
from eventhub.demo.fair import DEMO_TZ, at
from registrations.models import Attendee, TrainingModule, TrainingSession
from registrations.services.training import training_booking_create

TITLE = "We can all save lives — basic life support"
DESCRIPTION = (
    "“We can all save lives, but it is essential to know how!” A hands-on module of the "
    "European Year of Skills: recognise a cardiac arrest, call 112, give chest compressions "
    "and rescue breaths, use an automated external defibrillator (AED) and put someone in "
    "the recovery position. You practise on manikins, coached by emergency doctors."
)
TRAINERS = "\n".join(
    [
        "“AUREL MOGOȘANU” Non-Profit Association for Anaesthesia and Intensive Care",
        "Emergency Department, “Pius Brînzeu” County Emergency Clinical Hospital Timișoara",
    ]
)
ROOM = "Training tent"
SESSIONS = [((11, 0), (12, 30)), ((14, 0), (15, 30))]
# Demo attendees (by e-mail) with a seat: most in the morning session.
BOOKINGS = {
    0: [
        "ioana.popescu@example.org",
        "stefan.muresan@example.org",
        "milica.jovanovic@example.org",
        "andrei.ionescu@example.org",
        "jelena.zivkovic@example.org",
    ],
    1: ["ana.turcanu@example.org", "djordje.petrovic@example.org", "elena.dumitrescu@example.org"],
}


def load(*, event: Event) -> None:
    if event.training_modules.exists():
        return
    day = event.starts_at.astimezone(DEMO_TZ).date()
    module = TrainingModule.objects.create(
        event=event,
        title=TITLE,
        description=DESCRIPTION,
        trainers=TRAINERS,
        audience="Everyone aged 14 and over; no medical background needed.",
        language="Romanian, with help in English and Serbian",
        prerequisites="None. Wear comfortable clothes: you will kneel beside a manikin.",
        booking_closes_minutes=30,
        no_show_release_minutes=10,
    )
    sessions = [
        TrainingSession.objects.create(
            module=module,
            starts_at=at(day, *start),
            ends_at=at(day, *end),
            room=ROOM,
            capacity=15,
        )
        for start, end in SESSIONS
    ]
    people = {a.email: a for a in Attendee.objects.filter(event=event)}
    for index, emails in BOOKINGS.items():
        for email in emails:
            attendee = people.get(email)
            if attendee is not None and attendee.status == Attendee.Status.CONFIRMED:
                training_booking_create(attendee_id=attendee.pk, session_id=sessions[index].pk)
