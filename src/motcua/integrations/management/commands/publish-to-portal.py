"""``motcua publish-to-portal [--from DATE] [--to DATE | --days N] [--again]``: publish the dossiers received in a
period to the national portal (contract §8.5), through the outbox that ``motcua worker`` drains."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from motcua.integrations import config
from motcua.integrations.dvcqg import services


class Command(BaseCommand):
    help = (
        "Queue every dossier received in the period (default: today) for the national portal: the "
        "record and all its progress the portal has not taken yet. --again sends everything anew, "
        "for a portal that lost what it had."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", type=date.fromisoformat, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", type=date.fromisoformat, help="last day, YYYY-MM-DD")
        parser.add_argument(
            "--days", type=int, help="the last N days, today included (instead of --from/--to)"
        )
        parser.add_argument("--again", action="store_true", help="send what the portal took before too")

    def handle(self, *args: Any, **options: Any) -> None:
        if not config.is_on(services.TARGET):
            raise CommandError("Chưa kết nối Cổng DVCQG (MOTCUA_DVCQG_URL): không có gì để đồng bộ.")
        start = options["start"] or timezone.localdate()
        end = options["end"] or start
        if options["days"]:
            end = timezone.localdate()
            start = end - timedelta(days=options["days"] - 1)
        if end < start:
            raise CommandError("--to trước --from")
        queued = services.publish_received(start, end, again=options["again"])
        self.stdout.write(
            f"{queued} hồ sơ tiếp nhận từ {start:%d/%m/%Y} đến {end:%d/%m/%Y} đã vào hàng đợi đồng bộ "
            "Cổng DVCQG; motcua worker sẽ gửi đi."
        )
