"""Two café managers talk in their private area of the forum, in a real browser; axe audits
of the forum index, a forum and a topic page, and of machina's secondary pages: forms,
profiles, subscriptions, notifications, reports and the staff's moderation steps."""

from __future__ import annotations

from django.core import mail
from django.urls import reverse
from machina.apps.forum_conversation.models import Post, Topic

from community.accounts.models import Role
from community.accounts.roles import ensure_role_groups
from forum import services
from forum.mentions import handle
from forum.tree import area, ensure_forum_tree, theme
from tests.factories import make_cafe, make_member
from tests.forum.conftest import add_post, make_topic

from .axe import BLOCKING_IMPACTS, assert_accessible, axe_violations, describe
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
    content = replier.locator("textarea[name=content]")
    content.fill("Oui, à Quimper en janvier : ")
    # The mention is chosen among the suggestions (role and café tell namesakes apart).
    content.press_sequentially("@[Luc")
    replier.get_by_role("button", name="Lucas Bernard – Gérant·e de café").click()
    assert content.input_value() == f"Oui, à Quimper en janvier : {handle(first)} "
    content.press_sequentially("je vous envoie le lien.")
    with replier.expect_navigation():
        replier.get_by_role("button", name="Publier la réponse").click()
    assert "à Quimper en janvier" in replier.locator(".posts").inner_text()
    assert replier.locator(".post-content a.mention").inner_text() == "@Lucas Bernard"
    assert first.email not in replier.content()

    # The author follows their topic and is mentioned: one e-mail, an unread notification.
    assert [m.to for m in mail.outbox] == [[first.email]]
    assert "vous a mentionné·e" in mail.outbox[0].subject
    author.reload()
    assert "1 non lue" in " ".join(author.locator(".notifications-link").inner_text().split())
    assert area("managers").topics.get().posts.count() == 2


def audit(page, pages: dict[str, tuple[str, str]]) -> None:
    """Open each page, check it is the expected one (its h1), and fail at the end with every
    serious or critical violation of every page."""
    failures = []
    for label, (path, heading) in pages.items():
        response = page.goto(path)
        assert response.status == 200, f"{label}: {path} answered {response.status}"
        assert heading in page.locator("h1").inner_text(), f"{label}: not the expected page"
        violations = axe_violations(page)
        if violations:
            print(f"axe on {label} ({path}):\n{describe(violations)}")
        blocking = [v for v in violations if v.get("impact") in BLOCKING_IMPACTS]
        if blocking:
            failures.append(f"{label} ({path}):\n{describe(blocking)}")
    assert not failures, "Serious or critical accessibility violations:\n" + "\n".join(failures)


def topic_args(topic) -> list:
    return [topic.forum.slug, topic.forum.pk, topic.slug, topic.pk]


def test_secondary_forum_pages_are_accessible(new_page, home_site):
    ensure_role_groups()
    ensure_forum_tree()
    elected = make_member(Role.ELECTED, display_name="Jeanne Martin")
    manager = make_member(
        Role.MANAGER, cafe=make_cafe(name="Le Café du Pont"), display_name="Lucas Bernard"
    )
    staff = make_member(Role.STAFF, display_name="Équipe Réseau")
    forum = theme("Gestion du café")
    topic = make_topic(forum, elected, subject="Fournisseurs de café", content="Vos **adresses** ?")
    topic.subscribers.add(elected)
    answer = add_post(topic, manager, content=f"Bonjour {handle(elected)}, une coopérative.")
    services.notify_post_published(answer)
    mine = add_post(topic, elected, content="Merci, je note.")
    services.report_post(elected, answer, "Publicité pour un fournisseur.")
    other = make_topic(forum, manager, subject="Horaires d'hiver", content="Vos horaires ?")
    # A topic awaiting moderation, as machina leaves it for members posting with approval.
    queued = make_topic(forum, manager, subject="Sujet à valider", content="En attente")
    Post.objects.filter(topic=queued).update(approved=False)
    Topic.objects.filter(pk=queued.pk).update(approved=False)
    args = topic_args(topic)

    member = new_page()
    log_in(member, elected.email, next_url="/forum/")
    audit(
        member,
        {
            "topic creation": (
                reverse("forum_conversation:topic_create", args=[forum.slug, forum.pk]),
                "Nouveau sujet",
            ),
            "reply": (reverse("forum_conversation:post_create", args=args), "Répondre"),
            "topic edit": (reverse("forum_conversation:topic_update", args=args), "Modifier"),
            "post edit": (
                reverse("forum_conversation:post_update", args=[*args, mine.pk]),
                "Modifier",
            ),
            "post delete": (
                reverse("forum_conversation:post_delete", args=[*args, mine.pk]),
                "Supprimer",
            ),
            "member profile": (
                reverse("forum_member:profile", kwargs={"pk": manager.pk}),
                "Lucas Bernard",
            ),
            "profile edit": (reverse("forum_member:profile_update"), "profil"),
            "my posts": (
                reverse("forum_member:user_posts", kwargs={"pk": elected.pk}),
                "Mes messages",
            ),
            "someone's posts": (
                reverse("forum_member:user_posts", kwargs={"pk": manager.pk}),
                "Lucas Bernard",
            ),
            "followed topics": (reverse("forum_member:user_subscriptions"), "Sujets suivis"),
            "subscriptions": (reverse("discussions:preferences"), "abonnements"),
            "topic subscribe": (
                reverse("forum_member:topic_subscribe", args=[other.pk]),
                "Suivre ce sujet",
            ),
            "topic unsubscribe": (
                reverse("forum_member:topic_unsubscribe", args=[topic.pk]),
                "Ne plus suivre",
            ),
            "notifications": (reverse("discussions:notifications"), "Notifications"),
            "unread topics": (reverse("forum_tracking:unread_topics"), "non lus"),
            "mark forums read": (reverse("forum_tracking:mark_all_forums_read"), "lus"),
            "report": (reverse("discussions:report", args=[answer.pk]), "Signaler"),
        },
    )
    # The mention reads as the member's name, linked to their profile.
    member.goto(reverse("forum_conversation:topic", args=args))
    mention = member.locator(".post-content a.mention")
    assert mention.inner_text() == "@Jeanne Martin"
    assert mention.get_attribute("href") == reverse("forum_member:profile", args=[elected.pk])

    moderator = new_page()
    log_in(moderator, staff.email, next_url="/forum/")
    queued_post = queued.posts.get()
    audit(
        moderator,
        {
            "reports queue": (reverse("discussions:reports"), "signalés"),
            "moderation queue": (reverse("forum_moderation:queue"), "valider"),
            "queued post": (
                reverse("forum_moderation:queued_post", args=[queued_post.pk]),
                "Sujet à valider",
            ),
            "approve": (
                reverse("forum_moderation:approve_queued_post", args=[queued_post.pk]),
                "Valider",
            ),
            "disapprove": (
                reverse("forum_moderation:disapprove_queued_post", args=[queued_post.pk]),
                "Refuser",
            ),
            "lock": (
                reverse("forum_moderation:topic_lock", args=[topic.slug, topic.pk]),
                "Fermer",
            ),
            "move": (
                reverse("forum_moderation:topic_move", args=[topic.slug, topic.pk]),
                "Déplacer",
            ),
            "topic delete": (
                reverse("forum_moderation:topic_delete", args=[topic.slug, topic.pk]),
                "Supprimer",
            ),
            "make sticky": (
                reverse("forum_moderation:topic_update_to_sticky", args=[topic.slug, topic.pk]),
                "Épingler",
            ),
        },
    )
