"""The province column on every creation path, and PostgreSQL's partitioning by province and year
(core.partitioning, ``motcua partition-tables``).

The PostgreSQL tests partition the test database inside the test's own transaction: DDL is
transactional there, so the rollback at the end of each test gives the other tests their plain
tables back (``test_the_conversion_does_not_outlive_its_test`` checks it)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from motcua.agencies.models import AdministrativeUnit, Agency
from motcua.agencies.services import create_agency
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import commands, selectors, services
from motcua.dossiers.models import Dossier, DossierDocument, DossierEvent
from motcua.dossiers.tests.conftest import CITIZEN_ID, World, counter_dossier
from motcua.monitoring import rollup
from motcua.monitoring.models import DossierCount, DossierFact

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="partitioning is PostgreSQL's")
TABLES = ("dossiers_dossier", "dossiers_dossierevent", "monitoring_dossiercount")


def two_provinces(world: World) -> None:
    """Đắk Lắk (66) at the provincial centre; the commune of Buôn Ma Thuột set in Khánh Hòa (56)
    for the test, so that its desk receives in another province."""
    Agency.objects.filter(path__startswith="/H15/").update(province="66")
    Agency.objects.filter(path__startswith="/H15/H15.100/").update(province="56")
    for user in (world.receiver, world.commune_receiver):
        user.agency.refresh_from_db()


def commune_dossier(world: World, name: str = "Y Bih Niê") -> Dossier:
    dossier, _new = services.create_dossier(
        actor=world.commune_receiver,
        procedure_code="1.001193",
        channel="counter",
        applicant=commands.Applicant(kind="individual", full_name=name, id_number=CITIZEN_ID),
        documents=[commands.DocumentIn(code="TK", name="Tờ khai đăng ký khai sinh")],
    )
    return dossier


# --- the column, on SQLite and PostgreSQL ------------------------------------------------------------


def test_an_agency_takes_its_province_from_its_unit_or_parent(db: Any) -> None:
    province = AdministrativeUnit.objects.create(
        code="66", name="Đắk Lắk", unit_type="Tỉnh", level="province"
    )
    AdministrativeUnit.objects.create(
        code="24133", name="Buôn Ma Thuột", unit_type="Phường", level="commune", parent=province
    )
    assert create_agency(code="H15", name="UBND tỉnh", kind="province", admin_unit_code="66").province == "66"
    commune = create_agency(
        code="H15.100", name="UBND phường", kind="commune", parent_code="H15", admin_unit_code="24133"
    )
    assert commune.province == "66"
    centre = create_agency(code="H15.100.TTPV", name="TTPV phường", kind="centre", parent_code="H15.100")
    assert centre.province == "66"
    assert create_agency(code="G01", name="Bộ", kind="ministry").province == ""


def test_every_dossier_and_event_carries_its_receiving_agencys_province(world: World) -> None:
    two_provinces(world)
    at_province, at_commune = counter_dossier(world), commune_dossier(world)
    services.act(
        actor=world.receiver,
        dossier_id=at_province.pk,
        command=commands.Forward(agency_code="H15.STC"),
    )
    assert (at_province.province, at_commune.province) == ("66", "56")
    events = DossierEvent.objects.filter(dossier__in=[at_province, at_commune])
    assert {(e.dossier_id, e.province) for e in events} == {(at_province.pk, "66"), (at_commune.pk, "56")}
    assert events.filter(dossier=at_province).count() == 3  # create, receive, forward
    # moving on to an agency elsewhere never moves the dossier out of its province
    at_province.refresh_from_db()
    assert at_province.current_agency.code == "H15.STC" and at_province.province == "66"
    rollup.rebuild()
    assert set(DossierFact.objects.values_list("province", flat=True)) == {"66", "56"}
    assert set(DossierCount.objects.values_list("province", flat=True)) == {"66", "56"}


def test_a_dossier_from_a_national_channel_and_an_imported_one_carry_it_too(
    world: World, tmp_path: Path
) -> None:
    from motcua.dossiers.tests.test_import import row, run, write

    two_provinces(world)
    version = ProcedureVersion.objects.get(procedure__code="1.000956", status="current")
    pushed = services.submit_from_channel(
        version=version,
        resolving=Agency.objects.get(code="H15.STC"),
        applicant=commands.Applicant(kind="individual", full_name="Y Moan", id_number=CITIZEN_ID),
    )
    assert pushed.province == "66" and pushed.events.get().province == "66"
    run(write(tmp_path, row(1)))
    imported = Dossier.objects.get(code="H15.TTPV-250310-0001")
    assert imported.province == "66" and {e.province for e in imported.events.all()} == {"66"}


def test_an_agencys_province_once_given_stays(world: World) -> None:
    from motcua.agencies.services import refresh_paths

    two_provinces(world)
    centre = Agency.objects.get(code="H15.100.TTPV")
    unit = AdministrativeUnit.objects.create(
        code="01", name="Hà Nội", unit_type="Thành phố", level="province"
    )
    centre.admin_unit = unit
    centre.save()
    refresh_paths(centre)
    assert Agency.objects.get(code="H15.100.TTPV").province == "56"


# --- partitioning, on PostgreSQL ------------------------------------------------------------------------


def partition(*args: str) -> str:
    out = StringIO()
    call_command("partition-tables", *args, stdout=out)
    return out.getvalue()


def where(table: str) -> dict[int, str]:
    """Each row's partition, by id."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, tableoid::regclass::text FROM {table}")  # noqa: S608 — ours
        return dict(cursor.fetchall())


def counts() -> list[tuple[Any, ...]]:
    fields = [f.attname for f in DossierCount._meta.concrete_fields if f.attname != "id"]
    return sorted(DossierCount.objects.values_list(*fields))


def plan(sql: str, params: list[Any]) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


@postgres_only
def test_the_command_refuses_nothing_and_check_changes_nothing(world: World) -> None:
    before = partition("--check")
    assert all(f"{t}: not partitioned" in before for t in TABLES)
    assert partition("--check") == before


@postgres_only
def test_partitioned_by_province_and_year_through_a_real_lifecycle(world: World, tmp_path: Path) -> None:
    from motcua.dossiers.tests.test_import import row, run, write

    two_provinces(world)
    this_year = timezone.localtime().year
    old, new, commune = (
        counter_dossier(world),
        counter_dossier(world, name="Lê Thị Hoa"),
        commune_dossier(world),
    )
    # received last year: the import of history writes such rows (submitted_at never changes after)
    Dossier.objects.filter(pk=old.pk).update(submitted_at=old.submitted_at - timedelta(days=366))
    rollup.rebuild()
    unpartitioned = counts()
    found = selectors.lookup(code=commune.code, id_number=CITIZEN_ID)
    listed = [d.pk for d in selectors.dossier_list(world.receiver)]

    out = partition()
    assert all(f"{t}: partitioned" in out for t in TABLES), out
    check = partition("--check")
    assert partition("--check") == check and partition() == check  # idempotent
    assert "still referenced" not in check

    # each row in its province's partition, and its year's
    dossiers = where("dossiers_dossier")
    assert dossiers[old.pk] == f"dossiers_dossier_p66_{this_year - 1}"
    assert dossiers[new.pk] == f"dossiers_dossier_p66_{this_year}"
    assert dossiers[commune.pk] == f"dossiers_dossier_p56_{this_year}"
    events = where("dossiers_dossierevent")
    for event in DossierEvent.objects.all():
        assert events[event.pk] == f"dossiers_dossierevent_p{event.province}_{this_year}"
    assert set(where("monitoring_dossiercount").values()) >= {
        f"monitoring_dossiercount_p66_{this_year}",
        f"monitoring_dossiercount_p56_{this_year}",
    }
    # the same answers as before
    assert counts() == unpartitioned
    assert selectors.lookup(code=commune.code, id_number=CITIZEN_ID) == found
    assert [d.pk for d in selectors.dossier_list(world.receiver)] == listed
    rollup.rebuild()
    assert counts() == unpartitioned

    # the lifecycle goes on: a new dossier takes the next id, actions update, the roll-ups follow
    later = counter_dossier(world, name="Trần Văn Bình")
    assert later.pk > max(old.pk, new.pk, commune.pk)
    assert where("dossiers_dossier")[later.pk] == f"dossiers_dossier_p66_{this_year}"
    services.act(actor=world.receiver, dossier_id=new.pk, command=commands.Forward(agency_code="H15.STC"))
    new.refresh_from_db()
    assert (
        new.status == "processing"
        and where("dossiers_dossier")[new.pk] == f"dossiers_dossier_p66_{this_year}"
    )
    rollup.update()
    updated = counts()
    rollup.rebuild()
    assert counts() == updated

    # the bulk paths (COPY, ids taken from the sequence up front) write into the partitions too
    run(write(tmp_path, row(7)))
    imported = Dossier.objects.get(code="H15.TTPV-250310-0007")
    assert where("dossiers_dossier")[imported.pk].startswith("dossiers_dossier_p66_")
    assert imported.pk > later.pk

    # a delete through the ORM still cascades (Django's on_delete, the foreign keys being gone)
    Dossier.objects.filter(pk=later.pk).delete()
    assert not DossierEvent.objects.filter(dossier_id=later.pk).exists()
    assert not DossierDocument.objects.filter(dossier_id=later.pk).exists()

    # the look-up by code reads its province's partitions only
    sql = selectors._LOOKUP_SQL_BY_VENDOR["postgresql"]
    shown = plan(sql, [commune.code, CITIZEN_ID, "H15.100.TTPV"])
    assert "on dossiers_dossier_p56_" in shown, shown
    scanned = [line for line in shown.splitlines() if "dossiers_dossier_p66_" in line]
    assert scanned and all("never executed" in line for line in scanned), shown


@postgres_only
def test_partitions_are_added_ahead_and_take_their_rows_from_the_default(world: World) -> None:
    two_provinces(world)
    this_year = timezone.localtime().year
    partition()
    # a province nobody had yet: its dossiers wait in the DEFAULT partition
    Agency.objects.filter(path__startswith="/H15/H15.100/").update(province="48")
    world.commune_receiver.agency.refresh_from_db()
    waiting = commune_dossier(world)
    assert where("dossiers_dossier")[waiting.pk] == "dossiers_dossier_default"
    out = partition("--year", str(this_year + 2))
    assert "added dossiers_dossier_p48" in out
    assert f"added dossiers_dossier_p66_{this_year + 2}" in out
    assert where("dossiers_dossier")[waiting.pk] == f"dossiers_dossier_p48_{this_year}"
    assert "added" not in partition("--year", str(this_year + 2))
    # the worker's daily job does the same for a province that has agencies now
    Agency.objects.filter(path__startswith="/H15/H15.100/").update(province="40")
    from motcua.core.tasks import add_partitions_ahead

    assert add_partitions_ahead.call() == 3  # the province (this year and next inside) in each table
    assert "dossiers_dossier_p40_default" in partition("--check")


@postgres_only
def test_the_conversion_does_not_outlive_its_test(db: Any) -> None:
    """Run after the tests above in this module: the rollback gave the plain tables back."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'p'")
        assert [r for r in cursor.fetchall() if r[0] in TABLES] == []
