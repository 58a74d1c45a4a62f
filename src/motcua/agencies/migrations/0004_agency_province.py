"""Each agency's province (its administrative unit's, else its parent's), which dossiers copy."""

from django.db import migrations, models


def fill(apps, schema_editor):
    Agency = apps.get_model("agencies", "Agency")
    found: dict[int, str] = {}
    for agency in Agency.objects.select_related("admin_unit__parent").order_by("path"):  # parents first
        unit = agency.admin_unit
        if unit is not None:
            top = unit.parent if unit.level == "commune" and unit.parent_id else unit
            province = top.code[:2]
        else:
            province = found.get(agency.parent_id, "")
        found[agency.pk] = province
        if province:
            Agency.objects.filter(pk=agency.pk).update(province=province)


class Migration(migrations.Migration):
    dependencies = [("agencies", "0003_collecting_account")]

    operations = [
        migrations.AddField(
            model_name="agency",
            name="province",
            field=models.CharField(blank=True, editable=False, max_length=2),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
