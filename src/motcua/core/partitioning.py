"""PostgreSQL's declarative partitioning of the tables that grow (docs/deployment.md, "Partitioning by
province and year"): by LIST of ``province``, each province's partition by RANGE of a timestamp (or
date) that never changes, one partition a year, with a DEFAULT partition at both levels.

Django does not create partitioned tables, so ``convert`` rebuilds a table in place, in the caller's
transaction (DDL is transactional in PostgreSQL): a partitioned copy is created, the rows copied, the
old table dropped and the copy renamed, its indexes, constraints and foreign keys recreated. Two
things cannot survive (docs/decisions.md): a unique constraint must include the partition key, so the
primary key becomes ``(id, province, <time>)`` and each unique constraint gets the missing key columns
appended; and a foreign key must point at a unique key, so the foreign keys that point at a
partitioned table are dropped (Django emulates ``on_delete`` in Python: deleting a dossier through
the ORM still deletes its events, documents, payments...). ``ensure`` adds the partitions of every
known province for this year and next, moving any rows the DEFAULT partitions held for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone


@dataclass(frozen=True)
class Spec:
    table: str
    time_column: str  # never changes after the row is written; a year's partition holds its rows
    is_date: bool = False


# In dependency order: the event table's foreign key to the dossiers is dropped with the dossiers'.
TABLES = (
    Spec("dossiers_dossier", "submitted_at"),
    Spec("dossiers_dossierevent", "at"),
    Spec("monitoring_dossiercount", "day", is_date=True),
)
PROVINCES_SQL = "SELECT DISTINCT province FROM agencies_agency WHERE province <> ''"


@dataclass(frozen=True)
class Leaf:
    name: str
    bounds: str
    rows: int


@dataclass(frozen=True)
class TableState:
    table: str
    partitioned: bool
    leaves: tuple[Leaf, ...]
    rows: int
    foreign_keys_in: tuple[str, ...]  # the constraints that point at it, "table.constraint"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _rows(sql: str, params: list[str | int] | None = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return list(cursor.fetchall())


def _run(*statements: str) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def is_partitioned(table: str) -> bool:
    return bool(_rows("SELECT 1 FROM pg_class WHERE relname = %s AND relkind = 'p'", [table]))


def _year_bounds(spec: Spec, year: int) -> tuple[str, str]:
    """The year in the province's local time (settings.TIME_ZONE), as PostgreSQL literals."""
    if spec.is_date:
        return f"'{date(year, 1, 1).isoformat()}'", f"'{date(year + 1, 1, 1).isoformat()}'"
    tz = ZoneInfo(settings.TIME_ZONE)
    return (
        f"'{datetime(year, 1, 1, tzinfo=tz).isoformat()}'",
        f"'{datetime(year + 1, 1, 1, tzinfo=tz).isoformat()}'",
    )


def _year_expr(spec: Spec) -> str:
    column = _q(spec.time_column)
    if spec.is_date:
        return f"EXTRACT(YEAR FROM {column})::int"
    return f"EXTRACT(YEAR FROM {column} AT TIME ZONE '{settings.TIME_ZONE}')::int"


def _columns(table: str) -> list[str]:
    return [
        str(r[0])
        for r in _rows(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
            "AND NOT attisdropped ORDER BY attnum",
            [table],
        )
    ]


def foreign_keys_in(table: str) -> list[tuple[str, str]]:
    """(referencing table, constraint) of every foreign key that points at ``table``."""
    return [
        (str(r[0]), str(r[1]))
        for r in _rows(
            "SELECT conrelid::regclass::text, conname FROM pg_constraint "
            "WHERE contype = 'f' AND confrelid = %s::regclass ORDER BY 1, 2",
            [table],
        )
    ]


def _with_key(definition: str, key: list[str]) -> str:
    """A unique index's or constraint's definition with the partition key columns it lacks appended
    to its column list (the first parenthesis, matched)."""
    start = definition.index("(")
    depth = 0
    for i in range(start, len(definition)):
        depth += {"(": 1, ")": -1}.get(definition[i], 0)
        if depth == 0:
            listed = {c.strip().strip('"') for c in definition[start + 1 : i].split(",")}
            missing = [c for c in key if c not in listed]
            return f"{definition[:i]}{''.join(f', {c}' for c in missing)}{definition[i:]}"
    raise ValueError(definition)  # pragma: no cover — PostgreSQL's own text is balanced


def _leaf(table: str, province: str, year: int | None) -> str:
    return f"{table}_p{province}_{year if year is not None else 'default'}"


def _create_province(spec: Spec, parent: str, province: str, years: set[int]) -> None:
    part = f"{spec.table}_p{province}"
    _run(
        f"CREATE TABLE {_q(part)} PARTITION OF {_q(parent)} FOR VALUES IN ('{province}') "
        f"PARTITION BY RANGE ({_q(spec.time_column)})",
        f"CREATE TABLE {_q(_leaf(spec.table, province, None))} PARTITION OF {_q(part)} DEFAULT",
    )
    for year in sorted(years):
        _create_year(spec, province, year)


def _create_year(spec: Spec, province: str, year: int) -> None:
    low, high = _year_bounds(spec, year)
    _run(
        f"CREATE TABLE {_q(_leaf(spec.table, province, year))} PARTITION OF {_q(f'{spec.table}_p{province}')} "
        f"FOR VALUES FROM ({low}) TO ({high})"
    )


def _wanted_years(spec: Spec, source: str, province: str) -> set[int]:
    this_year = timezone.localtime().year
    found = _rows(
        f"SELECT DISTINCT {_year_expr(spec)} FROM {_q(source)} WHERE province = %s",  # noqa: S608 — our tables
        [province],
    )
    return {int(r[0]) for r in found if r[0] is not None} | {this_year, this_year + 1}


def _provinces(source: str) -> set[str]:
    """The provinces that get a partition: those with agencies or rows. Codes are digits; anything
    else (which no code path writes) stays in the DEFAULT partition rather than reach the DDL."""
    found = _rows(f"SELECT DISTINCT province FROM {_q(source)} WHERE province <> ''")  # noqa: S608
    known = _rows(PROVINCES_SQL)
    return {str(r[0]) for r in found + known if str(r[0]).isascii() and str(r[0]).isalnum()}


def convert(spec: Spec) -> list[str] | None:
    """Rebuild ``spec.table`` as a partitioned table; the foreign keys that pointed at it and are gone
    ("table.constraint"), or None if it was partitioned already."""
    table = spec.table
    if is_partitioned(table):
        return None
    new = f"{table}__partitioned"
    # Deferred foreign-key checks of rows written earlier in this transaction would forbid the DDL.
    _run("SET CONSTRAINTS ALL IMMEDIATE", f"LOCK TABLE {_q(table)} IN ACCESS EXCLUSIVE MODE")
    dropped = foreign_keys_in(table)
    for referencing, name in dropped:
        _run(f"ALTER TABLE {referencing} DROP CONSTRAINT {_q(name)}")
    columns = _columns(table)
    key = ["province", spec.time_column]
    # What the old table had, to be recreated on the new one by name once the old one is gone.
    constraints = _rows(
        "SELECT conname, contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('p', 'u', 'f') ORDER BY conname",
        [table],
    )
    indexes = _rows(
        "SELECT i.indexrelid::regclass::text, i.indisunique, pg_get_indexdef(i.indexrelid) FROM pg_index i "
        "WHERE i.indrelid = %s::regclass AND NOT EXISTS "
        "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) ORDER BY 1",
        [table],
    )
    sequence = _rows("SELECT pg_get_serial_sequence(%s, 'id')", [table])[0][0]
    next_id = _rows(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {_q(table)}")[0][0]  # noqa: S608
    if sequence:
        last, called = _rows(f"SELECT last_value, is_called FROM {sequence}")[0]  # noqa: S608
        next_id = max(int(next_id), int(last) + (1 if called else 0))
    _run(
        f"CREATE TABLE {_q(new)} (LIKE {_q(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS "
        f"INCLUDING STORAGE INCLUDING COMMENTS) PARTITION BY LIST (province)",
        f"CREATE TABLE {_q(table + '_default')} PARTITION OF {_q(new)} DEFAULT",
    )
    for province in sorted(_provinces(table)):
        _create_province(spec, new, province, _wanted_years(spec, table, province))
    names = ", ".join(_q(c) for c in columns)
    _run(
        f"INSERT INTO {_q(new)} ({names}) SELECT {names} FROM {_q(table)}",  # noqa: S608
        f"DROP TABLE {_q(table)}",
        f"ALTER TABLE {_q(new)} RENAME TO {_q(table)}",
        f"CREATE SEQUENCE {_q(table + '_id_seq')} START WITH {int(next_id)} OWNED BY {_q(table)}.id",
        f"ALTER TABLE {_q(table)} ALTER COLUMN id SET DEFAULT nextval('{table}_id_seq')",
    )
    for name, kind, definition in constraints:
        text: str = definition
        if kind == "p":
            text = f"PRIMARY KEY (id, {', '.join(key)})"
        elif kind == "u":
            text = _with_key(text, key)
        _run(f"ALTER TABLE {_q(table)} ADD CONSTRAINT {_q(name)} {text}")
    for _name, unique, definition in indexes:
        _run(_with_key(definition, key) if unique else definition)
    _run(f"ANALYZE {_q(table)}", "SET CONSTRAINTS ALL DEFERRED")
    return [f"{t}.{c}" for t, c in dropped]


def _move_out_of_default(table: str, default: str, where: str) -> str:
    """Take the rows a new partition will hold out of the DEFAULT partition that holds them now
    (PostgreSQL refuses to create the partition otherwise); they go back in through the parent."""
    _run(
        "DROP TABLE IF EXISTS partition_moving",
        f"CREATE TEMPORARY TABLE partition_moving ON COMMIT DROP AS SELECT * FROM {_q(default)} WHERE {where}",  # noqa: S608
        f"DELETE FROM {_q(default)} WHERE {where}",  # noqa: S608
    )
    return f"INSERT INTO {_q(table)} SELECT * FROM partition_moving"  # noqa: S608


def ensure(spec: Spec, *, years: set[int] | None = None) -> list[str]:
    """Add what is missing to a partitioned table: a partition for each known province, and for each
    province one for this year and next (and ``years``); returns the partitions created."""
    table = spec.table
    existing = {
        str(r[0]) for r in _rows("SELECT relname FROM pg_class WHERE relname LIKE %s", [f"{table}_p%"])
    }
    created = []
    wanted_years = {timezone.localtime().year, timezone.localtime().year + 1} | (years or set())
    for province in sorted(_provinces(table)):
        part = f"{table}_p{province}"
        if part not in existing:
            again = _move_out_of_default(table, f"{table}_default", f"province = '{province}'")
            _create_province(spec, table, province, wanted_years)
            _run(again)
            created.append(part)
            continue
        for year in sorted(wanted_years):
            leaf = _leaf(table, province, year)
            if leaf in existing:
                continue
            again = _move_out_of_default(
                table, _leaf(table, province, None), f"{_year_expr(spec)} = {int(year)}"
            )
            _create_year(spec, province, year)
            _run(again)
            created.append(leaf)
    return created


def state(spec: Spec) -> TableState:
    """What ``--check`` prints: the leaf partitions, their bounds and exact row counts."""
    table = spec.table
    leaves: list[Leaf] = []
    if is_partitioned(table):
        found = _rows(
            "SELECT c.oid::regclass::text, pg_get_expr(c.relpartbound, c.oid) FROM pg_partition_tree(%s) t "
            "JOIN pg_class c ON c.oid = t.relid WHERE t.isleaf ORDER BY 1",
            [table],
        )
        for name, bounds in found:
            count = _rows(f"SELECT count(*) FROM {_q(name)}")[0][0]  # noqa: S608
            leaves.append(Leaf(name, bounds, int(count)))
    total = int(_rows(f"SELECT count(*) FROM {_q(table)}")[0][0])  # noqa: S608
    return TableState(
        table,
        is_partitioned(table),
        tuple(leaves),
        total,
        tuple(f"{t}.{c}" for t, c in foreign_keys_in(table)),
    )


def add_ahead() -> list[str]:
    """The worker's daily job: on the tables already partitioned, add the partitions missing (a new
    province's, next year's). It never converts a table: that takes a lock, so it is an operator's
    decision (``motcua partition-tables``)."""
    if connection.vendor != "postgresql":
        return []
    created: list[str] = []
    with transaction.atomic():
        for spec in TABLES:
            if is_partitioned(spec.table):
                created += ensure(spec)
    return created
