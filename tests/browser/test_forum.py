"""Two café managers talk in their private area of the forum, in a real browser; axe audits
of the forum index, a forum and a topic page."""

from __future__ import annotations

from django.core import mail

from community.accounts.models import Role
from community.accounts.roles import ensure_role_groups
from forum.tree import area, ensure_forum_tree
from tests.factories import make_cafe, make_member

from .axe import assert_accessible
from .helpers import BROWSER_TEST, log_in, path_of

pytestmark = BROWSER_TEST

SUBJECT = "Qui a suivi la formation permis d'exploitation ?"


def test_a_manager_opens_a_topic_and_another_replies(new_page, home_site):
    # A transactional flush may have emptied the forum; post_migrate normally rebuilds it.
    ensure_role_groups()
    ensure_forum_tree()
    first = make_member(
        Role.MANAGER, cafe=make_cafe(name="Le Café du Pont"), display_name="Lucas Bernard"
    )
    second = make_member(
        Role.MANAGER, cafe=make_cafe(name="Ti Kafe Lokorn"), display_name="Nadia Kerbrat"
    )

    author = new_page()
    log_in(author, first.email, next_url="/forum/")
    assert path_of(author) == "/forum/"
    assert_accessible(author, "/forum/ (manager)")
    author.get_by_role("link", name="Espace des gérants").first.click()
    author.wait_for_load_state()
    assert author.locator("h1").inner_text() == "Espace des gérants"
    assert_accessible(author, "the managers' forum")
    author.get_by_role("link", name="Nouveau sujet").click()
    author.fill("input[name=subject]", SUBJECT)
    author.fill("textarea[name=content]", "Je cherche une session **près de Lyon** cet hiver.")
    with author.expect_navigation():
        author.get_by_role("button", name="Publier").click()
    assert author.locator("h1").inner_text() == SUBJECT
    assert author.locator(".post-content strong").inner_text() == "près de Lyon"
    topic_path = path_of(author).split("?")[0]

    replier = new_page()
    log_in(replier, second.email, next_url=topic_path)
    assert "Lucas Bernard" in replier.locator(".post-author").first.inner_text()
    assert_accessible(replier, "a topic page (manager)")
    replier.get_by_role("link", name="Répondre").first.click()
    replier.fill("textarea[name=content]", "Oui, à Quimper en janvier : je vous envoie le lien.")
    with replier.expect_navigation():
        replier.get_by_role("button", name="Publier la réponse").click()
    assert "à Quimper en janvier" in replier.locator(".posts").inner_text()
    assert first.email not in replier.content()

    # The author follows their topic: an e-mail and an unread notification in the header.
    assert [m.to for m in mail.outbox if "Nouvelle réponse" in m.subject] == [[first.email]]
    author.reload()
    assert "1 non lue" in " ".join(author.locator(".notifications-link").inner_text().split())
    assert area("managers").topics.get().posts.count() == 2
