"""Publishing dossiers to the national portal (contract §8.5, integrations.md §3.6).

Every change that writes a dossier event calls ``dossier_changed`` in its transaction: one outbox
message per change, on the dossier's own stream, so the portal hears of them in order. The
deliverer sends the record as it stands then, and the progress entries of every event the portal
has not accepted yet — so a backlog of six changes to one dossier costs one record and one progress
call, and the five messages behind it find nothing left to send. A dossier is published once it has
a code (at receipt); the progress of its online submission goes with its receipt.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from motcua.dossiers import workflow
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.integrations import config, registry, transport
from motcua.integrations.dvcqg.ports import (
    DossierSnapshot,
    ProgressEntry,
    SyncedDocument,
    SyncedFee,
    SyncedResult,
    SyncedSupplement,
)
from motcua.integrations.models import PortalSync
from motcua.outbox import services as outbox
from motcua.outbox.models import OutboxMessage, State

TARGET = "dvcqg"
# What each step did, as the portal's processing history shows it (NoiDungXuLy, in Vietnamese).
ACTION_VI = {
    "create": "Nộp hồ sơ",
    "receive": "Tiếp nhận hồ sơ",
    "refuse": "Từ chối tiếp nhận",
    "forward": "Chuyển xử lý",
    "request_supplement": "Yêu cầu bổ sung hồ sơ",
    "supplement": "Bổ sung hồ sơ",
    "request_payment": "Yêu cầu thực hiện nghĩa vụ tài chính",
    "pay": "Hoàn thành nghĩa vụ tài chính",
    "extend": "Gia hạn thời gian giải quyết, xin lỗi",
    "resolve": "Có kết quả giải quyết",
    "return_result": "Trả kết quả",
    "withdraw": "Công dân rút hồ sơ",
    "stop": "Dừng xử lý",
}


def dossier_changed(dossier: Dossier, event_id: int) -> None:
    """Queue the dossier's publication after event ``event_id`` (inside the change's transaction)."""
    if not dossier.code or not config.is_on(TARGET):
        return
    outbox.enqueue(
        TARGET,
        _key(dossier.pk, event_id),
        {"upto_event": event_id},
        dossier_id=dossier.pk,
        stream=f"dossier:{dossier.pk}:{TARGET}",
        event="sync",
    )


def _key(dossier_id: int, event_id: int) -> str:
    return f"dvcqg:{dossier_id}:{event_id}"


def _file_url(file_id: object) -> str:
    return f"{settings.MOTCUA_PUBLIC_URL.rstrip('/')}/api/v1/files/{file_id}"


def snapshot(dossier: Dossier) -> DossierSnapshot:
    """The record the portal is sent for the dossier as it stands."""
    version = dossier.procedure_version
    refused = dossier.closed_at if dossier.status == workflow.Status.REFUSED else None
    assert dossier.code is not None  # noqa: S101 — only dossiers with a code are queued
    return DossierSnapshot(
        code=dossier.code,
        unit_code=dossier.receiving_agency.code,
        procedure_code=dossier.procedure.code,
        procedure_name=version.name,
        field_name=version.field,
        channel=dossier.channel,
        applicant_name=dossier.applicant_name,
        applicant_id_number=dossier.applicant_id_number,
        applicant_kind=dossier.applicant_kind,
        applicant_phone=dossier.applicant_phone,
        applicant_email=dossier.applicant_email,
        summary=version.name,
        submitted_at=dossier.submitted_at,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        status_code=workflow.SYNC_CODE[workflow.Status(dossier.status)],
        resolved_at=dossier.resolved_at,
        returned_at=dossier.returned_at,
        refused_at=refused,
        return_method=dossier.return_method,
        resolving_agency_name=dossier.resolving_agency.name,
        vneid_verified=dossier.vneid_verified,
        population_data_used=dossier.population_data_used,
        payment_channel=dossier.payment_channel,
        documents=tuple(
            SyncedDocument(
                id=str(d.pk),
                name=d.name,
                code=d.code,
                url=_file_url(d.file_id) if d.file_id else "",
                digitized=d.digitized,
                reused=d.reused,
                from_warehouse=d.from_warehouse,
            )
            for d in dossier.documents.all()
        ),
        fees=tuple(SyncedFee(name="Phí, lệ phí", amount_vnd=p.amount_vnd) for p in dossier.payments.all()),
        supplements=tuple(
            SyncedSupplement(
                id=str(s.pk),
                requested_by=str(s.requested_by or ""),
                reason=s.reason,
                requested_at=s.requested_at,
                completed_at=s.completed_at,
            )
            for s in dossier.supplement_requests.all()
        ),
        results=(
            (
                SyncedResult(
                    name="Kết quả giải quyết", code=dossier.code, url=_file_url(dossier.result_file_id)
                ),
            )
            if dossier.result_file_id
            else ()
        ),
    )


def _entry(dossier: Dossier, event: DossierEvent, unit: str) -> ProgressEntry:
    status = workflow.Status(event.to_status)
    return ProgressEntry(
        dossier_code=dossier.code or "",
        officer=str(event.actor) if event.actor is not None else "Hệ thống",
        title=ACTION_VI.get(event.action, workflow.LABEL_VI[status]),
        at=event.at,
        unit=unit,
        note=event.note[:500],
        status_code=workflow.SYNC_CODE[status],
        due_at=dossier.due_at,
    )


def deliver(message: OutboxMessage) -> None:
    """The outbox's deliverer for the national portal."""
    portal = registry.national_portal()
    if portal is None:
        raise transport.Unavailable(TARGET, "the national portal is not configured in this worker")
    if message.dossier_id is None:
        raise transport.Rejected(TARGET, "a sync message names no dossier")
    sync = PortalSync.objects.filter(dossier_id=message.dossier_id).first()
    after = sync.last_event_id if sync is not None else 0
    if not DossierEvent.objects.filter(dossier_id=message.dossier_id, id__gt=after).exists():
        return  # an earlier message of this stream already sent it all
    if sync is None:
        sync = PortalSync.objects.create(dossier_id=message.dossier_id)
    dossier = (
        Dossier.objects.select_related(
            "procedure", "procedure_version", "receiving_agency", "resolving_agency"
        )
        .prefetch_related("documents", "payments", "supplement_requests__requested_by")
        .get(pk=message.dossier_id)
    )
    events = list(
        DossierEvent.objects.filter(dossier=dossier, id__gt=after).select_related("actor").order_by("id")
    )
    unit = dossier.receiving_agency.code
    record = snapshot(dossier)
    portal.upsert_dossier(unit, record, update=sync.record_accepted_at is not None)
    now = timezone.now()
    if sync.record_accepted_at is None:
        PortalSync.objects.filter(pk=sync.pk).update(record_accepted_at=now)
    portal.append_progress(unit, [_entry(dossier, e, dossier.receiving_agency.name) for e in events])
    with transaction.atomic():
        PortalSync.objects.filter(pk=sync.pk).update(last_event_id=events[-1].pk, synced_at=now)
        # Synced: the record and its latest progress are on the portal (contract §8.5). A change made
        # since we read the events has its own message behind this one.
        if not dossier.synced_to_national_portal:
            # updated_at too: the dashboard's roll-ups find changed dossiers by it.
            Dossier.objects.filter(pk=dossier.pk).update(synced_to_national_portal=True, updated_at=now)
        # The messages queued for the events just sent have nothing left to send: close them now, so
        # a backlog costs one call per dossier rather than one per change.
        covered = [_key(dossier.pk, e.pk) for e in events]
        OutboxMessage.objects.filter(key__in=covered, state=State.PENDING, claimed_by="").exclude(
            pk=message.pk
        ).update(state=State.DELIVERED, delivered_at=now, last_error="")
