"""A code on each ticket, which the resident uses to read the officer's answer."""

from django.db import migrations, models

import loa.assistant.models


def codes_give(apps, schema_editor):
    Ticket = apps.get_model("assistant", "Ticket")
    for ticket in Ticket.objects.all().only("pk"):
        ticket.code = loa.assistant.models.ticket_code()
        ticket.save(update_fields=["code"])


class Migration(migrations.Migration):
    dependencies = [("assistant", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="code",
            field=models.CharField(
                db_index=True,
                default=loa.assistant.models.ticket_code,
                editable=False,
                max_length=9,
                verbose_name="mã tra cứu",
            ),
        ),
        migrations.RunPython(codes_give, migrations.RunPython.noop),
    ]
