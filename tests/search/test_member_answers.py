"""Members' search answers (page and API) are kept for every reader with the same rights,
until the index or those rights change; never shown to a reader with other rights."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client

from community.accounts.audience import Audience
from community.accounts.models import Role
from community.accounts.roles import sync_role_groups

from .engines import flush

pytestmark = pytest.mark.django_db

PAGE = "/recherche/?q=%C3%A9picerie"
API = "/api/search?q=%C3%A9picerie"
HIT_LINK = re.compile(r'<li class="search-hit[^"]*">.*?<h3><a href="([^"]+)"', re.S)


def seen(client: Client, url: str) -> set[str]:
    """The addresses of the results `client` is shown."""
    response = client.get(url)
    assert response.status_code == 200
    if url == API:
        return {hit["url"] for hit in response.json()["hits"]}
    return set(HIT_LINK.findall(response.content.decode()))


@pytest.fixture
def toolkits(make_toolkit) -> dict[str, str]:
    """A public toolkit and one for elected members, delivered to the index: their URLs."""
    public = make_toolkit("Ouvrir une épicerie dans le café")
    elected = make_toolkit("Une épicerie communale", audience=Audience.ELECTED)
    flush()
    return {"public": public.url, "elected": elected.url}


@pytest.mark.parametrize("url", [PAGE, API])
def test_a_member_never_sees_results_kept_for_another_audience(engine, toolkits, client_for, url):
    # Signed in before any search: creating an account is a write that outdates every answer.
    clients = {role: client_for(role) for role in ("elected", "manager", "anonymous", "staff")}
    assert seen(clients["elected"], url) == {toolkits["public"], toolkits["elected"]}
    assert seen(clients["manager"], url) == {toolkits["public"]}
    assert seen(clients["anonymous"], url) == {toolkits["public"]}
    assert seen(clients["staff"], url) == {toolkits["public"], toolkits["elected"]}


@pytest.mark.parametrize("url", [PAGE, API])
def test_a_member_s_answer_is_private_to_their_browser(no_engine, client_for, url):
    # Their name is on the page and their rights choose the results: no shared cache on the
    # way may keep it.
    assert client_for("elected").get(url)["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("url", [PAGE, API])
def test_a_new_document_shows_to_members_once_delivered(
    engine, toolkits, make_toolkit, client_for, url
):
    member = client_for("elected")
    assert seen(member, url) == {toolkits["public"], toolkits["elected"]}
    added = make_toolkit("Le dépôt d'épicerie au comptoir", audience=Audience.ELECTED)
    flush()
    assert seen(member, url) == {toolkits["public"], toolkits["elected"], added.url}


@pytest.mark.parametrize("url", [PAGE, API])
def test_a_role_change_shows_in_the_results_at_once(
    engine, toolkits, client_for, manager_user, url
):
    member = client_for("manager")
    assert seen(member, url) == {toolkits["public"]}
    manager_user.role = Role.ELECTED
    manager_user.save(update_fields=["role"])
    sync_role_groups(manager_user)
    assert seen(member, url) == {toolkits["public"], toolkits["elected"]}


@pytest.mark.meilisearch
@pytest.mark.parametrize("url", [PAGE, API])
def test_simplified_results_are_not_kept_once_meilisearch_answers_again(
    meili, toolkits, client_for, engine_down, settings, url
):
    settings.SEARCH_ENGINE_RETRY_AFTER = 0.3
    member = client_for("elected")
    with engine_down():
        degraded = member.get(url).content.decode()
    assert "simplifié" in degraded or '"engine": "database"' in degraded
    time.sleep(0.4)
    answer = member.get(url).content.decode()
    assert "simplifié" not in answer
    assert '"engine": "database"' not in answer
