"""The shared upload field: what it accepts is what the files service takes, and the browser's
refusal of a too-large file uses the server's own words."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.conf import settings
from django.utils import translation

from motcua.core.errors import InvalidInput
from motcua.files import sniff
from motcua.files.services import store_upload
from motcua.web.forms import ACCEPT, upload_field


def test_the_accepted_kinds_are_the_files_service_s() -> None:
    assert set(ACCEPT.split(",")) == {*sniff.ALLOWED.values(), ".jpeg"}


def test_the_browser_refuses_a_large_file_in_the_server_s_words(db: Any) -> None:
    with translation.override("vi"):
        field = upload_field("Giấy đề nghị")
        with pytest.raises(InvalidInput) as refused:
            store_upload(
                actor=None, name="scan.pdf", stream=io.BytesIO(b""), size=settings.MOTCUA_MAX_UPLOAD_BYTES + 1
            )
        server_says = str(refused.value.fields["file"][0])
    assert field.widget.attrs["data-too-large"] == server_says == "Tệp lớn hơn 20 MB."
    assert field.widget.attrs["data-max-bytes"] == str(settings.MOTCUA_MAX_UPLOAD_BYTES)
