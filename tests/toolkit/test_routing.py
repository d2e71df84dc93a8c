"""Members' requests reach a toolkit through pages kept in the page-tree cache
(community.home.tree_cache.child_page): a page unpublished, renamed or given a new audience
is served as it now is at once."""

from __future__ import annotations

import pytest

from community.accounts.audience import Audience

pytestmark = pytest.mark.django_db


def test_a_toolkit_unpublished_or_moved_answers_as_it_now_is(client_for, make_toolkit):
    client = client_for("elected")
    toolkit = make_toolkit("Ouvrir le dimanche", slug="dimanche")
    assert client.get("/boites-a-outils/dimanche/").status_code == 200
    toolkit.slug = "le-dimanche"
    toolkit.save_revision().publish()
    assert client.get("/boites-a-outils/dimanche/").status_code == 404
    assert client.get("/boites-a-outils/le-dimanche/").status_code == 200
    toolkit.unpublish()
    assert client.get("/boites-a-outils/le-dimanche/").status_code == 404


def test_a_new_audience_is_checked_at_once(client_for, make_toolkit):
    client = client_for("elected")
    toolkit = make_toolkit("Recruter", slug="recruter", audience=Audience.MEMBERS)
    assert client.get("/boites-a-outils/recruter/").status_code == 200
    toolkit.audience = Audience.MANAGERS
    toolkit.save_revision().publish()
    assert client.get("/boites-a-outils/recruter/").status_code == 403
