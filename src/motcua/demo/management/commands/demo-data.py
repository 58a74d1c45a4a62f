"""``motcua demo-data``: loads the demo province (Đắk Lắk after the 2025 merger).

Idempotent: agencies, procedures and users that already exist are left as they are, so
``make demo`` can be run again on the same database.
"""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.accounts.services import create_user
from motcua.agencies.models import Agency, AgencyKind, CollectingAccount
from motcua.agencies.services import create_agency, load_administrative_units
from motcua.catalog import exchange, services
from motcua.catalog.models import Procedure
from motcua.demo import generator, par, petitions, sipas
from motcua.demo.users import DEMO_PASSWORD, DEMO_USERS
from motcua.dossiers.models import Dossier
from motcua.integrations.models import ProcedureMapping
from motcua.monitoring import rollup
from motcua.petitions.models import Petition

DATA = Path(__file__).resolve().parents[2] / "data"
MERGED = date(2025, 7, 1)  # the two-level local government: the communes and wards as they are now
# (national procedure code, national agency code or "" for any, local procedure, the agency settling it)
CHANNEL_MAP = (
    ("1.001193", "100", "1.001193", "H15.100"),  # birth registration from DVC liên thông (model C)
    ("1.000656", "100", "1.000656", "H15.100"),  # death registration, the same bundle
    ("1.000956", "", "1.000956", "H15.STC"),  # a business dossier pushed by the national portal (B)
    ("3.000333", "", "3.000333", "H15.39"),  # the criminal-record certificate from VNeID (model D)
)


class Command(BaseCommand):
    help = "Load the demo province: agencies, procedures, users and a year of generated dossiers."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--dossiers",
            type=int,
            default=30000,
            help="how many dossiers of this year's history to generate on a fresh database (0: none)",
        )

        parser.add_argument(
            "--petitions",
            type=int,
            default=300,
            help="how many petitions (PAKN) of this year's history to generate on a fresh database (0: none)",
        )

        parser.add_argument(
            "--survey-forms",
            type=int,
            default=2000,
            help="the sample size of this year's SIPAS survey of the departments and communes (0: none)",
        )
        parser.add_argument(
            "--no-par",
            dest="par",
            action="store_false",
            help="no PAR INDEX assessment of the departments for this year",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        provinces, communes = load_administrative_units()
        self.stdout.write(f"Administrative units: {provinces} provinces, {communes} communes")
        with transaction.atomic():
            created = self.load_agencies()
            if created:
                self.flag_certified_copies()
            self.collecting_account()
            self.stdout.write(f"Agencies: {created} created, {Agency.objects.count()} in all")
            report = self.load_procedures()
            self.stdout.write(
                f"Procedures: {report.created} created, {report.updated} updated, {report.unchanged} unchanged"
            )
            mapped = self.procedure_map()
            self.stdout.write(f"National procedure map: {mapped} rows created")
            users = self.load_users()
            self.stdout.write(f"Users: {users} created (password for all: {DEMO_PASSWORD})")
        if options["dossiers"] > 0 and not Dossier.objects.exists():  # history only on a fresh database
            made = generator.generate(count=options["dossiers"], year=timezone.localdate().year, seed=1)
            self.stdout.write(f"Dossiers: {made.dossiers} generated in {made.seconds:.1f} s")
        if options["petitions"] > 0 and not Petition.objects.exists():
            made_petitions = petitions.generate(
                count=options["petitions"], year=timezone.localdate().year, seed=1
            )
            self.stdout.write(
                f"Petitions: {made_petitions.petitions} generated ({made_petitions.published} published)"
                f" in {made_petitions.seconds:.1f} s"
            )
        if options["survey_forms"] > 0 and not sipas.exists(timezone.localdate().year):
            survey = sipas.generate(
                year=timezone.localdate().year, sample_size=options["survey_forms"], seed=1
            )
            if survey is None:
                self.stdout.write("SIPAS: no questionnaire covers this year; no survey generated")
            else:
                self.stdout.write(
                    f"SIPAS: survey {survey.survey} with {survey.responses} forms in {survey.seconds:.1f} s"
                )
        rollup.update()
        if options["par"] and not par.exists(timezone.localdate().year):
            made_par = par.generate(year=timezone.localdate().year, seed=1)
            self.stdout.write(
                f"PAR INDEX: assessment {made_par.assessment} of {made_par.units} departments"
                f" in {made_par.seconds:.1f} s (appraiser: {par.APPRAISER[0]})"
            )
        self.stdout.write(self.style.SUCCESS(f"Demo province ready in {time.monotonic() - started:.1f} s"))

    def load_agencies(self) -> int:
        created = 0
        for item in json.loads((DATA / "agencies.json").read_text(encoding="utf-8")):
            if Agency.objects.filter(code=item["code"]).exists():
                continue
            create_agency(
                code=item["code"],
                name=item["name"],
                kind=item["kind"],
                parent_code=item.get("parent_code"),
                legacy_code=item.get("legacy_code") or "",
                admin_unit_code=item.get("admin_unit_code"),
            )
            created += 1
        return created

    def flag_certified_copies(self) -> None:
        """Two communes in three offer electronic certified copies (the 766 index counts them); an
        administrator sets the flag in the admin."""
        communes = list(
            Agency.objects.filter(kind=AgencyKind.COMMUNE).order_by("path").values_list("pk", flat=True)
        )
        Agency.objects.filter(pk__in=[pk for i, pk in enumerate(communes) if i % 3]).update(
            offers_e_certified_copy=True
        )

    def collecting_account(self) -> None:
        """The province's treasury account collects the fees of every agency under it (fictitious)."""
        province = Agency.objects.filter(kind=AgencyKind.PROVINCE).order_by("path").first()
        if province is None or CollectingAccount.objects.filter(agency=province).exists():
            return
        CollectingAccount.objects.create(
            agency=province,
            bank_bin="970415",  # VietinBank
            bank_name="VietinBank",
            account_number="113000006100",
            account_name=province.name,
            tax_code="6000000000",
        )

    def load_procedures(self) -> services.ImportReport:
        items = json.loads((DATA / "procedures.json").read_text(encoding="utf-8"))
        specs, errors = exchange.validate(items)
        if errors:
            lines = [
                f"  {items[i].get('code')}: {field}: {' '.join(msgs)}"
                for i, e in errors.items()
                for field, msgs in e.items()
            ]
            raise CommandError("demo procedures do not validate:\n" + "\n".join(lines))
        return services.import_catalog(specs=specs)

    def procedure_map(self) -> int:
        """Which national procedure means which local procedure and agency for the dossiers of the
        national channels (the stand-in's samples among them); effective from the 2025 mergers."""
        created = 0
        for national, agency_code, local, to in CHANNEL_MAP:
            if ProcedureMapping.objects.filter(
                national_procedure_code=national, national_agency_code=agency_code
            ).exists():
                continue
            ProcedureMapping.objects.create(
                national_procedure_code=national,
                national_agency_code=agency_code,
                procedure=Procedure.objects.get(code=local),
                agency=Agency.objects.get(code=to),
                valid_from=MERGED,
            )
            created += 1
        return created

    def load_users(self) -> int:
        created = 0
        for username, role, agency, full_name, id_number in DEMO_USERS:
            if User.objects.filter(username=username).exists():
                continue
            create_user(
                username=username,
                password=DEMO_PASSWORD,
                role=role,
                agency_code=agency,
                full_name=full_name,
                id_number=id_number,
            )
            created += 1
        return created
