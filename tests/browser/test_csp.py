"""The Content-Security-Policy in a real browser: the key pages of every role run with no
violation (the new_page fixture fails a test on any), an injected inline script does not
run, and the Wagtail admin keeps its editor, image chooser and preview under its policy."""

from __future__ import annotations

import io

from django.core.files.images import ImageFile
from wagtail.images.models import Image

from community.accounts.models import Role
from community.accounts.roles import ensure_role_groups
from community.places.models import Stage
from tests.accompaniment.factories import make_project
from tests.factories import make_cafe, make_member
from tests.security.upload_files import png
from toolkit.models import Theme, ToolkitPage

from .helpers import BROWSER_TEST, log_in
from .test_toolkits import toolkit_index  # noqa: F401  (fixture)

pytestmark = BROWSER_TEST

INJECT = """() => {
  const script = document.createElement("script");
  script.textContent = "window.injected = true";
  document.head.appendChild(script);
  return window.injected === true;
}"""


def visit(page, paths: list[str]) -> None:
    for path in paths:
        response = page.goto(path)
        assert response.status < 400, f"{path}: {response.status}"
        assert response.headers["content-security-policy"].startswith("default-src 'self'")


def test_key_pages_of_every_role_run_under_the_policy(new_page):
    mayor = make_member(Role.ELECTED, display_name="Marie Maire")
    project = make_project(mayor.commune, stage=Stage.PREFIGURATION, members=[mayor])
    manager = make_member(Role.MANAGER, cafe=make_cafe(), display_name="Gaston Gérant")
    partner = make_member(Role.PARTNER, organisation="Cie du Pré")
    staff = make_member(Role.STAFF)
    public = ["/", "/nous-rejoindre/", "/candidater/", "/animations/", "/recherche/?q=cafe"]

    anonymous = new_page()
    visit(anonymous, [*public, "/comptes/login/", "/comptes/signup/"])
    # The sign-up form's script (now a static file) still shows the fields of each role.
    anonymous.check("input[name=role][value=partner]")
    assert anonymous.locator("#champ-organisation").is_visible()
    assert not anonymous.locator("#champ-commune").is_visible()

    for user, own in [
        (mayor, ["/espace/", "/forum/", "/chat/", project.get_absolute_url()]),
        (manager, ["/espace/", "/animations/reservations/", "/forum/"]),
        (partner, ["/espace/", "/animations/calendrier/"]),
        (staff, ["/espace/", "/accompagnement/chiffres/", "/animations/impact/"]),
    ]:
        page = new_page()
        log_in(page, user.email)
        visit(page, [*public, *own])


def test_an_injected_inline_script_does_not_run(new_page, csp_violations):
    page = new_page()
    page.goto("/")
    assert page.evaluate(INJECT) is False
    page.wait_for_timeout(200)
    assert any("script-src" in violation for violation in csp_violations), csp_violations
    csp_violations.clear()


def test_the_admin_editor_image_chooser_and_preview_work(
    new_page,
    toolkit_index,  # noqa: F811
    media_roots,
):
    ensure_role_groups()  # the staff group's rights on the root collection, after a flush
    staff = make_member(Role.STAFF)
    photo = Image.objects.create(
        title="La terrasse", file=ImageFile(io.BytesIO(png()), name="terrasse.png")
    )
    toolkit = ToolkitPage(
        title="Tenir une buvette",
        intro="Déclarer, acheter, vendre.",
        audience="public",
        body=[{"type": "image", "value": {"image": None, "caption": "La terrasse"}}],
    )
    toolkit_index.add_child(instance=toolkit)
    toolkit.themes.add(Theme.objects.first())
    toolkit.save_revision().publish()

    page = new_page()
    log_in(page, staff.email)
    page.goto(f"/admin/pages/{toolkit.pk}/edit/")
    assert "'unsafe-inline'" in page.evaluate(
        "async () => (await fetch(location.href)).headers.get('content-security-policy')"
    )

    page.get_by_role("button", name="Choisir une image").click()
    chooser = page.get_by_role("dialog")
    chooser.get_by_text(photo.title).first.click()
    page.get_by_role("dialog").wait_for(state="hidden")

    page.get_by_role("button", name="Afficher/masquer la prévisualisation").click()
    preview = page.frame_locator("#w-preview-iframe")
    preview.get_by_role("heading", name="Tenir une buvette").wait_for()

    page.fill("#id_intro", "Déclarer, acheter, vendre, ranger.")
    with page.expect_navigation():
        page.get_by_role("button", name="Enregistrer le brouillon").click()
    toolkit.refresh_from_db()
    assert toolkit.get_latest_revision_as_object().intro == "Déclarer, acheter, vendre, ranger."
