"""The toolkit listing's filters and list are rendered once per set of audiences and query
string (community/fragments.py): each reader still sees only what their audiences allow, and
a change shows at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.accounts.audience import Audience

pytestmark = pytest.mark.django_db


def test_each_reader_sees_their_own_toolkits_from_the_kept_list(index, make_toolkit, client_for):
    make_toolkit("Ouvrir le dimanche", audience=Audience.PUBLIC)
    make_toolkit("Délibérer sur la licence IV", audience=Audience.ELECTED)
    make_toolkit("Tenir la caisse", audience=Audience.MANAGERS)
    pages = {}
    for role in ("elected", "manager", "elected", "manager", "staff", "anonymous"):
        pages.setdefault(role, []).append(client_for(role).get(index.url).content.decode())
    for page in pages["elected"]:
        assert "Délibérer sur la licence IV" in page and "Tenir la caisse" not in page
    for page in pages["manager"]:
        assert "Tenir la caisse" in page and "Délibérer sur la licence IV" not in page
    assert "Téléchargements" in pages["staff"][0]
    assert "Téléchargements" not in pages["manager"][1]
    assert "Ouvrir le dimanche" in pages["anonymous"][0]
    assert "Délibérer sur la licence IV" not in pages["anonymous"][0]
    assert "connectez-vous" in pages["anonymous"][0] and "connectez-vous" not in pages["elected"][1]


def test_filters_are_kept_apart(index, make_toolkit, client_for):
    make_toolkit("Ouvrir le dimanche", themes=("animations",))
    make_toolkit("Trouver des financements", themes=("financements",))
    client = client_for("elected")
    client.get(index.url)
    filtered = client.get(index.url, {"theme": "financements"}).content.decode()
    assert "Trouver des financements" in filtered and "Ouvrir le dimanche" not in filtered
    bad = client.get(index.url, {"stage": "nulle-part"}).content.decode()
    assert "« nulle-part » n&#x27;est pas un choix possible" in bad


def test_a_new_or_changed_toolkit_shows_at_once(index, make_toolkit, client_for):
    client = client_for("elected")
    first = make_toolkit("Ouvrir le dimanche")
    assert "Ouvrir le dimanche" in client.get(index.url).content.decode()
    make_toolkit("Recruter des bénévoles", audience=Audience.ELECTED)
    first.title = "Ouvrir aussi le lundi"
    first.save_revision().publish()
    page = client.get(index.url).content.decode()
    assert "Recruter des bénévoles" in page
    assert "Ouvrir aussi le lundi</a>" in page and "Ouvrir le dimanche</a>" not in page


def test_a_kept_list_costs_no_listing_query_whatever_the_number_of_toolkits(
    index, make_toolkit, client_for
):
    client = client_for("manager")

    def kept_queries() -> int:
        client.get(index.url)  # renders and keeps the list
        with CaptureQueriesContext(connection) as queries:
            assert client.get(index.url).status_code == 200
        return len(queries)

    for n in range(3):
        make_toolkit(f"Fiche {n}")
    few = kept_queries()
    for n in range(3, 30):
        make_toolkit(f"Fiche {n}", audience=Audience.values[n % len(Audience.values)])
    assert kept_queries() == few
    # The route and what every member request pays (session, user, notification count).
    assert few <= 5, few
