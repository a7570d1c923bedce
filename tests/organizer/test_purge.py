"""manage.py purge_personal_data: events past their retention period are
anonymised; a dry run changes nothing; a second run does nothing."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from eventhub.core.models import AuditLog
from registrations.models import Attendee
from tests.factories import AttendeeFactory, EventFactory

pytestmark = pytest.mark.django_db


def fair_that_ended(days_ago: int, **fields):
    ends = timezone.now() - dt.timedelta(days=days_ago)
    return EventFactory(
        starts_at=ends - dt.timedelta(hours=8),
        ends_at=ends,
        registration_opens_at=ends - dt.timedelta(days=30),
        registration_closes_at=ends - dt.timedelta(hours=9),
        **fields,
    )


def purge(*args) -> str:
    out = io.StringIO()
    call_command("purge_personal_data", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def fairs():
    expired = fair_that_ended(181, slug="fair-2025-spring")
    kept_longer = fair_that_ended(181, slug="fair-2025-long", personal_data_retention_days=365)
    recent = fair_that_ended(30, slug="fair-2026-autumn")
    upcoming = EventFactory(slug="fair-2027")
    people = {
        event.slug: [
            AttendeeFactory(event=event, first_name="Milica", last_name=f"Petrović{n}")
            for n in range(count)
        ]
        for event, count in ((expired, 3), (kept_longer, 1), (recent, 2), (upcoming, 1))
    }
    return expired, people


def test_a_dry_run_says_what_it_would_do_and_changes_nothing(fairs):
    output = purge("--dry-run")
    assert output.splitlines() == [
        "fair-2025-spring: would anonymise 3 people",
        "would anonymise 3 people in 1 events",
    ]
    assert not Attendee.objects.filter(erased_at__isnull=False).exists()
    assert not AuditLog.objects.exists()


def test_the_purge_anonymises_only_expired_events_and_a_second_run_does_nothing(fairs):
    expired, people = fairs
    assert purge().splitlines() == [
        "fair-2025-spring: anonymised 3 people",
        "anonymised 3 people in 1 events",
    ]
    erased = Attendee.objects.filter(erased_at__isnull=False)
    assert set(erased.values_list("event__slug", flat=True)) == {"fair-2025-spring"}
    assert erased.count() == 3
    assert set(erased.values_list("first_name", "last_name", "email")) == {("—", "", "")}
    # After the event nothing is cancelled: statuses stay for the counts.
    assert set(erased.values_list("status", flat=True)) == {"confirmed"}
    assert Attendee.objects.filter(first_name="Milica").count() == 4
    log = AuditLog.objects.get()
    assert (log.event_id, log.action, log.user) == (expired.pk, "purge", None)
    assert log.detail == "3 people anonymised after 180 days"

    assert purge().splitlines() == ["anonymised 0 people in 0 events"]
    assert AuditLog.objects.count() == 1
