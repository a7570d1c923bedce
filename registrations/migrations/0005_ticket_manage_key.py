"""A separate manage key per ticket: the code admits, the key opens the holder's pages."""

from django.db import migrations, models

import registrations.ticket_codes


def fill_manage_keys(apps, schema_editor):
    Ticket = apps.get_model("registrations", "Ticket")
    for ticket in Ticket.objects.filter(manage_key__isnull=True).only("pk").iterator():
        Ticket.objects.filter(pk=ticket.pk).update(
            manage_key=registrations.ticket_codes.new_manage_key()
        )


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0004_personal_data"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="manage_key",
            field=models.CharField(editable=False, max_length=64, null=True, verbose_name="manage key"),
        ),
        migrations.RunPython(fill_manage_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="ticket",
            name="manage_key",
            field=models.CharField(
                default=registrations.ticket_codes.new_manage_key,
                editable=False,
                max_length=64,
                unique=True,
                verbose_name="manage key",
            ),
        ),
    ]
