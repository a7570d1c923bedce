"""The demo fair's training module (seeds/000): basic life support taught by
emergency doctors, 30 seats in two sessions of 15."""

from eventhub.core.models import Event
from eventhub.demo.fair import DEMO_TZ, at, translated
from registrations.models import Attendee, TrainingModule, TrainingSession
from registrations.services.training import training_booking_create

TITLE = (
    "We can all save lives — basic life support",
    "Toți putem salva vieți — suport vital de bază",
    "Svi možemo da spasemo živote — osnovne mere održavanja života",
)
DESCRIPTION = (
    "“We can all save lives, but it is essential to know how!” A hands-on module of the "
    "European Year of Skills: recognise a cardiac arrest, call 112, give chest compressions "
    "and rescue breaths, use an automated external defibrillator (AED) and put someone in "
    "the recovery position. You practise on manikins, coached by emergency doctors.",
    "„Toți putem salva vieți, dar este esențial să știm cum!” Un modul practic al Anului "
    "European al Competențelor: recunoașteți un stop cardiac, sunați la 112, faceți compresii "
    "toracice și respirații salvatoare, folosiți un defibrilator extern automat (DEA) și "
    "așezați o persoană în poziția laterală de siguranță. Exersați pe manechine, îndrumați de "
    "medici de urgență.",
    "„Svi možemo da spasemo živote, ali je ključno znati kako!” Praktični modul Evropske "
    "godine veština: prepoznajte srčani zastoj, pozovite 112, izvodite kompresije grudnog koša "
    "i veštačko disanje, upotrebite automatski spoljašnji defibrilator (AED) i postavite osobu "
    "u bočni položaj. Vežbate na lutkama, uz vođstvo lekara hitne pomoći.",
)
TRAINERS = (
    "“AUREL MOGOȘANU” Non-Profit Association for Anaesthesia and Intensive Care\n"
    "Emergency Department, “Pius Brînzeu” County Emergency Clinical Hospital Timișoara",
    "Asociația Non-Profit pentru Anestezie și Terapie Intensivă „AUREL MOGOȘANU”\n"
    "Unitatea de Primire Urgențe, Spitalul Clinic Județean de Urgență „Pius Brînzeu” Timișoara",
    "Neprofitno udruženje za anesteziju i intenzivnu negu „AUREL MOGOȘANU”\n"
    "Urgentni centar, Okružna klinička bolnica za hitnu pomoć „Pius Brînzeu” Temišvar",
)
AUDIENCE = (
    "Everyone aged 14 and over; no medical background needed.",
    "Toți cei de la 14 ani în sus; nu sunt necesare cunoștințe medicale.",
    "Svi od 14 godina naviše; medicinsko predznanje nije potrebno.",
)
LANGUAGE = (
    "Romanian, with help in English and Serbian",
    "Română, cu ajutor în engleză și sârbă",
    "Rumunski, uz pomoć na engleskom i srpskom",
)
PREREQUISITES = (
    "None. Wear comfortable clothes: you will kneel beside a manikin.",
    "Niciuna. Purtați haine comode: veți sta în genunchi lângă un manechin.",
    "Nema. Obucite udobnu odeću: klečaćete pored lutke.",
)
ROOM = ("Training tent", "Cortul de instruire", "Šator za obuku")
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
        **translated(
            title=TITLE,
            description=DESCRIPTION,
            trainers=TRAINERS,
            audience=AUDIENCE,
            language=LANGUAGE,
            prerequisites=PREREQUISITES,
        ),
        booking_closes_minutes=30,
        no_show_release_minutes=10,
    )
    sessions = [
        TrainingSession.objects.create(
            module=module,
            starts_at=at(day, *start),
            ends_at=at(day, *end),
            **translated(room=ROOM),
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
