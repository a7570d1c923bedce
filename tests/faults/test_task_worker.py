"""The task worker outlives a lost database connection and re-runs what a
dead worker left RUNNING: every queued ticket e-mail goes out (issue 12)."""

import datetime as dt
import os
import subprocess
import sys
import time

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from eventhub.core.worker import task_worker_run
from registrations.tasks import send_ticket_email
from tests.factories import AttendeeFactory
from tests.servers import ROOT, live_database_env

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_a_task_left_running_by_a_dead_worker_is_sent_by_the_next_one():
    attendee = AttendeeFactory(email="ana@example.org")
    send_ticket_email.enqueue(attendee.pk, "registered")
    DBTaskResult.objects.update(  # claimed ten minutes ago by a worker that died
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - dt.timedelta(minutes=10),
        worker_ids=["gone"],
    )
    mail.outbox.clear()
    task_worker_run(interval=0, rounds=1)
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    assert [m.to for m in mail.outbox] == [["ana@example.org"]]


@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_a_task_another_worker_is_running_now_is_left_alone():
    attendee = AttendeeFactory(email="ana@example.org")
    send_ticket_email.enqueue(attendee.pk, "registered")
    DBTaskResult.objects.update(
        status=TaskResultStatus.RUNNING, started_at=timezone.now(), worker_ids=["busy"]
    )
    mail.outbox.clear()
    task_worker_run(interval=0, rounds=1)
    assert DBTaskResult.objects.get().status == TaskResultStatus.RUNNING
    assert mail.outbox == []


def wait_all_done(expected: int, seconds: float = 45) -> int:
    deadline = time.monotonic() + seconds
    done = 0
    while time.monotonic() < deadline:
        done = DBTaskResult.objects.filter(status=TaskResultStatus.SUCCESSFUL).count()
        if done >= expected:
            return done
        time.sleep(0.2)
    return done


WORKER_APP = "eventhub-fault-worker"


def terminate_worker_connections() -> None:
    """Cut the worker's database connections (and only the worker's: this test
    run's own connections, in other threads, must survive)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND application_name = %s",
            [WORKER_APP],
        )


def sent_messages(folder) -> int:
    return sum(path.read_text().count("\nSubject: ") for path in folder.iterdir())


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DB_TASKS)
def test_the_worker_sends_every_e_mail_through_terminated_database_connections(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("terminating a server's connections needs PostgreSQL")
    outbox = tmp_path / "mail"
    outbox.mkdir()
    env = {**os.environ, **live_database_env(), "TASKS_IMMEDIATE": "0"}
    env["DATABASE_URL"] += f"?application_name={WORKER_APP}"
    env["EMAIL_FILE_PATH"] = str(outbox)
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "run_task_worker", "--interval", "0.2", "-v", "0"],
        cwd=ROOT,
        env=env,
    )
    try:
        people = [AttendeeFactory(email=f"p{n}@example.org") for n in range(10)]
        for person in people[:5]:
            send_ticket_email.enqueue(person.pk, "registered")
        assert wait_all_done(5) == 5
        for person in people[5:]:  # the database drops every connection, five times
            send_ticket_email.enqueue(person.pk, "registered")
            for _ in range(3):
                terminate_worker_connections()
                time.sleep(0.1)
        assert wait_all_done(10) == 10
        assert worker.poll() is None  # still running
        assert sent_messages(outbox) == 10
    finally:
        worker.terminate()
        worker.wait(timeout=10)
