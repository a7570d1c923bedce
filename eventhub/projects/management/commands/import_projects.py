"""``manage.py import_projects EVENT FILE``: the programme's projects from
a CSV or JSON file (format: docs/projects.md). A bad row stops the import
with its row and field named; nothing is written then."""

from django.core.management.base import BaseCommand, CommandError

from eventhub.core.models import Event
from eventhub.projects.exceptions import ProjectImportInvalid
from eventhub.projects.importing import read_project_file
from eventhub.projects.services import projects_import


class Command(BaseCommand):
    help = "Import projects (and their partners and stands) into an event from CSV or JSON."

    def add_arguments(self, parser):
        parser.add_argument("event", help="the event's slug")
        parser.add_argument("file", help="a .csv or .json file (docs/projects.md)")

    def handle(self, *args, **options):
        event = Event.objects.filter(slug=options["event"]).first()
        if event is None:
            raise CommandError(f"No event with the slug {options['event']!r}.")
        try:
            rows = read_project_file(options["file"])
            created, updated = projects_import(event_id=event.pk, rows=rows)
        except ProjectImportInvalid as exc:
            raise CommandError(f"{exc} Nothing was imported.") from exc
        self.stdout.write(
            f"Imported {created + updated} projects ({created} new, {updated} updated)."
        )
