"""The roll-ups carry the province of the dossiers they count (a bucket is per province too), the
partition key on PostgreSQL. The old counts cannot be split by province: forget the watermark so that
the next roll-up run (the worker's, or ``motcua rollup``) recounts everything."""

from django.db import migrations, models


def recount_next_run(apps, schema_editor):
    apps.get_model("monitoring", "FillState").objects.update(watermark=None)


class Migration(migrations.Migration):
    dependencies = [
        ("monitoring", "0003_paid_by_channel"),
        ("dossiers", "0006_province"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="dossiercount", name="dossier_count_bucket"),
        migrations.AddField(
            model_name="dossiercount", name="province", field=models.CharField(blank=True, max_length=2)
        ),
        migrations.AddField(
            model_name="dossierfact", name="province", field=models.CharField(blank=True, max_length=2)
        ),
        migrations.AddField(
            model_name="factstage", name="province", field=models.CharField(blank=True, max_length=2)
        ),
        migrations.AddConstraint(
            model_name="dossiercount",
            constraint=models.UniqueConstraint(
                fields=("span", "day", "agency_id", "procedure_id", "province"), name="dossier_count_bucket"
            ),
        ),
        migrations.RunPython(recount_next_run, migrations.RunPython.noop),
    ]
