"""The SMS, Zalo and inbox stand-ins on their own (werkzeug's test client, no process)."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.test import Client

from motcua.standins import accounts, app, sms, zalo

ACCOUNT = accounts.DEFAULTS["sms"]
TOKEN = {"access_token": accounts.DEFAULTS["zalo"]["access_token"]}


@pytest.fixture
def client() -> Client:
    return Client(app.build())


def rqst(**changes: Any) -> dict[str, Any]:
    body = {
        "name": "send_sms_list",
        "REQID": "notify:1:2:sms",
        "LABELID": ACCOUNT["label_id"],
        "CONTRACTTYPEID": ACCOUNT["contract_type_id"],
        "CONTRACTID": ACCOUNT["contract_id"],
        "TEMPLATEID": "MC_TIEPNHAN",
        "PARAMS": [{"NUM": "1", "CONTENT": "H15-261201-0001"}, {"NUM": "2", "CONTENT": "04/12/2026"}],
        "SCHEDULETIME": "",
        "MOBILELIST": "84912345678",
        "ISTELCOSUB": "0",
        "AGENTID": ACCOUNT["agent_id"],
        "APIUSER": ACCOUNT["api_user"],
        "APIPASS": ACCOUNT["api_pass"],
        "USERNAME": ACCOUNT["username"],
        "DATACODING": "0",
    }
    body.update(changes)
    return {"RQST": body}


def error(client: Client, body: dict[str, Any]) -> str:
    reply = client.post("/sms/", json=body).get_json()["RPLY"]
    assert reply["name"] == "send_sms_list"
    return str(reply["ERROR"])


def inbox(client: Client, **query: str) -> list[dict[str, Any]]:
    return list(client.get("/inbox", query_string=query).get_json()["messages"])


def test_sms_sends_the_registered_template_once_per_reqid(client: Client) -> None:
    assert error(client, rqst()) == "0"
    assert error(client, rqst()) == "0"  # the same REQID: taken, not sent again
    got = inbox(client, phone="84912345678")
    assert len(got) == 1
    assert (
        got[0]["text"] == "Ho so H15-261201-0001 da duoc tiep nhan. Ngay hen tra ket qua: 04/12/2026. "
        "Tra cuu tai Cong dich vu cong."
    )
    assert got[0]["sender"] == ACCOUNT["label_id"]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"APIPASS": "wrong"}, "1"),
        ({"TEMPLATEID": "MC_KHONGCO"}, "2"),
        ({"PARAMS": [{"NUM": "1", "CONTENT": "H15-1"}]}, "3"),
        ({"MOBILELIST": "0912345678"}, "4"),
        ({"name": "send_sms"}, "5"),
        ({"LABELID": "OTHER"}, "6"),
    ],
)
def test_sms_refusals(client: Client, changes: dict[str, Any], code: str) -> None:
    assert error(client, rqst(**changes)) == code
    assert inbox(client, phone="84912345678") == []


def zns(client: Client, headers: dict[str, str] | None = None, **changes: Any) -> dict[str, Any]:
    body = {
        "phone": "84912345678",
        "template_id": "300101",
        "template_data": {"ma_ho_so": "H15-261201-0001", "ngay_hen_tra": "04/12/2026"},
        "tracking_id": "notify:1:2:zalo",
    }
    body.update(changes)
    return dict(
        client.post(
            "/zalo/message/template", json=body, headers=TOKEN if headers is None else headers
        ).get_json()
    )


def test_zns_echoes_the_tracking_id_and_sends_once(client: Client) -> None:
    first, again = zns(client), zns(client)
    assert first["error"] == 0 and first["data"]["tracking_id"] == "notify:1:2:zalo"
    assert again["data"]["msg_id"] == first["data"]["msg_id"]
    assert [m["text"] for m in inbox(client, phone="84912345678")] == [
        "Hồ sơ H15-261201-0001 đã được tiếp nhận. Ngày hẹn trả: 04/12/2026."
    ]


def test_zns_refusals_and_quota(client: Client) -> None:
    assert zns(client, headers={"access_token": "nope"})["error"] == -124
    assert zns(client, template_id="999")["error"] == -109
    assert zns(client, template_data={"ma_ho_so": "X"})["error"] == -1123
    assert zns(client, phone="0912")["error"] == -108
    client.post("/zalo/_quota", json={"remaining": 0})
    assert zns(client)["error"] == -1141
    assert inbox(client) == []


def test_inbox_is_newest_first_and_html_for_browsers(client: Client) -> None:
    error(client, rqst(REQID="a"))
    error(client, rqst(REQID="b", TEMPLATEID="MC_COKETQUA", PARAMS=[{"NUM": "1", "CONTENT": "X-2"}]))
    assert [m["template"] for m in inbox(client, phone="84912345678")] == ["MC_COKETQUA", "MC_TIEPNHAN"]
    assert inbox(client, phone="84999999999") == []
    page = client.get("/inbox?phone=84912345678", headers={"Accept": "text/html,*/*"})
    assert page.mimetype == "text/html" and "stand-in" in page.get_data(as_text=True)
    assert client.get("/inbox?format=json", headers={"Accept": "text/html"}).mimetype == "application/json"


def test_the_gateways_templates_are_motcuas() -> None:
    """What the operator registered with VNPT and Zalo is what MotCua's registry sends."""
    from motcua.notifications.templates import TEMPLATES, ZALO_NAMES

    values = {"code": "H15-261201-0001", "due_date": "04/12/2026", "amount": "1.500.000"}
    for template in TEMPLATES.values():
        params = {str(n): v for n, v in enumerate(template.sms_params(values), start=1)}
        assert sms.render(sms.TEMPLATES[template.sms_id], params) == template.sms_text(values)
        assert sms.slots(sms.TEMPLATES[template.sms_id]) == len(template.params)
        names, _text = zalo.TEMPLATES[template.zalo_id]
        assert set(names) == {ZALO_NAMES[p] for p in template.params}
