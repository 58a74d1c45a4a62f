"""Staff search ignores diacritics: each dossier keeps its applicant's name folded (core.text.fold)."""

from django.db import migrations, models

from motcua.core.text import fold


def fold_names(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    batch = []
    for pk, name in Dossier.objects.values_list("pk", "applicant_name").iterator(chunk_size=5000):
        batch.append(Dossier(pk=pk, applicant_search=fold(name)))
        if len(batch) >= 5000:
            Dossier.objects.bulk_update(batch, ["applicant_search"])
            batch.clear()
    Dossier.objects.bulk_update(batch, ["applicant_search"])


class Migration(migrations.Migration):
    dependencies = [("dossiers", "0002_current_step_reference")]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="applicant_search",
            field=models.CharField(blank=True, editable=False, max_length=200),
        ),
        migrations.RunPython(fold_names, migrations.RunPython.noop),
    ]
