"""The committed OpenAPI document (docs/openapi.json) against the live app, with schemathesis.

Each operation of the document is one test: the coverage phase's boundary and invalid cases, then a
bounded number of derandomized examples, sent through the whole Django stack (WSGI, in-process) to the
test database. Every answer must conform: no server error, a documented status code and content type, a
body that matches its schema, the documented headers.

The database holds a small province (motcua.dossiers.tests.conftest.world) with a procedure in draft, a
dossier just received at the one-stop desk and one returned with its electronic result, and a calendar
override. Known values (those codes, ids, dates and bodies) are mixed into the generated ones so that the
operations answer 2xx too, not only errors; each test asserts that it saw a 2xx answer. Operations that
need a login are called as an administrator, except the dossier writes, which only the one-stop desk
makes; operations open to everyone are called anonymously, as the public calls them.

The rate limits are lifted while fuzzing, so that the look-up and the other throttled operations run their
logic rather than answering 429 to all but the first few cases; test_rate_limited_answers_conform then
drives each of them past a low limit and checks the 429 against the document.

About 40 s on SQLite or PostgreSQL on two cores; MOTCUA_FUZZ_EXAMPLES=150 digs deeper (a few minutes).
"""

from __future__ import annotations

import io
import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis import checks

from motcua.accounts.models import ApiToken
from motcua.accounts.services import create_user
from motcua.agencies.models import Agency, CollectingAccount
from motcua.calendar.services import set_override
from motcua.catalog import exchange
from motcua.catalog.services import create_procedure
from motcua.conftest import standins as standins  # noqa: F401 — the fixtures, used below
from motcua.conftest import standins_url as standins_url  # noqa: F401
from motcua.core.throttling import WindowThrottle
from motcua.dossiers import commands, services
from motcua.dossiers import signing as result_signing
from motcua.dossiers.models import Payment
from motcua.dossiers.tests.conftest import CITIZEN_ID, PASSWORD, World, applicant, spec
from motcua.dossiers.tests.conftest import world as world  # noqa: F401 — the fixture, used below
from motcua.files.services import store_upload
from motcua.integrations.payment import services as payment_services
from motcua.integrations.signing.tests.helpers import knobs as signing_knobs
from motcua.integrations.signing.tests.helpers import result_pdf
from motcua.outbox import services as outbox_services
from motcua.outbox.models import OutboxMessage
from motcua.outbox.models import State as OutboxState
from motcua.par import engine as par_engine
from motcua.par import services as par_services
from motcua.petitions import services as petition_services
from motcua.petitions.commands import Command as PetitionCommand
from motcua.petitions.commands import SubmitterIn
from motcua.petitions.lifecycle import Action
from motcua.petitions.tests.conftest import PHONE as PETITION_PHONE
from motcua.petitions.tests.conftest import body as petition_sample
from motcua.sipas import services as sipas_services
from motcua.standins.citizens import all_citizens

DOCUMENT = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {
            "max-examples": int(os.environ.get("MOTCUA_FUZZ_EXAMPLES", "20")),  # more to dig deeper locally
            "deterministic": True,  # the same cases on every run, in CI too
            "no-shrink": True,  # a failure is reported as found
            "database": "none",  # nothing remembered between runs
        },
        "phases": {"examples": {"enabled": False}, "stateful": {"enabled": False}},
    }
)
schema = schemathesis.openapi.from_path(DOCUMENT, config=CONFIG)
schema.app = WSGIHandler()

CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
    checks.response_headers_conformance,
]

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
DRAFT = "1.000002"  # a procedure whose version 1 is still a draft, for .../publish
OVERRIDE = "2026-12-24"  # a date with a calendar override, for PUT and DELETE

# Callers by operation: the dossier writes are the one-stop desk's (an administrator gets 403 there).
DESK_OPERATIONS = {
    "POST /api/v1/dossiers",
    "POST /api/v1/dossiers/{dossier_id}/actions",
    "POST /api/v1/population/lookup",
    "POST /api/v1/petitions/{petition_id}/actions",  # staff of the agency holding the petition
    "POST /api/v1/dossiers/{dossier_id}/payments/{payment_id}/checkout",  # the desk, for the applicant
    "GET /api/v1/dossiers/{dossier_id}/payments/{payment_id}/qr.svg",
}
# Only a citizen has a document warehouse (the returned dossier's e-result is in it).
CITIZEN_OPERATIONS = {"GET /api/v1/me/documents"}
LEADER_OPERATIONS = {"POST /api/v1/par/assessments/{assessment_id}/units/{unit_code}/submit"}


@dataclass
class Known:
    """Values that exist in the test database, by path template or operation label."""

    tokens: dict[str, str]
    path: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    query: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    body: dict[str, list[Any]] = field(default_factory=dict)


_known: Known | None = None  # the hooks below are the schema's, so they read the running test's here


def _mixed(generated: Any, known: list[Any], merge: bool) -> st.SearchStrategy[Any]:
    if not known:
        return st.just(generated)
    choices = [{**generated, **k} if merge and isinstance(generated, dict) else k for k in known]
    return st.sampled_from([*choices, generated])  # known first: Hypothesis favours the first


@schema.hook
def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> st.SearchStrategy[Any]:
    assert _known is not None
    return _mixed(path_parameters, _known.path.get(context.operation.path, []), merge=True)


@schema.hook
def flatmap_query(context: Any, query: dict[str, Any]) -> st.SearchStrategy[Any]:
    assert _known is not None
    return _mixed(query, _known.query.get(context.operation.path, []), merge=False)


@schema.hook
def flatmap_body(context: Any, body: Any) -> st.SearchStrategy[Any]:
    assert _known is not None
    return _mixed(body, _known.body.get(context.operation.label, []), merge=False)


def _desk_leader() -> Any:
    from motcua.accounts.services import create_user

    return create_user(username="ld.ttpv", password=PASSWORD, role="leader", agency_code="H15.TTPV")


def _token(user: Any) -> str:
    raw = f"token-of-{user.username}-{user.pk}"
    ApiToken.objects.create(user=user, digest=ApiToken.digest_of(raw))
    return raw


def _catalog_file() -> bytes:
    return json.dumps(
        {"format": exchange.FORMAT, "version": exchange.FORMAT_VERSION, "procedures": []}
    ).encode()


def _awaiting_payment(world: World, person: commands.Applicant) -> Payment:
    """A counter dossier at the department, asked to pay; its payment order."""
    dossier, _ = services.create_dossier(
        actor=world.receiver, procedure_code="1.000956", channel="counter", applicant=person
    )
    services.act(
        actor=world.receiver, dossier_id=dossier.pk, command=commands.Forward(step="Thẩm định hồ sơ")
    )
    services.act(
        actor=world.specialist, dossier_id=dossier.pk, command=commands.RequestPayment(amount_vnd=50000)
    )
    return Payment.objects.select_related("dossier").get(dossier=dossier)


def _order(payment: Payment) -> dict[str, int]:
    return {"dossier_id": payment.dossier_id, "payment_id": payment.pk}


@pytest.fixture
def province(world: World, settings: Any, tmp_path: Path, standins: Any) -> Iterator[Known]:
    global _known
    settings.MEDIA_ROOT = tmp_path / "media"
    desk = world.receiver
    CollectingAccount.objects.create(
        agency=Agency.objects.get(code="H15"),
        bank_bin="970415",
        account_number="113000006100",
        account_name="Kho bạc Nhà nước tỉnh Đắk Lắk",
    )
    person = commands.Applicant(**applicant())
    received, _ = services.create_dossier(
        actor=desk, procedure_code="1.000956", channel="counter", applicant=person
    )
    returned, _ = services.create_dossier(
        actor=desk, procedure_code="1.000956", channel="counter", applicant=person
    )
    submitted, _ = services.create_dossier(  # online, not yet received: no code, no dates but one
        actor=world.citizen, procedure_code="1.000956", channel="online", applicant=person
    )
    services.act(actor=desk, dossier_id=returned.pk, command=commands.Forward(step="Phê duyệt"))
    one_page = result_pdf()
    unsigned = store_upload(
        actor=world.leader, name="kq.pdf", stream=io.BytesIO(one_page), size=len(one_page)
    )
    signing_knobs(standins.url, auto_approve_seconds=0)  # the leader confirms at once in the stand-in
    signed = result_signing.resolve(
        actor=world.leader,
        dossier_id=returned.pk,
        command=commands.Resolve(outcome="approved", result_file_id=str(unsigned.pk)),
        wait=10,
    )
    assert signed.dossier is not None
    signing_knobs(standins.url, auto_approve_seconds=None)
    result = signed.dossier.result_file
    assert result is not None
    services.act(actor=desk, dossier_id=returned.pk, command=commands.ReturnResult(method="online"))
    returned.refresh_from_db()
    paying, paid = (_awaiting_payment(world, person) for _ in range(2))
    services.act(
        actor=world.specialist,
        dossier_id=paid.dossier_id,
        command=commands.Pay(amount_vnd=paid.amount_vnd, method="counter", reference="BL1"),
    )
    payment_services.checkout(
        actor=desk,
        dossier_id=paying.dossier_id,
        payment_id=paying.pk,
        channel="vietqr",
        base_url="",
        client_ip="",
    )
    create_procedure(spec=exchange.validated(spec(code=DRAFT, steps=[])), publish=False)
    set_override(
        date=date.fromisoformat(OVERRIDE), kind="holiday", name="Nghỉ bù", legal_basis="", actor=None
    )
    dossiers = [{"dossier_id": d.pk} for d in (submitted, received, returned)]
    petition_body = petition_sample(agency_code="H15.TTPV")
    waiting, answered = (
        petition_services.submit(
            actor=None,
            **{k: v for k, v in petition_body.items() if k != "submitter"},
            submitter=SubmitterIn(**petition_body["submitter"]),
        )
        for _ in range(2)
    )
    for action in (PetitionCommand(Action.ACCEPT), PetitionCommand(Action.ANSWER, answer="Đã trả lời")):
        petition_services.act(
            actor=world.receiver if action.action is Action.ACCEPT else _desk_leader(),
            petition_id=answered.pk,
            command=action,
        )
    petitions = [{"petition_id": p.pk} for p in (waiting, answered)]
    sipas_services.load_questionnaire(
        data=json.loads(sipas_services.DEFAULT_FORM.read_text(encoding="utf-8"))
    )
    survey = sipas_services.create_survey(
        actor=world.admin,
        year=2026,
        agency_code="H15",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        sample_size=20,
    )
    paper_form = {"unit_code": "H15.STC", "form_number": "P-1", "answers": {"Q9.1": 4, "Q9.2": None}}
    sipas_services.enter_paper_form(
        actor=world.admin, survey_id=survey.pk, unit_code="H15.STC", answers={"Q9.1": 5}, form_number="P-0"
    )
    surveys = [{"survey_id": survey.pk}]
    framework = json.loads(par_services.EXAMPLE.read_text(encoding="utf-8")) | {"year": 2026}
    par_services.load_framework(data=framework)
    assessment = par_services.create_assessment(
        actor=world.admin,
        year=2026,
        framework_code="SO-NGANH",
        unit_codes=["H15.STC", "H15.16", "H15.105"],
    )
    # H15.STC submitted, to be appraised; H15.105 scored, for its leader to submit; H15.16 to score.
    for unit in ("H15.STC", "H15.105"):
        for _field, leaf in par_engine.parse(framework).leaves():
            if leaf.method == "self":
                par_services.set_self_score(
                    actor=world.admin,
                    assessment_id=assessment.pk,
                    unit_code=unit,
                    criterion=leaf.code,
                    self_score=leaf.max_points,
                )
    par_services.submit(actor=world.leader, assessment_id=assessment.pk, unit_code="H15.STC")
    commune_leader = create_user(
        username="ld.hoaphu", password=PASSWORD, role="leader", agency_code="H15.105"
    )
    assessments = [{"assessment_id": assessment.pk}]
    par_unit = {"assessment_id": assessment.pk, "unit_code": "H15.16"}
    with transaction.atomic():
        dead = outbox_services.enqueue("sms", "conformance-dead-letter", {"text": "x"})
    assert dead is not None
    OutboxMessage.objects.filter(pk=dead.pk).update(
        state=OutboxState.FAILED, attempts=8, last_error="timeout"
    )
    pair = {"code": returned.code, "id_number": CITIZEN_ID}
    with result.blob.open("rb") as f:
        signed_bytes = f.read()
    period = {"agency": "H15", "from": "2026-01-01", "to": "2026-12-31"}
    seeded = all_citizens()[1]  # known to the population stand-in (the ``standins`` fixture)
    citizen = {
        "id_number": seeded.id_number,
        "full_name": seeded.full_name,
        "birth_date": seeded.birth_date.isoformat(),
    }
    _known = Known(
        tokens={
            "admin": _token(world.admin),
            "desk": _token(desk),
            "citizen": _token(world.citizen),
            "leader": _token(commune_leader),
        },
        path={
            "/api/v1/agencies/{code}": [{"code": "H15"}, {"code": "H15.TTPV"}],
            "/api/v1/procedures/{code}": [{"code": "1.000956"}, {"code": DRAFT}],
            "/api/v1/procedures/{code}/versions": [{"code": "1.000956"}],
            "/api/v1/procedures/{code}/draft": [{"code": "1.000956"}],
            "/api/v1/procedures/{code}/publish": [{"code": DRAFT}],
            "/api/v1/calendar/days/{date}": [{"date": OVERRIDE}],
            "/api/v1/dossiers/{dossier_id}": dossiers,
            "/api/v1/dossiers/{dossier_id}/events": dossiers,
            "/api/v1/dossiers/{dossier_id}/notifications": dossiers,
            "/api/v1/dossiers/{dossier_id}/forms/{form}": [
                {"dossier_id": received.pk, "form": "receipt"},
                {"dossier_id": returned.pk, "form": "control-sheet"},
            ],
            "/api/v1/dossiers/{dossier_id}/actions": [{"dossier_id": received.pk}],
            "/api/v1/dossiers/{dossier_id}/result": [{"dossier_id": returned.pk}],
            "/api/v1/dossiers/{dossier_id}/payments/{payment_id}/checkout": [_order(paying)],
            "/api/v1/dossiers/{dossier_id}/payments/{payment_id}/qr.svg": [_order(paying)],
            "/api/v1/dossiers/{dossier_id}/payments/{payment_id}/receipt": [_order(paid)],
            "/api/v1/dossiers/{dossier_id}/signing": [{"dossier_id": returned.pk}],
            "/api/v1/files/{file_id}": [{"file_id": str(result.pk)}],
            "/api/v1/petitions/{petition_id}": petitions,
            "/api/v1/petitions/{petition_id}/events": petitions,
            "/api/v1/petitions/{petition_id}/actions": [{"petition_id": waiting.pk}],
            "/api/v1/petitions/{code}/evaluations": [{"code": answered.code}],
            "/api/v1/integrations/outbox/{message_id}/retry": [{"message_id": dead.pk}],
            "/api/v1/sipas/surveys/{survey_id}": surveys,
            "/api/v1/sipas/surveys/{survey_id}/progress": surveys,
            "/api/v1/sipas/surveys/{survey_id}/responses": surveys,
            "/api/v1/sipas/questionnaires/{year}": [{"year": 2026}],
            "/api/v1/par/assessments/{assessment_id}": assessments,
            "/api/v1/par/assessments/{assessment_id}/units/{unit_code}/scores/{criterion}": [
                par_unit | {"criterion": "1.1.1"}
            ],
            "/api/v1/par/assessments/{assessment_id}/units/{unit_code}/submit": [
                {"assessment_id": assessment.pk, "unit_code": "H15.105"}
            ],
            "/api/v1/par/assessments/{assessment_id}/units/{unit_code}/appraisals/{criterion}": [
                {"assessment_id": assessment.pk, "unit_code": "H15.STC", "criterion": "1.1.2"}
            ],
        },
        query={
            "/api/v1/metrics/service-index": [{}, period],
            "/api/v1/reports/dossiers": [
                {},
                period,
                {"format": "csv"},
                {"format": "xlsx", "group_by": "month"},
            ],
            "/api/v1/calendar/due": [
                {"start": "2026-12-01T09:00:00+07:00", "value": 3, "unit": "working_days"}
            ],
            "/api/v1/procedures/{code}": [{}],
            "/api/v1/procedures/export": [{"format": "json"}, {"format": "xlsx"}],
            "/api/v1/petitions": [{}, {"published": "true", "search": "thu tuc"}, {"status": "received"}],
            "/api/v1/sipas/index": [
                {"survey": survey.pk},
                {"survey": survey.pk, "by": "unit", "agency": "H15"},
                {"survey": survey.pk, "format": "xlsx"},
            ],
            "/api/v1/par/index": [
                {"assessment": assessment.pk},
                {"assessment": assessment.pk, "format": "xlsx"},
            ],
        },
        body={
            "POST /api/v1/auth/token": [{"username": world.admin.username, "password": PASSWORD}],
            "POST /api/v1/lookup": [pair],
            "POST /api/v1/lookup/result": [pair],
            "POST /api/v1/lookup/receipt": [
                {"code": paid.dossier.code, "id_number": CITIZEN_ID, "payment_id": paid.pk}
            ],
            "POST /api/v1/dossiers/{dossier_id}/payments/{payment_id}/checkout": [{"channel": "vietqr"}],
            "POST /api/v1/ratings": [{**pair, "satisfied": True}],
            "POST /api/v1/dossiers": [
                {"procedure_code": "1.000956", "channel": "counter", "applicant": applicant()}
            ],
            "POST /api/v1/dossiers/{dossier_id}/actions": [{"action": "forward", "step": "Thẩm định hồ sơ"}],
            "POST /api/v1/agencies": [
                {"code": "H15.99", "name": "Sở Thử nghiệm", "kind": "department", "parent_code": "H15"}
            ],
            "POST /api/v1/procedures": [spec(code="1.000111")],
            "POST /api/v1/procedures/{code}/draft": [spec()],
            "POST /api/v1/procedures/import": [{"file": _catalog_file()}],
            "PUT /api/v1/calendar/days/{date}": [{"kind": "holiday", "name": "Nghỉ bù"}],
            "POST /api/v1/files": [{"file": PDF}],
            "POST /api/v1/results/verify": [{"file": signed_bytes}],
            "POST /api/v1/population/lookup": [citizen],
            "POST /api/v1/petitions": [petition_body],
            "POST /api/v1/petitions/{petition_id}/actions": [{"action": "accept"}],
            "POST /api/v1/petitions/{code}/evaluations": [{"satisfied": True, "phone": PETITION_PHONE}],
            "POST /api/v1/sipas/surveys": [
                {
                    "year": 2026,
                    "agency_code": "H15",
                    "from": "2026-03-01",
                    "to": "2026-06-30",
                    "sample_size": 10,
                }
            ],
            "POST /api/v1/sipas/surveys/{survey_id}/responses": [paper_form],
            "POST /api/v1/par/assessments": [
                {"year": 2026, "framework": "SO-NGANH", "unit_codes": ["H15.STC"]}
            ],
            "PUT /api/v1/par/assessments/{assessment_id}/units/{unit_code}/scores/{criterion}": [
                {"self_score": 0.5, "note": "Kế hoạch số 12/KH"}
            ],
            "PUT /api/v1/par/assessments/{assessment_id}/units/{unit_code}/appraisals/{criterion}": [
                {"appraised_score": 1.5, "comment": "Đạt"}
            ],
        },
    )
    yield _known
    _known = None


@pytest.fixture(autouse=True)
def _in_process(settings: Any) -> Iterator[None]:
    """The test's own database connection serves the requests: Django must not close it at the end of
    each one (as its test client does), and passwords hash fast."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _headers(operation: Any, known: Known) -> dict[str, str]:
    security = operation.definition.raw.get("security", [])
    if not security or {} in security:
        return {}  # open to everyone: called anonymously
    role = (
        "desk"
        if operation.label in DESK_OPERATIONS
        else "citizen"
        if operation.label in CITIZEN_OPERATIONS
        else "leader"
        if operation.label in LEADER_OPERATIONS
        else "admin"
    )
    return {"Authorization": f"Bearer {known.tokens[role]}"}


@pytest.fixture
def unthrottled(monkeypatch: pytest.MonkeyPatch) -> None:
    """No rate limit while fuzzing (see the module docstring)."""
    monkeypatch.setattr(WindowThrottle, "THROTTLE_RATES", dict.fromkeys(WindowThrottle.THROTTLE_RATES))


@pytest.fixture
def answers(request: pytest.FixtureRequest) -> Iterator[Counter[int]]:
    """The status codes the operation answered; after its last case, one of them must be a success."""
    seen: Counter[int] = Counter()
    yield seen
    if not any(200 <= status < 300 for status in seen):
        pytest.fail(f"{request.node.name}: no 2xx answer among {dict(seen)}; give it known values above")


@schema.parametrize()
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])  # one province for all the cases
@pytest.mark.django_db
def test_the_app_answers_as_documented(
    case: Any, province: Known, answers: Counter[int], unthrottled: None
) -> None:
    response = case.call_and_validate(headers=_headers(case.operation, province), checks=CHECKS)
    if case.method == case.operation.method.upper():  # not one of the coverage phase's other methods
        answers[response.status_code] += 1


THROTTLED = [
    f"{method.upper()} {path}"
    for path, item in json.loads(DOCUMENT.read_text())["paths"].items()
    for method, operation in item.items()
    if "429" in operation["responses"]
]


def test_the_rate_limited_operations_are_those_of_the_contract() -> None:
    assert sorted(THROTTLED) == [
        "POST /api/v1/auth/token",
        "POST /api/v1/lookup",
        "POST /api/v1/lookup/receipt",
        "POST /api/v1/lookup/result",
        "POST /api/v1/petitions",
        "POST /api/v1/petitions/{code}/evaluations",
        "POST /api/v1/population/lookup",
        "POST /api/v1/ratings",
        "POST /api/v1/results/verify",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("label", THROTTLED)
def test_rate_limited_answers_conform(label: str, province: Known, monkeypatch: pytest.MonkeyPatch) -> None:
    """Past its limit (a low one here, to get there quickly) the operation answers the documented 429."""
    monkeypatch.setattr(
        WindowThrottle, "THROTTLE_RATES", dict.fromkeys(WindowThrottle.THROTTLE_RATES, "3/min")
    )
    method, path = label.split(" ")
    operation = schema[path][method]
    (body,) = province.body[label]
    path_parameters = (province.path.get(path) or [None])[0]
    statuses = []
    while len(statuses) < 10 and 429 not in statuses:
        media_type = (
            "multipart/form-data"
            if "multipart/form-data" in str(operation.definition.raw)
            else "application/json"
        )
        case = operation.Case(body=body, media_type=media_type, path_parameters=path_parameters)
        statuses.append(
            case.call_and_validate(headers=_headers(operation, province), checks=CHECKS).status_code
        )
    assert 200 <= statuses[0] < 300 and statuses[-1] == 429, statuses
