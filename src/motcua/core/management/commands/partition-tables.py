"""``motcua partition-tables [--check] [--year YYYY ...]``: on PostgreSQL, partition the dossier,
event and roll-up tables by province and year (core.partitioning), in one transaction; run again, it
only adds the partitions missing (new provinces, this year and next: run it every December, or let
the DEFAULT partitions take the rows until someone does). ``--check`` prints the state, changes
nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from motcua.core import partitioning


class Command(BaseCommand):
    help = "Partition the dossier, event and roll-up tables by province and year (PostgreSQL only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="print the partitions and their rows only")
        parser.add_argument(
            "--year", type=int, action="append", default=[], help="also create this year's partitions"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError("Partitioning is PostgreSQL's; this database is " + connection.vendor)
        if not options["check"]:
            with transaction.atomic():
                for spec in partitioning.TABLES:
                    dropped = partitioning.convert(spec)
                    if dropped is not None:
                        self.stdout.write(f"{spec.table}: partitioned")
                        for name in dropped:
                            self.stdout.write(f"  dropped the foreign key {name}")
                    for name in partitioning.ensure(spec, years=set(options["year"])):
                        self.stdout.write(f"{spec.table}: added {name}")
        for spec in partitioning.TABLES:
            state = partitioning.state(spec)
            if not state.partitioned:
                self.stdout.write(f"{state.table}: not partitioned, {state.rows} rows")
                continue
            self.stdout.write(
                f"{state.table}: partitioned, {len(state.leaves)} partitions, {state.rows} rows"
            )
            for leaf in state.leaves:
                self.stdout.write(f"  {leaf.name}  {leaf.bounds}  {leaf.rows} rows")
            if state.foreign_keys_in:
                self.stdout.write(f"  still referenced by: {', '.join(state.foreign_keys_in)}")
