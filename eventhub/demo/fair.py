"""The demo fair: Interreg Cooperation Day on Liberty Square, Timișoara (seeds/000).

Programme areas come from seeds/001 (Romania–Serbia), seeds/002
(Bulgaria–North Macedonia) and seeds/004 (Hungary–Slovakia–Romania–Ukraine).
"""

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from modeltranslation.utils import build_localized_fieldname

from eventhub.core.models import Event, Kiosk, Programme, Region, StaffRole
from eventhub.core.services import kiosk_create, staff_add

DEMO_SLUG = "cooperation-day-timisoara"
DEMO_TZ = ZoneInfo("Europe/Bucharest")


def translated(**texts: tuple[str, str, str]) -> dict[str, str]:
    """Model arguments for texts in English, Romanian and Serbian (Latin).

    ``name=("Fair", "Târg", "Sajam")`` gives ``name_en``, ``name_ro`` and
    ``name_sr_latn`` (the columns django-modeltranslation adds, docs/i18n.md).
    """
    codes = [code for code, _label in settings.LANGUAGES]
    return {
        build_localized_fieldname(field, code): text
        for field, versions in texts.items()
        for code, text in zip(codes, versions, strict=True)
    }


PROGRAMME_AREAS = {
    (
        "interreg-ipa-ro-rs",
        (
            "Interreg IPA Romania–Serbia",
            "Interreg IPA România–Serbia",
            "Interreg IPA Rumunija–Srbija",
        ),
    ): [
        ("RO", "Timiș", "county"),
        ("RO", "Caraș-Severin", "county"),
        ("RO", "Mehedinți", "county"),
        ("RS", "Severno Banatski", "district"),
        ("RS", "Srednje Banatski", "district"),
        ("RS", "Južno Banatski", "district"),
        ("RS", "Braničevski", "district"),
        ("RS", "Borski", "district"),
        ("RS", "Podunavski", "district"),
    ],
    (
        "interreg-ipa-bg-mk",
        (
            "Interreg IPA Bulgaria–North Macedonia",
            "Interreg IPA Bulgaria–Macedonia de Nord",
            "Interreg IPA Bugarska–Severna Makedonija",
        ),
    ): [
        ("BG", "Blagoevgrad", "district"),
        ("MK", "East planning region", "planning region"),
    ],
    (
        "interreg-next-hu-sk-ro-ua",
        (
            "Interreg NEXT Hungary–Slovakia–Romania–Ukraine",
            "Interreg NEXT Ungaria–Slovacia–România–Ucraina",
            "Interreg NEXT Mađarska–Slovačka–Rumunija–Ukrajina",
        ),
    ): [
        ("RO", "Suceava", "county"),
        ("UA", "Chernivtsi oblast", "oblast"),
    ],
}

DESCRIPTION_EN = (
    "A project fair of the Interreg-IPA Cross-Border Cooperation Romania–Serbia Programme: "
    "see the medical investments made in the border area with EU support, learn life-saving "
    "skills from emergency doctors (“we can all save lives, but it is essential to know how!”) "
    "and get a free thyroid ultrasound at the Mobile Centre for early diagnosis of thyroid "
    "cancer. Breast and cervical cancer screening for people from rural areas, with free "
    "transport from Mehedinți and Caraș-Severin."
)
DESCRIPTION = (
    DESCRIPTION_EN,
    "Un târg de proiecte al Programului Interreg-IPA de Cooperare Transfrontalieră "
    "România–Serbia: vedeți investițiile medicale făcute în zona de frontieră cu sprijinul "
    "UE, învățați de la medicii de urgență tehnici care salvează vieți („toți putem salva "
    "vieți, dar este esențial să știm cum!”) și faceți gratuit o ecografie tiroidiană la "
    "Centrul Mobil pentru diagnosticarea precoce a cancerului tiroidian. Screening pentru "
    "cancerul mamar și de col uterin pentru persoanele din mediul rural, cu transport gratuit "
    "din Mehedinți și Caraș-Severin.",
    "Sajam projekata Interreg-IPA programa prekogranične saradnje Rumunija–Srbija: pogledajte "
    "medicinska ulaganja u pograničnom području ostvarena uz podršku EU, naučite od lekara "
    "hitne pomoći veštine koje spasavaju živote („svi možemo da spasemo živote, ali je "
    "ključno znati kako!”) i besplatno uradite ultrazvuk štitne žlezde u Mobilnom centru za "
    "rano otkrivanje raka štitne žlezde. Skrining raka dojke i grlića materice za ljude iz "
    "seoskih sredina, uz besplatan prevoz iz Mehedinca i Karaš-Severina.",
)

STAFF = [("organizer", "organizer"), ("volunteer", "volunteer"), ("doctor", "doctor")]


def load_programme_areas() -> dict[str, Programme]:
    programmes = {}
    for (code, name), regions in PROGRAMME_AREAS.items():
        programme, _ = Programme.objects.update_or_create(code=code, defaults=translated(name=name))
        for country, region_name, kind in regions:
            Region.objects.update_or_create(
                programme=programme, country=country, name=region_name, defaults={"kind": kind}
            )
        programmes[code] = programme
    return programmes


def demo_day(today: dt.date | None = None) -> dt.date:
    """Two weeks from today, so registration, booking and check-in are all open."""
    return (today or timezone.localdate()) + dt.timedelta(days=14)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=DEMO_TZ)


@transaction.atomic
def load(*, reset: bool = False, stdout=None) -> Event:
    """Create the demo fair, its staff and kiosks; leave an existing one as it is.

    ``reset`` deletes the demo event first and builds it anew, dated two weeks
    ahead again.
    """
    programmes = load_programme_areas()
    if reset:
        Event.objects.filter(slug=DEMO_SLUG).delete()
    day = demo_day()
    event, created = Event.objects.get_or_create(
        slug=DEMO_SLUG,
        defaults={
            **translated(
                name=(
                    "Interreg Cooperation Day — Timișoara",
                    "Ziua Cooperării Interreg — Timișoara",
                    "Dan Interreg saradnje — Temišvar",
                ),
                description=DESCRIPTION,
                venue=("Liberty Square", "Piața Libertății", "Trg slobode"),
                # The street address is a proper name, the same in every language.
                address=("Piața Libertății",) * 3,
                city=("Timișoara", "Timișoara", "Temišvar"),
            ),
            "programme": programmes["interreg-ipa-ro-rs"],
            "country": "RO",
            "starts_at": at(day, 10),
            "ends_at": at(day, 18),
            "timezone": "Europe/Bucharest",
            "capacity": 300,
            "registration_opens_at": timezone.now() - dt.timedelta(days=1),
            "registration_closes_at": at(day, 16),
            "status": Event.Status.PUBLISHED,
            "languages": ["en", "ro", "sr-latn"],
        },
    )
    for username, password in STAFF:
        staff_add(event_id=event.pk, role=username, username=username)
        user = get_user_model().objects.get(username=username)
        if not user.has_usable_password():
            user.set_password(password)
            user.save(update_fields=["password"])
    if not event.kiosks.filter(kind=Kiosk.Kind.STATS).exists():
        kiosk_create(event=event, kind=Kiosk.Kind.STATS, name="Stats board by the stage")
    if not event.kiosks.filter(kind=Kiosk.Kind.CHECKIN).exists():
        kiosk_create(event=event, kind=Kiosk.Kind.CHECKIN, name="Self check-in at the tent")

    # Each app's part of the demo; imported here because they import this
    # module's DEMO_TZ and at().
    from eventhub.demo import checkin as demo_checkin
    from eventhub.demo import consultation as consultation_demo
    from eventhub.demo import groups as groups_demo
    from eventhub.demo import projects as projects_demo
    from eventhub.demo import registrations as registrations_demo
    from eventhub.demo import screenings as screenings_demo
    from eventhub.demo import training as demo_training

    registrations_demo.load(event=event)
    groups_demo.load(event=event)
    demo_training.load(event=event)
    screenings_demo.load(event=event)
    demo_checkin.load(event=event)
    projects_demo.load(event=event)
    consultation_demo.load(event=event)
    return event


def summary(event: Event) -> list[str]:
    lines = [f"Demo fair: {event.name} ({event.slug}), {event.starts_at:%Y-%m-%d}"]
    for role in StaffRole.objects.filter(event=event).select_related("user"):
        lines.append(f"  {role.get_role_display()}: {role.user.username}")
    for kiosk in event.kiosks.all():
        lines.append(f"  Kiosk {kiosk.name} ({kiosk.kind}): {kiosk.get_absolute_url()}")
    return lines
