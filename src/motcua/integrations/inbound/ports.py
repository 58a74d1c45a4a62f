"""Dossiers that reach MotCua from the national channels (integrations.md §5, §10.2 item 5), in our
own words: the dossier as it arrives, a status sent back, and the pull channel's interface.
Plain Python."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol

# Where a dossier came from: the national portal's push (model B), the DVC liên thông pull
# (model C), the VNeID app's push (model D).
DVCQG, LIENTHONG, VNEID = "dvcqg", "lienthong", "vneid"
SOURCES = (DVCQG, LIENTHONG, VNEID)


@dataclass(frozen=True)
class InboundFile:
    name: str
    content: bytes
    code: str = ""  # the document's code in the procedure, when the channel gives one


@dataclass(frozen=True)
class InboundApplicant:
    kind: str  # individual | organization
    full_name: str
    id_number: str  # a personal ID for individuals, a tax code for organizations
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class InboundDossier:
    """One dossier as a national channel hands it over."""

    source: str
    external_code: str  # MaHoSo / MaHoSoQG / maHoSo: the national code, kept as a cross-reference
    procedure_code: str  # the national procedure code (MaTTHC)
    agency_code: str  # the national agency code (maDonVi, MaCoQuan), "" when the channel gives none
    applicant: InboundApplicant
    submitted_at: datetime | None = None
    files: Sequence[InboundFile] = field(default_factory=tuple)
    form: Mapping[str, Any] = field(default_factory=dict)  # the e-form's other fields, as sent


@dataclass(frozen=True)
class StatusReport:
    """A dossier's status, sent back to the channel it came from."""

    source: str
    external_code: str
    procedure_code: str
    local_code: str  # our dossier code (MaHoSoDonVi, soHoSoLT); "" before receipt
    status_code: int  # the national codes 1–10 (contract §5)
    at: datetime
    note: str
    officer: str
    unit: str  # the agency that took the step
    unit_code: str
    due_at: datetime | None = None


@dataclass(frozen=True)
class Unreadable:
    """An item of the pull channel's list that is not a dossier we can take, and why."""

    field: str
    message: str


class NationalChannel(Protocol):
    """DVC liên thông's pull API, and the status receivers of the three channels."""

    def waiting(self) -> Sequence[InboundDossier | Unreadable]: ...  # GetToken → LayDanhSachHoSo

    def acknowledge(self, external_code: str) -> None: ...  # CapNhatDaNhanHoSo

    def send_status(self, report: StatusReport) -> None: ...  # SendStatus / DongBoTrangThaiHoSoKM / LLTP
