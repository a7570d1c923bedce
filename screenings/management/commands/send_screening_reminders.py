from django.core.management.base import BaseCommand

from screenings.services.appointments import appointment_reminders_send


class Command(BaseCommand):
    help = "E-mail a reminder to everyone whose screening appointment starts soon (once each)."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="look ahead (default 24)")

    def handle(self, *args, hours, **options):
        count = appointment_reminders_send(within_hours=hours)
        self.stdout.write(f"{count} reminder(s) queued")
