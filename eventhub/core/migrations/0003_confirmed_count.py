"""The fair's capacity becomes a counter on the Event row (docs/capacity.md)."""

from django.db import migrations, models
from django.db.models import Count, Q


def fill_confirmed_count(apps, schema_editor):
    """Count each event's confirmed attendees into the new counter.

    An event that already holds more confirmed people than its capacity (an
    edit made around the old services) gets its capacity raised to that
    number, so the new check constraint holds and nobody loses a place.
    """
    Event = apps.get_model("eventhub", "Event")
    events = Event.objects.annotate(
        confirmed=Count("attendees", filter=Q(attendees__status="confirmed"))
    )
    for event in events:
        event.confirmed_count = event.confirmed
        event.capacity = max(event.capacity, event.confirmed)
        event.save(update_fields=["confirmed_count", "capacity"])


class Migration(migrations.Migration):
    dependencies = [
        ("eventhub", "0002_personal_data"),
        # The counter is filled from the attendees (a data dependency only).
        ("registrations", "0004_personal_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="confirmed_count",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="confirmed"),
        ),
        migrations.RunPython(fill_confirmed_count, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(("confirmed_count__lte", models.F("capacity"))),
                name="event_not_overbooked",
            ),
        ),
    ]
