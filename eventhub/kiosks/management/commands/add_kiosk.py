from django.core.management.base import BaseCommand, CommandError

from eventhub.core.links import absolute_url
from eventhub.core.models import Event, Kiosk
from eventhub.core.services import kiosk_create


class Command(BaseCommand):
    help = "Pair a kiosk with EVENT. Prints the kiosk URL (with its token) last."

    def add_arguments(self, parser):
        parser.add_argument("event", help="event slug")
        parser.add_argument("kind", choices=Kiosk.Kind.values)
        parser.add_argument("name")
        parser.add_argument("--service", default="", help="screening service code, e.g. T")

    def handle(self, *args, event, kind, name, service, **options):
        event_obj = Event.objects.filter(slug=event).first()
        if event_obj is None:
            raise CommandError(f"no event with slug {event!r}")
        if kind == Kiosk.Kind.BOARD and not service:
            raise CommandError("a queue board needs --service CODE")
        if service:
            from screenings.models import Service

            if not Service.objects.filter(event=event_obj, code=service.upper()).exists():
                codes = ", ".join(event_obj.screening_services.values_list("code", flat=True))
                raise CommandError(
                    f"no screening service {service!r} at {event_obj.slug}"
                    f" (codes: {codes or 'none'})"
                )
        kiosk = kiosk_create(event=event_obj, kind=kind, name=name, service_code=service)
        self.stdout.write(f"kiosk {kiosk.name!r} ({kiosk.kind}) paired with {event_obj.slug}:")
        self.stdout.write(absolute_url(kiosk.get_absolute_url()))
