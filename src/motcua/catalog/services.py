"""Writes for the procedure catalog: create, draft a new version, publish, import."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog import exchange, selectors
from motcua.catalog.models import (
    Procedure,
    ProcedureVersion,
    ProcessStep,
    RequiredDocument,
    VersionStatus,
)
from motcua.core.errors import Conflict, InvalidInput, NotFound
from motcua.core.text import fold

Spec = Mapping[str, Any]  # a procedure in the exchange shape, already checked by ProcedureInputSerializer


def _agencies_for(specs: Iterable[Spec]) -> dict[str, Agency]:
    codes = set()
    for spec in specs:
        codes.add(spec["agency_code"])
        codes.update(spec.get("implementing_agency_codes", []))
        codes.update(step["agency_code"] for step in spec.get("steps", []) if step.get("agency_code"))
    return {a.code: a for a in Agency.objects.filter(code__in=codes)}


def check_references(spec: Spec, agencies: Mapping[str, Agency]) -> dict[str, list[Any]]:
    """The checks the shape cannot make: the agencies named must exist."""
    errors: dict[str, list[Any]] = {}
    if spec["agency_code"] not in agencies:
        errors["agency_code"] = [_("Unknown agency %(code)s.") % {"code": spec["agency_code"]}]
    for index, code in enumerate(spec.get("implementing_agency_codes", [])):
        if code not in agencies:
            errors[f"implementing_agency_codes.{index}"] = [_("Unknown agency %(code)s.") % {"code": code}]
    for index, step in enumerate(spec.get("steps", [])):
        if step.get("agency_code") and step["agency_code"] not in agencies:
            errors[f"steps.{index}.agency_code"] = [
                _("Unknown agency %(code)s.") % {"code": step["agency_code"]}
            ]
    return errors


def _search_text(spec: Spec, code: str) -> str:
    return fold(f"{code} {spec['name']} {spec['field']}")


def _write_version(
    procedure: Procedure,
    number: int,
    status: str,
    spec: Spec,
    agencies: Mapping[str, Agency],
    *,
    replacing: ProcedureVersion | None = None,
) -> ProcedureVersion:
    """A new version, or ``replacing`` (a draft) rewritten in place so that it keeps its id."""
    now = timezone.now()
    if replacing is not None:
        replacing.required_documents.all().delete()
        replacing.steps.all().delete()
    version = ProcedureVersion(
        procedure=procedure,
        number=number,
        status=status,
        name=spec["name"],
        field=spec["field"],
        agency=agencies[spec["agency_code"]],
        level=spec.get("level", "province"),
        processing_time_value=spec["processing_time"]["value"],
        processing_time_unit=spec["processing_time"]["unit"],
        processing_time_text=spec.get("processing_time_text", ""),
        online_level=spec["online_level"],
        fee_vnd=spec.get("fee_vnd", 0),
        fee_text=spec.get("fee_text", ""),
        result_is_document=spec.get("result_is_document", True),
        result_text=spec.get("result_text", ""),
        applicant_types=list(spec["applicant_types"]),
        conditions=spec.get("conditions", ""),
        legal_basis=list(spec.get("legal_basis", [])),
        decision_number=spec.get("decision_number") or "",
        decision_date=spec.get("decision_date"),
        effective_date=spec.get("effective_date"),
        published_date=spec.get("published_date"),
        valid_from=now if status == VersionStatus.CURRENT else None,
        search_text=_search_text(spec, procedure.code),
    )
    if replacing is not None:
        version.pk, version.created_at = replacing.pk, replacing.created_at
    version.save(force_insert=replacing is None)
    version.implementing_agencies.set([agencies[code] for code in exchange.implementing_codes(spec)])
    RequiredDocument.objects.bulk_create(
        RequiredDocument(
            version=version,
            position=i,
            code=d["code"],
            name=d["name"],
            form=d.get("form", "original"),
            count=d.get("count", 1),
            required=d.get("required", True),
        )
        for i, d in enumerate(spec["required_documents"])
    )
    ProcessStep.objects.bulk_create(
        ProcessStep(
            version=version,
            position=i,
            name=s["name"],
            agency=agencies.get(s.get("agency_code") or ""),
            role=s["role"],
            working_hours=s["working_hours"],
        )
        for i, s in enumerate(spec.get("steps", []))
    )
    return version


@transaction.atomic
def create_procedure(*, spec: Spec, publish: bool = True) -> ProcedureVersion:
    """A new procedure, published at once as version 1 (POST /api/v1/procedures), or kept as a draft
    version 1 to be completed and published later (the admin)."""
    agencies = _agencies_for([spec])
    errors = check_references(spec, agencies)
    if errors:
        raise InvalidInput(fields=errors)
    try:
        with transaction.atomic():
            procedure = Procedure.objects.create(code=spec["code"])
    except IntegrityError as exc:
        raise Conflict(
            _("A procedure with code %(code)s already exists.") % {"code": spec["code"]}, code="duplicate"
        ) from exc
    status = VersionStatus.CURRENT if publish else VersionStatus.DRAFT
    return _write_version(procedure, 1, status, spec, agencies)


def _locked_procedure(code: str) -> Procedure:
    procedure = Procedure.objects.select_for_update().filter(code=code).first()
    if procedure is None:
        raise NotFound(_("No procedure with code %(code)s.") % {"code": code})
    return procedure


@transaction.atomic
def draft_version(*, code: str, spec: Spec) -> ProcedureVersion:
    """Prepare the next version while the current one stays in force; an earlier draft is rewritten."""
    procedure = _locked_procedure(code)
    agencies = _agencies_for([spec])
    errors = check_references(spec, agencies)
    if errors:
        raise InvalidInput(fields=errors)
    draft = procedure.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is not None:
        return _write_version(procedure, draft.number, VersionStatus.DRAFT, spec, agencies, replacing=draft)
    last = procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
    return _write_version(procedure, last + 1, VersionStatus.DRAFT, spec, agencies)


@transaction.atomic
def publish_draft(*, code: str) -> ProcedureVersion:
    """The draft comes into force; the version in force until now is retired (dossiers keep it)."""
    procedure = _locked_procedure(code)
    draft = procedure.versions.filter(status=VersionStatus.DRAFT).first()
    if draft is None:
        raise Conflict(_("Procedure %(code)s has no draft to publish.") % {"code": code}, code="no_draft")
    now = timezone.now()
    procedure.versions.filter(status=VersionStatus.CURRENT).update(status=VersionStatus.RETIRED, valid_to=now)
    draft.status, draft.valid_from = VersionStatus.CURRENT, now
    draft.save(update_fields=["status", "valid_from"])
    return draft


@transaction.atomic
def draft_from_version(*, code: str, number: int) -> ProcedureVersion:
    """ "Tạo bản dự thảo mới": a copy of a published (or retired) version becomes the next draft, to be
    edited and published; the version copied is never touched. Refused while a draft exists, so that
    nobody's work in progress is overwritten."""
    procedure = _locked_procedure(code)
    if procedure.versions.filter(status=VersionStatus.DRAFT).exists():
        raise Conflict(
            _("Procedure %(code)s already has a draft: edit or publish it first.") % {"code": code},
            code="draft_exists",
        )
    source = procedure.versions.filter(number=number).first()
    if source is None:
        raise NotFound(_("No procedure with code %(code)s.") % {"code": code})
    last = procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
    draft = ProcedureVersion.objects.get(pk=source.pk)
    draft.pk, draft.number, draft.status = None, last + 1, VersionStatus.DRAFT
    draft.valid_from = draft.valid_to = None
    draft.save(force_insert=True)  # created_at: now (auto_now_add)
    draft.implementing_agencies.set(source.implementing_agencies.all())
    documents, steps = list(source.required_documents.all()), list(source.steps.all())
    for document in documents:
        document.pk, document.version = None, draft
    for step in steps:
        step.pk, step.version = None, draft
    RequiredDocument.objects.bulk_create(documents)
    ProcessStep.objects.bulk_create(steps)
    return draft


@transaction.atomic
def assign_to_every_commune(*, code: str) -> ProcedureVersion:
    """The draft is settled by every commune People's Committee in force in its resolving agency's
    province (birth registration and the other commune-level procedures), besides its own agency."""
    procedure = _locked_procedure(code)
    draft = (
        procedure.versions.filter(status=VersionStatus.DRAFT)
        .select_related("procedure", "agency")
        .prefetch_related("required_documents", "steps__agency", "implementing_agencies")
        .first()
    )
    if draft is None:
        raise Conflict(_("Procedure %(code)s has no draft to change.") % {"code": code}, code="no_draft")
    spec = exchange.version_to_spec(draft)
    spec["implementing_agency_codes"] = sorted(
        {*spec["implementing_agency_codes"], *(a.code for a in selectors.province_communes(draft.agency))}
    )
    return draft_version(code=code, spec=exchange.validated(spec))


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: dict[int, dict[str, list[str]]] = field(default_factory=dict)


def import_items(*, items: Sequence[Any]) -> ImportReport:
    """Import a catalog file's procedures as read (catalog/exchange.py), all or nothing: the shape is
    checked first, then the references; the errors name ``procedures.<index>.<field>``."""
    specs, errors = exchange.validate(list(items))
    if errors:
        raise InvalidInput(
            _("The catalog was not imported: %(count)s procedures have errors.") % {"count": len(errors)},
            fields={f"procedures.{i}.{k}": v for i, errs in errors.items() for k, v in errs.items()},
        )
    return import_catalog(specs=specs)


@transaction.atomic
def import_catalog(*, specs: Sequence[Spec]) -> ImportReport:
    """Import a whole catalog, all or nothing: new codes are created, changed ones get a new
    version in force, identical ones (compared in the exchange shape an export writes) are left alone.
    """
    report = ImportReport()
    agencies = _agencies_for(specs)
    seen: set[str] = set()
    for index, spec in enumerate(specs):
        errors = check_references(spec, agencies)
        if spec["code"] in seen:
            errors.setdefault("code", []).append(
                _("The code %(code)s appears twice.") % {"code": spec["code"]}
            )
        seen.add(spec["code"])
        if errors:
            report.errors[index] = {k: [str(m) for m in v] for k, v in errors.items()}
    if report.errors:
        raise InvalidInput(
            _("The catalog was not imported: %(count)s procedures have errors.")
            % {"count": len(report.errors)},
            fields={f"procedures.{i}.{k}": v for i, errs in report.errors.items() for k, v in errs.items()},
        )
    current = {
        v.procedure.code: v
        for v in ProcedureVersion.objects.filter(status=VersionStatus.CURRENT, procedure__code__in=seen)
        .select_related("procedure", "agency")
        .prefetch_related("required_documents", "steps__agency")
    }
    for spec in specs:
        version = current.get(spec["code"])
        if version is None:
            procedure, _created = Procedure.objects.get_or_create(code=spec["code"])
            procedure.versions.filter(status=VersionStatus.DRAFT).delete()  # a draft never published
            last = procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
            _write_version(procedure, last + 1, VersionStatus.CURRENT, spec, agencies)
            report.created += 1
        elif exchange.version_to_spec(version) == exchange.normalise(spec):
            report.unchanged += 1
        else:
            procedure = version.procedure
            procedure.versions.filter(status=VersionStatus.DRAFT).delete()
            version.status, version.valid_to = VersionStatus.RETIRED, timezone.now()
            version.save(update_fields=["status", "valid_to"])
            _write_version(procedure, version.number + 1, VersionStatus.CURRENT, spec, agencies)
            report.updated += 1
    return report
