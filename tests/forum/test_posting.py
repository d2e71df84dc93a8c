"""Posting through the site: display names and avatars, the rate limit, the site's layout."""

from __future__ import annotations

import pytest
from django.test import override_settings
from django.urls import reverse
from machina.apps.forum_conversation.models import Post

from .conftest import add_post, make_topic

pytestmark = pytest.mark.django_db


def topic_url(topic) -> str:
    return reverse(
        "forum_conversation:topic", args=[topic.forum.slug, topic.forum.pk, topic.slug, topic.pk]
    )


def test_a_manager_posts_a_topic_and_another_replies(client_for, forums, manager_user):
    forum = forums["managers"]
    response = client_for("manager").post(
        reverse("forum_conversation:topic_create", args=[forum.slug, forum.pk]),
        {"subject": "Licence IV", "content": "Qui a fait la formation **permis d'exploitation** ?"},
    )
    assert response.status_code == 302
    topic = forum.topics.get()
    assert topic.poster == manager_user
    page = client_for("staff").get(topic_url(topic)).content.decode()
    assert (
        "<strong>permis d&#x27;exploitation</strong>" in page
        or "<strong>permis d'exploitation</strong>" in page
    )


@override_settings(FORUM_POSTS_PER_MINUTE=3)
def test_posting_rate_limit_keeps_the_text_and_saves_nothing(client_for, forums, elected_user):
    topic = make_topic(forums["theme"], elected_user)
    client = client_for("manager")
    url = reverse(
        "forum_conversation:post_create",
        args=[topic.forum.slug, topic.forum.pk, topic.slug, topic.pk],
    )
    for n in range(3):
        response = client.post(url, {"subject": "Re", "content": f"Réponse {n}"})
        assert response.status_code == 302
    response = client.post(url, {"subject": "Re", "content": "Une de trop"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "patientez un instant" in page
    assert "Une de trop" in page  # the text is still in the form
    assert not Post.objects.filter(content="Une de trop").exists()
    assert Post.objects.filter(topic=topic).count() == 4
    # Previews do not count.
    assert (
        client.post(url, {"subject": "Re", "content": "Aperçu", "preview": "1"}).status_code == 200
    )


def test_pages_show_display_names_never_emails(client_for, forums, elected_user, manager_user):
    topic = make_topic(forums["theme"], elected_user, subject="Horaires")
    add_post(topic, manager_user)
    client = client_for("partner")
    for url in (
        reverse("forum:index"),
        reverse("forum:forum", args=[topic.forum.slug, topic.forum.pk]),
        topic_url(topic),
        reverse("discussions:search") + "?q=Horaires",
    ):
        page = client.get(url).content.decode()
        for user in (elected_user, manager_user):
            assert user.email not in page, url
            assert user.email.split("@")[0] not in page, url
    page = client.get(topic_url(topic)).content.decode()
    assert elected_user.display_name in page and manager_user.display_name in page


def test_avatar_or_initials(client_for, forums, elected_user):
    topic = make_topic(forums["theme"], elected_user)
    page = client_for("staff").get(topic_url(topic)).content.decode()
    assert '<span class="avatar avatar-initials" aria-hidden="true">MM</span>' in page


def test_forum_pages_use_the_site_layout_in_french(client_for, forums):
    page = client_for("anonymous").get(reverse("forum:index")).content.decode()
    assert '<html lang="fr">' in page
    assert 'class="site-header"' in page
    assert "navbar" not in page and "bootstrap" not in page.lower()
    assert "machina.board_theme" not in page
    assert "Forum du réseau" in page
    assert "Bienvenue au café" in page


def test_a_too_long_post_is_refused_in_french(client_for, forums):
    forum = forums["public"]
    response = client_for("elected").post(
        reverse("forum_conversation:topic_create", args=[forum.slug, forum.pk]),
        {"subject": "Roman", "content": "a" * 20_001},
    )
    assert response.status_code == 200
    assert "la limite est de 20000" in response.content.decode()
    assert not forum.topics.exists()


@pytest.mark.parametrize(
    "subject", ["Licence IV", "Fournisseur de bière à Évry ?", "Café & épicerie : 50 % / mois"]
)
def test_topic_links_are_machinas_urls_and_open_the_topic(client_for, forums, staff_user, subject):
    from django.urls import get_script_prefix, set_script_prefix

    from forum.services import topic_url as link

    topic = make_topic(forums["public"], staff_user, subject=subject)
    assert link(topic) == topic_url(topic)
    assert client_for("elected").get(link(topic)).status_code == 200
    previous = get_script_prefix()
    set_script_prefix("/reseau/")  # the site served under a path: links follow
    try:
        assert link(topic) == topic_url(topic)
        assert link(topic).startswith("/reseau/forum/")
    finally:
        set_script_prefix(previous)
