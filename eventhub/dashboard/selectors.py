"""The organizer's figures: the dashboard's time series and no-shows, and the
programme report by day.

``programme_report`` is the one source of the report's numbers: the page,
the CSV, the XLSX and the PDF all render what it returns. Live totals come
from the stats socket's own selectors (``registrations.selectors.checkin``).
What each figure means: docs/dashboard.md.
"""

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from eventhub.core.models import Event, Region
from eventhub.kiosks.selectors import stats_snapshot
from registrations.models import Attendee, Certificate, CheckIn, TrainingBooking
from registrations.registration_input import COUNTRIES
from registrations.selectors.checkin import attendance_totals
from registrations.selectors.groups import transport_list
from screenings.selectors.figures import screening_figures

GATE = "event"
ACTIVE = (Attendee.Status.CONFIRMED, Attendee.Status.WAITLISTED)


def _tz(event: Event) -> ZoneInfo:
    return ZoneInfo(event.timezone)


def country_name(code: str) -> str:
    return str(dict(COUNTRIES).get(code, code)) if code else _("Unknown")


# --- The dashboard ---------------------------------------------------------------


def registrations_by_day(*, event: Event) -> list[tuple[str, int, int]]:
    """(day, registrations made that day, running total) for active registrations.

    Cancelled registrations are left out, so the last running total equals
    the "registered" total of the live figures.
    """
    tz = _tz(event)
    per_day = Counter(
        created.astimezone(tz).date()
        for created in Attendee.objects.filter(event=event, status__in=ACTIVE).values_list(
            "created_at", flat=True
        )
    )
    rows, running = [], 0
    for day in sorted(per_day):
        running += per_day[day]
        rows.append((day.isoformat(), per_day[day], running))
    return rows


def check_ins_by_hour(*, event: Event) -> list[tuple[str, int]]:
    """Gate check-ins per hour of the event's local time, empty hours included."""
    tz = _tz(event)
    hours = Counter(
        at.astimezone(tz).replace(minute=0, second=0, microsecond=0)
        for at in CheckIn.objects.filter(event=event, target=GATE).values_list(
            "checked_in_at", flat=True
        )
    )
    if not hours:
        return []
    first, last = min(hours), max(hours)
    several_days = first.date() != last.date()
    rows, hour = [], first
    while hour <= last:
        label = f"{hour:%m-%d %H}:00" if several_days else f"{hour:%H}:00"
        rows.append((label, hours.get(hour, 0)))
        hour += dt.timedelta(hours=1)
    return rows


def no_shows(*, event: Event, now: dt.datetime | None = None) -> dict:
    """People who booked or registered and did not come.

    ``gate``: confirmed attendees without a gate check-in (during the fair:
    not arrived yet). ``training``: per session, seats released because the
    person did not come, plus confirmed bookings of sessions that have ended
    without a check-in. ``screenings``: per service, queue entries marked
    "no-show" by the doctors.
    """
    now = now or timezone.now()
    checked_in = CheckIn.objects.filter(event=event, target=GATE).values("ticket__attendee_id")
    gate = (
        Attendee.objects.filter(event=event, status=Attendee.Status.CONFIRMED)
        .exclude(pk__in=checked_in)
        .count()
    )
    Booking = TrainingBooking.Status
    sessions = (
        TrainingBooking.objects.filter(module__event=event)
        .values("session_id", "session__starts_at", "session__ends_at", "module__title")
        .annotate(
            released=Count("pk", filter=Q(status=Booking.RELEASED)),
            absent=Count(
                "pk",
                filter=Q(
                    status=Booking.CONFIRMED, checked_in_at__isnull=True, session__ends_at__lte=now
                ),
            ),
        )
        .order_by("session__starts_at", "session_id")
    )
    tz = _tz(event)
    training = [
        {
            "label": f"{s['module__title']} · {s['session__starts_at'].astimezone(tz):%H:%M}",
            "count": s["released"] + s["absent"],
        }
        for s in sessions
    ]
    screenings = [
        {
            "label": f"{service['code']} · {service['name']}",
            "count": sum(day["no_show"] for day in service["days"]),
        }
        for service in screening_figures(event_id=event.pk)["services"]
    ]
    return {"gate": gate, "training": training, "screenings": screenings}


def dashboard_figures(*, event: Event) -> dict:
    """Everything the dashboard shows when it opens.

    ``live`` is the stats socket's snapshot (the page then follows the
    socket's deltas); the rest is read once per page load.
    """
    live = stats_snapshot(event_id=event.pk)
    return {
        "live": live,
        "registrations_by_day": registrations_by_day(event=event),
        "check_ins_by_hour": check_ins_by_hour(event=event),
        "no_shows": no_shows(event=event),
    }


# --- The programme report ----------------------------------------------------------


@dataclass
class ReportRow:
    label: str
    values: list[int]
    total: int
    # What the row counts, for charts: "performed", "total"...
    kind: str = ""
    # The short name of what is counted (a service), when the label says more.
    subject: str = ""


@dataclass
class ReportSection:
    key: str
    title: str
    rows: list[ReportRow] = field(default_factory=list)
    note: str = ""


@dataclass
class ProgrammeReport:
    event: Event
    days: list[dt.date]
    sections: list[ReportSection]
    summary: dict
    generated_at: dt.datetime

    def section(self, key: str) -> ReportSection:
        return self.named[key]

    @property
    def named(self) -> dict[str, ReportSection]:
        """The sections by key, for templates (``report.named.origin``)."""
        return {s.key: s for s in self.sections}


def _row(label: str, per_day: Counter, days: list[dt.date], kind: str = "") -> ReportRow:
    values = [per_day.get(day, 0) for day in days]
    return ReportRow(label=label, values=values, total=sum(values), kind=kind)


def _returning_emails(event: Event, emails: set[str]) -> set[str]:
    """Of ``emails`` (lower case), those registered at an earlier event of the programme."""
    if not emails or event.programme_id is None:
        return set()
    return set(
        Attendee.objects.filter(
            event__programme_id=event.programme_id, event__starts_at__lt=event.starts_at
        )
        .exclude(status=Attendee.Status.CANCELLED)
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=emails)
        .values_list("email_lower", flat=True)
    )


def programme_report(*, event: Event) -> ProgrammeReport:
    """The figures an Interreg programme reports, by day of the fair.

    Participants are people admitted at the gate, counted on the day of
    their first admission (in the event's time zone). Training counts
    checked-in bookings and their certificates on the day of the check-in;
    screenings count examinations done and referrals recommended on the day
    the person joined the queue (``screening_figures``).
    """
    tz = _tz(event)
    check_ins = list(
        CheckIn.objects.filter(event=event, target=GATE)
        .select_related("ticket__attendee__region")
        .order_by("checked_in_at", "pk")
    )
    people = [(ci.checked_in_at.astimezone(tz).date(), ci.ticket.attendee) for ci in check_ins]
    bookings = list(
        TrainingBooking.objects.filter(module__event=event, checked_in_at__isnull=False)
        .select_related("module")
        .order_by("module__title", "module_id")
    )
    certified = set(
        Certificate.objects.filter(booking__module__event=event).values_list(
            "booking_id", flat=True
        )
    )
    screening_services = screening_figures(event_id=event.pk)["services"]

    days = {day for day, _attendee in people}
    days |= {b.checked_in_at.astimezone(tz).date() for b in bookings}
    days |= {dt.date.fromisoformat(day["date"]) for s in screening_services for day in s["days"]}
    days = sorted(days)

    participants = ReportSection("participants", _("Participants (admitted at the gate)"))
    participants.rows.append(
        _row(_("Participants"), Counter(day for day, _attendee in people), days)
    )

    # Origin: every region of the programme area (zeros included), then
    # countries outside it, then people who gave no origin.
    origin = ReportSection("origin", _("Participants by country and region of origin"))
    by_region = defaultdict(Counter)
    outside = defaultdict(Counter)
    for day, attendee in people:
        if attendee.region_id:
            by_region[attendee.region_id][day] += 1
        else:
            outside[attendee.country or ""][day] += 1
    regions = list(Region.objects.filter(programme_id=event.programme_id or 0))
    shown = {r.pk for r in regions}
    regions += list(Region.objects.filter(pk__in=set(by_region) - shown))
    for region in sorted(regions, key=lambda r: (r.country, r.name)):
        label = f"{country_name(region.country)} · {region.name}"
        origin.rows.append(_row(label, by_region[region.pk], days))
    for country in sorted(c for c in outside if c):
        label = _("%(country)s · outside the programme area") % {"country": country_name(country)}
        origin.rows.append(_row(label, outside[country], days))
    if outside.get(""):
        origin.rows.append(_row(_("Origin not given"), outside[""], days))

    category = ReportSection("category", _("Participants by category"))
    by_category = defaultdict(Counter)
    for day, attendee in people:
        by_category[attendee.category][day] += 1
    for value, label in Attendee.Category.choices:
        category.rows.append(_row(str(label), by_category[value], days))

    returning = ReportSection(
        "returning",
        _("First-time and returning participants"),
        note=_(
            "Returning: the same e-mail address registered at an earlier event of the programme."
        ),
    )
    emails = {a.email.lower() for _day, a in people if a.email}
    earlier = _returning_emails(event, emails)
    first, again, unknown = Counter(), Counter(), Counter()
    for day, attendee in people:
        if not attendee.email:
            unknown[day] += 1
        elif attendee.email.lower() in earlier:
            again[day] += 1
        else:
            first[day] += 1
    returning.rows += [
        _row(_("First time"), first, days),
        _row(_("Returning"), again, days),
        _row(_("Unknown (no e-mail address)"), unknown, days),
    ]

    gender = ReportSection(
        "gender",
        _("Participants by gender"),
        note=_(
            "Optional on the registration form: “Prefer not to say” counts those who "
            "did not answer."
        ),
    )
    by_gender = defaultdict(Counter)
    for day, attendee in people:
        by_gender[attendee.gender][day] += 1
    for value, label in Attendee.Gender.choices:
        gender.rows.append(_row(str(label), by_gender[value], days))

    training = ReportSection("training", _("Training: participants and certificates"))
    by_module = {}
    for booking in bookings:
        day = booking.checked_in_at.astimezone(tz).date()
        counts = by_module.setdefault(
            booking.module_id, (booking.module.title, Counter(), Counter())
        )
        counts[1][day] += 1
        if booking.pk in certified:
            counts[2][day] += 1
    all_people, all_certificates = Counter(), Counter()
    for title, attended, certificates in by_module.values():
        training.rows.append(
            _row(_("%(module)s · participants") % {"module": title}, attended, days)
        )
        training.rows.append(
            _row(_("%(module)s · certificates issued") % {"module": title}, certificates, days)
        )
        all_people.update(attended)
        all_certificates.update(certificates)
    training.rows.append(_row(_("All training · participants"), all_people, days, "total"))
    training.rows.append(
        _row(_("All training · certificates issued"), all_certificates, days, "total")
    )

    screenings = ReportSection("screenings", _("Screenings performed and referrals recommended"))
    all_performed, all_referrals = Counter(), Counter()
    for service in screening_services:
        performed = Counter(
            {dt.date.fromisoformat(d["date"]): d["performed"] for d in service["days"]}
        )
        referrals = Counter(
            {dt.date.fromisoformat(d["date"]): d["referrals"] for d in service["days"]}
        )
        name = f"{service['code']} · {service['name']}"
        row = _row(_("%(service)s · performed") % {"service": name}, performed, days, "performed")
        row.subject = name
        screenings.rows.append(row)
        screenings.rows.append(
            _row(_("%(service)s · referrals recommended") % {"service": name}, referrals, days)
        )
        all_performed.update(performed)
        all_referrals.update(referrals)
    screenings.rows.append(_row(_("All screenings · performed"), all_performed, days, "total"))
    screenings.rows.append(
        _row(_("All screenings · referrals recommended"), all_referrals, days, "total")
    )

    transport = ReportSection(
        "transport",
        _("Free transport"),
        note=_("People who ticked “I need free transport” when they registered."),
    )
    transport.rows.append(
        _row(
            _("Participants who asked for free transport"),
            Counter(d for d, a in people if a.needs_transport),
            days,
        )
    )

    registered = attendance_totals(event_id=event.pk)
    transport_asked = Attendee.objects.filter(
        event=event, status__in=ACTIVE, needs_transport=True
    ).count()
    summary = {
        "registered": registered["registered"],
        "participants": participants.rows[0].total,
        "returning": returning.rows[1].total,
        "training_participants": training.rows[-2].total,
        "certificates": training.rows[-1].total,
        "screenings_performed": screenings.rows[-2].total,
        "referrals": screenings.rows[-1].total,
        "transport_registered": transport_asked,
        # The report's tile: the same people as its "Free transport" table.
        "transport_participants": transport.rows[0].total,
        # Seats on the buses: active members of groups with a pick-up place.
        "transport_seats": sum(place["seats"] for place in transport_list(event_id=event.pk)),
    }
    return ProgrammeReport(
        event=event,
        days=days,
        sections=[
            participants,
            origin,
            category,
            returning,
            gender,
            training,
            screenings,
            transport,
        ],
        summary=summary,
        generated_at=timezone.now(),
    )


def report_table(report: ProgrammeReport) -> list[list]:
    """The report as rows of cells (header first): what the CSV and XLSX hold."""
    header = [_("Section"), _("Figure"), *[d.isoformat() for d in report.days], _("Total")]
    rows = [header]
    for section in report.sections:
        for row in section.rows:
            rows.append([section.title, row.label, *row.values, row.total])
        if section.note:
            rows.append([section.title, section.note, *[""] * len(report.days), ""])
    return rows
