"""The demo fair's screenings: 60 free thyroid ultrasounds at the Mobile Centre
(seeds/000) and breast and cervical screening for people from rural areas
(seeds/003, the CROSSYN project of Orșova and Kladovo)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from eventhub.core.models import Event, Kiosk
from eventhub.core.services import kiosk_create
from eventhub.demo.fair import translated
from screenings.models import EligibilityQuestion, Queue, Service, Station
from screenings.services.slots import slots_generate

YES = EligibilityQuestion.Answer.YES
NO_TEXT = ("", "", "")
CROSSYN = (
    "Orșova Municipal Hospital and Health Center Kladovo (CROSSYN)",
    "Spitalul Municipal Orșova și Centrul de Sănătate Kladovo (CROSSYN)",
    "Opštinska bolnica Oršova i Dom zdravlja Kladovo (CROSSYN)",
)

# Each text in English, Romanian and Serbian (Latin): see fair.translated().
SERVICES = [
    {
        "code": "T",
        "name": ("Thyroid ultrasound", "Ecografie tiroidiană", "Ultrazvuk štitne žlezde"),
        "provider": (
            "Mobile Centre of the Municipal Clinical Hospital Timișoara",
            "Centrul Mobil al Spitalului Clinic Municipal Timișoara",
            "Mobilni centar Gradske kliničke bolnice Temišvar",
        ),
        "description": (
            "A free ultrasound of the thyroid for the early detection of thyroid cancer, "
            "in the Mobile Centre for early diagnosis parked on Liberty Square.",
            "O ecografie gratuită a tiroidei pentru depistarea precoce a cancerului tiroidian, "
            "în Centrul Mobil de diagnosticare precoce parcat în Piața Libertății.",
            "Besplatan ultrazvuk štitne žlezde za rano otkrivanje raka štitne žlezde, "
            "u Mobilnom centru za ranu dijagnostiku parkiranom na Trgu slobode.",
        ),
        "preparation": (
            "No special preparation. Wear a top that leaves your neck free and bring any "
            "earlier thyroid results you have.",
            "Nu este nevoie de o pregătire specială. Purtați o bluză care lasă gâtul liber și "
            "aduceți rezultatele tiroidiene anterioare pe care le aveți.",
            "Nije potrebna posebna priprema. Obucite majicu koja ostavlja vrat slobodnim i "
            "ponesite ranije nalaze štitne žlezde ako ih imate.",
        ),
        "duration_minutes": 15,
        "min_age": 18,
        "sex": "",
        "schedule": (dt.time(10, 0), dt.time(17, 30), 15),
        "stations": [
            (
                ("Ultrasound 1", "Ecograf 1", "Ultrazvuk 1"),
                ("Mobile Centre, bay 1", "Centrul Mobil, boxa 1", "Mobilni centar, boks 1"),
            ),
            (
                ("Ultrasound 2", "Ecograf 2", "Ultrazvuk 2"),
                ("Mobile Centre, bay 2", "Centrul Mobil, boxa 2", "Mobilni centar, boks 2"),
            ),
        ],
        "questions": [
            (
                "thyroid_history",
                (
                    "Have you been treated for a thyroid disease before?",
                    "Ați mai fost tratat(ă) pentru o boală a tiroidei?",
                    "Da li ste ranije lečeni od bolesti štitne žlezde?",
                ),
                "",
                NO_TEXT,
                YES,
                (
                    "thyroid history",
                    "antecedente tiroidiene",
                    "bolest štitne žlezde u anamnezi",
                ),
            ),
            (
                "interpreter",
                (
                    "Would you like an interpreter (Romanian–Serbian)?",
                    "Doriți un interpret (română–sârbă)?",
                    "Da li vam je potreban prevodilac (rumunski–srpski)?",
                ),
                "",
                NO_TEXT,
                YES,
                ("needs interpreter", "are nevoie de interpret", "potreban prevodilac"),
            ),
        ],
    },
    {
        "code": "B",
        "name": (
            "Breast cancer screening",
            "Screening pentru cancerul mamar",
            "Skrining raka dojke",
        ),
        "provider": CROSSYN,
        "description": (
            "A breast examination and ultrasound by the cross-border team, first of all for "
            "women from rural Mehedinți and Caraș-Severin (free transport).",
            "Un examen clinic al sânilor și o ecografie făcute de echipa transfrontalieră, în "
            "primul rând pentru femeile din mediul rural din Mehedinți și Caraș-Severin "
            "(transport gratuit).",
            "Klinički pregled dojki i ultrazvuk koje obavlja prekogranični tim, pre svega za "
            "žene iz seoskih sredina Mehedinca i Karaš-Severina (besplatan prevoz).",
        ),
        "preparation": (
            "Avoid deodorant or body lotion on the day.",
            "În ziua respectivă evitați deodorantul sau loțiunea de corp.",
            "Tog dana ne koristite dezodorans ni losion za telo.",
        ),
        "duration_minutes": 20,
        "min_age": 40,
        "max_age": 74,
        "sex": "female",
        "schedule": (dt.time(11, 0), dt.time(16, 0), 20),
        "stations": [
            (
                ("Breast ultrasound", "Ecografie mamară", "Ultrazvuk dojke"),
                ("Screening tent A", "Cortul de screening A", "Šator za skrining A"),
            )
        ],
        "questions": [
            (
                "recent_mammogram",
                (
                    "Have you had a mammogram in the last 12 months?",
                    "Ați făcut o mamografie în ultimele 12 luni?",
                    "Da li ste radili mamografiju u poslednjih 12 meseci?",
                ),
                YES,
                (
                    "A mammogram within the last year is recent enough; the doctors at the tent "
                    "can tell you when to be checked again.",
                    "O mamografie din ultimul an este suficient de recentă; medicii de la cort vă "
                    "pot spune când să reveniți la control.",
                    "Mamografija iz poslednjih godinu dana je dovoljno skorašnja; lekari u šatoru "
                    "će vam reći kada da ponovo dođete na pregled.",
                ),
                "",
                NO_TEXT,
            ),
            (
                "pregnant",
                (
                    "Are you pregnant or breastfeeding?",
                    "Sunteți însărcinată sau alăptați?",
                    "Da li ste trudni ili dojite?",
                ),
                "",
                NO_TEXT,
                YES,
                ("pregnant or breastfeeding", "însărcinată sau alăptează", "trudnoća ili dojenje"),
            ),
        ],
    },
    {
        "code": "C",
        "name": (
            "Cervical cancer screening",
            "Screening pentru cancerul de col uterin",
            "Skrining raka grlića materice",
        ),
        "provider": CROSSYN,
        "description": (
            "A Pap test for women, with results sent by post within four weeks.",
            "Un test Babeș-Papanicolau pentru femei, cu rezultatele trimise prin poștă în cel "
            "mult patru săptămâni.",
            "Papanikolau test za žene, sa rezultatima koji stižu poštom u roku od četiri nedelje.",
        ),
        "preparation": (
            "Not during your period; no vaginal creams or intercourse in the two days before.",
            "Nu în timpul menstruației; fără creme vaginale sau contact sexual în cele două zile "
            "dinainte.",
            "Ne tokom menstruacije; bez vaginalnih krema i seksualnih odnosa dva dana pre "
            "pregleda.",
        ),
        "duration_minutes": 20,
        "min_age": 25,
        "max_age": 64,
        "sex": "female",
        "schedule": (dt.time(11, 0), dt.time(16, 0), 20),
        "stations": [
            (
                ("Gynaecology", "Ginecologie", "Ginekologija"),
                ("Screening tent B", "Cortul de screening B", "Šator za skrining B"),
            )
        ],
        "questions": [
            (
                "hysterectomy",
                (
                    "Have you had your womb removed (hysterectomy)?",
                    "Vi s-a scos uterul (histerectomie)?",
                    "Da li vam je odstranjena materica (histerektomija)?",
                ),
                YES,
                (
                    "After a hysterectomy this test is usually not needed; please ask the doctors "
                    "at the tent.",
                    "După o histerectomie acest test de obicei nu mai este necesar; vă rugăm să "
                    "întrebați medicii de la cort.",
                    "Posle histerektomije ovaj test obično nije potreban; pitajte lekare u šatoru.",
                ),
                "",
                NO_TEXT,
            ),
            (
                "pregnant",
                ("Are you pregnant?", "Sunteți însărcinată?", "Da li ste trudni?"),
                "",
                NO_TEXT,
                YES,
                ("pregnant", "însărcinată", "trudnoća"),
            ),
        ],
    },
]


def load(*, event: Event) -> None:
    """Add the screenings to the demo fair once; give "doctor" the thyroid stations."""
    if event.screening_services.exists():
        return
    day = event.starts_at.astimezone(ZoneInfo(event.timezone)).date()
    doctor = get_user_model().objects.filter(username="doctor").first()
    for position, spec in enumerate(SERVICES):
        service = Service.objects.create(
            event=event,
            code=spec["code"],
            **translated(
                name=spec["name"],
                provider=spec["provider"],
                description=spec["description"],
                preparation=spec["preparation"],
            ),
            duration_minutes=spec["duration_minutes"],
            min_age=spec.get("min_age"),
            max_age=spec.get("max_age"),
            sex=spec["sex"],
            position=position,
        )
        Queue.objects.create(service=service)
        for q_position, (key, text, exclude_if, reason, flag_if, flag) in enumerate(
            spec["questions"]
        ):
            EligibilityQuestion.objects.create(
                service=service,
                key=key,
                exclude_if=exclude_if,
                flag_if=flag_if,
                **translated(text=text, exclusion_reason=reason, flag=flag),
                position=q_position,
            )
        for s_position, (name, room) in enumerate(spec["stations"]):
            station = Station.objects.create(
                service=service, position=s_position, **translated(name=name, room=room)
            )
            if doctor is not None and spec["code"] == "T":
                station.doctors.add(doctor)
        start, end, minutes = spec["schedule"]
        slots_generate(
            service_id=service.pk,
            day=day,
            start=start,
            end=end,
            duration_minutes=minutes,
            stations=len(spec["stations"]),
        )
    if not event.kiosks.filter(kind=Kiosk.Kind.BOARD).exists():
        kiosk_create(
            event=event, kind=Kiosk.Kind.BOARD, name="Thyroid queue board", service_code="T"
        )
