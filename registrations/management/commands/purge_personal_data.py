"""Anonymise the people of events past their retention period (run from cron)."""

from django.core.management.base import BaseCommand

from registrations.services.attendees import attendees_purge_expired


class Command(BaseCommand):
    help = (
        "Anonymise every attendee of events whose personal-data retention period "
        "(Event.personal_data_retention_days after the event ended) is over. "
        "Idempotent: people already anonymised are skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be done, change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        results = attendees_purge_expired(dry_run=dry_run)
        verb = "would anonymise" if dry_run else "anonymised"
        for result in results:
            self.stdout.write(f"{result.event.slug}: {verb} {result.people} people")
        total = sum(result.people for result in results)
        self.stdout.write(f"{verb} {total} people in {len(results)} events")
