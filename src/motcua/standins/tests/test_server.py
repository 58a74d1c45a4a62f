"""The stand-ins' shared server: the label, the fault knobs, and the real process."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request
from typing import Any

import pytest
from werkzeug.routing import Rule
from werkzeug.test import Client
from werkzeug.wrappers import Request, Response

from motcua.standins.app import StandIn, StandIns, json_response, page
from motcua.standins.citizens import all_citizens, by_id_number


class Echo(StandIn):
    name = "echo"
    title = "Echo"
    malformed_body = "{not json"
    malformed_type = "application/json"

    def rules(self) -> list[Rule]:
        return [Rule("/", endpoint="home"), Rule("/ping", endpoint="ping", methods=["POST"])]

    def on_home(self, request: Request) -> Response:
        return page("Echo", "<p>hello</p>")

    def on_ping(self, request: Request) -> Response:
        return json_response({"pong": request.get_json()})


@pytest.fixture
def client() -> Client:
    return Client(StandIns([Echo()]))


def faults(client: Client, **body: Any) -> Any:
    return client.post("/_faults", json=body)


def test_every_page_says_it_is_a_stand_in(client: Client) -> None:
    for path in ("/", "/echo/", "/nowhere"):
        response = client.get(path)
        assert "Máy chủ giả lập (stand-in)" in response.text, path
        assert response.headers["X-Stand-In"] == "1"
    assert client.get("/nowhere").status_code == 404


def test_error_and_malformed_faults_count_down(client: Client) -> None:
    assert faults(client, system="echo", mode="error", count=2).status_code == 200
    assert client.post("/echo/ping", json={"a": 1}).status_code == 500
    assert client.post("/echo/ping", json={"a": 1}).status_code == 500
    assert client.post("/echo/ping", json={"a": 1}).json == {"pong": {"a": 1}}

    faults(client, system="echo", mode="malformed", count=1)
    bad = client.post("/echo/ping", json={})
    assert bad.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(bad.text)
    assert client.post("/echo/ping", json={}).status_code == 200


def test_latency_and_timeout_hold_the_request(client: Client) -> None:
    faults(client, system="echo", latency_ms=150)
    started = time.monotonic()
    client.post("/echo/ping", json={})
    assert time.monotonic() - started >= 0.15
    faults(client, system="echo", mode="timeout", hold_seconds=0.3, count=1)
    started = time.monotonic()
    client.post("/echo/ping", json={})
    assert time.monotonic() - started >= 0.3  # a knob replaces the one before: no latency now
    faults(client, reset=True)
    started = time.monotonic()
    client.post("/echo/ping", json={})
    assert time.monotonic() - started < 0.15


def test_bad_knobs_are_refused(client: Client) -> None:
    assert faults(client, system="nope", mode="error").status_code == 400
    assert faults(client, system="echo", mode="explode").status_code == 400
    assert faults(client, system="echo", latency_ms="slow").status_code == 400


def test_the_seeded_citizens_are_valid_and_the_same_every_time() -> None:
    from motcua.accounts.identity import check_applicant
    from motcua.demo.users import DEMO_USERS

    people = all_citizens()
    assert len(people) == len(by_id_number()) >= 3000
    for person in people:
        check_applicant("individual", person.id_number)  # raises on a bad number
        g = int(person.id_number[3])
        assert person.birth_date.year % 100 == int(person.id_number[4:6])
        assert person.male == (g % 2 == 0)
        assert person.permanent.commune_code and person.permanent.province
    for _u, _r, _a, name, pid in DEMO_USERS:
        if pid:
            assert by_id_number()[pid].full_name == name
    # Deterministic: a fresh generation gives the same people (cache bypassed).
    assert all_citizens.__wrapped__() == people  # type: ignore[attr-defined]


def test_the_real_process_answers_on_its_port(standins_url: str) -> None:
    with urllib.request.urlopen(f"{standins_url}/health", timeout=5) as r:  # noqa: S310 — loopback
        assert json.load(r)["stand_in"] is True
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(f"{standins_url}/no-such-system/", timeout=5)  # noqa: S310 — loopback
    assert missing.value.code == 404
    assert "stand-in" in missing.value.read().decode()
