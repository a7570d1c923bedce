import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from registrations.models import TrainingSession
from registrations.services.training import certificates_issue_bulk


class Command(BaseCommand):
    help = (
        "Issue and e-mail the certificates of everyone checked in to sessions that ended "
        "in the last two days (idempotent: safe to run from cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--session", type=int, help="only this training session (id)")

    def handle(self, *args, session=None, **options):
        now = timezone.now()
        sessions = TrainingSession.objects.all()
        if session is not None:
            sessions = sessions.filter(pk=session)
        else:
            sessions = sessions.filter(ends_at__lte=now, ends_at__gt=now - dt.timedelta(days=2))
        issued = sum(
            certificates_issue_bulk(session_id=pk) for pk in sessions.values_list("pk", flat=True)
        )
        self.stdout.write(f"Certificates issued: {issued}")
