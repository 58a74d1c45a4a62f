"""The national portal's dossier sync in our own words (integrations.md §3, §10.2 item 3): what a
dossier looks like to the portal, one progress entry, and the adapter's interface. Plain Python."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class SyncedDocument:
    id: str
    name: str
    code: str
    url: str
    digitized: bool
    reused: bool
    from_warehouse: bool


@dataclass(frozen=True)
class SyncedFee:
    name: str
    amount_vnd: int


@dataclass(frozen=True)
class SyncedSupplement:
    id: str
    requested_by: str
    reason: str
    requested_at: datetime
    completed_at: datetime | None


@dataclass(frozen=True)
class SyncedResult:
    name: str
    code: str
    url: str


@dataclass(frozen=True)
class DossierSnapshot:
    """A dossier as the portal is told about it. Times are aware datetimes; statuses the national
    codes 1–10 (contract §5)."""

    code: str
    unit_code: str  # madonvi: the receiving agency's identifier, which the code starts with
    procedure_code: str
    procedure_name: str
    field_name: str
    channel: str  # online | counter | post
    applicant_name: str
    applicant_id_number: str
    applicant_kind: str  # individual | organization
    applicant_phone: str
    applicant_email: str
    summary: str
    submitted_at: datetime
    received_at: datetime | None
    due_at: datetime | None
    status_code: int
    resolved_at: datetime | None
    returned_at: datetime | None
    refused_at: datetime | None
    return_method: str
    resolving_agency_name: str
    vneid_verified: bool
    population_data_used: bool
    payment_channel: str | None
    documents: Sequence[SyncedDocument] = field(default_factory=tuple)
    fees: Sequence[SyncedFee] = field(default_factory=tuple)
    supplements: Sequence[SyncedSupplement] = field(default_factory=tuple)
    results: Sequence[SyncedResult] = field(default_factory=tuple)


@dataclass(frozen=True)
class ProgressEntry:
    """One step of the processing history (``CapNhatTienDoHoSoMC``)."""

    dossier_code: str
    officer: str
    title: str
    at: datetime
    unit: str
    note: str
    status_code: int
    started_at: datetime | None = None
    due_at: datetime | None = None


class NationalPortalSync(Protocol):
    def upsert_dossier(
        self, unit_code: str, record: DossierSnapshot, *, update: bool = False
    ) -> None: ...  # DongBoHoSoMC; an add of a record already there is resent as an update

    def upsert_dossiers(
        self, unit_code: str, records: Sequence[DossierSnapshot], *, update: bool
    ) -> None: ...  # DongBoHoSoMC with many records: all taken, or the call refused

    def append_progress(self, unit_code: str, entries: Sequence[ProgressEntry]) -> None: ...  # ≤ 10 a call

    def exists(self, unit_code: str, dossier_code: str) -> bool: ...  # TraCuuHoSo
