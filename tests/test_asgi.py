"""The ASGI application serves pages and guards websockets by Origin (channels.testing)."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.testing import HttpCommunicator, WebsocketCommunicator
from django.db import connections
from django.test import override_settings

from community.asgi import application
from tests.ports import free_port
from tests.test_deploy_check import serve_and_get


@pytest_asyncio.fixture
async def close_thread_connections():
    """Views run in asgiref's shared thread: close its connections so PostgreSQL can drop
    the test database at the end of the run."""
    yield
    await sync_to_async(connections.close_all)()


def in_process(test):
    """An async test of the application in this process, on the test database."""
    marks = [
        pytest.mark.asyncio,
        pytest.mark.django_db(transaction=True),
        pytest.mark.usefixtures("close_thread_connections"),
    ]
    for mark in marks:
        test = mark(test)
    return test


@in_process
@override_settings(MEILISEARCH_URL="")
async def test_serves_an_http_request():
    communicator = HttpCommunicator(
        application, "GET", "/sante/", headers=[(b"host", b"localhost")]
    )
    response = await communicator.get_response(timeout=10)
    assert response["status"] == 200
    body = json.loads(response["body"])
    assert body["healthy"] is True
    assert body["checks"]["database"]["status"] == "ok"


@in_process
async def test_unknown_host_is_refused_over_http():
    communicator = HttpCommunicator(
        application, "GET", "/sante/", headers=[(b"host", b"evil.example.com")]
    )
    response = await communicator.get_response(timeout=10)
    assert response["status"] == 400


@pytest.mark.parametrize(
    "headers",
    [
        [(b"origin", b"https://evil.example.com"), (b"host", b"localhost")],
        [(b"origin", b"http://localhost.evil.example.com"), (b"host", b"localhost")],
        [(b"host", b"localhost")],  # no Origin header at all
    ],
    ids=["foreign-origin", "look-alike-origin", "no-origin"],
)
@in_process
async def test_websocket_from_a_foreign_origin_is_refused(headers):
    communicator = WebsocketCommunicator(application, "/ws/chat/", headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    assert connected is False
    await communicator.disconnect()


def test_uvicorn_command_serves_the_asgi_application(tmp_path):
    """The README's ASGI command (uvicorn --app-dir site community.asgi:application), here
    with development settings, SQLite and the in-memory channel layer as in `make run`, from
    the project root with nothing else on the path (no PYTHONPATH)."""
    port = free_port()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "community.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    uvicorn = str(Path(sys.executable).parent / "uvicorn")
    command = [
        uvicorn,
        "--app-dir",
        "site",
        "community.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    status, body = serve_and_get(command, env, f"http://127.0.0.1:{port}/sante/")
    result = json.loads(body)
    assert status == 200, result
    # Without REDIS_URL the in-memory layer answers; an anonymous caller gets no detail.
    assert result["checks"]["channel_layer"] == {"status": "ok"}
