"""Server processes a test starts beside itself (ASGI and task workers, a web server)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from django.conf import settings
from django.db import connection

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
