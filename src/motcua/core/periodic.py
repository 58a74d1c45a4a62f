"""Jobs that run on a schedule beside the queued tasks: each app declares its own in its ``tasks``
module, and ``motcua worker`` enqueues each one when it is due, unless one is still waiting."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Periodic:
    task: Any  # a django.tasks Task
    every: timedelta


SCHEDULE: list[Periodic] = []


def every(seconds: float) -> Callable[[T], T]:
    """Register a task to be enqueued every ``seconds``: ``@every(30)`` above ``@task()``."""

    def register(task: T) -> T:
        SCHEDULE.append(Periodic(task, timedelta(seconds=seconds)))
        return task

    return register
