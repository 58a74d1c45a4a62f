"""``Dossier.current_step`` becomes a reference to the procedure's step instead of a display string
written in the acting officer's language. A dossier whose string names one of its version's steps
keeps that step; every other string (a placement such as "Result ready", or an agency's name) is
dropped, since the status says as much."""

import django.db.models.deletion
from django.db import migrations, models


def link_steps(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    ProcessStep = apps.get_model("catalog", "ProcessStep")
    steps = {(s.version_id, s.name): s.pk for s in ProcessStep.objects.all()}
    pending = []
    for pk, version_id, name in Dossier.objects.exclude(current_step_text="").values_list(
        "pk", "procedure_version_id", "current_step_text"
    ).iterator():
        step_id = steps.get((version_id, name))
        if step_id is not None:
            pending.append(Dossier(pk=pk, current_step_id=step_id))
        if len(pending) >= 2000:
            Dossier.objects.bulk_update(pending, ["current_step"])
            pending.clear()
    Dossier.objects.bulk_update(pending, ["current_step"])


def unlink_steps(apps, schema_editor):
    Dossier = apps.get_model("dossiers", "Dossier")
    for dossier in Dossier.objects.filter(current_step__isnull=False).select_related("current_step"):
        dossier.current_step_text = dossier.current_step.name
        dossier.save(update_fields=["current_step_text"])


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("dossiers", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("dossier", "current_step", "current_step_text"),
        migrations.AddField(
            model_name="dossier",
            name="current_step",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="catalog.processstep",
                verbose_name="current step",
            ),
        ),
        migrations.RunPython(link_steps, unlink_steps),
        migrations.RemoveField("dossier", "current_step_text"),
    ]
