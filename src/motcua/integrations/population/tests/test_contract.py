"""One contract, two sides: the stand-in served in-process (werkzeug's test client, requests written
here from the brief, not by our adapter) and the real adapter (``client.py``) against the real
stand-ins process. Each case runs on both, so neither can drift from the other."""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol
from xml.etree.ElementTree import Element  # noqa: S405 — the type only

import pytest
from defusedxml import ElementTree
from werkzeug.test import Client

from motcua.integrations import config, transport
from motcua.integrations.population.client import PopulationClient
from motcua.integrations.population.ports import CitizenQuery
from motcua.standins.app import StandIns
from motcua.standins.citizens import Citizen, all_citizens, by_id_number
from motcua.standins.population import Population

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
DAN = "http://dancuquocgia.bca"
NS1 = "http://www.mic.gov.vn/dancu/1.0"
USER, SECRET = "motcua", "standin-population-secret"


class Side(Protocol):
    def lookup(
        self, id_number: str, name: str, *, day: date | None = None, year: int | None = None
    ) -> dict[str, Any] | None: ...

    def fault(self, mode: str, **knobs: Any) -> None: ...

    def with_credentials(self, *, secret: str = SECRET, skew: int = 0) -> Side: ...


# --- the stand-in in-process ---------------------------------------------------------------------------


def _text(parent: Element, path: str) -> str:
    found = parent.find(path, {"ns1": NS1})
    return (found.text or "") if found is not None else ""


@dataclass
class InProcess:
    """Requests written by hand from integrations.md §2.2; replies read the same way."""

    client: Client
    secret: str = SECRET
    skew: int = 0
    mode: str = "soap"
    name: str = field(default="stand-in in-process")

    def with_credentials(self, *, secret: str = SECRET, skew: int = 0) -> InProcess:
        return InProcess(self.client, secret, skew, self.mode)

    def fault(self, mode: str, **knobs: Any) -> None:
        self.client.post("/_faults", json={"system": "population", "mode": mode, **knobs})

    def lookup(
        self, id_number: str, name: str, *, day: date | None = None, year: int | None = None
    ) -> dict[str, Any] | None:
        url = "http://localhost/population/"
        stamp = int(time.time()) + self.skew
        digest = hashlib.sha256(f"{url}{USER}{stamp}{self.secret}".encode()).hexdigest()
        headers = {
            "Authorization": "Basic " + base64.b64encode(f"{USER}:{digest}".encode()).decode(),
            "timestamp": str(stamp),
        }
        id_tag = "SoCMND" if len(id_number) == 9 else "SoDinhDanh"
        birth = f"<dan:NgayThangNam>{day:%Y%m%d}</dan:NgayThangNam>" if day else f"<dan:Nam>{year}</dan:Nam>"
        body = (
            f'<soapenv:Envelope xmlns:soapenv="{SOAP}" xmlns:dan="{DAN}"><soapenv:Header/><soapenv:Body>'
            "<dan:TraCuuThongTinCongDan><dan:MaYeuCau>T-1</dan:MaYeuCau><dan:MaDVC>VPCP</dan:MaDVC>"
            "<dan:MaTichHop>037</dan:MaTichHop><dan:MaCanBo>cb1</dan:MaCanBo>"
            f"<dan:{id_tag}>{id_number}</dan:{id_tag}><dan:HoVaTen>{name.upper()}</dan:HoVaTen>"
            f"<dan:NgayThangNamSinh>{birth}</dan:NgayThangNamSinh>"
            "</dan:TraCuuThongTinCongDan></soapenv:Body></soapenv:Envelope>"
        )
        response = self.client.post(
            url, data=body.encode(), headers={**headers, "Content-Type": "application/xml"}
        )
        if response.status_code >= 500:
            raise transport.Unavailable("population", f"HTTP {response.status_code}")
        if response.status_code >= 400:
            raise transport.Rejected("population", f"HTTP {response.status_code}")
        try:
            root = ElementTree.fromstring(response.data)
        except Exception as exc:
            raise transport.Malformed("population", "not XML") from exc
        collection = root.find(f"{{{SOAP}}}Body/{{{NS1}}}CongdanCollection")
        if collection is None:
            raise transport.Malformed("population", "no CongdanCollection")
        person = collection.find(f"{{{NS1}}}CongDan")
        if person is None:
            return None
        born = _text(person, "ns1:NgayThangNamSinh/ns1:NgayThangNam")
        return {
            "id_number": _text(person, "ns1:SoDinhDanh"),
            "full_name": " ".join(
                t for t in (_text(person, f"ns1:HoVaTen/ns1:{p}") for p in ("Ho", "ChuDem", "Ten")) if t
            ),
            "birth_date": date(int(born[:4]), int(born[4:6]), int(born[6:])),
            "sex": {"1": "male", "2": "female"}[_text(person, "ns1:GioiTinh")],
            "province": _text(person, "ns1:ThuongTru/ns1:MaTinhThanh"),
            "district": _text(person, "ns1:ThuongTru/ns1:MaQuanHuyen"),
            "commune": _text(person, "ns1:ThuongTru/ns1:MaPhuongXa"),
            "detail": _text(person, "ns1:ThuongTru/ns1:ChiTiet"),
        }


# --- the real adapter against the real stand-ins process ----------------------------------------------


@dataclass
class Adapter:
    control: Any  # the ``standins`` fixture
    mode: str
    secret: str = SECRET
    skew: int = 0

    def with_credentials(self, *, secret: str = SECRET, skew: int = 0) -> Adapter:
        return Adapter(self.control, self.mode, secret, skew)

    def fault(self, mode: str, **knobs: Any) -> None:
        self.control.fault("population", mode, **knobs)

    def lookup(
        self, id_number: str, name: str, *, day: date | None = None, year: int | None = None
    ) -> dict[str, Any] | None:
        found = config.system("population")
        assert found is not None and found.standin
        options = {**found.options, "mode": self.mode, "secret": self.secret}
        client = PopulationClient(
            config.SystemConfig("population", found.url, True, options),
            clock=lambda: time.time() + self.skew,
        )
        record = client.lookup(
            CitizenQuery(id_number, name, birth_date=day, birth_year=year),
            request_id="T-1",
            officer_code="cb1",
        )
        if record is None:
            return None
        return {
            "id_number": record.id_number,
            "full_name": record.full_name,
            "birth_date": record.birth_date,
            "sex": record.sex,
            "province": record.permanent_address.province_code,
            "district": record.permanent_address.district_code,
            "commune": record.permanent_address.commune_code,
            "detail": record.permanent_address.detail,
        }


@pytest.fixture(params=["stand-in", "adapter-soap", "adapter-lgsp"])
def side(request: pytest.FixtureRequest, settings: Any) -> Iterator[Side]:
    settings.MOTCUA_INTEGRATION_ATTEMPTS = 2
    if request.param == "stand-in":
        yield InProcess(Client(StandIns([Population()])))
    else:
        control = request.getfixturevalue("standins")
        yield Adapter(control, "lgsp_json" if request.param == "adapter-lgsp" else "direct_soap")


def someone(*, old_id: bool = False, ede: bool = False) -> Citizen:
    return next(
        c
        for c in all_citizens()
        if (not old_id or c.old_id_number) and (not ede or c.full_name.startswith(("Y ", "H'")))
    )


# --- the contract ----------------------------------------------------------------------------------


def test_match_by_id_name_and_birth_date(side: Side) -> None:
    person = someone()
    found = side.lookup(person.id_number, person.full_name, day=person.birth_date)
    assert found == {
        "id_number": person.id_number,
        "full_name": person.full_name,
        "birth_date": person.birth_date,
        "sex": "male" if person.male else "female",
        "province": person.permanent.province_code,
        "district": "",  # no district level after 01/07/2025
        "commune": person.permanent.commune_code,
        "detail": person.permanent.detail,
    }


def test_match_by_id_name_and_birth_year(side: Side) -> None:
    person = all_citizens()[7]
    found = side.lookup(person.id_number, person.full_name, year=person.birth_date.year)
    assert found is not None and found["id_number"] == person.id_number


def test_the_name_matches_in_lower_case_and_without_diacritics(side: Side) -> None:
    person = someone(ede=True)
    bare = person.full_name.replace("ê", "e").replace("Ê", "E").replace("ă", "a").replace("ô", "o")
    bare = bare.replace("ơ", "o").replace("í", "i").replace("ư", "u")
    found = side.lookup(person.id_number, f"  {bare.lower()} ", day=person.birth_date)
    assert found is not None and found["full_name"] == person.full_name


def test_the_old_id_card_number_matches(side: Side) -> None:
    person = someone(old_id=True)
    found = side.lookup(person.old_id_number, person.full_name, day=person.birth_date)
    assert found is not None and found["id_number"] == person.id_number


def test_a_wrong_birth_year_or_date_is_no_match(side: Side) -> None:
    person = someone()
    assert side.lookup(person.id_number, person.full_name, year=person.birth_date.year + 1) is None
    other_day = person.birth_date.replace(day=person.birth_date.day % 28 + 1)
    assert side.lookup(person.id_number, person.full_name, day=other_day) is None


def test_an_unknown_id_or_another_name_is_no_match(side: Side) -> None:
    person = someone()
    unknown = next(f"066090{n:06d}" for n in range(999999, 0, -1) if f"066090{n:06d}" not in by_id_number())
    assert side.lookup(unknown, person.full_name, day=person.birth_date) is None
    assert side.lookup(person.id_number, "Nguyễn Văn Khác", day=person.birth_date) is None


def test_bad_credentials_or_an_old_timestamp_are_rejected(side: Side) -> None:
    person = someone()
    with pytest.raises(transport.Rejected):
        side.with_credentials(secret="not-the-secret").lookup(  # noqa: S106 — a wrong one on purpose
            person.id_number, person.full_name, day=person.birth_date
        )
    with pytest.raises(transport.Rejected):
        side.with_credentials(skew=-360).lookup(person.id_number, person.full_name, day=person.birth_date)
    # Within the five minutes either way is fine.
    assert side.with_credentials(skew=200).lookup(person.id_number, person.full_name, day=person.birth_date)


def test_a_server_error_is_unavailable(side: Side) -> None:
    person = someone()
    side.fault("error")
    with pytest.raises(transport.Unavailable) as failed:
        side.lookup(person.id_number, person.full_name, day=person.birth_date)
    assert type(failed.value) is transport.Unavailable


def test_a_broken_reply_is_malformed(side: Side) -> None:
    person = someone()
    side.fault("malformed", count=1)
    with pytest.raises(transport.Malformed):
        side.lookup(person.id_number, person.full_name, day=person.birth_date)
    assert side.lookup(person.id_number, person.full_name, day=person.birth_date) is not None


def test_a_slow_registry_is_unavailable(side: Side, settings: Any) -> None:
    """The stand-in holds the request; the adapter gives up at its timeout. In-process there is no
    client to give up, so that side checks the hold itself: the answer comes, but only after it."""
    if isinstance(side, InProcess):
        person = someone()
        side.fault("timeout", hold_seconds=0.4, count=1)
        started = time.monotonic()
        assert side.lookup(person.id_number, person.full_name, day=person.birth_date) is not None
        assert time.monotonic() - started >= 0.4
        return
    settings.MOTCUA_INTEGRATION_TIMEOUT = 0.3
    settings.MOTCUA_INTEGRATION_ATTEMPTS = 1
    person = someone()
    side.fault("timeout", hold_seconds=1.0)
    started = time.monotonic()
    with pytest.raises(transport.Unavailable) as failed:
        side.lookup(person.id_number, person.full_name, day=person.birth_date)
    assert type(failed.value) is transport.Unavailable and "timed out" in str(failed.value)
    assert time.monotonic() - started < 0.9
