"""The Wagtail admin under its own, looser Content-Security-Policy (inline scripts and styles,
same-origin framing): as staff, the page editor opens and saves a draft, the image chooser
opens and chooses, the preview renders in its frame, with no violation (new_page fails the
test on any)."""

from __future__ import annotations

import io

from django.core.files.images import ImageFile
from wagtail.images.models import Image

from community.accounts.models import Role
from community.accounts.roles import ensure_role_groups
from tests.factories import make_member
from tests.security.upload_files import png
from toolkit.models import Theme, ToolkitPage

from .helpers import BROWSER_TEST, log_in
from .test_toolkits import toolkit_index  # noqa: F401  (fixture)

pytestmark = BROWSER_TEST


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
