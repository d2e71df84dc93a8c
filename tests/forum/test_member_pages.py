"""machina's member pages, rewritten by the site: profile, a member's posts, followed topics
and the moderation confirmations, in French, without what a reader should not see."""

from __future__ import annotations

import pytest
from django.urls import reverse
from machina.apps.forum_conversation.models import Post, Topic

from forum.services import topic_url

from .conftest import add_post, make_topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def queued(forums, manager_user):
    """A topic awaiting moderation, as machina leaves it."""
    topic = make_topic(forums["theme"], manager_user, subject="Sujet en attente")
    Post.objects.filter(topic=topic).update(approved=False)
    Topic.objects.filter(pk=topic.pk).update(approved=False)
    return topic


def test_a_members_posts_hide_what_awaits_moderation_from_other_members(
    client_for, forums, manager_user, queued
):
    make_topic(forums["theme"], manager_user, subject="Sujet publié")
    url = reverse("forum_member:user_posts", kwargs={"pk": manager_user.pk})
    page = client_for("elected").get(url).content.decode()
    assert f"Messages de {manager_user.display_name}" in page
    assert "Sujet publié" in page
    assert "Sujet en attente" not in page
    # Its author and the team see it, marked as such.
    for role in ("manager", "staff"):
        page = client_for(role).get(url).content.decode()
        assert "Sujet en attente" in page
        assert "en attente de validation" in page


def test_a_profile_shows_the_display_name_and_readable_posts_only(
    client_for, forums, manager_user, elected_user
):
    make_topic(forums["managers"], manager_user, subject="Entre gérants")
    topic = make_topic(forums["theme"], elected_user, subject="Ouvert à tous")
    add_post(topic, manager_user, content="Ma réponse publique")
    page = client_for("elected").get(
        reverse("forum_member:profile", kwargs={"pk": manager_user.pk})
    )
    body = page.content.decode()
    assert f"<h1>{manager_user.display_name}</h1>" in body
    assert manager_user.email not in body
    assert "Ma réponse publique" in body
    assert "Entre gérants" not in body


def test_confirmation_pages_are_in_french_with_a_real_submit_button(
    client_for, forums, staff_user, elected_user
):
    topic = make_topic(forums["theme"], elected_user, subject="À fermer")
    client = client_for("staff")
    page = client.get(
        reverse("forum_moderation:topic_lock", kwargs={"slug": topic.slug, "pk": topic.pk})
    ).content.decode()
    assert "<h1>Fermer ce sujet ?</h1>" in page
    assert '<button type="submit">Fermer le sujet</button>' in page
    assert 'role="submit"' not in page
    # Annuler leads back to the topic, whose address the moderation pages do not spell out.
    assert f'<a class="button button-secondary" href="{topic_url(topic)}">Annuler</a>' in page
    response = client.post(
        reverse("forum_moderation:topic_lock", kwargs={"slug": topic.slug, "pk": topic.pk}),
        {"post": "yes"},
    )
    assert response.status_code == 302
    topic.refresh_from_db()
    assert topic.is_locked


def test_ones_own_profile_leads_to_the_account_profile(client_for, elected_user):
    client = client_for("elected")
    for url in (
        reverse("forum_member:profile", kwargs={"pk": elected_user.pk}),
        reverse("forum_member:profile_update"),
    ):
        page = client.get(url).content.decode()
        assert f'href="{reverse("accounts:profile")}">Modifier mon nom affiché' in page


# Anonymous visitors and pending accounts see no member page at all: tests/security.
@pytest.mark.parametrize("role", ["elected", "manager", "partner"])
def test_pending_and_refused_accounts_have_no_forum_pages(
    client_for, role, pending_user, refused_user
):
    for account in (pending_user, refused_user):
        for name in ("profile", "user_posts"):
            url = reverse(f"forum_member:{name}", kwargs={"pk": account.pk})
            assert client_for(role).get(url).status_code == 404, (role, name)


def test_staff_see_every_accounts_forum_pages(client_for, pending_user):
    for name in ("profile", "user_posts"):
        url = reverse(f"forum_member:{name}", kwargs={"pk": pending_user.pk})
        assert client_for("staff").get(url).status_code == 200


def test_the_post_list_counts_only_what_the_reader_may_see(
    client_for, forums, manager_user, queued
):
    url = reverse("forum_member:user_posts", kwargs={"pk": manager_user.pk})
    for role, expected in (("elected", 0), ("manager", 1), ("staff", 1)):
        response = client_for(role).get(url)
        assert response.status_code == 200
        assert response.context["paginator"].count == expected, role
