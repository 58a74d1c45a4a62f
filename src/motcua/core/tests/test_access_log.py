"""The server's access log keeps secrets, personal numbers and one-time links out (the brief: none
in logs), whatever a client puts in the URL."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from gunicorn.config import Config

from motcua.conf.gunicorn import MaskedAccessLogger


def line(raw_uri: str, referer: str = "-") -> str:
    path, _, query = raw_uri.partition("?")
    environ = {
        "REQUEST_METHOD": "POST",
        "RAW_URI": raw_uri,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "203.0.113.7",
        "HTTP_REFERER": referer,
    }
    resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
    req = SimpleNamespace(headers=[])
    logger = MaskedAccessLogger(Config())
    atoms = logger.atoms(resp, req, environ, timedelta(milliseconds=5))
    return str(logger.cfg.access_log_format % atoms)


def test_a_shared_secret_in_the_query_is_not_logged() -> None:
    logged = line("/api/integrations/vneid/dossiers?CodeGet=s3cret-of-the-province")
    assert "s3cret" not in logged and "CodeGet" not in logged
    assert '"POST /api/integrations/vneid/dossiers HTTP/1.1" 200' in logged


def test_personal_numbers_and_survey_links_are_masked_in_the_path_and_the_referer() -> None:
    logged = line("/khao-sat/AbCdEf123456/", referer="https://x.vn/tra-cuu/?so=066185000123")
    assert "AbCdEf123456" not in logged and "/khao-sat/***" in logged
    assert "066185000123" not in logged
