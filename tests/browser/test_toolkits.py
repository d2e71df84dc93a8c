"""Staff publish a toolkit in the Wagtail admin, a café manager finds it; axe audits of the
listing and of a toolkit page."""

from __future__ import annotations

import pytest

from community.accounts.audience import Audience
from community.accounts.models import Role
from community.accounts.roles import ensure_role_groups
from tests.factories import make_cafe, make_member
from toolkit.models import ToolkitIndexPage, ToolkitPage, ensure_themes

from .axe import assert_accessible
from .helpers import BROWSER_TEST, log_in, path_of

pytestmark = BROWSER_TEST

TITLE = "Tenir une buvette lors de la fête du village"


@pytest.fixture
def toolkit_index(home_site) -> ToolkitIndexPage:
    """What migrations and seed_demo provide, put back after a transactional flush: the
    themes, the staff group's page permissions (they hang on the root page) and the index."""
    ensure_themes()
    ensure_role_groups()
    index = ToolkitIndexPage(title="Boîtes à outils", slug="boites-a-outils", show_in_menus=True)
    home_site.root_page.add_child(instance=index)
    index.save_revision().publish()
    return index


def test_staff_publish_a_toolkit_that_a_manager_then_finds(new_page, toolkit_index):
    staff = make_member(Role.STAFF, display_name="Édith Équipe")
    manager = make_member(Role.MANAGER, cafe=make_cafe(), display_name="Gaston Gérant")
    add_url = f"/admin/pages/add/toolkit/toolkitpage/{toolkit_index.pk}/"

    editor = new_page()
    log_in(editor, staff.email, next_url=add_url)
    if path_of(editor) != add_url:
        editor.goto(add_url)
    landed = editor.locator("body").inner_text()[:300]
    assert path_of(editor) == add_url, f"staff landed on {path_of(editor)}: {landed}"
    editor.fill("#id_title", TITLE)
    editor.fill("#id_intro", "Déclarer la buvette, choisir les boissons, tenir la caisse.")
    editor.select_option("select[name=audience]", Audience.MANAGERS.value)
    editor.get_by_role("checkbox", name="Animations").check()
    # "Publish" sits in the footer's action menu; staff hold the publish permission.
    editor.locator("footer [data-w-dropdown-target='toggle']").last.click()
    with editor.expect_navigation():
        editor.locator("button[name='action-publish']").click()
    toolkit = ToolkitPage.objects.get(title=TITLE)
    assert toolkit.live
    assert toolkit.audience == Audience.MANAGERS
    assert toolkit.get_parent().pk == toolkit_index.pk

    reader = new_page()
    log_in(reader, manager.email)
    reader.goto("/boites-a-outils/")
    reader.select_option("select[name=theme]", "animations")
    with reader.expect_navigation():
        reader.get_by_role("button", name="Filtrer").click()
    assert "theme=animations" in reader.url
    with reader.expect_navigation():
        reader.get_by_role("link", name=TITLE).click()
    assert reader.locator("h1").inner_text() == TITLE


def test_toolkit_pages_are_accessible(new_page, toolkit_index):
    elected = make_member(Role.ELECTED, display_name="Marie Maire")
    toolkit = ToolkitPage(
        title="Mener une consultation citoyenne",
        intro="Demander aux habitants ce qu'ils attendent du café.",
        audience=Audience.ELECTED,
        stage="definition",
        body=[
            {"type": "heading", "value": "Pourquoi consulter"},
            {"type": "paragraph", "value": "<p>Une consultation <b>fédère</b> le village.</p>"},
            {
                "type": "steps",
                "value": {
                    "title": "Étapes",
                    "steps": [{"title": "Réunir", "text": "<p>Un groupe.</p>"}],
                },
            },
            {"type": "checklist", "value": {"title": "À vérifier", "items": ["Salle", "Affiches"]}},
            {"type": "key_point", "value": {"title": "À retenir", "text": "<p>Écouter.</p>"}},
            {
                "type": "video",
                "value": {
                    "url": "https://vimeo.com/76979871",
                    "title": "Reportage",
                    "transcript": "…",
                },
            },
            {
                "type": "faq",
                "value": {
                    "title": "Questions",
                    "questions": [{"question": "Quand ?", "answer": "<p>Tôt.</p>"}],
                },
            },
            {
                "type": "testimonial",
                "value": {"quote": "Merci.", "author": "Jeanne", "context": "maire"},
            },
        ],
    )
    toolkit_index.add_child(instance=toolkit)
    toolkit.save_revision().publish()

    anonymous = new_page()
    anonymous.goto("/boites-a-outils/?theme=financements")
    assert_accessible(anonymous, "/boites-a-outils/ (anonymous, filtered)")

    member = new_page()
    log_in(member, elected.email)
    member.goto("/boites-a-outils/")
    assert "Mener une consultation citoyenne" in member.locator("main").inner_text()
    assert_accessible(member, "/boites-a-outils/ (elected)")
    member.goto(toolkit.url)
    assert member.locator("h1").inner_text() == "Mener une consultation citoyenne"
    assert_accessible(member, f"{toolkit.url} (elected)")
