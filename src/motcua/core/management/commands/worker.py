"""``motcua worker``: runs the queued background tasks (django.tasks: the database backend, or Redis
Streams when ``MOTCUA_REDIS_URL`` is set), enqueues the periodic jobs when they are due, and
delivers the outbox in a loop of its own. Run as many as wanted: a task is claimed by one worker
only, a periodic job is not queued again while one is still waiting (with Redis: once per period,
whichever worker takes the slot), and an outbox message is leased to one worker at a time."""

from __future__ import annotations

import logging
import threading
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import autodiscover_modules
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from motcua.core import shared_redis
from motcua.core.periodic import SCHEDULE, Periodic

logger = logging.getLogger("motcua.worker")
WAITING = ("READY", "RUNNING")


def _redis_tasks() -> bool:
    return str(settings.TASKS["default"]["BACKEND"]).startswith("django_tasks_redis.")


def _waiting(job: Periodic) -> bool:
    """Whether the job must not be queued now: one is still waiting (database), or another worker
    took this period's slot (Redis: one SET NX for all the workers, expiring with the period)."""
    shared = shared_redis.client()
    if shared is not None and _redis_tasks():
        seconds = max(1, int(job.every.total_seconds()))
        return not shared.set(f"motcua:periodic:{job.task.module_path}", 1, nx=True, ex=seconds)
    return DBTaskResult.objects.filter(task_path=job.task.module_path, status__in=WAITING).exists()


def _schedule(stop: threading.Event, tick: float) -> None:
    """Enqueue every periodic job that is due; the first round at once, so a new worker catches up."""
    due = dict.fromkeys(range(len(SCHEDULE)), timezone.now())
    while not stop.is_set():
        close_old_connections()
        now = timezone.now()
        for i, job in enumerate(SCHEDULE):
            if now >= due[i]:
                try:
                    if not _waiting(job):
                        job.task.enqueue()
                    due[i] = now + job.every
                except Exception:  # a database that is briefly away must not end the schedule
                    logger.exception("could not enqueue %s", job.task.module_path)
        stop.wait(tick)


def _deliver(stop: threading.Event) -> None:
    """Send what the outbox holds; look again at once while there is more, else after a pause."""
    from motcua.outbox import delivery

    while not stop.is_set():
        close_old_connections()
        try:
            handled = delivery.drain().handled
        except Exception:  # a database that is briefly away must not end delivery
            logger.exception("outbox delivery failed")
            handled = 0
        if not handled:
            stop.wait(settings.MOTCUA_OUTBOX["idle_seconds"])


class Command(BaseCommand):
    help = "Run the background worker: queued tasks, and the periodic jobs when they are due."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0, help="seconds between looks at the queue")
        parser.add_argument("--batch", action="store_true", help="run what is queued (and due), then exit")

    def handle(self, *args: Any, **options: Any) -> None:
        autodiscover_modules("tasks")
        stop = threading.Event()
        if options["batch"]:
            for job in SCHEDULE:
                if not _waiting(job):
                    job.task.enqueue()
            from motcua.outbox import delivery

            drained = delivery.drain()
            self.stdout.write(
                f"Outbox: {drained.delivered} delivered, {drained.retried} to retry, {drained.failed} failed"
            )
        else:
            threading.Thread(target=_schedule, args=(stop, 1.0), daemon=True, name="schedule").start()
            threading.Thread(target=_deliver, args=(stop,), daemon=True, name="outbox").start()
        if _redis_tasks():
            self.stdout.write(f"MotCua worker: {len(SCHEDULE)} periodic jobs, tasks from Redis")
            try:
                # Its own loop: a consumer of the stream group, graceful on SIGTERM, reclaiming the
                # tasks of a worker that died (REDIS_CLAIM_TIMEOUT).
                from django_tasks_redis.management.commands.run_redis_tasks import Command as RedisWorker

                call_command(RedisWorker(), continuous=not options["batch"], stdout=self.stdout)
            finally:
                stop.set()
            return
        worker = Worker(
            queue_names=["*"],
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=not options["batch"],
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        worker.configure_signals()
        self.stdout.write(
            f"MotCua worker: {len(SCHEDULE)} periodic jobs, queue checked every {options['interval']} s"
        )
        try:
            worker.run()
        finally:
            stop.set()
