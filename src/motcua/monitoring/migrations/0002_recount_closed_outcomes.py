"""The report's refused, withdrawn and stopped columns now count only dossiers that were received, so
that every row balances (contract §7). The counts change meaning: forget the watermark so that the
next roll-up run (the worker's, or ``motcua rollup``) recounts everything."""

from django.db import migrations


def recount_next_run(apps, schema_editor):
    apps.get_model("monitoring", "FillState").objects.update(watermark=None)


class Migration(migrations.Migration):
    dependencies = [("monitoring", "0001_initial")]

    operations = [migrations.RunPython(recount_next_run, migrations.RunPython.noop)]
