"""The ASGI application serves pages and guards websockets by Origin (channels.testing)."""

from __future__ import annotations

import json

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from asgiref.testing import ApplicationCommunicator
from django.db import connections
from django.test import override_settings

from community.asgi import application

try:
    from channels.testing import HttpCommunicator, WebsocketCommunicator
except ModuleNotFoundError as error:
    # channels.testing imports daphne (for its live server), which is not a dependency yet:
    # the same two communicators, reduced to what these tests use, on asgiref's base class.
    if error.name != "daphne":
        raise

    class HttpCommunicator(ApplicationCommunicator):
        def __init__(self, app, method, path, body=b"", headers=None):
            scope = {
                "type": "http",
                "http_version": "1.1",
                "method": method,
                "path": path,
                "query_string": b"",
                "headers": headers or [],
            }
            super().__init__(app, scope)
            self.body = body

        async def get_response(self, timeout=1):
            await self.send_input({"type": "http.request", "body": self.body})
            response = await self.receive_output(timeout)
            assert response["type"] == "http.response.start"
            response["body"] = b""
            while True:
                chunk = await self.receive_output(timeout)
                response["body"] += chunk["body"]
                if not chunk.get("more_body", False):
                    return response

    class WebsocketCommunicator(ApplicationCommunicator):
        def __init__(self, app, path, headers=None):
            scope = {
                "type": "websocket",
                "path": path,
                "query_string": b"",
                "headers": headers or [],
                "subprotocols": [],
            }
            super().__init__(app, scope)

        async def connect(self, timeout=1):
            await self.send_input({"type": "websocket.connect"})
            response = await self.receive_output(timeout)
            if response["type"] == "websocket.close":
                return False, response.get("code", 1000)
            return True, response.get("subprotocol")

        async def disconnect(self, code=1000, timeout=1):
            await self.send_input({"type": "websocket.disconnect", "code": code})
            await self.wait(timeout)


pytestmark = [pytest.mark.asyncio, pytest.mark.django_db(transaction=True)]


@pytest_asyncio.fixture(autouse=True)
async def close_thread_connections():
    """Views run in asgiref's shared thread: close its connections so PostgreSQL can drop
    the test database at the end of the run."""
    yield
    await sync_to_async(connections.close_all)()


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
async def test_websocket_from_a_foreign_origin_is_refused(headers):
    communicator = WebsocketCommunicator(application, "/ws/chat/", headers=headers)
    connected, _ = await communicator.connect(timeout=5)
    assert connected is False
    await communicator.disconnect()
