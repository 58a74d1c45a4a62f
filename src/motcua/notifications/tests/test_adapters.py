"""The real SMS and ZNS adapters against the stand-ins' process: the contract both sides keep."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from motcua.integrations import registry, transport
from motcua.integrations.sms.ports import Sms
from motcua.integrations.zalo.ports import Zns

pytestmark = pytest.mark.usefixtures("standins")


def inbox(url: str, phone: str) -> list[dict[str, Any]]:
    with urllib.request.urlopen(f"{url}/inbox?phone={phone}&format=json", timeout=5) as r:  # noqa: S310 — loopback
        return list(json.load(r)["messages"])


def sms(**changes: Any) -> Sms:
    base: dict[str, Any] = {
        "to": "84912000101",
        "template_id": "MC_TIEPNHAN",
        "params": ("H15-261201-0001", "04/12/2026"),
        "key": "adapter:sms:1",
    }
    return Sms(**(base | changes))


def zns(**changes: Any) -> Zns:
    base: dict[str, Any] = {
        "to": "84912000102",
        "template_id": "300101",
        "data": {"ma_ho_so": "H15-261201-0001", "ngay_hen_tra": "04/12/2026"},
        "key": "adapter:zalo:1",
    }
    return Zns(**(base | changes))


def test_sms_is_sent_once_per_key(standins: Any) -> None:
    gateway = registry.sms_gateway("H15.TTPV")
    assert gateway is not None
    gateway.send(sms())
    gateway.send(sms())  # the gateway answers "0" and does not send it again
    assert [m["text"][:30] for m in inbox(standins.url, "84912000101")] == ["Ho so H15-261201-0001 da duoc "]


@pytest.mark.parametrize(
    "message",
    [
        sms(template_id="MC_KHONGCO", key="adapter:sms:unknown"),
        sms(params=("H15-1",), key="adapter:sms:count"),
        sms(to="0912000101", key="adapter:sms:number"),
    ],
    ids=["unknown template", "wrong parameter count", "not 84"],
)
def test_sms_refusals_are_rejected(standins: Any, message: Sms) -> None:
    gateway = registry.sms_gateway()
    assert gateway is not None
    with pytest.raises(transport.Rejected):
        gateway.send(message)


def test_sms_wrong_account_is_rejected(standins: Any, settings: Any) -> None:
    settings.MOTCUA_INTEGRATIONS = {**settings.MOTCUA_INTEGRATIONS, "sms": {"url": "", "api_pass": "wrong"}}
    gateway = registry.sms_gateway()
    assert gateway is not None
    with pytest.raises(transport.Rejected):
        gateway.send(sms(key="adapter:sms:account"))


def test_an_agency_with_its_own_brandname(standins: Any, settings: Any) -> None:
    settings.MOTCUA_SMS_PROVIDERS = {
        "H15.100": {"label_id": "UBNDTINH"},
        "H15": {"label_id": "NOT-REGISTERED"},
    }
    commune, province = registry.sms_gateway("H15.100.TTPV"), registry.sms_gateway("H15.TTPV")
    assert commune is not None and province is not None
    commune.send(sms(to="84912000103", key="adapter:sms:brand"))
    assert inbox(standins.url, "84912000103")[0]["sender"] == "UBNDTINH"
    with pytest.raises(transport.Rejected):  # the longest prefix wins: H15's brandname is not registered
        province.send(sms(to="84912000103", key="adapter:sms:brand2"))


@pytest.mark.parametrize("mode", ["error", "malformed"])
def test_sms_gateway_down_is_unavailable(standins: Any, mode: str) -> None:
    standins.fault("sms", mode)
    gateway = registry.sms_gateway()
    assert gateway is not None
    with pytest.raises(transport.Unavailable):
        gateway.send(sms(key=f"adapter:sms:{mode}"))


def test_zns_is_sent_once_per_tracking_id(standins: Any) -> None:
    sender = registry.zns_sender()
    assert sender is not None
    first = sender.send(zns())
    assert sender.send(zns()) == first
    assert len(inbox(standins.url, "84912000102")) == 1


@pytest.mark.parametrize(
    "message",
    [
        zns(template_id="999999", key="adapter:zalo:unknown"),
        zns(data={"ma_ho_so": "X"}, key="adapter:zalo:params"),
        zns(to="0912", key="adapter:zalo:phone"),
    ],
    ids=["unknown template", "wrong parameters", "not a phone"],
)
def test_zns_refusals_are_rejected(standins: Any, message: Zns) -> None:
    sender = registry.zns_sender()
    assert sender is not None
    with pytest.raises(transport.Rejected):
        sender.send(message)


def test_zns_quota_used_up_is_a_delay_not_a_refusal(standins: Any) -> None:
    sender = registry.zns_sender()
    assert sender is not None

    def quota(remaining: int) -> None:
        request = urllib.request.Request(  # noqa: S310 — loopback
            f"{standins.url}/zalo/_quota",
            data=json.dumps({"remaining": remaining}).encode(),
            headers={"Content-Type": "application/json"},
        )
        urllib.request.urlopen(request, timeout=5).close()  # noqa: S310 — loopback

    quota(0)
    try:
        with pytest.raises(transport.Unavailable):
            sender.send(zns(to="84912000104", key="adapter:zalo:quota"))
    finally:
        quota(500_000)
    sender.send(zns(to="84912000104", key="adapter:zalo:quota"))
    assert len(inbox(standins.url, "84912000104")) == 1
