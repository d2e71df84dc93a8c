from __future__ import annotations

import pytest

from community.accounts.audience import Audience
from toolkit.models import RELATED_COUNT

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [toolkit.title for toolkit in response.context["related_toolkits"]]


def test_related_toolkits_share_a_theme_and_respect_the_audience(make_toolkit, client_for):
    page = make_toolkit("Financer le café", themes=("financements", "commerce-local"))
    make_toolkit("Deux thèmes en commun", themes=("financements", "commerce-local"))
    make_toolkit("Un thème en commun", themes=("commerce-local",))
    make_toolkit("Pour les élus", audience=Audience.ELECTED, themes=("financements",))
    make_toolkit("Sans rapport", themes=("animations",))
    make_toolkit("Brouillon", themes=("financements",), live=False)

    anonymous = client_for("anonymous").get(page.url)
    assert titles(anonymous) == ["Deux thèmes en commun", "Un thème en commun"]
    assert "Pour les élus" not in anonymous.content.decode()
    elected = client_for("elected").get(page.url)
    assert titles(elected)[0] == "Deux thèmes en commun"
    assert set(titles(elected)) == {"Deux thèmes en commun", "Un thème en commun", "Pour les élus"}
    assert len(titles(elected)) <= RELATED_COUNT


def test_toolkit_page_shows_its_classification(make_toolkit, client_for):
    page = make_toolkit(
        "Recruter un gérant",
        audience=Audience.ELECTED,
        themes=("gestion-du-cafe",),
        stage="recruitment",
    )
    content = client_for("elected").get(page.url).content.decode()
    assert "<h1>Recruter un gérant</h1>" in content
    assert "Élu·es" in content
    assert "Recrutement" in content
    assert "Gestion du café" in content
    assert "1er juin 2025" in content
