"""The forum's writes and rules beyond machina: notifications, subscriptions, reports,
mentions and posting rate. Every write is atomic; notifications fan out and e-mails leave
in the task worker, after commit."""

from __future__ import annotations

import functools
import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from urllib.parse import quote

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post, Topic
from machina.apps.forum_permission.handler import PermissionHandler

from community.accounts.models import User
from community.background import enqueue_on_commit
from community.cache import Generation
from community.lib import ratelimit
from community.lib.refusals import DomainError
from community.mail import deliver_email, message_id, render_email, send_email_after_commit

from .markup import mentioned_members
from .mentions import handle as mention_handle
from .mentions import plain_text
from .models import (
    EmailFrequency,
    ForumPreferences,
    ForumSubscription,
    Notification,
    NotificationKind,
    PostReport,
    ReportStatus,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

REPORT_REASON_MAX = 1000
# Checked by the posting views: machina's own setting would add a migration to its package.
POST_MAX_LENGTH = 20_000
logger = logging.getLogger(__name__)
UNSUBSCRIBE_SALT = "discussions.unsubscribe"
# A scheduler down for a few days still delivers; older news is not worth a digest.
DIGEST_WINDOW = timedelta(days=7)


class ForumError(DomainError):
    """A forum action refused, with the French message to show the member."""


# Reading rights -------------------------------------------------------------------------


def can_read(user: User | AnonymousUser, forum: Forum, handler: PermissionHandler | None = None):
    handler = handler or PermissionHandler()
    return handler.can_read_forum(forum, user)


# Posting rate ---------------------------------------------------------------------------


def check_posting_rate(user: User) -> None:
    """Count one post for the member; refuse past the limit per minute."""
    limit = settings.FORUM_POSTS_PER_MINUTE
    if not ratelimit.allow("forum-posts", user.pk, limit=limit, window=60):
        raise ForumError(
            _(
                "Vous avez publié %(limit)s messages en moins d'une minute : patientez "
                "un instant avant de publier à nouveau. Votre texte n'a pas été perdu, "
                "il est toujours ci-dessous."
            )
            % {"limit": limit}
        )


# Preferences and subscriptions ----------------------------------------------------------


def preferences_for(user: User) -> ForumPreferences:
    """The member's settings; an unsaved default row when they never changed them."""
    try:
        return user.forum_preferences
    except ForumPreferences.DoesNotExist:
        return ForumPreferences(user=user)


def set_email_frequency(user: User, frequency: str) -> ForumPreferences:
    if frequency not in EmailFrequency.values:
        raise ForumError(_("Choisissez une fréquence d'e-mails proposée dans la liste."))
    with transaction.atomic():
        preferences, _created = ForumPreferences.objects.update_or_create(
            user=user, defaults={"email_frequency": frequency}
        )
    return preferences


def follows_forum(user: User, forum: Forum) -> bool:
    return ForumSubscription.objects.filter(user=user, forum=forum).exists()


def follow_forum(user: User, forum: Forum) -> None:
    if not (user.is_authenticated and can_read(user, forum)):
        raise ForumError(_("Vous ne pouvez pas suivre un forum que vous ne pouvez pas lire."))
    if not forum.is_forum:
        raise ForumError(_("Suivez l'un des forums de cette rubrique plutôt que la rubrique."))
    with transaction.atomic():
        ForumSubscription.objects.get_or_create(user=user, forum=forum)


def unfollow_forum(user: User, forum: Forum) -> None:
    with transaction.atomic():
        ForumSubscription.objects.filter(user=user, forum=forum).delete()


def unfollow_topic(user: User, topic: Topic) -> None:
    with transaction.atomic():
        topic.subscribers.remove(user)


def unsubscribe_token(user: User, scope: str, target_id: int | None = None) -> str:
    """A signed token for a link in an e-mail: it works without logging in."""
    return signing.dumps({"u": user.pk, "s": scope, "i": target_id}, salt=UNSUBSCRIBE_SALT)


def describe_unsubscribe(token: str) -> tuple[User, str, str]:
    """Check a token; return the member, the scope and a French description of its effect."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
        user = User.objects.get(pk=data["u"])
        scope, target_id = data["s"], data["i"]
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError):
        raise ForumError(
            _(
                "Ce lien de désabonnement n'est pas valide. Vous pouvez gérer vos "
                "abonnements depuis la page « Mes abonnements » du forum."
            )
        ) from None
    if scope == "topic":
        topic = Topic.objects.filter(pk=target_id).first()
        what = f"ne plus suivre le sujet « {topic.subject} »" if topic else None
    elif scope == "forum":
        forum = Forum.objects.filter(pk=target_id).first()
        what = f"ne plus suivre le forum « {forum.name} »" if forum else None
    elif scope == "all":
        what = "ne plus recevoir aucun e-mail du forum"
    else:
        what = None
    if what is None:
        raise ForumError(_("Ce sujet ou ce forum n'existe plus : il n'y a plus rien à suivre."))
    return user, scope, what


def unsubscribe_with_token(token: str) -> str:
    """Apply an unsubscribe link; returns what was done, in French."""
    user, scope, what = describe_unsubscribe(token)
    target_id = signing.loads(token, salt=UNSUBSCRIBE_SALT)["i"]
    with transaction.atomic():
        if scope == "topic":
            unfollow_topic(user, Topic.objects.get(pk=target_id))
        elif scope == "forum":
            ForumSubscription.objects.filter(user=user, forum_id=target_id).delete()
        else:
            ForumPreferences.objects.update_or_create(
                user=user, defaults={"email_frequency": EmailFrequency.NEVER}
            )
    return what


# Mentions and notifications -------------------------------------------------------------


MENTION_SUGGESTIONS = 8


def mention_suggestions(user: User, typed: str, forum: Forum | None = None) -> list[dict]:
    """Members whose display name contains what was typed after « @[ », with the handle to
    insert and what tells namesakes apart (role, commune or café). Given the forum being
    written in, only members who may read it: the others would not be notified."""
    typed = " ".join((typed or "").split())[:80]
    if len(typed) < 2 or (forum is not None and not can_read(user, forum)):
        return []
    candidates = (
        User.objects.reachable()
        .filter(display_name__icontains=typed)
        .exclude(pk=user.pk)
        .select_related("commune")
        .prefetch_related("managed_cafes__commune")
        .order_by("display_name", "pk")
    )
    handler = PermissionHandler()
    found = []
    # Walk past candidates who may not read the forum rather than return fewer than asked.
    for member in candidates[: MENTION_SUGGESTIONS * 5]:
        if forum is None or handler.can_read_forum(forum, member):
            found.append(member)
        if len(found) == MENTION_SUGGESTIONS:
            break
    return [
        {
            "name": member.display_name,
            "detail": ", ".join(filter(None, [member.get_role_display(), member.place_label])),
            "mention": mention_handle(member),
        }
        for member in found
    ]


def notify_post_published(post: Post) -> None:
    """After a new topic or reply: its author follows the topic at once; the followers,
    forum followers (for a new topic) and mentioned members who may read the forum are
    notified by the worker (fan_out_notifications), after commit."""
    if not post.approved:
        return
    if post.poster_id:
        post.topic.subscribers.add(post.poster)
    enqueue_on_commit(fan_out_notifications, post.pk, edited=False)


def notify_post_edited(post: Post) -> None:
    """An edit adding mentions notifies the newly mentioned members only (in the worker)."""
    if post.approved:
        enqueue_on_commit(fan_out_notifications, post.pk, edited=True)


@task()
def fan_out_notifications(post_id: int, edited: bool) -> int:
    """One task per post: who is notified, their in-app notifications, then one e-mail
    task per member who asked for immediate e-mails. Returns how many were notified."""
    post = Post.objects.select_related("topic__forum", "poster").filter(pk=post_id).first()
    if post is None or not post.approved:
        return 0
    topic = post.topic
    with transaction.atomic():
        if edited:
            already = set(
                Notification.objects.filter(post=post).values_list("recipient", flat=True)
            )
            kinds = {
                user.pk: NotificationKind.MENTION
                for user in mentioned_members(post.content.raw)
                if user.pk not in already
            }
        else:
            followers = topic.subscribers.all()
            if post.is_topic_head:
                followers = User.objects.filter(
                    forum_subscriptions__forum_id=topic.forum_id
                ) | User.objects.filter(pk__in=topic.subscribers.values("pk"))
            kind = NotificationKind.NEW_TOPIC if post.is_topic_head else NotificationKind.REPLY
            kinds = dict.fromkeys(followers.distinct().values_list("pk", flat=True), kind)
            for user in mentioned_members(post.content.raw):
                kinds[user.pk] = NotificationKind.MENTION
        return len(_notify(post, kinds))


def _notify(post: Post, kinds: dict[int, str]) -> list[Notification]:
    kinds.pop(post.poster_id, None)
    if not kinds:
        return []
    forum = post.topic.forum
    handler = PermissionHandler()
    recipients = [
        user
        for user in User.objects.reachable()
        .filter(pk__in=kinds)
        .select_related("forum_preferences")
        if handler.can_read_forum(forum, user)
    ]
    existing = set(
        Notification.objects.filter(post=post, recipient__in=recipients).values_list(
            "recipient", flat=True
        )
    )
    notifications = Notification.objects.bulk_create(
        Notification(recipient=user, kind=kinds[user.pk], post=post, actor=post.poster)
        for user in recipients
        if user.pk not in existing
    )
    unread_count_changed(*(notification.recipient_id for notification in notifications))
    by_recipient = {user.pk: user for user in recipients}
    for notification in notifications:
        user = by_recipient[notification.recipient_id]
        if preferences_for(user).email_frequency == EmailFrequency.IMMEDIATE:
            enqueue_on_commit(email_notification, notification.pk)
    return notifications


@task()
def email_notification(notification_id: int) -> bool:
    """E-mail one notification, then mark it e-mailed: a failed send leaves it unmarked and
    the worker retries; a retry of one already sent does nothing."""
    notification = (
        Notification.objects.select_related("recipient", "post__topic__forum", "post__poster")
        .filter(pk=notification_id, emailed_at__isnull=True, recipient__in=User.objects.reachable())
        .first()
    )
    if notification is None:
        return False
    user = notification.recipient
    context = _email_context(user, notification)
    subject, body = render_email("forum_notification", context)
    unsubscribe = context["unsubscribe_url"] or context["unsubscribe_all_url"]
    deliver_email(
        subject,
        body,
        user.email,
        {**one_click_unsubscribe_headers(unsubscribe), "Message-ID": message_id()},
    )
    Notification.objects.filter(pk=notification_id).update(emailed_at=timezone.now())
    return True


@functools.lru_cache(maxsize=4096)
def _reversed_forum_url(script_prefix: str, slug: str, pk: int) -> str:
    return reverse("forum:forum", kwargs={"slug": slug, "pk": pk})


def forum_url(forum: Forum) -> str:
    """The forum's page, reversed once per forum (and script prefix)."""
    return _reversed_forum_url(get_script_prefix(), forum.slug, forum.pk)


def topic_url(topic: Topic) -> str:
    """machina's topic URL (`forum_conversation:topic`): `topic/<slug>-<pk>/` under its
    forum's URL, the slug percent-encoded as reverse() does. A reverse() per topic was the
    largest cost of rebuilding the search index."""
    return f"{forum_url(topic.forum)}topic/{quote(topic.slug)}-{topic.pk}/"


def post_url(post: Post, topic: Topic | None = None) -> str:
    """The post on its topic's page (`?post=` opens the page that holds it); `topic` when the
    caller has it already, as a page of the topic's posts does, saves reading it per post."""
    return f"{topic_url(topic or post.topic)}?post={post.pk}#message-{post.pk}"


def one_click_unsubscribe_headers(url: str) -> dict[str, str]:
    """RFC 8058: mail clients show an « unsubscribe » button that POSTs to the URL."""
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _unsubscribe_url(user: User, scope: str, target_id: int | None) -> str:
    token = unsubscribe_token(user, scope, target_id)
    return settings.WAGTAILADMIN_BASE_URL + reverse("discussions:unsubscribe", args=[token])


def _email_context(user: User, notification: Notification) -> dict:
    post = notification.post
    topic = post.topic
    if notification.is_new_topic:
        unsubscribe = _unsubscribe_url(user, "forum", topic.forum_id)
    elif notification.kind == NotificationKind.REPLY:
        unsubscribe = _unsubscribe_url(user, "topic", topic.pk)
    else:
        unsubscribe = ""
    excerpt = " ".join(plain_text(post.content.raw).split())
    return {
        "recipient_name": user.display_name,
        "is_mention": notification.is_mention,
        "is_new_topic": notification.is_new_topic,
        "actor_name": post.poster.display_name if post.poster else "Ancien membre",
        "topic_subject": topic.subject,
        "forum_name": topic.forum.name,
        "excerpt": excerpt[:500] + ("…" if len(excerpt) > 500 else ""),
        "post_url": settings.WAGTAILADMIN_BASE_URL + post_url(post),
        "unsubscribe_url": unsubscribe,
        "unsubscribe_all_url": _unsubscribe_url(user, "all", None),
        "preferences_url": settings.WAGTAILADMIN_BASE_URL + reverse("discussions:preferences"),
    }


def send_daily_digests(now: datetime | None = None) -> int:
    """Enqueue one digest task per member on the daily setting who has notifications not
    e-mailed yet (a periodic job); returns how many."""
    now = now or timezone.now()
    recipients = sorted(
        set(
            Notification.objects.filter(
                emailed_at__isnull=True,
                created__gte=now - DIGEST_WINDOW,
                recipient__forum_preferences__email_frequency=EmailFrequency.DAILY,
                recipient__in=User.objects.reachable(),
            ).values_list("recipient_id", flat=True)
        )
    )
    for recipient_id in recipients:
        send_member_digest.enqueue(recipient_id, now.isoformat())
    return len(recipients)


@task()
def send_member_digest(recipient_id: int, now: str) -> bool:
    """The member's digest of what they have not been sent yet.

    Their notifications are claimed (locked, marked e-mailed) in a transaction of their
    own, so two digests at once never send the same one twice; the e-mail leaves after that
    commit, and when it fails the mark is undone and the task raises: the worker retries it
    (and the next daily run would include them anyway)."""
    since = datetime.fromisoformat(now) - DIGEST_WINDOW
    stamp = timezone.now()
    with transaction.atomic():
        notifications = list(
            Notification.objects.select_for_update(of=("self",))
            .filter(recipient_id=recipient_id, emailed_at__isnull=True, created__gte=since)
            .select_related("recipient", "post__topic__forum", "post__poster")
            .order_by("created")
        )
        ids = [n.pk for n in notifications]
        Notification.objects.filter(pk__in=ids).update(emailed_at=stamp)
    if not notifications:
        return False
    user = notifications[0].recipient
    handler = PermissionHandler()
    items = [
        _email_context(user, n)
        for n in notifications
        if handler.can_read_forum(n.post.topic.forum, user)
    ]
    if not items:
        return False
    unsubscribe_all = _unsubscribe_url(user, "all", None)
    subject, body = render_email(
        "forum_digest",
        {
            "recipient_name": user.display_name,
            "items": items,
            "unsubscribe_all_url": unsubscribe_all,
            "preferences_url": settings.WAGTAILADMIN_BASE_URL + reverse("discussions:preferences"),
        },
    )
    try:
        deliver_email(
            subject,
            body,
            user.email,
            {**one_click_unsubscribe_headers(unsubscribe_all), "Message-ID": message_id()},
        )
    except Exception:  # SMTP errors come in many classes (OSError, smtplib)
        logger.warning("forum digest to member %s not sent, kept for a retry", user.pk)
        Notification.objects.filter(pk__in=ids, emailed_at=stamp).update(emailed_at=None)
        raise
    return True


# Kept for a day at most: a member's count is rebuilt on their first page after that.
UNREAD_COUNT_SECONDS = 24 * 3600


def _unread_counts(user_id: int) -> Generation:
    return Generation(f"forum-unread:{user_id}", timeout=UNREAD_COUNT_SECONDS)


def unread_notification_count(user: User) -> int:
    """The header's count on every member page, from the cache while no write changed it:
    every write creating, reading or deleting the member's notifications outdates it
    (unread_count_changed)."""
    return _unread_counts(user.pk).get_or_build(
        "count", lambda: Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    )


def unread_count_changed(*user_ids: int) -> None:
    """Outdate these members' kept counts at once (a page rendered later in this transaction)
    and after commit (one that counted meanwhile, before the commit)."""
    for user_id in set(user_ids):
        _unread_counts(user_id).invalidate_now_and_after_commit()


def notification_written(sender, instance: Notification, **kwargs) -> None:
    """post_save and post_delete of a notification (a cascade when its post or topic is
    deleted, an admin edit); bulk writes call unread_count_changed themselves."""
    unread_count_changed(instance.recipient_id)


def open_notification(user: User, notification_id: int) -> Notification:
    with transaction.atomic():
        notification = (
            Notification.objects.select_related("post__topic__forum")
            .filter(recipient=user, pk=notification_id)
            .first()
        )
        if notification is None:
            raise ForumError(_("Cette notification n'existe pas ou plus."))
        if notification.read_at is None:
            notification.read_at = timezone.now()
            notification.save(update_fields=["read_at"])
    return notification


def mark_all_notifications_read(user: User) -> int:
    with transaction.atomic():
        marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        unread_count_changed(user.pk)
    return marked


# Reports --------------------------------------------------------------------------------


def report_post(user: User, post: Post, reason: str) -> PostReport:
    """« Signaler ce message » to the staff's moderation queue."""
    reason = (reason or "").strip()
    if not (user.is_authenticated and user.is_approved_member):
        raise ForumError(_("Seuls les membres du réseau peuvent signaler un message."))
    if not can_read(user, post.topic.forum):
        raise ForumError(_("Ce message n'existe pas ou vous n'y avez pas accès."))
    if post.poster_id == user.pk:
        raise ForumError(_("Vous ne pouvez pas signaler votre propre message : modifiez-le."))
    if not reason:
        raise ForumError(_("Dites en quelques mots ce qui pose problème dans ce message."))
    if len(reason) > REPORT_REASON_MAX:
        raise ForumError(
            _("Le motif ne doit pas dépasser %(limit)s caractères.") % {"limit": REPORT_REASON_MAX}
        )
    with transaction.atomic():
        if PostReport.objects.filter(post=post, reporter=user, status=ReportStatus.OPEN).exists():
            raise ForumError(_("Vous avez déjà signalé ce message : l'équipe va l'examiner."))
        report = PostReport.objects.create(post=post, reporter=user, reason=reason)
        if staff := User.objects.network_staff().emails():
            send_email_after_commit(
                "forum_report",
                staff,
                {
                    "reporter_name": user.display_name,
                    "topic_subject": post.topic.subject,
                    "reason": reason,
                    "queue_url": settings.WAGTAILADMIN_BASE_URL + reverse("discussions:reports"),
                },
            )
    return report


def resolve_report(staff: User, report_id: int, note: str = "") -> PostReport:
    return _handle_report(staff, report_id, ReportStatus.RESOLVED, note)


def dismiss_report(staff: User, report_id: int, note: str = "") -> PostReport:
    return _handle_report(staff, report_id, ReportStatus.DISMISSED, note)


def _handle_report(staff: User, report_id: int, status: str, note: str) -> PostReport:
    if not staff.is_network_staff:
        raise ForumError(_("Seule l'équipe 1000 cafés traite les signalements."))
    note = (note or "").strip()
    if len(note) > REPORT_REASON_MAX:
        raise ForumError(
            _("La note ne doit pas dépasser %(limit)s caractères.") % {"limit": REPORT_REASON_MAX}
        )
    with transaction.atomic():
        report = PostReport.objects.select_for_update().filter(pk=report_id).first()
        if report is None:
            raise ForumError(_("Ce signalement n'existe pas ou plus."))
        if report.status != ReportStatus.OPEN:
            raise ForumError(_("Ce signalement a déjà été traité."))
        report.status = status
        report.handled_by = staff
        report.handled_at = timezone.now()
        report.resolution_note = note
        report.save()
    return report
