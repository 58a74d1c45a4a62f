"""The demo's petitions: plausible proportions, codes that follow the daily serials, a history the
services would have written, and with them a numeric index total for the demo province."""

from __future__ import annotations

import io
import re
from collections import Counter
from datetime import date
from typing import Any

from django.core.management import call_command
from django.utils import timezone

from motcua.agencies.models import Agency
from motcua.monitoring import selectors
from motcua.petitions import lifecycle
from motcua.petitions.models import Petition, PetitionEvent, PetitionSerial, Submitter
from motcua.petitions.selectors import timeliness_of


def test_demo_data_makes_a_year_of_petitions_and_the_index_total_is_a_number(db: Any) -> None:
    out = io.StringIO()
    call_command("demo-data", dossiers=300, petitions=300, stdout=out)
    assert "Petitions: 300 generated" in out.getvalue()
    petitions = list(Petition.objects.all())
    statuses = Counter(p.status for p in petitions)
    assert statuses["published"] > 150 and statuses["refused"] > 0 and statuses["answered"] > 0
    assert Submitter.objects.count() == 300
    # Codes: PAKN-YYMMDD-NNNN, consecutive from 1 each day, and the counters continue after them.
    by_day: dict[str, list[int]] = {}
    for p in petitions:
        m = re.fullmatch(r"PAKN-(\d{6})-(\d{4})", p.code)
        assert m and m.group(1) == f"{timezone.localtime(p.received_at):%y%m%d}"
        by_day.setdefault(m.group(1), []).append(int(m.group(2)))
    assert all(sorted(n) == list(range(1, len(n) + 1)) for n in by_day.values())
    assert sum(PetitionSerial.objects.values_list("last", flat=True)) == 300
    # Every petition's history goes from its receipt to its status now, as the services write it.
    for p in petitions[:50]:
        events = list(PetitionEvent.objects.filter(petition=p).order_by("at", "id"))
        assert events[0].action == "submit" and events[-1].to_status == p.status
        assert all(a.to_status == b.from_status for a, b in zip(events, events[1:], strict=False))
    late = sum(not lifecycle.in_time(timeliness_of(p)) for p in petitions)
    assert 0 < late < 60
    today = timezone.localdate()
    whole, _units = selectors.service_index(Agency.objects.get(code="H15"), date(today.year, 1, 1), today)
    assert whole.result.total is not None and whole.result.band is not None
    assert whole.petitions.received == 300 and whole.petitions.staff_conduct > 0
    copies = next(i for g in whole.result.groups for i in g.indicators if i.code == "e_certified_copy")
    assert 0 < copies.numerator < copies.denominator
