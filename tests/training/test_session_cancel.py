"""A training session that will not take place is cancelled, and everyone
booked on it is told (docs/training.md, "Cancelling a session"): the
organizer's "Delete" in the admin (the session's page, "delete selected", the
sessions on the module's page, the whole module) cancels every booking,
e-mails each person in their own language, tells the stats sockets and writes
the audit row, then deletes. A session that has started with people booked is
refused; an organizer of another fair cannot touch it."""

import asyncio
import datetime as dt

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer
from django.contrib.admin.models import DELETION, LogEntry
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from eventhub.core.exceptions import DomainError, PermissionDenied
from eventhub.core.models import AuditLog, StaffRole
from eventhub.core.realtime import stats_group
from eventhub.core.services import staff_add
from registrations.models import TrainingBooking, TrainingModule, TrainingSession
from registrations.services.training import training_booking_create, training_session_cancel
from tests.admin_tools import module_form, organizer_of
from tests.factories import AttendeeFactory, EventFactory, UserFactory
from tests.training.factories import TrainingModuleFactory, TrainingSessionFactory

pytestmark = pytest.mark.django_db
ACTIVE = [TrainingBooking.Status.CONFIRMED, TrainingBooking.Status.WAITLISTED]

TITLES = {
    "en": "We can all save lives",
    "ro": "Putem salva vieți cu toții",
    "sr-latn": "Svi možemo spasiti živote",
}


@pytest.fixture
def module(event):
    return TrainingModuleFactory(
        event=event,
        title_en=TITLES["en"],
        title_ro=TITLES["ro"],
        title_sr_latn=TITLES["sr-latn"],
    )


def booked_session(module, django_capture_on_commit_callbacks, *, starts_in_days=14):
    """Two seats: Ana (Romanian) and Đorđe (Serbian) hold them, Emma (English)
    waits. Returns the session and the three people."""
    start = timezone.now() + dt.timedelta(days=starts_in_days)
    session = TrainingSessionFactory(
        module=module, capacity=2, starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    people = [
        AttendeeFactory(
            event=module.event,
            first_name=first,
            last_name=last,
            email=f"{last[:3].lower()}@example.org",
            language=language,
        )
        for first, last, language in (
            ("Ana", "Kovač", "ro"),
            ("Đorđe", "Petrović", "sr-latn"),
            ("Emma", "Novak", "en"),
        )
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for person in people:
            training_booking_create(attendee_id=person.pk, session_id=session.pk)
    statuses = TrainingBooking.objects.filter(session=session).order_by("pk")
    assert list(statuses.values_list("status", flat=True)) == [
        "confirmed",
        "confirmed",
        "waitlisted",
    ]
    mail.outbox.clear()
    return session, people


@pytest.fixture
def booked(module, django_capture_on_commit_callbacks):
    return booked_session(module, django_capture_on_commit_callbacks)


def assert_everyone_told(session, people):
    """Each of the three got one e-mail, in their language, saying whether
    their seat or their waiting-list place went; nobody is booked any more."""
    by_address = {message.to[0]: message for message in mail.outbox}
    assert len(mail.outbox) == 3
    ana, djordje, emma = (by_address[person.email] for person in people)

    assert ana.subject == f"Instruire anulată: {TITLES['ro']}"
    assert "Bună ziua, Ana," in ana.body
    assert "Locul dumneavoastră este anulat odată cu ea." in ana.body
    assert f"/t/{people[0].ticket.manage_key}/training/" in ana.body

    assert djordje.subject == f"Obuka otkazana: {TITLES['sr-latn']}"
    assert "Zdravo, Đorđe," in djordje.body
    assert "Vaše mesto je otkazano zajedno sa njim." in djordje.body

    assert emma.subject == f"Training cancelled: {TITLES['en']}"
    assert "Your place on its waiting list is cancelled with it." in emma.body
    assert "Your seat" not in emma.body
    for message in (ana, djordje, emma):
        html, mimetype = message.alternatives[0]
        assert mimetype == "text/html" and "<p>" in html

    assert not TrainingSession.objects.filter(pk=session.pk).exists()
    assert not TrainingBooking.objects.filter(attendee__in=people, status__in=ACTIVE).exists()


def assert_recorded(organizer, session):
    row = AuditLog.objects.get(action=AuditLog.Action.TRAINING_CANCEL)
    assert (row.user, row.event_id, row.attendee_id) == (
        organizer,
        session.module.event_id,
        None,
    )
    assert row.detail.startswith(f"training session {session.pk} of module {session.module_id}")
    assert row.detail.endswith("cancelled and deleted: 2 with a seat and 1 waiting told by e-mail")


# --- The service ---------------------------------------------------------------


def test_cancelling_a_session_tells_everyone_booked_after_the_commit(
    booked, django_capture_on_commit_callbacks
):
    session, people = booked
    with django_capture_on_commit_callbacks() as callbacks:
        told = training_session_cancel(session_id=session.pk)
    assert told == 3
    assert mail.outbox == []  # nothing before the commit
    for callback in callbacks:
        callback()
    assert_everyone_told(session, people)
    row = AuditLog.objects.get(action="training_cancel")
    assert row.user is None


def test_cancelling_tells_the_stats_sockets_the_session_is_gone(
    event, module, booked, django_capture_on_commit_callbacks
):
    session, _ = booked
    other = TrainingSessionFactory(module=module)

    def cancel():
        with django_capture_on_commit_callbacks(execute=True):
            training_session_cancel(session_id=session.pk)

    async def listen_while_cancelling():
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(stats_group(event.pk), channel)
        await sync_to_async(cancel)()
        received = await asyncio.wait_for(layer.receive(channel), 5)
        await layer.group_discard(stats_group(event.pk), channel)
        return received

    received = async_to_sync(listen_while_cancelling)()
    assert (received["type"], received["part"]) == ("stats.changed", "training")
    assert [s["id"] for s in received["message"]["training"]] == [other.pk]


def test_a_session_that_has_started_with_people_booked_is_not_cancelled(
    booked, django_capture_on_commit_callbacks
):
    session, people = booked
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=5)
    )
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(DomainError) as exc:
        training_session_cancel(session_id=session.pk)
    assert exc.value.code == "session_started"
    assert callbacks == []
    assert TrainingBooking.objects.filter(session=session, status__in=ACTIVE).count() == 3
    assert not AuditLog.objects.filter(action="training_cancel").exists()


def test_a_session_nobody_booked_is_simply_deleted(module, django_capture_on_commit_callbacks):
    empty = TrainingSessionFactory(module=module)
    with django_capture_on_commit_callbacks(execute=True):
        assert training_session_cancel(session_id=empty.pk) == 0
    assert not TrainingSession.objects.filter(pk=empty.pk).exists()
    assert mail.outbox == []
    assert not AuditLog.objects.exists()


def test_an_organizer_of_another_fair_may_not_cancel_through_the_service(booked):
    session, _ = booked
    staff_add(event_id=EventFactory().pk, role=StaffRole.Role.ORGANIZER, username="vidin")
    with pytest.raises(PermissionDenied):
        training_session_cancel(session_id=session.pk, user=UserFactory(username="vidin"))
    assert TrainingBooking.objects.filter(session=session, status__in=ACTIVE).count() == 3


# --- The admin -----------------------------------------------------------------


def test_deleting_a_session_in_the_admin_cancels_it_and_tells_everyone_booked(
    client, booked, django_capture_on_commit_callbacks
):
    session, people = booked
    organizer = organizer_of(client, session.module.event)
    url = reverse("admin:registrations_trainingsession_delete", args=[session.pk])

    page = client.get(url).content.decode()
    assert "Deleting a training session cancels it" in page
    assert "Kovač" in page and "Petrović" in page and "Novak" in page
    assert "Waiting list" in page
    assert "Yes, cancel and delete" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert response.url == reverse("admin:registrations_trainingsession_changelist")
    listed = client.get(response.url).content.decode()
    assert "1 training session cancelled and deleted." in listed

    assert_everyone_told(session, people)
    assert_recorded(organizer, session)
    entry = LogEntry.objects.get(action_flag=DELETION)
    assert (entry.object_id, entry.user) == (str(session.pk), organizer)


def test_delete_selected_cancels_each_session(
    client, module, booked, django_capture_on_commit_callbacks
):
    session, people = booked
    quiet = TrainingSessionFactory(module=module)
    organizer_of(client, module.event)
    changelist = reverse("admin:registrations_trainingsession_changelist")
    chosen = [session.pk, quiet.pk]

    page = client.post(changelist, {"action": "delete_selected", "_selected_action": chosen})
    body = page.content.decode()
    assert page.status_code == 200 and "Kovač" in body and "Novak" in body
    assert "Deleting a training session cancels it" in body
    assert "Cancel and delete the selected sessions" in client.get(changelist).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            changelist,
            {"action": "delete_selected", "_selected_action": chosen, "post": "yes"},
            follow=True,
        )
    assert "2 training sessions cancelled and deleted." in done.content.decode()
    assert_everyone_told(session, people)
    assert not TrainingSession.objects.filter(pk=quiet.pk).exists()


def test_deleting_a_session_on_its_modules_page_cancels_it_too(
    client, module, booked, django_capture_on_commit_callbacks
):
    session, people = booked
    organizer = organizer_of(client, module.event)
    url = reverse("admin:registrations_trainingmodule_change", args=[module.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, module_form(module, session, **{"sessions-0-DELETE": "on"}))
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(response.url).content.decode()
    assert "was cancelled and deleted; the 3 people booked on it are being told by e-mail." in page
    assert_everyone_told(session, people)
    assert_recorded(organizer, session)
    assert TrainingModule.objects.filter(pk=module.pk).exists()


def test_deleting_a_module_cancels_its_sessions_first(
    client, module, booked, django_capture_on_commit_callbacks
):
    session, people = booked
    organizer = organizer_of(client, module.event)
    url = reverse("admin:registrations_trainingmodule_delete", args=[module.pk])

    page = client.get(url).content.decode()
    assert "Deleting a training module cancels each of its sessions first" in page
    assert "Kovač" in page and "Novak" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert "1 training module deleted." in client.get(response.url).content.decode()
    assert_everyone_told(session, people)
    assert_recorded(organizer, session)
    assert not TrainingModule.objects.filter(pk=module.pk).exists()


def test_a_started_session_with_people_booked_is_refused_on_every_delete(
    client, module, booked, django_capture_on_commit_callbacks
):
    session, _ = booked
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=5)
    )
    session.refresh_from_db()
    organizer_of(client, module.event)
    refusal = "A session that has started is not cancelled or deleted while people are booked"
    urls = [
        reverse("admin:registrations_trainingsession_delete", args=[session.pk]),
        reverse("admin:registrations_trainingmodule_delete", args=[module.pk]),
    ]
    with django_capture_on_commit_callbacks(execute=True):
        for url in urls:
            page = client.get(url).content.decode()
            assert refusal in page and "3 people are booked on it" in page
            assert "Yes, cancel" not in page
            assert client.post(url, {"post": "yes"}).status_code == 200
        changelist = reverse("admin:registrations_trainingsession_changelist")
        selected = {"action": "delete_selected", "_selected_action": [session.pk]}
        assert refusal in client.post(changelist, selected).content.decode()
        client.post(changelist, {**selected, "post": "yes"})
        inline = client.post(
            reverse("admin:registrations_trainingmodule_change", args=[module.pk]),
            module_form(module, session, **{"sessions-0-DELETE": "on"}),
        )
    assert inline.status_code == 200 and refusal in inline.content.decode()
    assert mail.outbox == []
    assert TrainingBooking.objects.filter(session=session, status__in=ACTIVE).count() == 3


def test_a_session_that_starts_while_its_module_page_is_saved_stays_and_says_why(
    client, module, booked, monkeypatch, django_capture_on_commit_callbacks
):
    """The form's check passed, then the session started before the save:
    the page says so and the session stays, never a server error."""
    from registrations import admin as registrations_admin

    session, _ = booked
    organizer_of(client, module.event)
    monkeypatch.setattr(registrations_admin, "_not_cancellable", lambda session_ids: [])
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=5)
    )
    session.refresh_from_db()
    url = reverse("admin:registrations_trainingmodule_change", args=[module.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, module_form(module, session, **{"sessions-0-DELETE": "on"}))
    assert response.status_code == 302
    assert "This session has started" in client.get(response.url).content.decode()
    assert mail.outbox == []
    assert TrainingBooking.objects.filter(session=session, status__in=ACTIVE).count() == 3


def test_an_organizer_of_another_fair_cannot_delete_the_session_or_its_module(
    client, module, booked, django_capture_on_commit_callbacks
):
    session, _ = booked
    organizer_of(client, EventFactory(name="Cooperation Day Vidin"), "org-vidin")
    with django_capture_on_commit_callbacks(execute=True):
        for url in (
            reverse("admin:registrations_trainingsession_delete", args=[session.pk]),
            reverse("admin:registrations_trainingmodule_delete", args=[module.pk]),
        ):
            assert "Kovač" not in client.get(url, follow=True).content.decode()
            response = client.post(url, {"post": "yes"})
            assert response.status_code == 302 and response.url == reverse("admin:index")
        client.post(
            reverse("admin:registrations_trainingsession_changelist"),
            {"action": "delete_selected", "_selected_action": [session.pk], "post": "yes"},
        )
        client.post(
            reverse("admin:registrations_trainingmodule_change", args=[module.pk]),
            module_form(module, session, **{"sessions-0-DELETE": "on"}),
        )
    assert mail.outbox == []
    assert TrainingSession.objects.filter(pk=session.pk).exists()
    assert TrainingBooking.objects.filter(session=session, status__in=ACTIVE).count() == 3
    assert not AuditLog.objects.filter(action="training_cancel").exists()


@pytest.mark.django_db
def test_the_e_mail_gives_the_session_time_in_the_fairs_own_zone(
    module, django_capture_on_commit_callbacks, settings
):
    """A fair in Belgrade, the server set to Bucharest (an hour ahead): the
    people read the hour on the fair's clocks, as on its pages."""
    settings.TIME_ZONE = "Europe/Bucharest"
    event = module.event
    event.timezone = "Europe/Belgrade"
    event.save(update_fields=["timezone"])
    session, _people = booked_session(module, django_capture_on_commit_callbacks)
    from zoneinfo import ZoneInfo

    day = (timezone.now() + dt.timedelta(days=20)).date()
    start = dt.datetime.combine(day, dt.time(10, 0), tzinfo=ZoneInfo("Europe/Belgrade"))
    TrainingSession.objects.filter(pk=session.pk).update(
        starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        training_session_cancel(session_id=session.pk)
    hours = {message.to[0]: message.body for message in mail.outbox}
    assert "10 a.m.–11 a.m." in hours["nov@example.org"]  # Emma reads English
    for romanian_or_serbian in ("kov@example.org", "pet@example.org"):
        assert "10:00–11:00" in hours[romanian_or_serbian], hours[romanian_or_serbian]
