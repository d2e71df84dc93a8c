"""Server processes a test starts beside itself (ASGI and task workers, a web server)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.ports import free_port, wait_for_port
from tests.services import unavailable

ROOT = Path(__file__).resolve().parent.parent


def worker_env(home: Path, settings_module: str, **variables: str) -> dict[str, str]:
    """The environment of a worker on this test's database (on SQLite, a file the processes
    share): only what it needs, so nothing from the developer's shell leaks in."""
    db = connection.settings_dict
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(home)),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": settings_module,
        "SECRET_KEY": settings.SECRET_KEY,
        "DATABASE_URL": (
            f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
            if connection.vendor == "postgresql"
            else f"sqlite:///{db['NAME']}"
        ),
        "PYTHONPATH": str(ROOT),
        **variables,
    }


def stop(*processes: subprocess.Popen, timeout: float = 10) -> None:
    """Ask every process to end, then kill those still running after `timeout` seconds."""
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(5)


def logs(directory: Path, pattern: str = "*.log") -> str:
    """The end of each log file in `directory`, for an assertion's message."""
    return "\n".join(
        f"--- {path.name}\n{path.read_text()[-3000:]}" for path in directory.glob(pattern)
    )


class ThrowawayRedis:
    """A redis-server of the test's own (never the shared one): stop() then start() is a
    restart without persistence, its data lost."""

    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server", "--port", str(self.port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port, self.process)

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@pytest.fixture
def throwaway_redis() -> Iterator[ThrowawayRedis]:
    if shutil.which("redis-server") is None:
        unavailable("no redis-server binary")
    server = ThrowawayRedis()
    server.start()
    yield server
    server.stop()
