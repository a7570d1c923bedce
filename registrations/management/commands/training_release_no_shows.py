from django.core.management.base import BaseCommand

from registrations.services.training import training_no_shows_release


class Command(BaseCommand):
    help = (
        "Free the seats of people not checked in by their session's no-show release time "
        "(idempotent: safe to run from cron every minute)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--session", type=int, help="only this training session (id)")

    def handle(self, *args, session=None, **options):
        freed = training_no_shows_release(session_id=session)
        self.stdout.write(f"Seats freed: {freed}")
