"""The demo fair's screenings: 60 free thyroid ultrasounds at the Mobile Centre
(seeds/000) and breast and cervical screening for people from rural areas
(seeds/003, the CROSSYN project of Orșova and Kladovo)."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from eventhub.core.models import Event, Kiosk
from eventhub.core.services import kiosk_create
from screenings.models import EligibilityQuestion, Queue, Service, Station
from screenings.services.slots import slots_generate

YES = EligibilityQuestion.Answer.YES

SERVICES = [
    {
        "code": "T",
        "name": "Thyroid ultrasound",
        "provider": "Mobile Centre of the Municipal Clinical Hospital Timișoara",
        "description": (
            "A free ultrasound of the thyroid for the early detection of thyroid cancer, "
            "in the Mobile Centre for early diagnosis parked on Liberty Square."
        ),
        "preparation": (
            "No special preparation. Wear a top that leaves your neck free and bring any "
            "earlier thyroid results you have."
        ),
        "duration_minutes": 15,
        "min_age": 18,
        "sex": "",
        "schedule": (dt.time(10, 0), dt.time(17, 30), 15),
        "stations": [
            ("Ultrasound 1", "Mobile Centre, bay 1"),
            ("Ultrasound 2", "Mobile Centre, bay 2"),
        ],
        "questions": [
            (
                "thyroid_history",
                "Have you been treated for a thyroid disease before?",
                "",
                "",
                YES,
                "thyroid history",
            ),
            (
                "interpreter",
                "Would you like an interpreter (Romanian–Serbian)?",
                "",
                "",
                YES,
                "needs interpreter",
            ),
        ],
    },
    {
        "code": "B",
        "name": "Breast cancer screening",
        "provider": "Orșova Municipal Hospital and Health Center Kladovo (CROSSYN)",
        "description": (
            "A breast examination and ultrasound by the cross-border team, first of all for "
            "women from rural Mehedinți and Caraș-Severin (free transport)."
        ),
        "preparation": "Avoid deodorant or body lotion on the day.",
        "duration_minutes": 20,
        "min_age": 40,
        "max_age": 74,
        "sex": "female",
        "schedule": (dt.time(11, 0), dt.time(16, 0), 20),
        "stations": [("Breast ultrasound", "Screening tent A")],
        "questions": [
            (
                "recent_mammogram",
                "Have you had a mammogram in the last 12 months?",
                YES,
                "A mammogram within the last year is recent enough; the doctors at the tent can "
                "tell you when to be checked again.",
                "",
                "",
            ),
            (
                "pregnant",
                "Are you pregnant or breastfeeding?",
                "",
                "",
                YES,
                "pregnant or breastfeeding",
            ),
        ],
    },
    {
        "code": "C",
        "name": "Cervical cancer screening",
        "provider": "Orșova Municipal Hospital and Health Center Kladovo (CROSSYN)",
        "description": "A Pap test for women, with results sent by post within four weeks.",
        "preparation": (
            "Not during your period; no vaginal creams or intercourse in the two days before."
        ),
        "duration_minutes": 20,
        "min_age": 25,
        "max_age": 64,
        "sex": "female",
        "schedule": (dt.time(11, 0), dt.time(16, 0), 20),
        "stations": [("Gynaecology", "Screening tent B")],
        "questions": [
            (
                "hysterectomy",
                "Have you had your womb removed (hysterectomy)?",
                YES,
                "After a hysterectomy this test is usually not needed; please ask the doctors at "
                "the tent.",
                "",
                "",
            ),
            ("pregnant", "Are you pregnant?", "", "", YES, "pregnant"),
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
            name=spec["name"],
            provider=spec["provider"],
            description=spec["description"],
            preparation=spec["preparation"],
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
                text=text,
                exclude_if=exclude_if,
                exclusion_reason=reason,
                flag_if=flag_if,
                flag=flag,
                position=q_position,
            )
        for s_position, (name, room) in enumerate(spec["stations"]):
            station = Station.objects.create(
                service=service, name=name, room=room, position=s_position
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
