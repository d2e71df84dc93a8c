"""Issue 11, finding 4: a chat socket keeps only the rights its member has now.

Real consumers through the ASGI application (Origin check, session auth), on the in-memory
layer and on both Redis layers: a logout closes the session's sockets (4401) and its frames
are not broadcast; a deactivation closes them (4401); a change of role or membership closes
the rooms the member may no longer be in (4403) and leaves the others open; and a frame sent
before the news arrives is checked against the database anyway.
"""

from __future__ import annotations

import pytest
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import reverse

from community.accounts.models import MembershipStatus, Role, User
from forum.chat.models import Message
from forum.chat.rooms import ensure_rooms
from tests.chat.conftest import ORIGIN, close_thread_connections, layer, socket  # noqa: F401
from tests.factories import make_member

TIMEOUT = 5

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_thread_connections"),
]


def signed_in(role: str, **fields) -> tuple[User, Client]:
    """A member and a browser signed in as them (the session the socket will use)."""
    ensure_rooms()  # transactional tests flush the rooms the migration created
    user = make_member(role, **fields)
    client = Client()
    client.force_login(user)
    return user, client


async def open_socket(client: Client, slug: str = "reseau"):
    headers = [
        (b"origin", ORIGIN),
        (b"host", b"localhost"),
        (b"cookie", f"sessionid={client.cookies['sessionid'].value}".encode()),
    ]
    communicator = socket(headers, slug)
    connected, code = await communicator.connect(timeout=TIMEOUT)
    assert connected, f"refused with {code}"
    assert (await communicator.receive_json_from(timeout=TIMEOUT))["type"] == "history"
    return communicator


async def close_code(communicator) -> int:
    """The code the server closed the socket with (frames before it are skipped)."""
    for _ in range(20):
        output = await communicator.receive_output(timeout=TIMEOUT)
        if output["type"] == "websocket.close":
            return output["code"]
    raise AssertionError("the socket stayed open")


async def messages_heard(communicator, seconds: float = 0.5) -> list[str]:
    """Bodies of the message frames a socket receives within `seconds`."""
    bodies = []
    while not await communicator.receive_nothing(timeout=seconds):
        frame = await communicator.receive_json_from(timeout=TIMEOUT)
        if frame["type"] == "message":
            bodies.append(frame["body"])
    return bodies


@pytest.mark.usefixtures("layer")  # in memory, then on both Redis layers
async def test_after_logout_the_frame_is_not_broadcast_and_the_socket_closes():
    _, leaving = await database_sync_to_async(signed_in)(Role.ELECTED)
    _, staying = await database_sync_to_async(signed_in)(Role.MANAGER)
    a = await open_socket(leaving)
    b = await open_socket(staying)

    response = await database_sync_to_async(leaving.post)(reverse("account_logout"))
    assert response.status_code == 302
    await a.send_json_to({"type": "message", "body": "Envoyé après la déconnexion"})

    assert await close_code(a) == 4401
    assert await messages_heard(b) == []
    assert not await database_sync_to_async(Message.objects.exists)()
    for communicator in (a, b):
        await communicator.disconnect()


async def test_logout_closes_only_the_sockets_of_that_session():
    user, phone = await database_sync_to_async(signed_in)(Role.ELECTED)
    laptop = Client()
    await database_sync_to_async(laptop.force_login)(user)
    on_phone = await open_socket(phone)
    on_laptop = await open_socket(laptop)

    await database_sync_to_async(laptop.post)(reverse("account_logout"))

    assert await close_code(on_laptop) == 4401
    await on_phone.send_json_to({"type": "message", "body": "Toujours connecté·e ici"})
    assert await messages_heard(on_phone) == ["Toujours connecté·e ici"]
    for communicator in (on_phone, on_laptop):
        await communicator.disconnect()


def _save(user: User, field: str, value) -> None:
    """As the admin or the membership review does: a model save."""
    user = User.objects.get(pk=user.pk)
    setattr(user, field, value)
    user.save()


CHANGES = [
    pytest.param("is_active", False, "reseau", 4401, id="deactivated"),
    pytest.param("membership_status", MembershipStatus.REFUSED, "reseau", 4403, id="refused"),
    pytest.param("role", Role.ELECTED, "gerants", 4403, id="manager-becomes-elected"),
]


@pytest.mark.parametrize("field, value, slug, code", CHANGES)
async def test_a_change_of_rights_closes_the_members_sockets(field, value, slug, code):
    member, browser = await database_sync_to_async(signed_in)(Role.MANAGER)
    _, other = await database_sync_to_async(signed_in)(Role.MANAGER)
    a = await open_socket(browser, slug)
    b = await open_socket(other, slug)

    await database_sync_to_async(_save)(member, field, value)

    assert await close_code(a) == code  # pushed: the member sent nothing
    await b.send_json_to({"type": "message", "body": "Les autres restent"})
    assert await messages_heard(b) == ["Les autres restent"]
    for communicator in (a, b):
        await communicator.disconnect()


async def test_a_role_change_leaves_open_the_rooms_still_allowed():
    member, browser = await database_sync_to_async(signed_in)(Role.MANAGER)
    managers_room = await open_socket(browser, "gerants")
    network_room = await open_socket(browser, "reseau")

    await database_sync_to_async(_save)(member, "role", Role.ELECTED)

    assert await close_code(managers_room) == 4403
    await network_room.send_json_to({"type": "message", "body": "Désormais élu·e"})
    assert await messages_heard(network_room) == ["Désormais élu·e"]
    for communicator in (managers_room, network_room):
        await communicator.disconnect()


@pytest.mark.parametrize(
    "field, value, code",
    [("is_active", False, 4401), ("membership_status", MembershipStatus.REFUSED, 4403)],
)
async def test_a_frame_sent_before_the_news_arrives_is_checked_against_the_database(
    field, value, code
):
    """A queryset update sends no signal: only the per-frame check can refuse this one."""
    member, browser = await database_sync_to_async(signed_in)(Role.ELECTED)
    _, other = await database_sync_to_async(signed_in)(Role.ELECTED)
    a = await open_socket(browser)
    b = await open_socket(other)

    await database_sync_to_async(User.objects.filter(pk=member.pk).update)(**{field: value})
    await a.send_json_to({"type": "message", "body": "Dans l'intervalle"})

    assert await close_code(a) == code
    assert await messages_heard(b) == []
    assert not await database_sync_to_async(Message.objects.exists)()
    for communicator in (a, b):
        await communicator.disconnect()
