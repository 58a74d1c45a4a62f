"""The agency's daily counter row is locked from the code's upsert until commit, so every statement
after it keeps the agency's other desks waiting (issue 16: "the code counter row held only for the
two statements that need it"). After the upsert come only the code's UPDATE and, when something
is announced, the one outbox INSERT whose messages carry the code (the applicant's SMS)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.dossiers import commands, services
from motcua.dossiers.tests.conftest import applicant, online_dossier
from motcua.outbox.models import OutboxMessage


def after_the_upsert(queries: CaptureQueriesContext) -> list[str]:
    """The statements sent after the counter's upsert, up to the end of the transaction (the
    statement and table of a write, a read whole)."""
    sqls = [q["sql"] for q in queries.captured_queries]
    upserts = [i for i, sql in enumerate(sqls) if "dossiers_dailyserial" in sql and "ON CONFLICT" in sql]
    assert len(upserts) == 1, sqls
    kinds = []
    for sql in sqls[upserts[0] + 1 :]:
        words = sql.split()
        if words[0] in {"COMMIT", "RELEASE"}:  # the end: RELEASE SAVEPOINT inside the test's transaction
            return kinds
        kinds.append(" ".join(words[:3]).replace('"', "") if words[0] in {"INSERT", "UPDATE"} else sql[:300])
    raise AssertionError(f"no end of the transaction after the upsert: {sqls}")


@pytest.fixture
def announced(settings: Any) -> None:
    """The portal, SMS, Zalo and e-mail on (nothing is sent here: the outbox only gets its rows)."""
    settings.MOTCUA_STANDINS_URL = "http://127.0.0.1:9"


def test_a_counter_receipt_sends_only_the_code_and_the_outbox_after_the_upsert(
    world: Any, announced: None
) -> None:
    with CaptureQueriesContext(connection) as queries:
        dossier, _new = services.create_dossier(
            actor=world.receiver,
            procedure_code="1.000956",
            channel="counter",
            applicant=commands.Applicant(**applicant()),
            documents=[commands.DocumentIn(code="GDN", name="Giấy đề nghị đăng ký doanh nghiệp")],
        )
    assert after_the_upsert(queries) == [
        "UPDATE dossiers_dossier SET",
        "INSERT INTO outbox_outboxmessage",
    ]
    sms = OutboxMessage.objects.get(dossier=dossier, target="sms")
    assert sms.payload["params"]["code"] == dossier.code  # the messages written after it carry the code
    assert dossier.events.get(action="receive").at == dossier.received_at


def test_receiving_an_online_dossier_sends_only_the_code_and_the_outbox_after_the_upsert(
    world: Any, announced: None
) -> None:
    submitted = online_dossier(world)
    with CaptureQueriesContext(connection) as queries:
        dossier = services.act(actor=world.receiver, dossier_id=submitted.pk, command=commands.Receive())
    assert after_the_upsert(queries) == [
        "UPDATE dossiers_dossier SET",
        "INSERT INTO outbox_outboxmessage",
    ]
    assert OutboxMessage.objects.filter(dossier=dossier, event="sync").count() == 1  # the portal hears of it


def test_with_nothing_to_announce_the_code_update_is_the_last_statement(world: Any, settings: Any) -> None:
    settings.MOTCUA_STANDINS_URL = ""
    with CaptureQueriesContext(connection) as queries:
        services.create_dossier(
            actor=world.receiver,
            procedure_code="1.000956",
            channel="counter",
            applicant=commands.Applicant(**applicant()),
            documents=[commands.DocumentIn(code="GDN", name="Giấy đề nghị đăng ký doanh nghiệp")],
        )
    assert after_the_upsert(queries) == ["UPDATE dossiers_dossier SET"]
