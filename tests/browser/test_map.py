"""The network's map in Chromium: without JavaScript a list of cafés with working filters;
with it the map beside the list, markers clustered over the departments' outlines (no tile
server in tests). axe-core finds nothing on the map, a café's page and its editing form, and
no page scrolls sideways from 320 to 1440 px."""

from __future__ import annotations

from community.accounts.models import Role
from community.places.models import Stage
from tests.factories import make_member
from tests.places.map_factories import in_region, open_cafe, service

from .helpers import BROWSER_TEST, audit, log_in, path_of

pytestmark = BROWSER_TEST


def seed_network():
    bread = service("Dépôt de pain", "depot-de-pain")
    place = open_cafe("Le Café de la Place", "Cadalen", services=(bread,))
    open_cafe("Le Bistrot de Cordes", "Cordes-sur-Ciel", at=("44.0637", "1.9523"))
    open_cafe("L'Estanquet", "Lagrasse", "11", at=("43.0925", "2.6176"), services=(bread,))
    open_cafe("Le Bistrot d'Essoyes", "Essoyes", "10", at=("48.0617", "4.5336"))
    in_region("10", "44", "Grand Est")
    open_cafe("Café à placer", "Monestiés", at=None, stage=Stage.OPENING)
    return place


def test_without_javascript_the_map_is_a_list_with_filters(
    live_server, home_site, browser, csp_violations
):
    seed_network()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/carte/")
        assert not page.locator("#network-map").is_visible()
        assert page.get_by_role("heading", name="5 cafés").is_visible()
        for region in ("Grand Est", "Occitanie"):
            assert page.get_by_role("heading", name=region, exact=True).is_visible()
        assert page.get_by_role("link", name="Café à placer").is_visible()

        page.get_by_label("Région").select_option(label="Occitanie")
        page.get_by_label("Dépôt de pain").check()
        with page.expect_navigation():
            page.get_by_role("button", name="Filtrer").click()
        assert "region=76" in page.url and "services=depot-de-pain" in page.url
        assert page.get_by_role("heading", name="2 cafés pour ces filtres").is_visible()
        assert page.get_by_role("link", name="Le Bistrot d'Essoyes").count() == 0
        with page.expect_navigation():
            page.get_by_role("link", name="L'Estanquet").click()
        assert path_of(page) == "/cafes/lestanquet-lagrasse/"
    finally:
        context.close()


def test_with_javascript_the_map_draws_the_cafes_beside_the_list(new_page):
    seed_network()
    page = new_page()
    page.goto("/carte/")
    page.wait_for_selector("#network-map[data-markers]")
    # Four cafés have coordinates; the one awaiting its address is only listed.
    assert page.get_attribute("#network-map", "data-markers") == "4"
    page.wait_for_selector("svg.map-departments path")
    assert page.locator("svg.map-departments path").count() == 96
    # Markers and clusters together stand for the four placed cafés.
    assert page.locator(".leaflet-marker-icon").count() >= 1
    assert page.get_by_role("heading", name="5 cafés").is_visible()
    audit(page, "the map")

    # Keyboard users reach a café from the map too: zoom on the cafés, open one's popup.
    page.locator("#network-map").evaluate("el => el.scrollIntoView()")
    marker = page.get_by_role("button", name="Le Bistrot d'Essoyes, Essoyes")
    marker.focus()
    page.keyboard.press("Enter")
    link = page.locator(".leaflet-popup-content").get_by_role("link", name="Le Bistrot d'Essoyes")
    with page.expect_navigation():
        link.click()
    assert path_of(page) == "/cafes/le-bistrot-dessoyes-essoyes/"
    audit(page, "a café's page")


def test_a_manager_edits_the_cafe_page_in_the_browser(new_page):
    place = seed_network()
    manager = make_member(Role.MANAGER, cafe=place, display_name="Lucie Gérante")
    page = log_in(new_page(), manager.email)
    page.goto("/espace/")
    with page.expect_navigation():
        page.get_by_role("link", name="Modifier la page du café Le Café de la Place").click()
    audit(page, "the café page form")
    page.get_by_label("Présentation du café").fill("Épicerie, pain frais et concerts l'été.")
    page.get_by_label("Afficher mon nom sur la page du café").check()
    row = page.locator("fieldset.hours-row").first
    row.get_by_label("Jour").select_option(label="mercredi")
    row.get_by_label("Ouverture").fill("08:30")
    row.get_by_label("Fermeture").fill("19:00")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer la page").click()
    assert page.get_by_text("La page du café est à jour.").is_visible()
    page.goto(place.get_absolute_url())
    assert page.get_by_role("row", name="Mercredi 8 h 30 – 19 h 00").is_visible()
    assert page.locator("#contenu").get_by_text("Lucie Gérante").is_visible()
