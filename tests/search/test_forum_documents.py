"""Forum topics in the site search: no leak from a private area for any role, on Meilisearch
and on the database fallback, and the index follows posts, moves and renames."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post, Topic

from forum.search_documents import TEXT_BUDGET
from forum.tree import area, theme
from search.models import SearchDocument
from tests.forum.conftest import add_post, make_topic
from tests.matrix import ROLES

from .engines import flush

# A word planted in each forum area, and the roles that may read that area.
PLANTED = {
    "public": ("chicorée", set(ROLES)),
    "theme": ("torréfacteur", {"elected", "manager", "partner", "staff"}),
    "elected": ("délibération", {"elected", "staff"}),
    "managers": ("licence", {"manager", "staff"}),
}


@pytest.fixture
def forums(db) -> dict[str, Forum]:
    return {
        "public": area("public"),
        "theme": theme("Gestion du café"),
        "elected": area("elected"),
        "managers": area("managers"),
    }


@pytest.fixture
def planted(forums, staff_user) -> dict[str, Topic]:
    topics = {
        key: make_topic(forums[key], staff_user, subject=f"Sujet {key}", content=f"Parlons {word}.")
        for key, (word, _readers) in PLANTED.items()
    }
    flush()
    return topics


def _api(client, q: str, **params) -> dict:
    response = client.get(reverse("search:api"), {"q": q, **params})
    assert response.status_code == 200, response.content
    return response.json()


def _titles(data: dict) -> list[str]:
    return [hit["title"] for hit in data["hits"]]


def _found_areas(client) -> dict[str, bool]:
    found = {}
    for key, (word, _readers) in PLANTED.items():
        data = _api(client, word)
        found[key] = f"Sujet {key}" in _titles(data)
        # The site-wide search filters exactly like the forum-only one.
        assert _titles(_api(client, word, type="forum")) == _titles(data)
    return found


@pytest.mark.meilisearch
@pytest.mark.parametrize("role", ROLES)
def test_no_role_finds_a_topic_of_an_area_it_may_not_read(
    meili, planted, client_for, role, engine_down
):
    client = client_for(role)
    assert _api(client, "chicorée")["engine"] == "meilisearch"
    expected = {key: role in readers for key, (_word, readers) in PLANTED.items()}
    assert _found_areas(client) == expected
    with engine_down():
        assert _api(client, "chicorée")["engine"] == "database"
        assert _found_areas(client) == expected


@pytest.mark.parametrize("role", ROLES)
def test_database_fallback_hides_the_same_areas(no_engine, planted, client_for, role):
    client = client_for(role)
    assert _api(client, "chicorée")["engine"] == "database"
    assert _found_areas(client) == {
        key: role in readers for key, (_word, readers) in PLANTED.items()
    }


def test_a_topic_document_holds_its_posts_theme_and_last_answer(no_engine, forums, staff_user):
    topic = make_topic(forums["theme"], staff_user, subject="Fournisseur de bière")
    answer = add_post(topic, staff_user, content="La brasserie **locale** livre le mardi.")
    Post.objects.create(
        topic=topic, poster=staff_user, subject="Re", content="Message à valider", approved=False
    )
    flush()
    document = SearchDocument.objects.get(doc_type="forum", object_pk=str(topic.pk))
    assert document.title == "Fournisseur de bière"
    assert document.group == "forum"
    assert document.themes == ["Gestion du café"]
    assert document.access == {"forum_id": forums["theme"].pk}
    assert document.url == reverse(
        "forum_conversation:topic", args=[topic.forum.slug, topic.forum_id, topic.slug, topic.pk]
    )
    # Rendered markdown becomes plain text; unapproved posts stay out.
    assert document.text == "Premier message La brasserie locale livre le mardi."
    # The index keeps whole seconds.
    assert document.date == answer.created.replace(microsecond=0)


def test_a_long_topic_keeps_its_question_and_latest_answers(no_engine, forums, staff_user):
    topic = make_topic(forums["public"], staff_user, subject="Long fil", content="Question ?")
    for n in range(10):
        add_post(topic, staff_user, content=f"réponse{n} " * 300)
    flush()
    text = SearchDocument.objects.get(doc_type="forum", object_pk=str(topic.pk)).text
    assert len(text) <= TEXT_BUDGET
    assert text.startswith("Question ?")
    assert "réponse9" in text and "réponse0" not in text


def test_unapproved_topics_are_not_found(no_engine, forums, staff_user, client_for):
    topic = make_topic(forums["public"], staff_user, subject="Sujet en attente de validation")
    Topic.objects.filter(pk=topic.pk).update(approved=False)
    Topic.objects.get(pk=topic.pk).save()
    flush()
    assert _api(client_for("staff"), "attente")["total"] == 0


def test_editing_and_deleting_posts_update_the_index_after_commit(
    no_engine, forums, staff_user, client_for, django_capture_on_commit_callbacks
):
    client = client_for("elected")
    with django_capture_on_commit_callbacks(execute=True):
        topic = make_topic(forums["public"], staff_user, subject="Horaires d'été")
        reply = add_post(topic, staff_user, content="Nous ouvrons le dimanche matin.")
    assert _titles(_api(client, "dimanche")) == ["Horaires d'été"]

    with django_capture_on_commit_callbacks(execute=True):
        reply.content = "Nous ouvrons le lundi soir."
        reply.save()
    assert _titles(_api(client, "dimanche")) == []
    assert _titles(_api(client, "lundi")) == ["Horaires d'été"]

    with django_capture_on_commit_callbacks(execute=True):
        Post.objects.get(pk=reply.pk).delete()
    assert _titles(_api(client, "lundi")) == []
    assert _titles(_api(client, "horaires")) == ["Horaires d'été"]

    with django_capture_on_commit_callbacks(execute=True):
        Topic.objects.get(pk=topic.pk).delete()
    assert _titles(_api(client, "horaires")) == []
    assert not SearchDocument.objects.filter(doc_type="forum").exists()


def test_a_topic_moved_to_a_private_area_disappears_for_those_who_cannot_read_it(
    no_engine, forums, staff_user, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        topic = make_topic(forums["public"], staff_user, subject="Conseil municipal de mars")
    manager, elected = client_for("manager"), client_for("elected")
    assert _titles(_api(manager, "conseil")) == ["Conseil municipal de mars"]

    with django_capture_on_commit_callbacks(execute=True):
        topic.forum = forums["elected"]
        topic.save()
    assert _titles(_api(manager, "conseil")) == []
    assert _titles(_api(client_for("anonymous"), "conseil")) == []
    hit = _api(elected, "conseil")["hits"][0]
    assert hit["url"].startswith(
        reverse("forum:forum", args=[forums["elected"].slug, topic.forum_id])
    )


def test_renaming_a_forum_refreshes_its_topics_urls_and_theme(
    no_engine, forums, staff_user, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        topic = make_topic(forums["theme"], staff_user, subject="Choisir un fournisseur")
    forum = forums["theme"]
    with django_capture_on_commit_callbacks(execute=True):
        forum.name = "Le métier de gérant"
        forum.save()
    document = SearchDocument.objects.get(doc_type="forum", object_pk=str(topic.pk))
    assert document.themes == ["Le métier de gérant"]
    assert document.url.startswith(reverse("forum:forum", args=["le-métier-de-gérant", forum.pk]))
    response = client_for("manager").get(document.url)
    assert response.status_code == 200


def test_a_new_post_does_not_refresh_the_other_topics_of_its_forum(
    no_engine, forums, staff_user, django_capture_on_commit_callbacks
):
    # machina saves the forum after each post (its counters): that must not reindex the area.
    with django_capture_on_commit_callbacks(execute=True):
        quiet = make_topic(forums["public"], staff_user, subject="Sujet tranquille")
        busy = make_topic(forums["public"], staff_user, subject="Sujet animé")
    before = SearchDocument.objects.get(object_pk=str(quiet.pk), doc_type="forum").updated_at
    with django_capture_on_commit_callbacks(execute=True):
        add_post(busy, staff_user, content="Une réponse de plus.")
    assert (
        SearchDocument.objects.get(object_pk=str(quiet.pk), doc_type="forum").updated_at == before
    )


@pytest.mark.meilisearch
def test_typos_missing_accents_and_recent_answers_on_meilisearch(
    meili, forums, staff_user, client_for
):
    old = make_topic(forums["public"], staff_user, subject="Recruter un gérant", content="Annonce.")
    recent = make_topic(forums["public"], staff_user, subject="Former un gérant", content="Stage.")
    Topic.objects.filter(pk=old.pk).update(last_post_on=timezone.now() - timedelta(days=300))
    Topic.objects.filter(pk=recent.pk).update(last_post_on=timezone.now() - timedelta(days=200))
    flush()
    client = client_for("anonymous")
    assert _titles(_api(client, "gerant")) == ["Former un gérant", "Recruter un gérant"]
    # A fresh answer brings the older topic back on top.
    add_post(old, staff_user, content="Nous avons trouvé, merci à tous !")
    flush()
    data = _api(client, "gerant")
    assert data["engine"] == "meilisearch"
    assert _titles(data) == ["Recruter un gérant", "Former un gérant"]
    hit = _api(client, "tous merci")["hits"][0]
    assert hit["title"] == "Recruter un gérant"
    assert "<mark>merci</mark>" in hit["excerpt"]


@pytest.mark.meilisearch
def test_search_reindex_indexes_every_topic(meili, forums, staff_user, client_for):
    from django.core.management import call_command

    for key in ("public", "theme", "elected"):
        make_topic(forums[key], staff_user, subject=f"Réindexé {key}")
    SearchDocument.objects.all().delete()
    call_command("search_reindex", stdout=open("/dev/null", "w"))  # noqa: SIM115
    topic_ids = {f"forum-{pk}" for pk in Topic.objects.values_list("pk", flat=True)}
    assert topic_ids <= meili.get_document_ids()
    assert _titles(_api(client_for("elected"), "réindexé", type="forum")) != []
    assert len(_titles(_api(client_for("anonymous"), "réindexé"))) == 1


def test_a_change_of_rights_applies_to_the_next_search(
    no_engine, planted, forums, pending_user, staff_user
):
    from django.test import Client
    from machina.apps.forum_permission.models import GroupForumPermission

    from community.accounts.services import approve_member
    from forum.tree import ELECTED_GROUP

    client = Client()
    client.force_login(pending_user)
    assert _titles(_api(client, "délibération")) == []
    approve_member(pending_user, by=staff_user)
    assert _titles(_api(client, "délibération")) == ["Sujet elected"]
    GroupForumPermission.objects.filter(forum=forums["elected"], group__name=ELECTED_GROUP).delete()
    assert _titles(_api(client, "délibération")) == []
