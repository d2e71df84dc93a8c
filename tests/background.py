"""The task pipeline in tests: the database backend, the real worker, a real SMTP server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def database_tasks(settings):
    """Tasks go to the database, as in production, and wait for run_worker; retries come
    quickly (0.2 s, 0.4 s…) so that tests can wait for them."""
    settings.TASKS = DATABASE_TASKS
    settings.TASK_RETRY = {
        **settings.TASK_RETRY,
        "max_attempts": 4,
        "base_delay": 0.2,
        "max_delay": 5,
    }


def run_worker() -> None:
    """The real worker, in batch mode: runs every task ready now, then returns."""
    call_command("run_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def tasks(path_suffix: str = "") -> list[DBTaskResult]:
    queryset = DBTaskResult.objects.filter(task_path__endswith=path_suffix)
    return list(queryset.order_by("enqueued_at"))


class Sink:
    """Keeps every message the SMTP server accepted, parsed (headers decoded)."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"


class SmtpServer:
    """A real SMTP server (aiosmtpd) on a free port, which tests stop and start again."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.sink = Sink()
        self.controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.sink, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def messages(self):
        return self.sink.messages


@pytest.fixture
def smtp(settings) -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()
