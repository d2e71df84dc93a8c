from __future__ import annotations

import datetime

import pytest

from community.accounts.audience import Audience
from community.places.models import Stage
from toolkit.models import PAGE_SIZE
from toolkit.services import record_download

from .conftest import document_block

pytestmark = pytest.mark.django_db

TITLES = {
    Audience.PUBLIC: "Rendre le café accessible",
    Audience.MEMBERS: "Choisir les services du café",
    Audience.ELECTED: "Rédiger le bail du gérant",
    Audience.MANAGERS: "Organiser un Concert de Poche",
}
DRAFT_TITLE = "Brouillon sur les financements"
# What each role may find in the listing, and so also in every filtered view of it.
VISIBLE = {
    "anonymous": {Audience.PUBLIC},
    "pending": {Audience.PUBLIC},
    "refused": {Audience.PUBLIC},
    "partner": {Audience.PUBLIC, Audience.MEMBERS},
    "elected": {Audience.PUBLIC, Audience.MEMBERS, Audience.ELECTED},
    "manager": {Audience.PUBLIC, Audience.MEMBERS, Audience.MANAGERS},
    "staff": set(Audience.values),
}


@pytest.fixture
def one_per_audience(make_toolkit):
    for audience, title in TITLES.items():
        make_toolkit(title, audience=audience, themes=("gestion-du-cafe",))
    make_toolkit(DRAFT_TITLE, audience=Audience.PUBLIC, live=False)


@pytest.mark.parametrize("role", list(VISIBLE))
def test_listing_never_leaks_a_title(one_per_audience, index, client_for, role):
    client = client_for(role)
    for query in ("", "?theme=gestion-du-cafe", "?audience=elected", "?page=2"):
        response = client.get(index.url + query)
        assert response.status_code == 200
        content = response.content.decode()
        # An audience the viewer may not read is not a valid choice: that filter is ignored.
        only_elected = query == "?audience=elected" and Audience.ELECTED in VISIBLE[role]
        for audience, title in TITLES.items():
            expected = audience in VISIBLE[role] and (
                not only_elected or audience == Audience.ELECTED
            )
            assert (title in content) == expected, f"{role} {query}: {title}"
        assert DRAFT_TITLE not in content


def listed(response) -> list[str]:
    return [toolkit.title for toolkit in response.context["toolkits"]]


def test_filters_combine_and_are_shareable_links(index, make_toolkit, client_for):
    make_toolkit("A", themes=("financements",), stage=Stage.DEFINITION)
    make_toolkit("B", themes=("financements", "animations"), stage=Stage.OPERATION)
    make_toolkit("C", themes=("animations",), stage=Stage.OPERATION)
    make_toolkit("D", audience=Audience.MEMBERS, themes=("animations",), stage=Stage.OPERATION)
    client = client_for("elected")

    assert sorted(listed(client.get(index.url, {"theme": "financements"}))) == ["A", "B"]
    assert sorted(listed(client.get(index.url, {"stage": Stage.OPERATION}))) == ["B", "C", "D"]
    response = client.get(f"{index.url}?theme=animations&stage=operation&audience=public")
    assert sorted(listed(response)) == ["B", "C"]
    # The form shows the filters the URL holds.
    assert response.context["filter_form"].cleaned_data["theme"] == "animations"
    assert 'value="animations" selected' in response.content.decode()


def test_bad_filter_is_explained_in_french_and_ignored(index, make_toolkit, client_for):
    make_toolkit("A", themes=("financements",))
    make_toolkit("B", themes=("animations",))
    response = client_for("anonymous").get(index.url, {"theme": "<b>x</b>", "stage": "nope"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "« &lt;b&gt;x&lt;/b&gt; » n&#x27;est pas un choix possible" in content
    assert "<b>x</b>" not in content
    assert sorted(listed(response)) == ["A", "B"]


def test_audience_filter_offers_only_what_the_viewer_may_see(index, client_for):
    anonymous = client_for("anonymous").get(index.url).context["filter_form"]
    assert [value for value, _ in anonymous.fields["audience"].choices] == ["", "public"]
    manager = client_for("manager").get(index.url).context["filter_form"]
    assert [value for value, _ in manager.fields["audience"].choices] == [
        "",
        "public",
        "members",
        "managers",
    ]
    # Asking for another role's toolkits is refused, and lists none of them.
    response = client_for("manager").get(index.url, {"audience": "elected"})
    assert "audience" in response.context["filter_form"].errors
    assert all(toolkit.audience != Audience.ELECTED for toolkit in response.context["toolkits"])


def test_pagination_keeps_the_filters(index, make_toolkit, client_for):
    for n in range(PAGE_SIZE + 2):
        make_toolkit(
            f"Fiche {n:02d}",
            themes=("lien-social",),
            reviewed=datetime.date(2025, 1, 1) + datetime.timedelta(days=n),
        )
    make_toolkit("Hors thème", themes=("financements",))
    client = client_for("anonymous")
    first = client.get(index.url, {"theme": "lien-social"})
    assert len(listed(first)) == PAGE_SIZE
    assert listed(first)[0] == f"Fiche {PAGE_SIZE + 1:02d}"  # most recently reviewed first
    assert "?theme=lien-social&amp;page=2" in first.content.decode()
    second = client.get(index.url, {"theme": "lien-social", "page": 2})
    assert listed(second) == ["Fiche 01", "Fiche 00"]
    # A page number out of range shows the last page rather than an error.
    assert listed(client.get(index.url, {"theme": "lien-social", "page": "999"})) == listed(second)


def test_listing_has_a_labelled_filter_form(index, client_for):
    content = client_for("anonymous").get(index.url).content.decode()
    assert 'role="search" aria-labelledby="filtres-titre"' in content
    for name in ("theme", "audience", "stage"):
        assert f'<label for="id_{name}">' in content
    assert content.count("<h1") == 1


def test_download_counts_only_for_staff(index, make_toolkit, make_document, client_for):
    document = make_document()
    toolkit = make_toolkit("Fiche", body=[document_block(document)])
    for _ in range(3):
        record_download(document)
    for role in ("anonymous", "elected", "manager", "partner"):
        for url in (index.url, toolkit.url):
            assert "Téléchargé" not in client_for(role).get(url).content.decode()
    staff = client_for("staff")
    assert "Téléchargé 3 fois" in staff.get(toolkit.url).content.decode()
    listing = staff.get(index.url)
    assert listing.context["toolkits"][0].download_total == 3
    assert "<dt>Téléchargements</dt><dd>3</dd>" in listing.content.decode()
