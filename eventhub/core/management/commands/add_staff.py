from django.core.management.base import BaseCommand, CommandError

from eventhub.core.models import Event, StaffRole
from eventhub.core.services import staff_add


class Command(BaseCommand):
    help = "Give USERNAME a ROLE at EVENT (the user is created if new). Prints the API token last."

    def add_arguments(self, parser):
        parser.add_argument("event", help="event slug")
        parser.add_argument("role", choices=StaffRole.Role.values)
        parser.add_argument("username")
        parser.add_argument("--email", default="")

    def handle(self, *args, event, role, username, email, **options):
        event_obj = Event.objects.filter(slug=event).first()
        if event_obj is None:
            raise CommandError(f"no event with slug {event!r}")
        token = staff_add(event_id=event_obj.pk, role=role, username=username, email=email)
        self.stdout.write(f"{username} is {role} at {event_obj.slug}; API token:")
        self.stdout.write(token.key)
