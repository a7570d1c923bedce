"""Attendees of an event, their tickets, training seats and check-ins."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eventhub.core.models import Event, Region
from registrations.ticket_codes import (
    format_code_for_humans,
    new_manage_key,
    new_ticket_code,
    qr_payload,
)


class Attendee(models.Model):
    """One person's registration for one event."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Category(models.TextChoices):
        CITIZEN = "citizen", _("Citizen")
        STAKEHOLDER = "stakeholder", _("Stakeholder / project beneficiary")
        AUTHORITY = "authority", _("Public authority")
        MEDICAL = "medical", _("Medical professional")
        STUDENT = "student", _("Student")
        PRESS = "press", _("Press")

    class Gender(models.TextChoices):
        UNSPECIFIED = "", _("Prefer not to say")
        FEMALE = "female", _("Female")
        MALE = "male", _("Male")
        OTHER = "other", _("Other")

    class Source(models.TextChoices):
        ONLINE = "online", _("Online")
        WALK_IN = "walk_in", _("Walk-in at the gate")
        STAFF = "staff", _("Added by staff")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="attendees", verbose_name=_("event")
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    email = models.EmailField(_("e-mail"), max_length=254, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, help_text=_("E.164"))
    country = models.CharField(_("country"), max_length=2, blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendees",
        verbose_name=_("region of origin"),
    )
    category = models.CharField(
        _("category"), max_length=16, choices=Category.choices, default=Category.CITIZEN
    )
    gender = models.CharField(
        _("gender"), max_length=8, choices=Gender.choices, blank=True, default=""
    )
    language = models.CharField(_("preferred language"), max_length=8, default="en")
    accessibility_needs = models.CharField(_("accessibility needs"), max_length=500, blank=True)
    needs_transport = models.BooleanField(_("needs free transport"), default=False)
    # Only for companions registered in a group (docs/groups.md).
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    group = models.ForeignKey(
        "registrations.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("group"),
    )
    terms_accepted_at = models.DateTimeField(_("terms and privacy notice accepted at"))
    source = models.CharField(
        _("source"), max_length=8, choices=Source.choices, default=Source.ONLINE
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.CONFIRMED
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # Set when the personal fields were anonymised (on request or after the
    # event's retention period); the row stays for the programme's counts.
    erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True)

    class Meta:
        ordering = ["event", "last_name", "first_name"]
        verbose_name = _("attendee")
        verbose_name_plural = _("attendees")
        constraints = [
            # One active registration per e-mail and event; walk-ins may have none.
            models.UniqueConstraint(
                "event",
                Lower("email"),
                condition=~models.Q(status="cancelled") & ~models.Q(email=""),
                name="attendee_one_active_per_email",
            ),
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self):
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class Group(models.Model):
    """A contact person and up to ten companions registered together.

    Its members are Attendees (the contact first) with their own tickets.
    ``manage_key`` opens the contact's group page and PDF; ``code`` is the
    group's admission credential: the QR on that page leads gate staff to
    the page that admits the members (docs/groups.md).
    """

    MAX_COMPANIONS = 10

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="groups", verbose_name=_("event")
    )
    # Deleting the contact (the admin) dissolves the group; members keep their tickets.
    contact = models.OneToOneField(
        "registrations.Attendee",
        on_delete=models.CASCADE,
        related_name="led_group",
        verbose_name=_("contact person"),
    )
    transport_from = models.CharField(_("pick-up place"), max_length=120, blank=True)
    code = models.CharField(_("code"), max_length=40, unique=True, default=new_ticket_code)
    manage_key = models.CharField(
        _("manage key"), max_length=64, unique=True, default=new_manage_key, editable=False
    )
    created_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    class Meta:
        ordering = ["event", "created_at", "pk"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self):
        return str(self.contact)

    @property
    def needs_transport(self) -> bool:
        return bool(self.transport_from)


class Ticket(models.Model):
    """The attendee's ticket: two credentials, for two different doors.

    ``code`` is the admission credential: it is in the QR and on the print,
    every volunteer and kiosk sees it, and it admits, nothing else.
    ``manage_key`` opens the holder's own pages and API (personal data,
    bookings, cancel, erase); it is only in the registration answer, the
    holder's e-mails and the ticket page's own URL.
    """

    attendee = models.OneToOneField(
        Attendee, on_delete=models.CASCADE, related_name="ticket", verbose_name=_("attendee")
    )
    code = models.CharField(_("code"), max_length=40, unique=True, default=new_ticket_code)
    manage_key = models.CharField(
        _("manage key"), max_length=64, unique=True, default=new_manage_key, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ticket")
        verbose_name_plural = _("tickets")

    def __str__(self):
        return self.code_for_humans

    @property
    def qr_payload(self) -> str:
        return qr_payload(event_id=self.attendee.event_id, code=self.code)

    @property
    def code_for_humans(self) -> str:
        return format_code_for_humans(self.code)


# --- Training modules, sessions, bookings and certificates -------------------
#
# A module (e.g. basic life support) runs in one or more sessions; a session's
# row owns its capacity (``booked_count``, locked by the booking services) and
# a booking is one attendee's seat, or place on the waiting list, in one
# session. Certificates are issued to people checked in to a session.


class TrainingModule(models.Model):
    """A training course offered at the fair, given in one or more sessions."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="training_modules", verbose_name=_("event")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    trainers = models.TextField(_("trainers"), blank=True, help_text=_("One per line."))
    audience = models.CharField(_("audience"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=100, blank=True)
    prerequisites = models.TextField(_("prerequisites"), blank=True)
    booking_closes_minutes = models.PositiveIntegerField(
        _("booking closes (minutes before start)"), default=30
    )
    no_show_release_minutes = models.PositiveIntegerField(
        _("no-shows released (minutes after start)"),
        default=10,
        help_text=_("Seats of people not checked in by then go to people waiting at the door."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "title"]
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")

    def __str__(self):
        return self.title

    @property
    def trainer_list(self) -> list[str]:
        return [line.strip() for line in self.trainers.splitlines() if line.strip()]


class TrainingSession(models.Model):
    """One sitting of a module: a room, a time and a number of seats."""

    module = models.ForeignKey(
        TrainingModule,
        on_delete=models.CASCADE,
        related_name="sessions",
        verbose_name=_("training module"),
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    room = models.CharField(_("room"), max_length=120, blank=True)
    capacity = models.PositiveIntegerField(_("seats"))
    # Confirmed bookings; kept on this row so that the row lock owns capacity.
    booked_count = models.PositiveIntegerField(_("seats taken"), default=0, editable=False)
    booking_closes_minutes = models.PositiveIntegerField(
        _("booking closes (minutes before start)"),
        null=True,
        blank=True,
        help_text=_("Empty: the module's setting."),
    )
    no_show_release_minutes = models.PositiveIntegerField(
        _("no-shows released (minutes after start)"),
        null=True,
        blank=True,
        help_text=_("Empty: the module's setting."),
    )

    class Meta:
        ordering = ["starts_at", "pk"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(booked_count__lte=models.F("capacity")),
                name="trainingsession_not_over_capacity",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="trainingsession_ends_after_start",
            ),
        ]

    def __str__(self):
        start = timezone.localtime(self.starts_at)
        return f"{self.module.title} — {start:%Y-%m-%d %H:%M}"

    def clean(self):
        if self.capacity is not None and self.capacity < self.booked_count:
            raise ValidationError(
                {
                    "capacity": _("%(count)d seats are already booked.")
                    % {"count": self.booked_count}
                }
            )
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("The session must end after it starts.")})

    @property
    def free_seats(self) -> int:
        return max(0, self.capacity - self.booked_count)

    @property
    def booking_closes_at(self):
        minutes = self.booking_closes_minutes
        if minutes is None:
            minutes = self.module.booking_closes_minutes
        return self.starts_at - dt.timedelta(minutes=minutes)

    @property
    def no_show_release_at(self):
        minutes = self.no_show_release_minutes
        if minutes is None:
            minutes = self.module.no_show_release_minutes
        return self.starts_at + dt.timedelta(minutes=minutes)

    def booking_is_open(self, now=None) -> bool:
        return (now or timezone.now()) < self.booking_closes_at

    @property
    def hours(self) -> float | int:
        hours = round((self.ends_at - self.starts_at).total_seconds() / 3600, 1)
        return int(hours) if hours.is_integer() else hours


ACTIVE_BOOKING = models.Q(status__in=["confirmed", "waitlisted"])


class TrainingBooking(models.Model):
    """An attendee's seat in a session, or place on its waiting list."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        RELEASED = "released", _("Released (did not show up)")

    session = models.ForeignKey(
        TrainingSession,
        on_delete=models.CASCADE,
        related_name="bookings",
        verbose_name=_("training session"),
    )
    # Denormalised from the session so the database can refuse a second
    # active booking for the same module.
    module = models.ForeignKey(
        TrainingModule,
        on_delete=models.CASCADE,
        related_name="bookings",
        verbose_name=_("training module"),
        editable=False,
    )
    attendee = models.ForeignKey(
        Attendee,
        on_delete=models.CASCADE,
        related_name="training_bookings",
        verbose_name=_("attendee"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices)
    walk_in = models.BooleanField(_("walk-in at the door"), default=False)
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled or released at"), null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    # The scanner's nonce of the check-in: a retried scan with the same nonce
    # answers the first result instead of "already checked in".
    checked_in_nonce = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        ordering = ["session", "created_at", "pk"]
        verbose_name = _("training booking")
        verbose_name_plural = _("training bookings")
        constraints = [
            models.UniqueConstraint(
                fields=["attendee", "session"],
                condition=ACTIVE_BOOKING,
                name="trainingbooking_one_active_per_session",
            ),
            models.UniqueConstraint(
                fields=["attendee", "module"],
                condition=ACTIVE_BOOKING,
                name="trainingbooking_one_active_per_module",
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "created_at"])]

    def __str__(self):
        return f"{self.attendee} — {self.session}"

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.CONFIRMED, self.Status.WAITLISTED)


def new_certificate_code() -> str:
    """160 random bits, base32: unguessable, typeable, QR alphanumeric."""
    return new_ticket_code()


class Certificate(models.Model):
    """A certificate of participation for a checked-in booking."""

    booking = models.OneToOneField(
        TrainingBooking,
        on_delete=models.CASCADE,
        related_name="certificate",
        verbose_name=_("training booking"),
    )
    code = models.CharField(
        _("verification code"), max_length=40, unique=True, default=new_certificate_code
    )
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")

    def __str__(self):
        return self.code_for_humans

    def get_absolute_url(self) -> str:
        return f"/certificates/{self.code}/"

    @property
    def code_for_humans(self) -> str:
        return format_code_for_humans(self.code)


# --- Check-in ------------------------------------------------------------------


class CheckIn(models.Model):
    """The first admission of a ticket to a target: one row per (ticket, target).

    ``target`` is the key of a ``registrations.services.checkin.CheckInTarget``:
    ``"event"`` for the gate of the fair, another key (e.g. a training
    session) for a later admission of the same ticket. The unique constraint
    is the last word on "a ticket is admitted once", whatever the concurrency.
    """

    class Method(models.TextChoices):
        SCAN = "scan", _("Scan")
        MANUAL = "manual", _("Manual look-up")
        WALK_IN = "walk_in", _("Walk-in")
        PAPER = "paper", _("Paper list")
        # Scanned by a device without network, sent later (checkin-sync).
        OFFLINE = "offline", _("Offline scan")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("event")
    )
    ticket = models.ForeignKey(
        Ticket, on_delete=models.CASCADE, related_name="check_ins", verbose_name=_("ticket")
    )
    target = models.CharField(_("target"), max_length=40, default="event")
    gate = models.CharField(_("gate"), max_length=60, blank=True)
    device = models.CharField(_("device"), max_length=60, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("checked in by"),
    )
    method = models.CharField(
        _("method"), max_length=8, choices=Method.choices, default=Method.SCAN
    )
    checked_in_at = models.DateTimeField(_("checked in at"), db_index=True)

    class Meta:
        ordering = ["-checked_in_at"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.UniqueConstraint(fields=["ticket", "target"], name="checkin_once_per_target")
        ]
        indexes = [models.Index(fields=["event", "target", "gate"])]

    def __str__(self):
        return f"{self.ticket} @ {self.target} ({self.gate})"


class ScanLog(models.Model):
    """Every scan at a gate, good or bad, and every undo: the audit trail."""

    class Result(models.TextChoices):
        OK = "ok", _("Admitted")
        ALREADY = "already_checked_in", _("Already checked in")
        INVALID = "invalid", _("Invalid ticket")
        WRONG_EVENT = "wrong_event", _("Ticket for another event")
        CANCELLED = "cancelled", _("Registration cancelled")
        WAITLISTED = "waitlisted", _("On the waiting list")
        NOT_ADMISSIBLE = "not_admissible", _("Not admissible here")
        UNDONE = "undone", _("Check-in undone")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="scan_logs", verbose_name=_("event")
    )
    ticket = models.ForeignKey(
        Ticket,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="scan_logs",
        verbose_name=_("ticket"),
    )
    target = models.CharField(_("target"), max_length=40, default="event")
    # What was read, cut short: enough to investigate a forged or damaged code.
    payload = models.CharField(_("payload read"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    method = models.CharField(
        _("method"), max_length=8, choices=CheckIn.Method.choices, default=CheckIn.Method.SCAN
    )
    gate = models.CharField(_("gate"), max_length=60, blank=True)
    device = models.CharField(_("device"), max_length=60, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff member"),
    )
    # Generated by the scanner per scan: a retried request returns the first answer.
    nonce = models.CharField(_("nonce"), max_length=64, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    # What an offline device showed (a ``Result`` value) before the server
    # decided; blank for online scans. ``ok`` answered ``already_checked_in``
    # is a double entry (docs/checkin.md).
    local_result = models.CharField(_("result shown offline"), max_length=20, blank=True)
    scanned_at = models.DateTimeField(_("scanned at"), db_index=True)
    # An undo's row (``undone``): when the admission it undid was made (the
    # note says it for people). A double entry whose first admission was
    # undone afterwards still lists it from here (docs/checkin.md).
    admitted_at = models.DateTimeField(_("admission undone, made at"), null=True, blank=True)

    class Meta:
        ordering = ["-scanned_at"]
        verbose_name = _("scan log entry")
        verbose_name_plural = _("scan log")
        indexes = [
            models.Index(
                fields=["event", "nonce"],
                name="scanlog_nonce",
                condition=~models.Q(nonce=""),
            ),
            # Offline scans a device let in: where double entries are found.
            models.Index(
                fields=["event", "ticket"],
                name="scanlog_let_in_offline",
                condition=models.Q(local_result="ok"),
            ),
        ]

    def __str__(self):
        return f"{self.scanned_at:%H:%M:%S} {self.gate} {self.result}"
