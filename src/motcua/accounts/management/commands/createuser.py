from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.accounts import services
from motcua.accounts.roles import Role
from motcua.core.errors import ServiceError


class Command(BaseCommand):
    help = "Create a MotCua user (contract §1)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", required=True)
        parser.add_argument("--password", required=True)
        parser.add_argument("--role", required=True, choices=[r.value for r in Role])
        parser.add_argument("--agency", help="the agency's code, required for staff roles")
        parser.add_argument("--full-name", default="")
        parser.add_argument("--id-number", help="a citizen's 12-digit personal ID")
        parser.add_argument("--email", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = services.create_user(
                username=options["username"],
                password=options["password"],
                role=options["role"],
                agency_code=options["agency"],
                full_name=options["full_name"],
                id_number=options["id_number"],
                email=options["email"],
            )
        except ServiceError as exc:
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.fields.items())
            raise CommandError(f"{exc.message}{' — ' + details if details else ''}") from exc
        self.stdout.write(f"Created {user.role} {user.username}")
