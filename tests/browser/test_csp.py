"""The Content-Security-Policy of the site's pages in a real browser: the key pages of every
role run with no violation (the new_page fixture fails a test on any) and ask nothing of
another origin (Meilisearch is reached by the server only); the scripts moved to static files
still work (the mentions of the forum's post form are tried in test_forum.py, under the same
policy); an injected inline script does not run; the chat talks over its websocket; the
server error page keeps its own style. The admin's looser policy: test_admin_csp.py."""

from __future__ import annotations

import pytest

from community.accounts.audience import Audience
from community.accounts.models import Role
from community.places.models import Stage
from tests.accompaniment.factories import make_project
from tests.factories import make_cafe, make_member
from toolkit.models import Theme, ToolkitPage

from .chromium import open_context
from .helpers import BROWSER_TEST, log_in
from .test_chat import asgi_url, enter_room, rooms, say, shown  # noqa: F401  (fixtures)
from .test_toolkits import toolkit_index  # noqa: F401  (fixture)

pytestmark = BROWSER_TEST

INJECT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.injected = true";
  document.head.appendChild(script);
  return window.injected === true;
}"""


def visit(page, origin: str, paths: list[str]) -> None:
    """Open each path; every request its page makes goes to the site itself."""
    elsewhere = []

    def record(request):
        if request.url.startswith(("http:", "https:")) and not request.url.startswith(origin):
            elsewhere.append(request.url)

    page.on("request", record)
    for path in paths:
        response = page.goto(path)
        assert response.status < 400, f"{path}: {response.status}"
        assert response.headers["content-security-policy"].startswith("default-src 'self'")
    page.remove_listener("request", record)
    assert not elsewhere, elsewhere


@pytest.fixture
def toolkit(toolkit_index) -> ToolkitPage:  # noqa: F811
    toolkit = ToolkitPage(
        title="Tenir une buvette",
        intro="Déclarer, acheter, vendre.",
        audience=Audience.PUBLIC,
        body=[{"type": "paragraph", "value": "<p>La licence <b>restreinte</b> suffit.</p>"}],
    )
    toolkit_index.add_child(instance=toolkit)
    toolkit.themes.add(Theme.objects.first())
    toolkit.save_revision().publish()
    return toolkit


def test_key_pages_of_every_role_run_under_the_policy(new_page, live_server, toolkit):
    mayor = make_member(Role.ELECTED, display_name="Marie Maire")
    project = make_project(mayor.commune, stage=Stage.PREFIGURATION, members=[mayor])
    manager = make_member(Role.MANAGER, cafe=make_cafe(), display_name="Gaston Gérant")
    partner = make_member(Role.PARTNER, organisation="Cie du Pré")
    staff = make_member(Role.STAFF)
    public = [
        "/",
        "/nous-rejoindre/",
        "/candidater/",
        "/animations/",
        "/recherche/?q=cafe",
        "/forum/",
        "/boites-a-outils/",
        toolkit.get_url(),
    ]

    anonymous = new_page()
    visit(anonymous, live_server.url, [*public, "/comptes/login/", "/comptes/signup/"])
    # The sign-up form's script (a static file) still shows the fields of each role.
    anonymous.check("input[name=role][value=partner]")
    assert anonymous.locator("#champ-organisation").is_visible()
    assert not anonymous.locator("#champ-commune").is_visible()

    for user, own in [
        (mayor, ["/espace/", "/chat/", project.get_absolute_url()]),
        (manager, ["/espace/", "/animations/reservations/"]),
        (partner, ["/espace/", "/animations/calendrier/"]),
        (staff, ["/espace/", "/accompagnement/chiffres/", "/animations/impact/"]),
    ]:
        page = new_page()
        log_in(page, user.email)
        visit(page, live_server.url, [*public, *own])


def test_search_suggestions_come_from_the_site_not_from_meilisearch(new_page, live_server):
    page = new_page()
    visit(page, live_server.url, ["/recherche/"])
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    with page.expect_response(lambda response: "/api/search" in response.url) as answer:
        page.locator("#id_q").press_sequentially("buvette")
    assert answer.value.status == 200
    assert requests and all(url.startswith(live_server.url) for url in requests), requests


def test_the_menu_opens_on_a_narrow_screen(new_page):
    page = new_page()
    page.set_viewport_size({"width": 400, "height": 800})
    page.goto("/")
    forum = page.get_by_role("navigation", name="Navigation principale").get_by_role(
        "link", name="Forum"
    )
    assert not forum.is_visible()
    page.get_by_text("Menu", exact=True).click()
    assert forum.is_visible()


def test_an_injected_inline_script_does_not_run(new_page, csp_violations):
    page = new_page()
    page.goto("/")
    assert page.evaluate(INJECT) is False
    page.wait_for_timeout(200)
    assert any("script-src" in violation for violation in csp_violations), csp_violations
    csp_violations.clear()


def test_a_chat_room_talks_over_its_websocket(browser, asgi_url, rooms, csp_violations):  # noqa: F811
    mayor = make_member(Role.ELECTED, display_name="Marie Maire")
    context = open_context(browser, asgi_url, csp_violations)
    try:
        page = enter_room(context.new_page(), mayor.email)
        say(page, "Bonjour le réseau")
        shown(page, "Bonjour le réseau").wait_for()
    finally:
        context.close()
    assert not csp_violations, csp_violations


@pytest.mark.urls("tests.security.server_error_urls")
def test_the_server_error_page_keeps_its_own_style(page):
    response = page.goto("/panne/")
    assert response.status == 500
    assert page.get_by_role("heading", name="Une erreur est survenue").is_visible()
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(251, 246, 238)"
