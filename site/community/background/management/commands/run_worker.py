"""The platform's worker: runs the queued tasks (e-mails, search delivery, Wagtail's own)
with retries, and the periodic jobs. One or more per deployment; all may run at once."""

from __future__ import annotations

import os

from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from community.background.worker import Worker


class Command(db_worker.Command):
    help = (
        "Exécute les tâches de fond (e-mails, indexation, tâches de Wagtail) avec nouvelles "
        "tentatives, et les tâches périodiques (settings.PERIODIC_JOBS)."
    )

    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--scheduler-interval",
            type=float,
            default=5.0,
            help="Secondes entre deux recherches de tâches périodiques dues (0 : aucune).",
        )

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        interval: float,
        batch: bool,
        backend_name: str,
        startup_delay: bool,
        reload: bool,
        max_tasks: int | None,
        worker_id: str,
        scheduler_interval: float,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        worker = Worker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            # A batch run (tests, a one-off catch-up) empties the queue and stops.
            scheduler_interval=None if batch else scheduler_interval,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only the reloaded child
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
