"""Settings of the worker processes test_periodic.py starts: the test settings, with the
database task backend and one fast periodic job."""

from __future__ import annotations

from community.settings.test import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
PERIODIC_JOBS = {"tick": {"call": "tests.tasks.jobs.tick", "every": 2}}
