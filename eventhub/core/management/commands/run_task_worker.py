import datetime as dt

from django.core.management.base import BaseCommand

from eventhub.core.worker import task_worker_run


class Command(BaseCommand):
    help = (
        "Run the background-task worker (e-mails, PDFs); it outlives database "
        "outages and re-queues tasks a dead worker left running."
    )

    def add_arguments(self, parser):
        parser.add_argument("--interval", type=float, default=0.5, help="seconds between rounds")
        parser.add_argument(
            "--lease", type=int, default=300, help="seconds after which a RUNNING task is re-run"
        )
        parser.add_argument("--rounds", type=int, default=None, help="stop after N rounds")

    def handle(self, *args, interval, lease, rounds, **options):
        task_worker_run(interval=interval, lease=dt.timedelta(seconds=lease), rounds=rounds)
