"""Durable background work on Django's tasks API (django-tasks, database backend).

Requests enqueue, after their commit, with ``enqueue_on_commit``; ``manage.py run_worker``
runs the tasks, retries failures with exponential back-off (``retry.py``), runs the
periodic jobs of settings.PERIODIC_JOBS (``periodic.py``), and leaves a task that keeps
failing in the failed state, listed for staff in the Wagtail admin (« Tâches en échec »).
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task: Any, *args: Any, **kwargs: Any) -> None:
    """Enqueue the task once the current transaction commits (now, outside of one).

    A rolled-back action enqueues nothing, and a failure to enqueue is logged, never raised
    into a request whose work is already committed (robust on_commit)."""
    transaction.on_commit(functools.partial(task.enqueue, *args, **kwargs), robust=True)
