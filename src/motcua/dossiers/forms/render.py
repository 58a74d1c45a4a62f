"""The printed forms of Circular 03/2025/TT-VPCP, Appendix I (Mẫu số 01–06), as PDF.

Each form has an availability check and a context builder: pure functions of a dossier loaded by
``selectors.dossier_for_forms`` (the only extra read is the names of the officers involved). The
context holds ready-to-print strings; the templates under ``dossiers/forms/`` only lay them out.
WeasyPrint renders them with the vendored Be Vietnam Pro fonts, read from disk: nothing is fetched
from the network and no system font is needed.
"""

from __future__ import annotations

import atexit
import gc
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

import segno
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.accounts.models import User
from motcua.agencies.models import Agency
from motcua.core.errors import Conflict
from motcua.dossiers.models import Dossier, DossierEvent, SupplementRequest
from motcua.dossiers.workflow import LABEL_VI, Status

TEMPLATES = "dossiers/forms"

UNITS = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc", "days": "ngày", "hours": "giờ"}
RESULTS = {"early": "Trước hạn", "on_time": "Đúng hạn", "late": "Quá hạn"}
DOCUMENT_FORMS = {"original": "Bản chính", "copy": "Bản sao"}


# --- formatting ------------------------------------------------------------------------------------


def _vn(value: datetime) -> datetime:
    return value.astimezone(timezone.get_default_timezone())


def clock(value: datetime | None) -> str:
    """``14 giờ 30 phút, ngày 20/11/2026`` in Vietnam time."""
    if value is None:
        return ""
    t = _vn(value)
    return f"{t.hour:02d} giờ {t.minute:02d} phút, ngày {t:%d/%m/%Y}"


def short(value: datetime | None) -> str:
    """``14:30 20/11/2026`` for table cells."""
    return f"{_vn(value):%H:%M %d/%m/%Y}" if value else ""


def day(value: datetime | None) -> str:
    return f"{_vn(value):%d/%m/%Y}" if value else ""


def long_date(value: datetime) -> str:
    """``ngày 20 tháng 11 năm 2026``; days under 10 and months 1 and 2 take a leading zero (Decree 30/2020)."""
    t = _vn(value)
    month = f"{t.month:02d}" if t.month < 3 else str(t.month)
    return f"ngày {t.day:02d} tháng {month} năm {t.year}"


def money(amount: int) -> str:
    return f"{amount:,}".replace(",", ".") + " đồng"


def caps(text: str) -> str:
    return text.upper()


def _name(user: User | None) -> str:
    if user is None:
        return ""
    return user.full_name or user.get_username()


def _parse(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(str(value))
    except ValueError:
        return None


# --- what the dossier tells ------------------------------------------------------------------------


def _events(dossier: Dossier, *actions: str) -> list[DossierEvent]:
    return sorted((e for e in dossier.events.all() if e.action in actions), key=lambda e: (e.at, e.pk or 0))


def _last_event(dossier: Dossier, *actions: str) -> DossierEvent | None:
    found = _events(dossier, *actions)
    return found[-1] if found else None


def _people(ids: Iterable[int | None]) -> dict[int, User]:
    wanted = {i for i in ids if i is not None}
    return User.objects.select_related("agency").in_bulk(wanted) if wanted else {}


def _top(agency: Agency) -> Agency:
    node = agency
    seen = {node.pk}
    while node.parent_id is not None and node.parent is not None and node.parent_id not in seen:
        node = node.parent
        seen.add(node.pk)
    return node


_PROVINCE = re.compile(r"(?:^|\s)(?:tỉnh|thành phố)\s+(?P<name>.+)$", re.IGNORECASE)


def place_of(agency: Agency) -> str:
    """The province for the dateline: from the top agency of the tree ("Ủy ban nhân dân tỉnh Đắk Lắk"
    → "Đắk Lắk"), else that agency's name."""
    top = _top(agency)
    unit = top.admin_unit.name if top.admin_unit_id and top.admin_unit else ""
    for text in (unit, top.name):
        match = _PROVINCE.search(text) if text else None
        if match:
            return match["name"].strip()
    return unit or top.name


def lookup_url(dossier: Dossier, base_url: str) -> str:
    return f"{base_url}/tra-cuu/?ma={quote(dossier.code or '', safe='')}"


QR_ERROR, QR_SCALE, QR_BORDER = "m", 8, 2


def qr_data_uri(content: str) -> str:
    """A PNG of 8 pixels a module, about 350 dpi at the printed 24 mm (forms.css turns smoothing off)."""
    return str(
        segno.make(content, error=QR_ERROR, micro=False).png_data_uri(scale=QR_SCALE, border=QR_BORDER)
    )


def applicant_of(dossier: Dossier) -> dict[str, str]:
    return {
        "name": dossier.applicant_name,
        "id_label": "Mã số thuế" if dossier.applicant_kind == "organization" else "Số định danh cá nhân",
        "id_number": dossier.applicant_id_number,
        "address": dossier.applicant_address,
        "phone": dossier.applicant_phone,
        "email": dossier.applicant_email,
    }


def processing_time(dossier: Dossier) -> str:
    version = dossier.procedure_version
    unit = UNITS.get(version.processing_time_unit, "ngày")
    return f"{version.processing_time_value:02d} {unit}"


def _common(
    dossier: Dossier, *, form: str, agency: Agency, issued_at: datetime | None, number: str = ""
) -> dict[str, Any]:
    spec = FORMS[form]
    issued = issued_at or dossier.received_at or dossier.submitted_at
    return {
        "form": form,
        "form_number": spec.number,
        "form_name": spec.name,
        "title": caps(spec.name),
        "doc_title": f"Mẫu số {spec.number}. {spec.name} — {dossier.code or dossier.pk}",
        "superior": caps(agency.parent.name) if agency.parent_id and agency.parent else "",
        "issuer": caps(agency.name),
        "issuer_name": agency.name,
        "doc_number": number,
        "place": place_of(agency),
        "issued_on": long_date(issued),
        "code": dossier.code or "",
        "applicant": applicant_of(dossier),
        "procedure_name": dossier.procedure_version.name,
        "procedure_code": dossier.procedure.code,
        "receiving_agency": dossier.receiving_agency.name,
        "resolving_agency": dossier.resolving_agency.name,
    }


# --- availability ----------------------------------------------------------------------------------


def _not_available(message: str) -> Conflict:
    return Conflict(message, code="form_not_available")


def _check_received(dossier: Dossier) -> None:
    if not dossier.code or dossier.received_at is None:
        raise _not_available(_("This form is available once the dossier has been received."))


def _check_supplement(dossier: Dossier) -> None:
    _required_request(dossier)


def _check_refusal(dossier: Dossier) -> None:
    if dossier.status != Status.REFUSED:
        raise _not_available(_("This form is only issued for a refused dossier."))


def _check_apology(dossier: Dossier) -> None:
    # The checks read the dossier's own fields only, so that a page can ask them of every form cheaply.
    if dossier.extended_at is None:
        raise _not_available(_("This form is only issued once the appointment has been extended."))


def _extension(dossier: Dossier) -> DossierEvent:
    _check_apology(dossier)
    event = _last_event(dossier, "extend")
    if event is None:
        raise _not_available(_("This form is only issued once the appointment has been extended."))
    return event


def _check_stop(dossier: Dossier) -> None:
    if dossier.status not in (Status.STOPPED, Status.WITHDRAWN):
        raise _not_available(_("This form is only issued for a stopped or withdrawn dossier."))


# --- Mẫu số 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả ----------------------------------------------


def _documents_received(dossier: Dossier) -> list[dict[str, str]]:
    required = {r.code: r for r in dossier.procedure_version.required_documents.all()}
    rows = []
    received_at = dossier.received_at
    for doc in dossier.documents.all():
        if received_at is not None and doc.added_at > received_at:
            continue  # supplemented later: on form 02's answer, not on the receipt
        spec = required.get(doc.code)
        kind = DOCUMENT_FORMS.get(spec.form, "") if spec else ""
        if doc.digitized or doc.from_warehouse or doc.reused:
            kind = f"{kind} (điện tử)" if kind else "Bản điện tử"
        notes = [f"{spec.count:02d} bản" if spec else "01 bản"]
        if doc.from_warehouse or doc.reused:
            notes.append("khai thác lại dữ liệu đã số hóa")
        elif doc.supplement_id:
            notes.append(f"bổ sung ngày {_vn(doc.added_at):%d/%m/%Y}")
        rows.append({"name": doc.name, "kind": kind or "Bản chính hoặc bản sao", "note": "; ".join(notes)})
    return rows


def receipt_context(dossier: Dossier) -> dict[str, Any]:
    received = _last_event(dossier, "receive")
    people = _people([received.actor_id if received else None])
    officer = people.get(received.actor_id) if received and received.actor_id else None
    version = dossier.procedure_version
    book, serial = "", ""
    if dossier.code and dossier.code.count("-") >= 2:
        _agency, book, serial = dossier.code.rsplit("-", 2)
    fees = []
    if version.fee_vnd:
        fees.append(money(version.fee_vnd))
    if version.fee_text:
        fees.append(version.fee_text)
    return _common(
        dossier, form="receipt", agency=dossier.receiving_agency, issued_at=dossier.received_at
    ) | {
        "doc_number": dossier.code or "",
        "documents": _documents_received(dossier),
        "copies": "01",
        "processing_time": processing_time(dossier),
        "received_at": clock(dossier.received_at),
        "due_at": clock(dossier.due_at),
        "return_place": dossier.receiving_agency.name,
        "fees": "; ".join(fees),
        "book": book,
        "serial": serial,
        "officer": _name(officer),
        "online": dossier.channel == "online",
    }


# --- Mẫu số 02: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ ------------------------------------------------


def _latest_request(dossier: Dossier) -> SupplementRequest | None:
    requests = sorted(dossier.supplement_requests.all(), key=lambda r: (r.requested_at, r.pk or 0))
    return requests[-1] if requests else None


def _required_request(dossier: Dossier) -> SupplementRequest:
    request = _latest_request(dossier)
    if request is None:
        raise _not_available(_("No supplement has been requested for this dossier."))
    return request


def supplement_context(dossier: Dossier) -> dict[str, Any]:
    request = _required_request(dossier)
    people = _people([request.requested_by_id])
    officer = people.get(request.requested_by_id) if request.requested_by_id else None
    agency = (
        officer.agency if officer is not None and officer.agency is not None else dossier.receiving_agency
    )
    contact = [_name(officer)] if officer else []
    contact.append(agency.name)
    if officer is not None and officer.phone:
        contact.append(f"điện thoại {officer.phone}")
    return _common(dossier, form="supplement", agency=agency, issued_at=request.requested_at) | {
        "requested_at": clock(request.requested_at),
        "received_at": clock(dossier.received_at),
        "items": [str(item) for item in request.items],
        "reason": request.reason,
        "before_receipt": not request.after_receipt,
        "officer": _name(officer),
        "contact": ", ".join(c for c in contact if c),
    }


# --- Mẫu số 03: Phiếu từ chối tiếp nhận giải quyết hồ sơ ----------------------------------------------


def refusal_context(dossier: Dossier) -> dict[str, Any]:
    refused = _last_event(dossier, "refuse")
    people = _people([refused.actor_id if refused else None])
    officer = people.get(refused.actor_id) if refused and refused.actor_id else None
    at = refused.at if refused else dossier.closed_at
    return _common(dossier, form="refusal", agency=dossier.receiving_agency, issued_at=at) | {
        "submitted_at": clock(dossier.submitted_at),
        "refused_at": clock(at),
        "reason": refused.note if refused else "",
        "officer": _name(officer),
    }


# --- Mẫu số 04: Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết --------------------------------


def _recipients(dossier: Dossier) -> list[str]:
    """The recipients ("Nơi nhận") of a letter signed by the head of an agency (forms 04 and 05)."""
    return ["Như trên", dossier.receiving_agency.name, "Lưu: VT"]


def apology_context(dossier: Dossier) -> dict[str, Any]:
    event = _extension(dossier)
    previous = _parse(event.data.get("previous_due_at")) or dossier.original_due_at
    new = _parse(event.data.get("new_due_at")) or dossier.due_at
    return _common(dossier, form="apology", agency=dossier.resolving_agency, issued_at=event.at) | {
        "received_on": day(dossier.received_at),
        "original_due_at": clock(previous),
        "new_due_at": clock(new),
        "reason": event.note,
        "recipients": _recipients(dossier),
    }


# --- Mẫu số 05: Thông báo dừng giải quyết hồ sơ -------------------------------------------------------


def stop_context(dossier: Dossier) -> dict[str, Any]:
    withdrawn = dossier.status == Status.WITHDRAWN
    event = _last_event(dossier, "withdraw" if withdrawn else "stop")
    at = event.at if event else dossier.closed_at
    before = event.from_status if event else ""
    stage = LABEL_VI[Status(before)] if before in set(Status) else before
    at_step = dossier.current_step if before not in ("", Status.SUBMITTED) else None
    step = at_step.name if at_step is not None else ""
    paid = sum(p.paid_amount_vnd or 0 for p in dossier.payments.all())
    return _common(dossier, form="stop", agency=dossier.current_agency, issued_at=at) | {
        "withdrawn": withdrawn,
        "stopped_at": clock(at),
        "received_on": day(dossier.received_at),
        "submitted_on": day(dossier.submitted_at),
        "stage": stage,
        "step": step,
        "holder": dossier.current_agency.name,
        "reason": event.note if event else "",
        "paid": money(paid) if paid else "",
        "recipients": _recipients(dossier),
    }


# --- Mẫu số 06: Phiếu kiểm soát quá trình giải quyết hồ sơ ----------------------------------------------


def control_sheet_context(dossier: Dossier) -> dict[str, Any]:
    entries = sorted(dossier.control_sheet.all(), key=lambda e: (e.handed_over_at, e.pk or 0))
    received = _last_event(dossier, "receive")
    returned = _last_event(dossier, "return_result")
    people = _people(
        [e.handed_over_by_id for e in entries]
        + [received.actor_id if received else None, returned.actor_id if returned else None]
    )

    def who(user_id: int | None) -> str:
        return _name(people.get(user_id)) if user_id is not None else ""

    rows: list[dict[str, str]] = [
        {
            "giver_agency": f"Ông (bà) {dossier.applicant_name}",
            "taker_agency": f"Bộ phận Một cửa — {dossier.receiving_agency.name}",
            "at": clock(dossier.received_at),
            "giver": dossier.applicant_name,
            "taker": who(received.actor_id) if received else "",
            "result": "",
            "note": "Tiếp nhận hồ sơ",
        }
    ]
    for index, entry in enumerate(entries):
        following = entries[index + 1] if index + 1 < len(entries) else None
        if following is not None and following.from_agency_id == entry.to_agency_id:
            taker = who(following.handed_over_by_id)
        elif following is None and returned is not None and entry.to_agency_id == dossier.receiving_agency_id:
            taker = who(returned.actor_id)
        else:
            taker = ""
        note = [entry.step] if entry.step else []
        if entry.step_due_at:
            note.append(f"hạn xử lý {short(entry.step_due_at)}")
        if entry.note:
            note.append(entry.note)
        rows.append(
            {
                "giver_agency": entry.from_agency.name,
                "taker_agency": entry.to_agency.name,
                "at": clock(entry.handed_over_at),
                "giver": who(entry.handed_over_by_id),
                "taker": taker,
                "result": RESULTS.get(entry.result, ""),
                "note": "; ".join(note),
            }
        )
    if returned is not None:
        rows.append(
            {
                "giver_agency": f"Bộ phận Một cửa — {dossier.receiving_agency.name}",
                "taker_agency": f"Ông (bà) {dossier.applicant_name}",
                "at": clock(returned.at),
                "giver": who(returned.actor_id),
                "taker": dossier.applicant_name,
                "result": "",
                "note": "Trả kết quả",
            }
        )
    partners = []
    for entry in entries:
        for agency in (entry.from_agency, entry.to_agency):
            if (
                agency.pk not in (dossier.receiving_agency_id, dossier.resolving_agency_id)
                and agency.name not in partners
            ):
                partners.append(agency.name)
    return _common(
        dossier, form="control-sheet", agency=dossier.receiving_agency, issued_at=dossier.received_at
    ) | {
        "doc_number": dossier.code or "",
        "received_at": clock(dossier.received_at),
        "due_at": clock(dossier.due_at),
        "original_due_at": clock(dossier.original_due_at)
        if dossier.original_due_at and dossier.original_due_at != dossier.due_at
        else "",
        "partners": ", ".join(partners),
        "rows": rows,
    }


# --- registry and rendering ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FormSpec:
    number: str
    name: str
    template: str
    check: Callable[[Dossier], None]
    build: Callable[[Dossier], dict[str, Any]]
    qr: bool = False


FORMS: dict[str, FormSpec] = {
    "receipt": FormSpec(
        "01",
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "receipt.html",
        _check_received,
        receipt_context,
        qr=True,
    ),
    "supplement": FormSpec(
        "02",
        "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        "supplement.html",
        _check_supplement,
        supplement_context,
    ),
    "refusal": FormSpec(
        "03", "Phiếu từ chối tiếp nhận giải quyết hồ sơ", "refusal.html", _check_refusal, refusal_context
    ),
    "apology": FormSpec(
        "04",
        "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết",
        "apology.html",
        _check_apology,
        apology_context,
    ),
    "stop": FormSpec("05", "Thông báo dừng giải quyết hồ sơ", "stop.html", _check_stop, stop_context),
    "control-sheet": FormSpec(
        "06",
        "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        "control_sheet.html",
        _check_received,
        control_sheet_context,
    ),
}


def filename(form: str, dossier: Dossier) -> str:
    return f"mau-{FORMS[form].number}-{dossier.code or f'hs-{dossier.pk}'}.pdf"


def context(form: str, dossier: Dossier, *, base_url: str) -> dict[str, Any]:
    """The form's context, or Conflict(code="form_not_available") when it does not apply yet.

    ``base_url`` is the public address that the look-up link and QR code point at
    (``motcua.core.public_url``)."""
    spec = FORMS[form]
    spec.check(dossier)
    url = lookup_url(dossier, base_url) if dossier.code else ""
    links = {"lookup_url": url}
    if spec.qr and url:
        links["qr"] = qr_data_uri(url)
    return spec.build(dossier) | links


def render_html(form: str, dossier: Dossier, *, base_url: str) -> str:
    # Composed characters (NFC): a name typed as "e" + combining marks must find one glyph in one font.
    return unicodedata.normalize(
        "NFC",
        render_to_string(f"{TEMPLATES}/{FORMS[form].template}", context(form, dossier, base_url=base_url)),
    )


# Be Vietnam Pro (SIL OFL), vendored as woff2 subsets; the unicode ranges are those of site.css. Each
# subset gets a family of its own, listed in order in the stylesheet: WeasyPrint (v70) names a PDF font
# after its family, weight and style only, so subsets sharing one family would be written as one font
# and their glyphs mixed up.
FAMILIES = {"latin": "Be Vietnam Pro", "vietnamese": "Be Vietnam Pro VN", "latin-ext": "Be Vietnam Pro Ext"}
_RANGES = {
    "vietnamese": "U+0102-0103, U+0110-0111, U+0128-0129, U+0168-0169, U+01A0-01A1, U+01AF-01B0, "
    "U+0300-0301, U+0303-0304, U+0308-0309, U+0323, U+0329, U+1EA0-1EF9, U+20AB",
    "latin": "U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+0304, U+0308, "
    "U+0329, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD",
    "latin-ext": "U+0100-02BA, U+02BD-02C5, U+02C7-02CC, U+02CE-02D7, U+02DD-02FF, U+0304, U+0308, U+0329, "
    "U+1D00-1DBF, U+1E00-1E9F, U+1EF2-1EFF, U+2020, U+20A0-20AB, U+20AD-20C0, U+2113, U+2C60-2C7F, "
    "U+A720-A7FF",
}
_WEIGHTS = (400, 700)


def _font_faces() -> list[dict[str, Any]]:
    faces = []
    for weight in _WEIGHTS:
        for subset, unicode_range in _RANGES.items():
            name = f"vendor/fonts/be-vietnam-pro-{subset}-{weight}-normal.woff2"
            found = finders.find(name)
            if not found or isinstance(found, list):
                raise ImproperlyConfigured(f"The form font {name} is missing from the static files.")
            faces.append(
                {
                    "family": FAMILIES[subset],
                    "weight": weight,
                    "url": Path(found).resolve().as_uri(),
                    "range": unicode_range,
                }
            )
    return faces


def local_fetcher(allowed_dirs: Iterable[Path]) -> Any:
    """A WeasyPrint URL fetcher for data: URIs (the QR code) and files under ``allowed_dirs`` (the fonts)
    only: a form never reaches the network or the rest of the disk."""
    from weasyprint.urls import URLFetcher

    dirs = [d.resolve() for d in allowed_dirs]

    class LocalFetcher(URLFetcher):
        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("file:"):
                target = Path(unquote(urlsplit(url).path)).resolve()
                if not any(target.is_relative_to(d) for d in dirs):
                    raise ValueError(f"Forms may not read {url}")
            elif not url.startswith("data:"):
                raise ValueError(f"Forms may not fetch {url}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols=("data", "file"), fail_on_errors=True)


@dataclass
class _Style:
    css: Any
    fonts: Any
    fetcher: Any


def _load_style() -> _Style:
    """The stylesheet with its fonts loaded: about a second, most of it decompressing the woff2 fonts."""
    # WeasyPrint takes a second or two to import: only processes that print pay for it (and the server
    # once, in its master: motcua.conf.gunicorn).
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    faces = _font_faces()
    fetcher = local_fetcher({Path(unquote(urlsplit(f["url"]).path)).parent for f in faces})
    fonts = FontConfiguration()
    families = ", ".join(f'"{family}"' for family in FAMILIES.values())
    css = CSS(
        string=render_to_string(f"{TEMPLATES}/forms.css", {"faces": faces, "families": families}),
        font_config=fonts,
        url_fetcher=fetcher,
    )
    return _Style(css, fonts, fetcher)


class _Printer:
    """WeasyPrint with the forms' stylesheet and fonts, loaded once per process and shared by its threads.

    One render at a time in a process: Pango documents no font map as safe to share between threads
    (it gives each thread a default one of its own) and WeasyPrint caches layouts in plain dicts on the
    FontConfiguration; the GIL would not run two renders of one process side by side anyway. The server's
    worker processes print in parallel.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._style: _Style | None = None

    def pdf(self, html: str) -> bytes:
        from weasyprint import HTML

        with self._lock:
            if self._style is None:
                self._style = _load_style()
            document = HTML(string=html, url_fetcher=self._style.fetcher)
            pdf: bytes = document.write_pdf(stylesheets=[self._style.css], font_config=self._style.fonts)
        return pdf

    def forget(self) -> None:
        """Let WeasyPrint delete its temporary font folder while the interpreter is still whole."""
        with self._lock:
            if self._style is not None:
                self._style = None
                gc.collect()


_printer = _Printer()
atexit.register(_printer.forget)


def render_pdf(form: str, dossier: Dossier, *, base_url: str) -> bytes:
    """The form as a PDF; Conflict(code="form_not_available") when it does not apply to the dossier yet."""
    return html_to_pdf(render_html(form, dossier, base_url=base_url))


def html_to_pdf(html: str) -> bytes:
    return _printer.pdf(html)


def warm_up() -> None:
    """Print an empty form 01: fonts, stylesheet, templates and WeasyPrint's first-use costs are paid before
    a worker's first real form (``motcua serve`` calls it as each worker starts)."""
    html_to_pdf(render_to_string(f"{TEMPLATES}/{FORMS['receipt'].template}", {"qr": qr_data_uri("MotCua")}))
