"""`motcua load-par`: the example file loads, loads again without change, XLSX gives the same
framework as JSON, and a file whose points do not add up is refused naming the criterion."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from motcua.core.errors import InvalidInput
from motcua.par import engine, frameworks, services
from motcua.par.models import Framework
from motcua.par.tests.conftest import example


def load(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("load-par", str(path), *args, stdout=out)
    return out.getvalue()


def test_the_example_loads_then_loads_again_without_change(db: Any) -> None:
    assert "loaded" in load(services.EXAMPLE)
    first = Framework.objects.get()
    assert first.year == 2025 and first.code == "SO-NGANH"
    parsed = engine.parse(first.tree)
    # Hà Nội 5666's shape: 8 contents on 100 points, and bonus and penalty outside them.
    assert [f.kind for f in parsed.fields].count("score") == 8
    assert sum(f.max_points for f in parsed.fields if f.kind == "score") == 100
    assert {f.kind for f in parsed.fields} == {"score", "bonus", "penalty"}
    assert {leaf.method for _f, leaf in parsed.leaves()} == {"self", "survey", "system"}
    assert "unchanged" in load(services.EXAMPLE)
    again = Framework.objects.get()
    assert again.tree == first.tree and again.loaded_at == first.loaded_at


def test_year_option_loads_the_file_for_another_year(db: Any) -> None:
    load(services.EXAMPLE, "--year", "2026")
    assert Framework.objects.get().year == 2026


def test_xlsx_and_json_give_the_same_framework(db: Any, tmp_path: Path) -> None:
    data = example()
    path = tmp_path / "khung.xlsx"
    path.write_bytes(frameworks.to_xlsx(data))
    assert engine.parse(frameworks.from_xlsx(path.read_bytes())) == engine.parse(data)
    assert "loaded" in load(path)
    assert engine.parse(Framework.objects.get().tree) == engine.parse(data)
    # The same framework from the JSON file changes the content of nothing.
    assert engine.parse(services.load_framework(data=data)[0].tree) == engine.parse(data)


def test_a_file_whose_points_do_not_add_up_is_refused_naming_the_criterion(db: Any, tmp_path: Path) -> None:
    data = example()
    criterion = data["fields"][2]["criteria"][2]
    assert criterion["code"] == "3.3"
    criterion["criteria"][0]["max_points"] = 6  # 6 + 2 + 2 + 2 + 1 = 13, not 12
    path = tmp_path / "sai.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match=r"criteria\.3\.3\.max_points"):
        load(path)
    assert not Framework.objects.exists()


def test_an_xlsx_that_does_not_add_up_is_refused_too(db: Any, tmp_path: Path) -> None:
    data = example()
    data["fields"][0]["criteria"][0]["criteria"][1]["max_points"] = 3  # 1.1: 1 + 3 ≠ 3
    path = tmp_path / "sai.xlsx"
    path.write_bytes(frameworks.to_xlsx(data))
    with pytest.raises(CommandError, match=r"criteria\.1\.1\.max_points"):
        load(path)
    assert not Framework.objects.exists()


def test_an_unknown_metric_is_refused(db: Any) -> None:
    data = example()
    data["fields"][2]["criteria"][2]["criteria"][0]["metric"] = "weather"
    with pytest.raises(InvalidInput) as caught:
        services.load_framework(data=data)
    assert "criteria.3.3.1.metric" in caught.value.fields
    assert not Framework.objects.exists()


def test_a_766_indicator_code_is_a_metric(db: Any) -> None:
    data = example()
    data["fields"][2]["criteria"][2]["criteria"][0]["metric"] = "e_result"
    services.load_framework(data=data)
    assert Framework.objects.count() == 1
