"""``motcua load-sipas``: idempotent, refuses a file of the wrong shape naming the field, and keeps
the questions the province added in the admin."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.sipas.models import Element, Item, Pillar, Questionnaire
from motcua.sipas.tests.conftest import form_data


def counts() -> tuple[int, int, int, int]:
    return (
        Questionnaire.objects.count(),
        Pillar.objects.count(),
        Element.objects.count(),
        Item.objects.count(),
    )


def test_loading_twice_changes_nothing(db: Any) -> None:
    call_command("load-sipas")
    first = counts()
    assert first == (1, 2, 9, 33)
    call_command("load-sipas")
    assert counts() == first


def test_a_question_added_by_the_province_survives_a_reload(db: Any) -> None:
    call_command("load-sipas")
    element = Element.objects.get(code="II.3")
    Item.objects.create(element=element, code="T.1", text="Công chức mặc đồng phục, đeo thẻ")
    call_command("load-sipas")
    added = Item.objects.get(code="T.1")
    assert added.local and added.questionnaire == element.pillar.questionnaire
    assert not Item.objects.get(code="Q9.1").local


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.pop("title"), "title"),
        (lambda d: d.update(wording="maybe"), "wording"),
        (lambda d: d["scale"].pop(), "scale"),
        (lambda d: d["pillars"][1]["elements"][0].pop("items"), "pillars[1].elements[0].items"),
        (
            lambda d: d["pillars"][0]["elements"][1]["items"][0].update(code="Q9.1"),
            "pillars[0].elements[1].items[0].code",
        ),
        (
            lambda d: d["pillars"][0]["elements"][0]["items"][1].update(text=""),
            "pillars[0].elements[0].items[1].text",
        ),
        (lambda d: d["questions"][3].update(options="Có"), "questions[3].options"),
    ],
)
def test_a_file_of_the_wrong_shape_is_refused_naming_the_field(
    db: Any, tmp_path: Path, change: Any, field: str
) -> None:
    data = form_data()
    change(data)
    path = tmp_path / "form.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(CommandError) as raised:
        call_command("load-sipas", str(path))
    assert f"{field}:" in str(raised.value)
    assert counts() == (0, 0, 0, 0)
