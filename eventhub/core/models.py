"""The core of every fair: events, programme areas, staff roles and kiosks."""

import datetime as dt
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Programme(models.Model):
    """A cross-border cooperation programme (e.g. Interreg IPA Romania–Serbia)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return self.name


class Region(models.Model):
    """A county, district or oblast of a programme area, used for attendee origin."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="regions", verbose_name=_("programme")
    )
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2"))
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=40, blank=True, help_text=_("county, district…"))

    class Meta:
        ordering = ["programme", "country", "name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "country", "name"], name="region_unique_per_programme"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.country})"


def default_languages():
    return ["en", "ro", "sr-latn"]


class Event(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CLOSED = "closed", _("Closed")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("programme"),
    )
    venue = models.CharField(_("venue"), max_length=200)
    address = models.CharField(_("address"), max_length=300, blank=True)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=2, help_text=_("ISO 3166-1 alpha-2"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    timezone = models.CharField(_("time zone"), max_length=64, default="Europe/Bucharest")
    capacity = models.PositiveIntegerField(_("capacity"))
    # Confirmed attendees, kept by the fair's capacity pool under the row
    # lock (eventhub/core/capacity.py, docs/capacity.md).
    confirmed_count = models.PositiveIntegerField(_("confirmed"), default=0, editable=False)
    registration_opens_at = models.DateTimeField(_("registration opens at"))
    registration_closes_at = models.DateTimeField(_("registration closes at"))
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    languages = models.JSONField(_("languages offered"), default=default_languages)
    personal_data_retention_days = models.PositiveIntegerField(
        _("personal data kept (days after the event)"),
        default=180,
        help_text=_(
            "After this many days past the end of the event, manage.py purge_personal_data "
            "anonymises every attendee; the counts for the programme report stay."
        ),
    )
    allow_group_split = models.BooleanField(
        _("groups may be split"),
        default=False,
        help_text=_(
            "When a group does not fit in the free places, confirm those who fit and "
            "keep the others on the waiting list."
        ),
    )
    accept_hmac_tickets = models.BooleanField(
        _("accept older HMAC-signed tickets"),
        default=True,
        help_text=_(
            "QR codes of the older form (EH1) still admit. Untick once every ticket out "
            "carries the Ed25519 signature (EH2)."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(registration_closes_at__gt=models.F("registration_opens_at")),
                name="event_registration_window",
            ),
            models.CheckConstraint(
                condition=models.Q(confirmed_count__lte=models.F("capacity")),
                name="event_not_overbooked",
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # ``confirmed_count`` belongs to the fair's capacity pool, which writes
        # it under the row lock with ``update_fields``. Any other save of a
        # loaded event (a form, a stale instance) leaves it as the database has
        # it instead of writing back the number read earlier.
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name != "confirmed_count"
            ]
        super().save(*args, **kwargs)

    def clean(self):
        if self.capacity is not None and self.capacity < self.confirmed_count:
            raise ValidationError(
                {
                    "capacity": _("%(count)d people are already confirmed.")
                    % {"count": self.confirmed_count}
                }
            )

    @property
    def is_public(self) -> bool:
        return self.status in (self.Status.PUBLISHED, self.Status.CLOSED)

    @property
    def personal_data_expires_at(self):
        return self.ends_at + dt.timedelta(days=self.personal_data_retention_days)

    def registration_is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == self.Status.PUBLISHED
            and self.registration_opens_at <= now < self.registration_closes_at
        )


class TicketSigningKey(models.Model):
    """One Ed25519 key pair of an event, signing its tickets' QR payloads.

    The active key signs; every key not retired verifies, so tickets already
    out keep scanning after a rotation. The public key is published to staff
    devices; the private key is stored sealed (``eventhub.core.ticket_keys``)
    and never leaves the server.
    """

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="ticket_keys", verbose_name=_("event")
    )
    number = models.PositiveSmallIntegerField(_("key number"))
    public_key = models.BinaryField(_("public key"), max_length=32)
    sealed_private_key = models.BinaryField(max_length=128, editable=False)
    active = models.BooleanField(_("signs new tickets"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(_("retired"), null=True, blank=True)

    class Meta:
        verbose_name = _("ticket signing key")
        verbose_name_plural = _("ticket signing keys")
        constraints = [
            models.UniqueConstraint(fields=["event", "number"], name="ticket_key_number_unique"),
            models.UniqueConstraint(
                fields=["event"], condition=models.Q(active=True), name="ticket_key_one_active"
            ),
        ]

    def __str__(self):
        return f"{self.event_id}/{self.number}"


class StaffRole(models.Model):
    """A user's role at one event. Organizers may do everything staff may do."""

    class Role(models.TextChoices):
        ORGANIZER = "organizer", _("Organizer")
        VOLUNTEER = "volunteer", _("Volunteer")
        DOCTOR = "doctor", _("Doctor")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="staff_roles", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="event_roles",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "role", "user__username"]
        verbose_name = _("staff role")
        verbose_name_plural = _("staff roles")
        constraints = [
            models.UniqueConstraint(fields=["event", "user", "role"], name="staffrole_unique")
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} @ {self.event}"


def new_kiosk_token() -> str:
    return secrets.token_urlsafe(32)


class Kiosk(models.Model):
    """A TV board, self check-in terminal, stats screen or consultation tablet,
    paired by a secret token."""

    class Kind(models.TextChoices):
        BOARD = "board", _("Queue board")
        CHECKIN = "checkin", _("Self check-in terminal")
        STATS = "stats", _("Stats board")
        SURVEY = "survey", _("Consultation tablet")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="kiosks", verbose_name=_("event")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    # The screening service's short code (its queue prefix), e.g. "T".
    service_code = models.CharField(_("screening service code"), max_length=8, blank=True)
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_kiosk_token)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(_("last seen"), null=True, blank=True)

    class Meta:
        ordering = ["event", "kind", "name"]
        verbose_name = _("kiosk")
        verbose_name_plural = _("kiosks")

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    def get_absolute_url(self):
        return f"/kiosk/{self.token}/"


class AuditLog(models.Model):
    """Who viewed, exported or changed personal data, and when.

    Health-data reads and writes of screenings stay in their own, more
    detailed log (``screenings.HealthDataAccess``); the organizer's audit
    page shows both. ``attendee_id`` is a plain number, not a foreign key,
    so the row outlives the person's data and never carries a name; the
    rows outlive their fair too (``event`` empties when it is deleted, and
    the deletion itself is an ``event_delete`` row without a fair).
    """

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed personal details")
        EXPORT = "export", _("Exported personal data")
        SELF_EXPORT = "self_export", _("Attendee downloaded their data")
        ERASE = "erase", _("Erased a person (organizer)")
        SELF_ERASE = "self_erase", _("Attendee erased their data")
        PURGE = "purge", _("Retention purge")
        EVENT_DELETE = "event_delete", _("Deleted a fair with its people")
        STAFF_INVITE = "staff_invite", _("Invited staff")
        STAFF_REVOKE = "staff_revoke", _("Revoked a staff role")
        TRAINING_CANCEL = "training_cancel", _("Cancelled a training session")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("user"),
    )
    event = models.ForeignKey(
        Event,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="audit_log",
        verbose_name=_("event"),
    )
    # Free text on purpose: other modules (exports) name their own actions.
    action = models.CharField(_("action"), max_length=30, choices=Action.choices)
    attendee_id = models.PositiveIntegerField(_("subject attendee id"), null=True, blank=True)
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit log entry")
        verbose_name_plural = _("audit log")
        indexes = [models.Index(fields=["event", "action", "at"])]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} #{self.attendee_id or '-'}"
