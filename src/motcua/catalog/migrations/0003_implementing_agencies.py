from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone


def fill_implementing_agencies(apps, schema_editor):
    """Every version is settled by its own agency. A commune-level version whose agency is a commune
    was, until now, resolved by whichever commune received the dossier: it gets every commune of its
    province in force, so that nothing a commune could settle yesterday is refused tomorrow."""
    ProcedureVersion = apps.get_model("catalog", "ProcedureVersion")
    Agency = apps.get_model("agencies", "Agency")
    today = timezone.localdate()
    in_force = (Q(valid_from__isnull=True) | Q(valid_from__lte=today)) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=today)
    )
    communes_of: dict[str, list[int]] = {}
    for version in ProcedureVersion.objects.select_related("agency"):
        ids = [version.agency_id]
        if version.level == "commune" and version.agency.kind == "commune":
            province = version.agency.path.strip("/").split("/")[0]
            if province not in communes_of:
                communes_of[province] = list(
                    Agency.objects.filter(in_force, kind="commune", path__startswith=f"/{province}/")
                    .values_list("id", flat=True)
                )
            ids += communes_of[province]
        version.implementing_agencies.set(set(ids))


class Migration(migrations.Migration):

    dependencies = [
        ('agencies', '0001_initial'),
        ('catalog', '0002_verbose_names'),
    ]

    operations = [
        migrations.AddField(
            model_name='procedureversion',
            name='implementing_agencies',
            field=models.ManyToManyField(help_text='Every agency that settles the procedure; the resolving agency is always one of them.', related_name='implemented_procedures', to='agencies.agency', verbose_name='implementing agencies'),
        ),
        migrations.RunPython(fill_implementing_agencies, migrations.RunPython.noop),
    ]
