"""Publishing dossiers to the national portal (contract §8.5, integrations.md §3.6).

Every change that writes a dossier event writes ``sync_messages`` in its transaction: one outbox
message per change, on the dossier's own stream, so the portal hears of them in order. The
deliverer sends the record as it stands then, and the progress entries of every event the portal
has not accepted yet — so a backlog of six changes to one dossier costs one record and one progress
call, and the five messages behind it find nothing left to send. A dossier is published once it has
a code (at receipt); the progress of its online submission goes with its receipt.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, OuterRef, Subquery, Value, When
from django.utils import timezone

from motcua.dossiers import workflow
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.integrations import config, registry, transport
from motcua.integrations.dvcqg import wire
from motcua.integrations.dvcqg.ports import (
    DossierSnapshot,
    NationalPortalSync,
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
# Records in one DongBoHoSoMC call. The guide sets no limit we could read; TD sends its batch whole.
RECORDS_PER_CALL = 50
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


def sync_messages(dossier: Dossier, event_id: int) -> list[OutboxMessage]:
    """The outbox row that publishes the dossier after event ``event_id`` (none before it has a code,
    or with the portal off); the change that made the event writes it in its own transaction."""
    if not dossier.code or not config.is_on(TARGET):
        return []
    return [
        OutboxMessage(
            target=TARGET,
            key=_key(dossier.pk, event_id),
            payload={"upto_event": event_id},
            dossier_id=dossier.pk,
            stream=f"dossier:{dossier.pk}:{TARGET}",
            event="sync",
        )
    ]


def publish_received(start: date, end: date, *, again: bool = False) -> int:
    """Queue the publication of every dossier received from ``start`` to ``end`` (local dates): for
    a province connecting to the portal with a history, or, with ``again``, after the portal lost
    what it had (everything is sent anew). The portal's own messages for those dossiers then carry
    only what it has not taken; how many dossiers were queued."""
    tz = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=tz)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz)
    received = Dossier.objects.filter(code__isnull=False, received_at__gte=since, received_at__lt=until)
    last = DossierEvent.objects.filter(dossier=OuterRef("pk")).order_by("-id").values("id")[:1]
    rows = list(received.annotate(last_event=Subquery(last)).values_list("pk", "last_event"))
    stamp = timezone.now().strftime("%Y%m%d%H%M%S")
    queued = 0
    for start_at in range(0, len(rows), 500):
        part = [(d, e) for d, e in rows[start_at : start_at + 500] if e is not None]
        with transaction.atomic():
            if again:
                PortalSync.objects.filter(dossier_id__in=[d for d, _e in part]).delete()
            outbox.enqueue_many(
                [
                    OutboxMessage(
                        target=TARGET,
                        key=f"dvcqg:{d}:publish:{stamp}",
                        payload={"upto_event": e},
                        dossier_id=d,
                        stream=f"dossier:{d}:{TARGET}",
                        event="sync",
                    )
                    for d, e in part
                ]
            )
        queued += len(part)
    return queued


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


def deliver_many(messages: list[OutboxMessage]) -> dict[int, Exception | None]:
    """The outbox's deliverer for the national portal: the heads of many dossiers' streams at once.

    Each dossier's record goes in a ``DongBoHoSoMC`` call with the others of its unit, and its
    progress in ``CapNhatTienDoHoSoMC`` calls of ten entries shared with them; the reads and the
    writes are a few statements for the whole batch, so a backlog costs calls, not queries per
    dossier. A refused call is sent again one dossier at a time, so only the record the portal
    refuses becomes a dead letter; a portal found down keeps back everything not yet sent."""
    portal = registry.national_portal()
    if portal is None:
        raise transport.Unavailable(TARGET, "the national portal is not configured in this worker")
    answers: dict[int, Exception | None] = {}
    heads: dict[int, OutboxMessage] = {}
    for message in messages:
        if message.dossier_id is None:
            answers[message.id] = transport.Rejected(TARGET, "a sync message names no dossier")
        else:
            heads[message.dossier_id] = message  # one head per stream: one per dossier
    batch = _Batch.load(heads)
    for dossier_id in heads.keys() - batch.events.keys():
        answers[heads[dossier_id].id] = None  # an earlier message of its stream already sent it all
    failed = batch.send(portal)
    batch.record()
    for dossier_id in batch.events:
        answers[heads[dossier_id].id] = failed.get(dossier_id)
    return answers


class _Batch:
    """The dossiers of one pass with what the portal has not accepted of them yet."""

    def __init__(
        self,
        heads: dict[int, OutboxMessage],
        syncs: dict[int, PortalSync],
        dossiers: dict[int, Dossier],
        events: dict[int, list[DossierEvent]],
    ) -> None:
        self.heads = heads
        self.syncs = syncs
        self.dossiers = dossiers
        self.events = events
        self.now = timezone.now()
        self.records_taken: list[int] = []  # dossiers whose record the portal took in this pass
        self.accepted: dict[int, int] = {}  # dossier → the last event whose progress it took

    @classmethod
    def load(cls, heads: dict[int, OutboxMessage]) -> _Batch:
        syncs = {s.dossier_id: s for s in PortalSync.objects.filter(dossier_id__in=heads)}
        after = {d: syncs[d].last_event_id if d in syncs else 0 for d in heads}
        events: dict[int, list[DossierEvent]] = {}
        pending = DossierEvent.objects.filter(dossier_id__in=heads, id__gt=min(after.values(), default=0))
        for event in pending.select_related("actor").order_by("id"):
            if event.id > after[event.dossier_id]:
                events.setdefault(event.dossier_id, []).append(event)
        dossiers = Dossier.objects.select_related(
            "procedure", "procedure_version", "receiving_agency", "resolving_agency"
        ).prefetch_related("documents", "payments", "supplement_requests__requested_by")
        return cls(heads, syncs, dossiers.in_bulk(list(events)), events)

    def _accepted_before(self, dossier_id: int) -> bool:
        sync = self.syncs.get(dossier_id)
        return sync is not None and sync.record_accepted_at is not None

    def send(self, portal: NationalPortalSync) -> dict[int, Exception]:
        """Send the records, then the progress; what kept each dossier back."""
        failed: dict[int, Exception] = {}
        groups: dict[tuple[str, bool], list[int]] = {}
        for dossier_id in self.events:
            unit = self.dossiers[dossier_id].receiving_agency.code
            groups.setdefault((unit, self._accepted_before(dossier_id)), []).append(dossier_id)
        try:
            for (unit, update), ids in groups.items():
                for start in range(0, len(ids), RECORDS_PER_CALL):
                    self._send_records(portal, unit, ids[start : start + RECORDS_PER_CALL], update, failed)
            taken = [d for d in self.events if d not in failed]
            by_unit: dict[str, list[ProgressEntry]] = {}
            owners: dict[str, list[tuple[int, int]]] = {}
            for dossier_id in taken:
                dossier = self.dossiers[dossier_id]
                unit = dossier.receiving_agency.code
                for event in self.events[dossier_id]:
                    by_unit.setdefault(unit, []).append(_entry(dossier, event, dossier.receiving_agency.name))
                    owners.setdefault(unit, []).append((dossier_id, event.id))
            for unit, entries in by_unit.items():
                for start in range(0, len(entries), wire.PROGRESS_CHUNK):
                    end = start + wire.PROGRESS_CHUNK
                    self._send_progress(portal, unit, entries[start:end], owners[unit][start:end], failed)
        except transport.Unavailable as exc:
            # Down (or broken): nothing more is tried in this pass; what was not taken waits.
            for dossier_id in self.events:
                if self.accepted.get(dossier_id) != self.events[dossier_id][-1].id:
                    failed.setdefault(dossier_id, exc)
        return failed

    def _send_records(
        self,
        portal: NationalPortalSync,
        unit: str,
        ids: list[int],
        update: bool,
        failed: dict[int, Exception],
    ) -> None:
        try:
            portal.upsert_dossiers(unit, [snapshot(self.dossiers[d]) for d in ids], update=update)
        except transport.Rejected as exc:
            if len(ids) == 1 and update:
                failed[ids[0]] = exc
                return
            for dossier_id in ids:  # find the one it refuses (or the add of one it already has)
                try:
                    portal.upsert_dossier(unit, snapshot(self.dossiers[dossier_id]), update=update)
                except transport.Rejected as exc:
                    failed[dossier_id] = exc
                    continue
                self.records_taken.append(dossier_id)
            return
        self.records_taken.extend(ids)

    def _send_progress(
        self,
        portal: NationalPortalSync,
        unit: str,
        entries: list[ProgressEntry],
        owners: list[tuple[int, int]],
        failed: dict[int, Exception],
    ) -> None:
        live = [(e, o) for e, o in zip(entries, owners, strict=True) if o[0] not in failed]
        if not live:
            return
        try:
            portal.append_progress(unit, [e for e, _o in live])
        except transport.Rejected as exc:
            if len({o[0] for _e, o in live}) == 1:
                failed[live[0][1][0]] = exc
                return
            for dossier_id in dict.fromkeys(o[0] for _e, o in live):  # each dossier's part alone
                mine = [(e, o) for e, o in live if o[0] == dossier_id]
                self._send_progress(portal, unit, [e for e, _o in mine], [o for _e, o in mine], failed)
            return
        for _entry_sent, (dossier_id, event_id) in live:
            self.accepted[dossier_id] = event_id

    def record(self) -> None:
        """Write down what the portal took: a few statements for the whole batch."""
        now = self.now
        with transaction.atomic():
            if self.records_taken:
                new = [d for d in self.records_taken if d not in self.syncs]
                PortalSync.objects.bulk_create(
                    [PortalSync(dossier_id=d, record_accepted_at=now) for d in new], ignore_conflicts=True
                )
                PortalSync.objects.filter(
                    dossier_id__in=self.records_taken, record_accepted_at__isnull=True
                ).update(record_accepted_at=now)
            if not self.accepted:
                return
            PortalSync.objects.filter(dossier_id__in=self.accepted).update(
                last_event_id=Case(*(When(dossier_id=d, then=Value(e)) for d, e in self.accepted.items())),
                synced_at=now,
            )
            # Synced: the record and its latest progress are on the portal (contract §8.5). A change
            # made since we read the events has its own message behind this one.
            done = [d for d, e in self.accepted.items() if e == self.events[d][-1].id]
            # updated_at too: the dashboard's roll-ups find changed dossiers by it.
            Dossier.objects.filter(pk__in=done, synced_to_national_portal=False).update(
                synced_to_national_portal=True, updated_at=now
            )
            # The messages queued for the events sent have nothing left to send: close them now, so
            # a backlog costs one call per dossier rather than one per change.
            covered = [
                _key(d, e.pk) for d, upto in self.accepted.items() for e in self.events[d] if e.pk <= upto
            ]
            heads = [m.pk for m in self.heads.values()]
            for start in range(0, len(covered), 500):  # SQLite's limit on a statement's parameters
                OutboxMessage.objects.filter(
                    key__in=covered[start : start + 500], state=State.PENDING, claimed_by=""
                ).exclude(pk__in=heads).update(state=State.DELIVERED, delivered_at=now, last_error="")
