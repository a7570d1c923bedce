from django.core.management.base import BaseCommand

from eventhub.demo import fair as demo


class Command(BaseCommand):
    help = "Load the demo fair (idempotent): Interreg Cooperation Day, Timișoara."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset", action="store_true", help="delete the demo fair and build it anew"
        )

    def handle(self, *args, reset, **options):
        event = demo.load(reset=reset)
        for line in demo.summary(event):
            self.stdout.write(line)
