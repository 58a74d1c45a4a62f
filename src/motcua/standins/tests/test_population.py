"""The population stand-in's own pages and refusals (the look-up itself: integrations/population/tests)."""

from __future__ import annotations

from werkzeug.test import Client

from motcua.standins.app import build
from motcua.standins.citizens import all_citizens


def test_the_index_page_explains_and_shows_sample_ids() -> None:
    page = Client(build()).get("/population/")
    assert page.status_code == 200
    text = page.text
    assert "Máy chủ giả lập (stand-in)" in text and "TraCuuThongTinCongDan" in text
    assert all_citizens()[0].id_number in text
    assert "/population/" in Client(build()).get("/").text


def test_no_credentials_or_not_a_request_are_refused() -> None:
    client = Client(build())
    refused = client.post("/population/", data=b"<x/>", headers={"Content-Type": "application/xml"})
    assert refused.status_code == 401 and "Fault" in refused.text
    assert client.post("/population/apiCSDLDanCu/ChiaSeThongTinCongDan", json={}).status_code == 401
