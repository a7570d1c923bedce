"""Demo attendees for the demo fair: people from across the programme area."""

from eventhub.core.models import Event, Region
from registrations.models import Attendee
from registrations.services.attendees import attendee_register

PEOPLE = [
    ("Ioana", "Popescu", "ioana.popescu@example.org", "RO", "Timiș", "citizen", "ro"),
    ("Ștefan", "Mureșan", "stefan.muresan@example.org", "RO", "Caraș-Severin", "citizen", "ro"),
    ("Ana-Maria", "Țurcanu", "ana.turcanu@example.org", "RO", "Mehedinți", "citizen", "ro"),
    (
        "Đorđe",
        "Petrović",
        "djordje.petrovic@example.org",
        "RS",
        "Južno Banatski",
        "stakeholder",
        "sr-latn",
    ),
    (
        "Milica",
        "Jovanović",
        "milica.jovanovic@example.org",
        "RS",
        "Braničevski",
        "medical",
        "sr-latn",
    ),
    ("Dragan", "Čolić", "dragan.colic@example.org", "RS", "Podunavski", "authority", "sr-latn"),
    ("Jelena", "Živković", "jelena.zivkovic@example.org", "RS", "Borski", "student", "sr-latn"),
    ("Andrei", "Ionescu", "andrei.ionescu@example.org", "RO", "Timiș", "medical", "ro"),
    ("Elena", "Dumitrescu", "elena.dumitrescu@example.org", "RO", "Mehedinți", "citizen", "ro"),
    ("Sarah", "Miller", "sarah.miller@example.org", "", "", "press", "en"),
]


def load(*, event: Event) -> None:
    if event.attendees.exists():
        return
    regions = {r.name: r.pk for r in Region.objects.filter(programme_id=event.programme_id)}
    for first, last, email, country, region, category, language in PEOPLE:
        attendee_register(
            event_id=event.pk,
            first_name=first,
            last_name=last,
            email=email,
            country=country,
            region_id=regions.get(region),
            category=category,
            language=language,
            needs_transport=region in ("Mehedinți", "Caraș-Severin"),
            source=Attendee.Source.ONLINE,
        )
