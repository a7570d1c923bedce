"""Reads of the organizer's pages that span apps: the merged audit trail."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from eventhub.core.models import AuditLog
from screenings.models import HealthDataAccess


@dataclass(frozen=True)
class AuditEntry:
    at: dt.datetime
    user: str
    action: str
    action_label: str
    attendee_id: int | None
    detail: str


HEALTH_ACTION_PREFIX = "health_"


def audit_action_choices() -> list[tuple[str, str]]:
    """Every action the audit page can filter by: personal data, then health data."""
    return [*AuditLog.Action.choices] + [
        (HEALTH_ACTION_PREFIX + value, _("Health data: %(action)s") % {"action": label})
        for value, label in HealthDataAccess.Action.choices
    ]


def audit_entries(*, event_id: int, action: str = "", limit: int = 500) -> list[AuditEntry]:
    """The newest audit rows of the event, personal and health data merged."""
    labels = dict(audit_action_choices())
    entries = []
    if not action.startswith(HEALTH_ACTION_PREFIX):
        rows = AuditLog.objects.filter(event_id=event_id).select_related("user")
        if action:
            rows = rows.filter(action=action)
        entries += [
            AuditEntry(
                at=row.at,
                user=row.user.get_username() if row.user else "",
                action=row.action,
                action_label=labels.get(row.action, row.action),
                attendee_id=row.attendee_id,
                detail=row.detail,
            )
            for row in rows.order_by("-at", "-pk")[:limit]
        ]
    if not action or action.startswith(HEALTH_ACTION_PREFIX):
        rows = HealthDataAccess.objects.filter(event_id=event_id).select_related("user")
        if action:
            rows = rows.filter(action=action.removeprefix(HEALTH_ACTION_PREFIX))
        entries += [
            AuditEntry(
                at=row.at,
                user=row.user.get_username() if row.user else row.actor,
                action=HEALTH_ACTION_PREFIX + row.action,
                action_label=labels.get(HEALTH_ACTION_PREFIX + row.action, row.action),
                attendee_id=row.attendee_id,
                detail=row.what,
            )
            for row in rows.order_by("-at", "-pk")[:limit]
        ]
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]
