"""Free screenings: services, their stations and slots, appointments, and the
day's queues.

What is stored about a person's health is deliberately small: consent time,
the eligibility answers, flags, status and times, a "referral recommended"
tick and a short note. No diagnosis, no images. Every read of it by staff or
the attendee is written to ``HealthDataAccess``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from eventhub.core.models import Event, Region
from registrations.models import Attendee


class Sex(models.TextChoices):
    ANY = "", _("Anyone")
    FEMALE = "female", _("Women")
    MALE = "male", _("Men")


class Service(models.Model):
    """A free screening offered at the fair, e.g. thyroid ultrasound ("T")."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="screening_services", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=120)
    code = models.CharField(
        _("code"),
        max_length=4,
        help_text=_("Short code and queue prefix, e.g. T for thyroid ultrasound."),
    )
    description = models.TextField(_("description"), blank=True)
    preparation = models.TextField(_("preparation instructions"), blank=True)
    provider = models.CharField(_("provided by"), max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("minutes per person"), default=15)
    min_age = models.PositiveSmallIntegerField(_("minimum age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("maximum age"), null=True, blank=True)
    sex = models.CharField(_("for"), max_length=8, choices=Sex.choices, blank=True, default="")
    waitlist = models.BooleanField(
        _("waiting list"),
        default=False,
        help_text=_(
            "When a slot is full, people may join its waiting list; they get a place, "
            "first come first served, when one frees up."
        ),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["event", "position", "code"]
        verbose_name = _("screening service")
        verbose_name_plural = _("screening services")
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="service_code_unique_per_event"),
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[A-Z][A-Z0-9]{0,3}$"),
                name="service_code_format",
            ),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    @property
    def needs_age(self) -> bool:
        return self.min_age is not None or self.max_age is not None


class EligibilityQuestion(models.Model):
    """A yes/no question asked before booking; an answer may exclude or flag."""

    class Answer(models.TextChoices):
        NONE = "", _("—")
        YES = "yes", _("Yes")
        NO = "no", _("No")

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="questions", verbose_name=_("service")
    )
    key = models.SlugField(_("key"), max_length=40)
    text = models.CharField(_("question"), max_length=300)
    exclude_if = models.CharField(
        _("excludes when the answer is"), max_length=3, choices=Answer.choices, blank=True
    )
    exclusion_reason = models.CharField(_("reason shown when excluded"), max_length=300, blank=True)
    flag_if = models.CharField(
        _("flags when the answer is"), max_length=3, choices=Answer.choices, blank=True
    )
    flag = models.CharField(
        _("flag shown to doctors"), max_length=60, blank=True, help_text=_("e.g. pregnant")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["service", "position", "pk"]
        verbose_name = _("eligibility question")
        verbose_name_plural = _("eligibility questions")
        constraints = [
            models.UniqueConstraint(fields=["service", "key"], name="question_key_unique")
        ]

    def __str__(self):
        return self.text

    @property
    def flag_code(self) -> str:
        """The flag as appointments and queue entries keep it: its English text.

        Consoles show it in the doctor's language through ``flag_labels``
        (texts in three languages: docs/i18n.md).
        """
        with translation.override(settings.LANGUAGE_CODE):
            return self.flag


def question_flag_labels(questions) -> dict[str, str]:
    """``{flag code: flag in the active language}`` for eligibility questions."""
    return {q.flag_code: q.flag for q in questions if q.flag}


class Station(models.Model):
    """A room or device where doctors of a service see people, one at a time."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="stations", verbose_name=_("service")
    )
    name = models.CharField(_("name"), max_length=80)
    room = models.CharField(_("room or device"), max_length=120, blank=True)
    doctors = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="screening_stations",
        verbose_name=_("doctors on duty"),
    )
    is_open = models.BooleanField(_("open"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["service", "position", "pk"]
        verbose_name = _("station")
        verbose_name_plural = _("stations")

    def __str__(self):
        return f"{self.service.code} · {self.name}"


class Slot(models.Model):
    """A bookable time of a service; ``capacity`` people are seen in parallel."""

    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="slots", verbose_name=_("service")
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveSmallIntegerField(_("capacity"))
    booked_count = models.PositiveSmallIntegerField(_("booked"), default=0)
    seq = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["service", "starts_at"]
        verbose_name = _("slot")
        verbose_name_plural = _("slots")
        constraints = [
            models.UniqueConstraint(fields=["service", "starts_at"], name="slot_unique_start"),
            models.CheckConstraint(
                condition=models.Q(booked_count__lte=models.F("capacity")),
                name="slot_not_overbooked",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.service.code} {self.starts_at:%Y-%m-%d %H:%M}"

    def clean(self):
        if self.capacity is not None and self.capacity < self.booked_count:
            raise ValidationError(
                {
                    "capacity": _("%(count)d places are already booked.")
                    % {"count": self.booked_count}
                }
            )

    @property
    def free(self) -> int:
        return max(0, self.capacity - self.booked_count)

    def is_upcoming(self) -> bool:
        return self.starts_at > timezone.now()


class Appointment(models.Model):
    """A person's booking of a slot. Health data: see the module docstring."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Booked")
        WAITLISTED = "waitlisted", _("Waiting list")
        CANCELLED = "cancelled", _("Cancelled")
        ATTENDED = "attended", _("Attended")
        NO_SHOW = "no_show", _("Did not come")

    # RESTRICT: a slot with appointments is not deleted on its own, but it
    # goes with its service or fair (whose deletion takes the appointments).
    slot = models.ForeignKey(
        Slot, on_delete=models.RESTRICT, related_name="appointments", verbose_name=_("slot")
    )
    # Denormalised from the slot so the database can hold the one-active-
    # appointment-per-service rule as a constraint.
    service = models.ForeignKey(
        Service, on_delete=models.CASCADE, related_name="appointments", verbose_name=_("service")
    )
    attendee = models.ForeignKey(
        Attendee,
        on_delete=models.CASCADE,
        related_name="appointments",
        verbose_name=_("attendee"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.BOOKED
    )
    health_consent_at = models.DateTimeField(_("health data consent given at"))
    answers = models.JSONField(_("eligibility answers"), default=dict, blank=True)
    age = models.PositiveSmallIntegerField(_("age"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=8, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    referral_recommended = models.BooleanField(_("referral recommended"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("booked at"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)

    class Meta:
        ordering = ["slot__starts_at", "pk"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            # A place on a slot's waiting list counts as the person's one
            # appointment of the service too.
            models.UniqueConstraint(
                fields=["service", "attendee"],
                condition=models.Q(status__in=["booked", "waitlisted"]),
                name="appointment_one_active_per_service",
            )
        ]

    def __str__(self):
        return f"{self.slot} · #{self.attendee_id}"

    @property
    def is_active(self) -> bool:
        """Holds a place, or waits for one (either may be cancelled)."""
        return self.status in (self.Status.BOOKED, self.Status.WAITLISTED)


class Queue(models.Model):
    """The day's queue of a service. Its row is the lock and the sequence."""

    service = models.OneToOneField(
        Service, on_delete=models.CASCADE, related_name="queue", verbose_name=_("service")
    )
    seq = models.PositiveIntegerField(default=0)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("queue")
        verbose_name_plural = _("queues")

    def __str__(self):
        return str(self.service)


ACTIVE_ENTRY_STATUSES = ("waiting", "called", "in_progress")


class QueueEntry(models.Model):
    """One person in a service's queue, with a number such as ``T-017``."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        CALLED = "called", _("Called")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        NO_SHOW = "no_show", _("No-show")
        CANCELLED = "cancelled", _("Cancelled")

    class Kind(models.TextChoices):
        APPOINTMENT = "appointment", _("Appointment")
        WALK_IN = "walk_in", _("Walk-in")

    queue = models.ForeignKey(
        Queue, on_delete=models.CASCADE, related_name="entries", verbose_name=_("queue")
    )
    number = models.PositiveIntegerField(_("number"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    attendee = models.ForeignKey(
        Attendee,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="queue_entries",
        verbose_name=_("attendee"),
    )
    appointment = models.ForeignKey(
        Appointment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="queue_entries",
        verbose_name=_("appointment"),
    )
    # Minimal data of a walk-in without a ticket (copied from the attendee
    # otherwise, so figures read one place).
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("region of origin"),
    )
    category = models.CharField(_("category"), max_length=16, blank=True)
    flags = models.JSONField(_("flags"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.WAITING
    )
    station = models.ForeignKey(
        Station,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("station"),
    )
    # When this person is due: the slot start for appointment holders, the
    # joining time for walk-ins. The queue order is derived from it.
    due_at = models.DateTimeField(_("due at"))
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    called_at = models.DateTimeField(_("called at"), null=True, blank=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    recalls = models.PositiveSmallIntegerField(_("recalls"), default=0)
    referral_recommended = models.BooleanField(_("referral recommended"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        ordering = ["queue", "number"]
        verbose_name = _("queue entry")
        verbose_name_plural = _("queue entries")
        constraints = [
            models.UniqueConstraint(fields=["queue", "number"], name="queue_number_unique"),
            models.UniqueConstraint(
                fields=["queue", "attendee"],
                condition=models.Q(status__in=ACTIVE_ENTRY_STATUSES),
                name="queue_one_active_entry_per_attendee",
            ),
        ]
        indexes = [models.Index(fields=["queue", "status", "due_at"])]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return format_number(self.queue.service.code, self.number)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_ENTRY_STATUSES


def format_number(code: str, number: int) -> str:
    return f"{code}-{number:03d}"


# Flags a queue entry may carry besides the free-text ones of eligibility
# questions; labels for people, codes for data.
FLAG_LABELS = {
    "free_transport": _("came by free transport"),
    "interpreter": _("needs an interpreter"),
    "accessibility": _("accessibility needs"),
    "missed_slot": _("missed their slot"),
}


class HealthDataAccess(models.Model):
    """Who read or changed a person's screening data, when and how.

    The rows outlive the fair, the person and the service (their links
    empty), like ``eventhub.AuditLog``'s.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        BOOK = "book", _("Booked")
        CANCEL = "cancel", _("Cancelled")
        UPDATE = "update", _("Updated")
        CONSOLE = "console", _("Opened the doctor console")

    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # "ticket holder", "doctor", "organizer": who the reader was.
    actor = models.CharField(_("actor"), max_length=20)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    attendee = models.ForeignKey(
        Attendee, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    service = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    what = models.CharField(_("what"), max_length=200)
    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("health data access")
        verbose_name_plural = _("health data access log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.what}"
