from __future__ import annotations

import os
import subprocess
import time
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
import requests

from community.page_cache import content_changed
from search.engine import Engine, EngineUnavailable
from tests.ports import free_port
from tests.processes import stop
from tests.services import unavailable
from tests.toolkit.conftest import home, index, make_toolkit  # noqa: F401  (fixtures)

BINARY = Path(__file__).resolve().parents[2] / "var" / "vendor" / "meilisearch" / "meilisearch"


def _unavailable(*args, **kwargs):
    raise EngineUnavailable("simulated")


@pytest.fixture
def engine_down():
    """engine_down() as a context: Meilisearch unreachable for the queries made inside, and
    no visitor's answer kept from before (the page cache would answer it unchanged)."""

    @contextmanager
    def down():
        content_changed()
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("search.query._meilisearch", _unavailable)
            yield

    return down


class ThrowawayMeilisearch:
    """Our own Meilisearch process (never the shared one), for stop/restart scenarios."""

    key = "throwaway-master-key-for-tests-only"

    def __init__(self, db_path: Path):
        self.db_path = db_path
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(BINARY),
                "--http-addr",
                f"127.0.0.1:{self.port}",
                "--master-key",
                self.key,
                "--db-path",
                str(self.db_path),
                "--env",
                "development",
                "--no-analytics",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=self.db_path.parent,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with suppress(requests.RequestException):  # not listening yet
                if requests.get(f"{self.url}/health", timeout=0.5).ok:
                    return
            if self.process.poll() is not None:
                raise RuntimeError("throwaway Meilisearch exited at start-up")
            time.sleep(0.1)
        raise RuntimeError("throwaway Meilisearch did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            stop(self.process)
        self.process = None

    def engine(self, prefix: str) -> Engine:
        return Engine(url=self.url, api_key=self.key, prefix=prefix)


@pytest.fixture
def throwaway(tmp_path, settings):
    if not BINARY.exists():
        unavailable("no vendored Meilisearch binary (run scripts/provision.sh)")
    server = ThrowawayMeilisearch(tmp_path / "meili-data")
    server.start()
    settings.MEILISEARCH_URL = server.url
    settings.MEILISEARCH_API_KEY = server.key
    settings.MEILISEARCH_INDEX_PREFIX = f"throwaway_{os.getpid()}"
    settings.SEARCH_QUERY_TIMEOUT = 5.0
    yield server
    server.stop()
