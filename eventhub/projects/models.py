"""The programme's funded projects, their stands at a fair and the stamps
visitors collect there (docs/projects.md)."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from eventhub.core.models import Event


def new_stamp_code() -> str:
    """A short code printed on the stand sign (and inside its QR code):
    collecting a stamp needs it, so a stamp means the visitor stood there."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(8))


class Project(models.Model):
    """One funded project shown at a fair, as the programme's records give it."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="projects", verbose_name=_("event")
    )
    slug = models.SlugField(_("slug"), max_length=60)
    acronym = models.CharField(_("acronym"), max_length=40)
    project_id = models.CharField(_("project ID"), max_length=60)
    title = models.CharField(_("title"), max_length=300)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.IN_PROGRESS
    )
    theme = models.CharField(_("theme"), max_length=80, blank=True)
    # Region names as the programme's record spells them (several
    # programmes, several alphabets): text, not the core's Region rows.
    regions = models.JSONField(_("regions"), default=list)
    starts_on = models.DateField(_("start date"), null=True, blank=True)
    ends_on = models.DateField(_("end date"), null=True, blank=True)
    budget_eur = models.DecimalField(_("total budget (EUR)"), max_digits=14, decimal_places=2)
    summary = models.TextField(_("summary"), blank=True)
    description = models.TextField(_("description"), blank=True)
    activities = models.JSONField(_("activities"), default=list, blank=True)
    expected_impact = models.JSONField(_("expected impact"), default=list, blank=True)
    stand = models.PositiveIntegerField(_("stand number"), null=True, blank=True)
    stamp_code = models.CharField(
        _("stamp code"), max_length=12, default=new_stamp_code, editable=False
    )

    class Meta:
        ordering = ["event", "stand", "acronym"]
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="project_slug_per_event"),
            models.UniqueConstraint(
                fields=["event", "project_id"], name="project_id_once_per_event"
            ),
            models.UniqueConstraint(
                fields=["event", "stand"],
                condition=models.Q(stand__isnull=False),
                name="project_stand_once_per_event",
            ),
        ]

    def __str__(self):
        return f"{self.acronym} — {self.title}"

    def get_absolute_url(self):
        return f"/e/{self.event.slug}/projects/{self.slug}/"


class Partner(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", _("Lead partner")
        PARTNER = "partner", _("Project partner")

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="partners", verbose_name=_("project")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices)
    name = models.CharField(_("name"), max_length=300)
    address = models.CharField(_("address"), max_length=300, blank=True)
    web = models.URLField(_("web page"), blank=True)
    funding_eur = models.DecimalField(
        _("funding (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["project", "position"]
        verbose_name = _("partner")
        verbose_name_plural = _("partners")

    def __str__(self):
        return self.name


class StandVisit(models.Model):
    """A stamp on a visitor's card: this ticket's holder stood at this stand.

    Counted per stand in the programme report, never listed by name.
    """

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="visits", verbose_name=_("project")
    )
    ticket = models.ForeignKey(
        "registrations.Ticket",
        on_delete=models.CASCADE,
        related_name="stand_visits",
        verbose_name=_("ticket"),
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["at"]
        verbose_name = _("stand visit")
        verbose_name_plural = _("stand visits")
        constraints = [
            models.UniqueConstraint(fields=["project", "ticket"], name="stand_visit_once")
        ]

    def __str__(self):
        return f"{self.project.acronym} @ {self.at:%Y-%m-%d %H:%M}"
