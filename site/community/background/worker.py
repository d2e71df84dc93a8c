"""The task worker: django-tasks-db's, plus the retry policy and the periodic scheduler."""

from __future__ import annotations

import logging
import threading
import time

from django.db import close_old_connections, connection
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker as DatabaseWorker
from django_tasks_db.models import DBTaskResult

from .periodic import run_due_jobs
from .retry import retry_or_give_up

logger = logging.getLogger(__name__)


class Worker(DatabaseWorker):
    def __init__(self, *, scheduler_interval: float | None, **options) -> None:
        super().__init__(**options)
        self.scheduler_interval = scheduler_interval

    def run(self) -> None:
        if self.scheduler_interval:
            threading.Thread(target=self.schedule, name="scheduler", daemon=True).start()
        super().run()

    def schedule(self) -> None:
        """Claim due periodic jobs every few seconds, in a thread of its own so a long task
        never delays them (the thread has its own database connection)."""
        while self.running:
            try:
                claimed = run_due_jobs()
                if claimed:
                    logger.info("periodic jobs enqueued: %s", ", ".join(claimed))
            except Exception:  # the database restarting, say: try again at the next tick
                logger.exception("periodic scheduler tick failed")
                connection.close()
            close_old_connections()
            time.sleep(self.scheduler_interval)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        super().run_task(db_task_result)
        if db_task_result.status == TaskResultStatus.FAILED:
            retry_or_give_up(db_task_result)
