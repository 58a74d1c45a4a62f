"""``motcua worker`` runs the periodic jobs: the dashboard's counts are brought up to date by it,
never by a page view."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from motcua.monitoring import rollup
from motcua.monitoring.models import FillState


@pytest.mark.django_db(transaction=True)
def test_the_worker_keeps_the_rollups_current(world: Any) -> None:
    from motcua.dossiers import commands, services
    from motcua.dossiers.tests.conftest import applicant

    services.create_dossier(
        actor=world.receiver,
        procedure_code="1.000956",
        channel="counter",
        applicant=commands.Applicant(**applicant()),
    )
    assert rollup.pending_work()
    call_command("worker", batch=True, stdout=io.StringIO())
    assert not rollup.pending_work()
    assert FillState.objects.get(name=rollup.FILL_STATE).last_run_at is not None
    job = DBTaskResult.objects.get(task_path="motcua.monitoring.tasks.refresh_rollups")
    assert job.status == "SUCCESSFUL"
    # Run again with nothing new: one more job, nothing to count, and no second job waits.
    call_command("worker", batch=True, stdout=io.StringIO())
    assert DBTaskResult.objects.filter(status__in=("READY", "RUNNING")).count() == 0
