"""What each petition action of contract §9 takes, as one typed input each. Plain Python."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from motcua.petitions.lifecycle import Action


@dataclass(frozen=True)
class SubmitterIn:
    full_name: str
    kind: str = "individual"
    phone: str = ""
    email: str = ""
    id_number: str = ""
    address: str = ""


@dataclass(frozen=True)
class Command:
    """An action with its arguments: ``agency_code`` for forward, ``reason`` for refuse, forward and
    request_supplement, ``answer`` (and ``file_id``) for answer, ``note`` for anything."""

    action: Action
    agency_code: str = ""
    reason: str = ""
    answer: str = ""
    file_id: str | None = None
    note: str = ""


# The fields each action cannot do without (the API answers 400 naming them).
REQUIRED: dict[Action, tuple[str, ...]] = {
    Action.FORWARD: ("agency_code",),  # the reason is asked for by the back-office form, optional here
    Action.REFUSE: ("reason",),
    Action.REQUEST_SUPPLEMENT: ("reason",),
    Action.ANSWER: ("answer",),
}


def build(data: Mapping[str, Any]) -> Command:
    action = Action(data["action"])
    return Command(
        action=action,
        agency_code=str(data.get("agency_code") or "").strip(),
        reason=str(data.get("reason") or "").strip(),
        answer=str(data.get("answer") or "").strip(),
        file_id=str(data["file_id"]) if data.get("file_id") else None,
        note=str(data.get("note") or "").strip(),
    )


def missing(command: Command) -> list[str]:
    return [name for name in REQUIRED.get(command.action, ()) if not getattr(command, name)]
