"""The time of the admission an undo undid, as data (``ScanLog.admitted_at``).

Undos logged before it kept that time only in their note, written by
``check_in_undo`` as ``"<YYYY-mm-dd HH:MM:SS> <gate>[ — <reason>]"`` in the
default time zone: it is read back from there.
"""

import datetime as dt

from django.db import migrations, models
from django.utils import timezone

NOTE_TIME = "%Y-%m-%d %H:%M:%S"


def admitted_at_from_notes(apps, schema_editor):
    ScanLog = apps.get_model("registrations", "ScanLog")
    zone = timezone.get_default_timezone()
    undos = ScanLog.objects.filter(result="undone", admitted_at__isnull=True)
    for row in undos.only("pk", "note").iterator():
        try:
            local = dt.datetime.strptime(row.note[:19], NOTE_TIME)
        except ValueError:
            continue  # not written by check_in_undo: left blank
        admitted_at = timezone.make_aware(local, zone)
        ScanLog.objects.filter(pk=row.pk).update(admitted_at=admitted_at)


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0009_offline_scans"),
    ]

    operations = [
        migrations.AddField(
            model_name="scanlog",
            name="admitted_at",
            field=models.DateTimeField(
                blank=True, null=True, verbose_name="admission undone, made at"
            ),
        ),
        migrations.RunPython(admitted_at_from_notes, migrations.RunPython.noop),
    ]
