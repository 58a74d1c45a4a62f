"""The province of each dossier and event (the receiving agency's), the partition key on PostgreSQL
(``motcua partition-tables``); filled here for the rows there are, by one statement each."""

from django.db import migrations, models

DOSSIERS = (
    "UPDATE dossiers_dossier SET province = (SELECT a.province FROM agencies_agency a "
    "WHERE a.id = dossiers_dossier.receiving_agency_id)"
)
EVENTS = (
    "UPDATE dossiers_dossierevent SET province = (SELECT d.province FROM dossiers_dossier d "
    "WHERE d.id = dossiers_dossierevent.dossier_id)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0005_result_signing"),
        ("agencies", "0004_agency_province"),
    ]

    operations = [
        migrations.AddField(
            model_name="dossier",
            name="province",
            field=models.CharField(blank=True, editable=False, max_length=2),
        ),
        migrations.AddField(
            model_name="dossierevent",
            name="province",
            field=models.CharField(blank=True, editable=False, max_length=2),
        ),
        migrations.RunSQL(DOSSIERS, migrations.RunSQL.noop),
        migrations.RunSQL(EVENTS, migrations.RunSQL.noop),
    ]
