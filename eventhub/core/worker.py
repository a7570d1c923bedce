"""The background-task worker that keeps running (e-mails, PDFs).

django-tasks-db's worker stops at the first database error that is not a
lock, and a task it had claimed stays RUNNING for ever when its process
dies. ``task_worker_run`` runs that worker in rounds ("batch" mode: every
task that is ready, then back here), and between rounds

- puts back to READY the tasks left RUNNING by a worker that is gone: this
  worker's own after a database error, and anyone's after ``lease``
  (a ticket e-mail takes about a second; the lease is minutes);
- when the database connection is lost, closes it and tries again after a
  pause that doubles up to 30 s, so the worker outlives a database restart.

A task re-run after a crash may repeat what it did before the crash (the
window is the moment between the SMTP server's answer and the database
write that marks the task done); nothing queued is ever dropped.
"""

import datetime as dt
import logging
import time

from django.db import InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

DEFAULT_LEASE = dt.timedelta(minutes=5)
MAX_PAUSE = 30.0


def tasks_recover_stale(*, lease: dt.timedelta = DEFAULT_LEASE, worker_id: str = "") -> int:
    """Put back to READY the tasks a dead worker left RUNNING. Return how many.

    A task counts as abandoned when it has run for longer than ``lease``, or
    when ``worker_id`` (this worker, after a crash) was the last to claim it.
    """
    cutoff = timezone.now() - lease
    abandoned = [
        task.pk
        for task in DBTaskResult.objects.running().only("pk", "started_at", "worker_ids")
        if (task.started_at and task.started_at < cutoff)
        or (worker_id and task.worker_ids and task.worker_ids[-1] == worker_id)
    ]
    if abandoned:
        DBTaskResult.objects.filter(pk__in=abandoned, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )
        logger.warning("%d abandoned task(s) put back in the queue", len(abandoned))
    return len(abandoned)


def task_worker_run(
    *,
    interval: float = 0.5,
    lease: dt.timedelta = DEFAULT_LEASE,
    rounds: int | None = None,
) -> None:
    """Run tasks until stopped (SIGTERM or Ctrl-C), or for ``rounds`` rounds."""
    worker_id = get_random_string(32)
    worker = Worker(
        queue_names=["*"],
        interval=interval,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    )
    worker.configure_signals()
    pause = 1.0
    done = 0
    while (rounds is None or done < rounds) and worker.running:
        done += 1
        try:
            close_old_connections()
            tasks_recover_stale(lease=lease, worker_id=worker_id)
            worker.run()
            pause = 1.0
        except (OperationalError, InterfaceError) as exc:
            logger.warning("database unavailable (%s): trying again in %.0f s", exc, pause)
            connections.close_all()
            time.sleep(pause)
            pause = min(pause * 2, MAX_PAUSE)
            continue
        time.sleep(interval)
