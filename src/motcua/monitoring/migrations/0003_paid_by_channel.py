"""Dossiers paid through each payment channel (national platform, provincial gateway, VietQR transfer,
counter) are counted beside ``paid_online``. The new columns start at 0 for dossiers already counted:
forget the watermark so that the next roll-up run (the worker's, or ``motcua rollup``) recounts
everything, as 0002 does."""

from django.db import migrations, models


def recount_next_run(apps, schema_editor):
    apps.get_model("monitoring", "FillState").objects.update(watermark=None)


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0002_recount_closed_outcomes"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossiercount",
            name="paid_counter",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dossiercount",
            name="paid_local_gateway",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dossiercount",
            name="paid_national_portal",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dossiercount",
            name="paid_vietqr",
            field=models.IntegerField(default=0),
        ),
        migrations.AddField(
            model_name="dossierfact",
            name="paid_counter",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="dossierfact",
            name="paid_local_gateway",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="dossierfact",
            name="paid_national_portal",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="dossierfact",
            name="paid_vietqr",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="factstage",
            name="paid_counter",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="factstage",
            name="paid_local_gateway",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="factstage",
            name="paid_national_portal",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="factstage",
            name="paid_vietqr",
            field=models.BooleanField(default=False),
        ),
        migrations.RunPython(recount_next_run, migrations.RunPython.noop),
    ]
