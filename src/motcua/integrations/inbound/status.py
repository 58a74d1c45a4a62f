"""A dossier that came from a national channel tells that channel of every step (integrations.md §5:
``SendStatus``, ``DongBoTrangThaiHoSo``, the LLTP status receiver), through the outbox.

``status_messages`` is written by every dossier action in its transaction; it gives a message only
for dossiers with an ``ExternalDossier`` row, keyed ``inbound:{source}:{dossier}:{event}`` on the
dossier's own stream, so the channel hears of the steps once each and in order. The message holds
the status as it was then: a later change does not rewrite an earlier report.
"""

from __future__ import annotations

from datetime import datetime

from motcua.dossiers import workflow
from motcua.dossiers.models import Channel, Dossier, DossierEvent
from motcua.integrations import registry, transport
from motcua.integrations.dvcqg.services import ACTION_VI
from motcua.integrations.inbound.ports import LIENTHONG, StatusReport
from motcua.integrations.models import ExternalDossier
from motcua.outbox.models import OutboxMessage

TARGET = "inbound"


def status_messages(dossier: Dossier, event: DossierEvent) -> list[OutboxMessage]:
    """The outbox row that tells the channel the dossier came from of the step ``event`` (none for a
    dossier filed here); the change writes it in its own transaction."""
    if dossier.channel != Channel.ONLINE:
        return []
    try:  # the accessor: read with the dossier where it was locked (_begin), not under the counter's lock
        external = dossier.external  # the reverse of ExternalDossier.dossier
    except ExternalDossier.DoesNotExist:
        return []
    status = workflow.Status(event.to_status)
    title = ACTION_VI.get(str(event.action), workflow.LABEL_VI[status])
    return [
        OutboxMessage(
            target=TARGET,
            key=f"inbound:{external.source}:{dossier.pk}:{event.pk}",
            payload={
                "source": external.source,
                "external_code": external.external_code,
                "procedure_code": external.national_procedure_code,
                "local_code": dossier.code or "",
                "status_code": workflow.SYNC_CODE[status],
                "at": event.at.isoformat(),
                "note": title + (f": {event.note[:500]}" if event.note else ""),
                "officer": str(event.actor) if event.actor is not None else "Hệ thống",
                "unit": dossier.current_agency.name,
                "unit_code": (
                    external.national_agency_code
                    if external.source == LIENTHONG
                    else dossier.receiving_agency.code
                ),
                "due_at": dossier.due_at.isoformat() if dossier.due_at else "",
            },
            dossier_id=dossier.pk,
            stream=f"dossier:{dossier.pk}:{TARGET}",
            event=str(event.action),
        )
    ]


def report(payload: dict[str, object]) -> StatusReport:
    due = str(payload.get("due_at") or "")
    return StatusReport(
        source=str(payload["source"]),
        external_code=str(payload["external_code"]),
        procedure_code=str(payload["procedure_code"]),
        local_code=str(payload["local_code"]),
        status_code=int(str(payload["status_code"])),
        at=datetime.fromisoformat(str(payload["at"])),
        note=str(payload["note"]),
        officer=str(payload["officer"]),
        unit=str(payload["unit"]),
        unit_code=str(payload["unit_code"]),
        due_at=datetime.fromisoformat(due) if due else None,
    )


def deliver(message: OutboxMessage) -> None:
    """The outbox's deliverer for statuses back to the national channels."""
    channel = registry.national_channel()
    if channel is None:
        raise transport.Unavailable(TARGET, "the national channels are not configured in this worker")
    channel.send_status(report(message.payload))
