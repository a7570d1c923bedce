"""A scan's nonce belongs to the ticket (and target) it first came with: it
replays the first answer only for that ticket; on any other ticket the scan
is answered and logged like any other."""

import pytest

from registrations.models import CheckIn, ScanLog
from registrations.services.checkin import CheckInTarget, ticket_check_in
from tests.factories import AttendeeFactory

pytestmark = pytest.mark.django_db


def check_in(event, attendee, nonce, target=None):
    extra = {"target": target} if target else {}
    return ticket_check_in(
        event_id=event.pk, payload=attendee.ticket.code, gate="North", nonce=nonce, **extra
    )


def test_another_tickets_nonce_on_an_admitted_ticket_answers_already_checked_in(event):
    x, y = AttendeeFactory(event=event), AttendeeFactory(event=event)
    assert check_in(event, y, "n-y").result == "ok"
    assert check_in(event, x, "n-x").result == "ok"
    answer = check_in(event, y, "n-x")
    assert (answer.result, answer.replayed, answer.ticket_code) == (
        "already_checked_in",
        False,
        y.ticket.code,
    )
    logged = ScanLog.objects.get(ticket=y.ticket, nonce="n-x")
    assert logged.result == "already_checked_in"
    # The nonce still replays for the ticket it first came with.
    retry = check_in(event, x, "n-x")
    assert (retry.result, retry.replayed) == ("ok", True)


def test_another_tickets_nonce_on_a_ticket_not_yet_in_admits_it(event):
    x, y = AttendeeFactory(event=event), AttendeeFactory(event=event)
    check_in(event, x, "n-x")
    answer = check_in(event, y, "n-x")
    assert (answer.result, answer.replayed) == ("ok", False)
    assert CheckIn.objects.filter(ticket=y.ticket).count() == 1
    again = check_in(event, y, "n-x")
    assert (again.result, again.replayed) == ("ok", True)


def test_a_nonce_replays_only_at_the_target_it_first_came_with(event):
    tent = CheckInTarget(key="tent")
    x = AttendeeFactory(event=event)
    check_in(event, x, "n-1")
    assert check_in(event, x, "n-1", target=tent).result == "ok"
    replay = check_in(event, x, "n-1", target=tent)
    assert (replay.result, replay.replayed) == ("ok", True)
    assert ScanLog.objects.filter(ticket=x.ticket).count() == 2
