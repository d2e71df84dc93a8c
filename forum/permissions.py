"""machina's permission and unread-tracking handlers, answered from memory.

machina asks the database for a member's rights on every check that meets a new forum or a
new permission list (two queries each time: user grants, group grants), loads the forum
tree again for each question, and looks up the ancestors of every unread forum one query
at a time. A forum page asked the same rights three times. Here, per request, the forums
are loaded once and the member's rights on every forum are computed once, by machina's own
checker, then kept in the cache until forum rights change (``RIGHTS``); the unread
forums' ancestors come from the forums already loaded. The answers are machina's: the same
checker computes them, the handlers only stop asking twice.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import F, OuterRef, Q, Subquery
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from machina.apps.forum.models import Forum
from machina.apps.forum.signals import forum_moved
from machina.apps.forum.visibility import ForumVisibilityContentTree
from machina.apps.forum_conversation.models import Topic
from machina.apps.forum_permission.checker import ForumPermissionChecker
from machina.apps.forum_permission.handler import PermissionHandler
from machina.apps.forum_permission.models import GroupForumPermission, UserForumPermission
from machina.apps.forum_tracking.handler import TrackingHandler
from machina.apps.forum_tracking.models import ForumReadTrack, TopicReadTrack
from mptt.utils import get_cached_trees

from community.cache import Generation

from .fragments import by_reads, reads_changed, shared

# Forum rights change rarely; the expiry bounds any change made without signals (queryset
# updates in a shell).
RIGHTS = Generation("forum:rights", timeout=120)
_PERMS_PREFIX = "perms:"


def forget_forum_rights(**kwargs) -> None:
    """Forum rights changed: every cached answer is stale."""
    RIGHTS.renew()


def _rights_changed(sender, **kwargs) -> None:
    # Once more after commit: a request between the change and its commit may have cached
    # the rights as they were.
    RIGHTS.invalidate_now_and_after_commit()


def _forum_saved(sender, instance, created=False, raw=False, **kwargs) -> None:
    # machina saves a forum after every post (its counters); only a new forum changes rights.
    if created:
        _rights_changed(sender)


def connect_rights_signals() -> None:
    User = get_user_model()
    for model in (GroupForumPermission, UserForumPermission):
        uid = f"forum-rights:{model._meta.label}"
        post_save.connect(_rights_changed, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(_rights_changed, sender=model, dispatch_uid=f"{uid}:delete")
    m2m_changed.connect(
        _rights_changed, sender=User.groups.through, dispatch_uid="forum-rights:groups"
    )
    post_save.connect(_forum_saved, sender=Forum, dispatch_uid="forum-rights:forum:save")
    post_delete.connect(_rights_changed, sender=Forum, dispatch_uid="forum-rights:forum:delete")
    forum_moved.connect(_rights_changed, dispatch_uid="forum-rights:forum:moved")


def mark_topic_read_on_view(sender, topic, user, request, response, **kwargs) -> None:
    """Replaces machina's receiver of `topic_viewed` (see apps.py). Once the topic is known
    read, reading it again asks nothing until it or the reader's marks change."""

    def mark() -> bool:
        RequestTrackingHandler(request).mark_topic_read(topic, user)
        return True

    by_reads(request, ("topic-read", topic.pk), mark)


class _KnownRightsChecker(ForumPermissionChecker):
    """machina's checker, answering from the rights computed once for every forum.

    Each permission is decided independently of the others by machina's rules, so the full
    set for a forum answers any list of codenames the handler asks about."""

    def __init__(self, user, rights: dict[int, frozenset[str]]) -> None:
        super().__init__(user)
        self._rights = rights

    def get_perms_for_forumlist(self, forums, perm_codenames=None):
        if any(forum is None for forum in forums):  # global rights: machina's own queries
            return super().get_perms_for_forumlist(forums, perm_codenames)
        return {forum: set(self._rights.get(forum.id, ())) for forum in forums}


class RequestPermissionHandler(PermissionHandler):
    """One per request (see middleware.py): the forums once, the member's rights once."""

    def _get_all_forums(self) -> list[Forum]:
        if not hasattr(self, "_all_forums"):
            self._all_forums = shared(("forums",), lambda: list(Forum.objects.all()))
        return self._all_forums

    def _get_top_nodes(self) -> list[Forum]:
        if not hasattr(self, "_top_nodes"):
            self._top_nodes = get_cached_trees(self._get_all_forums())
        return self._top_nodes

    def _filter_granted_forums_using_tree(self, granted_forums):
        # machina's rule (a forum counts only if its ancestors do too), walking the loaded
        # tree with a set of ids instead of list lookups, and returning the loaded forums
        # instead of a new queryset of them.
        granted = {forum.pk for forum in granted_forums}
        kept: list[Forum] = []
        pending = [top for top in self._get_top_nodes() if top.pk in granted]
        while pending:
            forum = pending.pop()
            kept.append(forum)
            # The children get_cached_trees attached (get_children() builds a queryset).
            pending.extend(child for child in forum._cached_children if child.pk in granted)
        return kept

    def _forums_by_pk(self) -> dict[int, Forum]:
        if not hasattr(self, "_by_pk"):
            self._by_pk = {forum.pk: forum for forum in self._get_all_forums()}
        return self._by_pk

    def loaded_forum(self, pk: int) -> Forum | None:
        return self._forums_by_pk().get(pk)

    def ancestors(self, forum: Forum) -> list[Forum]:
        """The forum's ancestors, the root first, from the loaded forums (mptt's
        get_ancestors builds a query)."""
        return _with_ancestors(forum, self._forums_by_pk())[:0:-1]

    def visible_forums(self, user, within: Forum | None = None) -> list[Forum]:
        """machina's ``forum_list_filter`` over every forum (or the descendants of `within`),
        answered from the loaded forums, in tree order."""
        if user.is_superuser:
            visible = self._get_all_forums()
        else:
            visible = self._get_forums_for_user(
                user, ["can_see_forum", "can_read_forum"], use_tree_hierarchy=True
            )
        if within is not None:
            visible = [
                forum
                for forum in visible
                if forum.tree_id == within.tree_id and within.lft < forum.lft < within.rght
            ]
        return sorted(visible, key=lambda forum: (forum.tree_id, forum.lft))

    def rights_on(self, forum: Forum, user) -> frozenset[str]:
        """Every right the user has on the forum: with the user's identity, what decides
        the links a forum page shows them (cached fragments vary on it)."""
        return frozenset(self._get_checker(user).get_perms(forum))

    def can_access_moderation_queue(self, user) -> bool:
        # Asked by every forum page's menu: the rights known for every forum answer it
        # without loading the forums.
        checker = self._get_checker(user)
        if isinstance(checker, _KnownRightsChecker):
            return any("can_approve_posts" in codes for codes in checker._rights.values())
        return super().can_access_moderation_queue(user)

    def _get_checker(self, user):
        key = user.id if not user.is_anonymous else "anonymous"
        if key not in self._user_perm_checkers_cache:
            if user.is_superuser or (not user.is_anonymous and not user.is_active):
                # machina decides these without looking at any grant.
                checker = ForumPermissionChecker(user)
            else:
                checker = _KnownRightsChecker(user, self._rights_of(user, key))
            self._user_perm_checkers_cache[key] = checker
        return self._user_perm_checkers_cache[key]

    def _rights_of(self, user, key) -> dict[int, frozenset[str]]:
        def compute() -> dict[int, frozenset[str]]:
            # From the database, not the forums kept under the content generation: rights
            # built from a list kept before a new forum's commit would hide it until they
            # expire.
            forums = list(Forum.objects.all())
            perms = ForumPermissionChecker(user).get_perms_for_forumlist(forums)
            return {forum.id: frozenset(codes) for forum, codes in perms.items()}

        return RIGHTS.get_or_build(f"{_PERMS_PREFIX}{key}", compute)


class RequestTrackingHandler(TrackingHandler):
    """machina's unread marks, with the ancestors of unread forums taken from the forums
    the permission handler already loaded instead of one query per unread forum, and a
    topic marked read in three queries instead of up to eight."""

    def mark_topic_read(self, topic: Topic, user) -> None:
        if not user.is_authenticated:
            return
        # Both marks in one query: most views are re-reads, which write nothing.
        forum_mark, topic_mark = (
            Topic.objects.filter(pk=topic.pk)
            .annotate(
                forum_mark=Subquery(
                    ForumReadTrack.objects.filter(forum_id=OuterRef("forum_id"), user=user).values(
                        "mark_time"
                    )[:1]
                ),
                topic_mark=Subquery(
                    TopicReadTrack.objects.filter(topic_id=OuterRef("pk"), user=user).values(
                        "mark_time"
                    )[:1]
                ),
            )
            .values_list("forum_mark", "topic_mark")
            .get()
        )
        latest = topic.last_post_on or topic.created
        if forum_mark is not None and forum_mark >= latest:
            return  # read already, through the forum's mark
        if topic_mark is not None and topic_mark >= latest:
            return  # read already: nothing changed since the forum's marks were last tidied
        now = timezone.now()
        TopicReadTrack.objects.bulk_create(
            [TopicReadTrack(topic=topic, user=user, mark_time=now)],
            update_conflicts=True,
            unique_fields=["user", "topic"],
            update_fields=["mark_time"],
        )
        reads_changed(user.pk)  # bulk_create sends no signal
        # Another topic of the forum unread: its tracks are older than its last post, or it
        # has none and is newer than the forum's mark (or the forum was never marked).
        untracked = ~Q(tracks__user=user)
        if forum_mark is not None:
            untracked &= Q(last_post_on__gt=forum_mark)
        unread_elsewhere = (
            Topic.objects.filter(forum_id=topic.forum_id, approved=True)
            .exclude(pk=topic.pk)
            .filter(Q(tracks__user=user, tracks__mark_time__lt=F("last_post_on")) | untracked)
        )
        if unread_elsewhere.exists():
            return
        # Every topic read: the forum's mark replaces its topics' marks, as machina does.
        TopicReadTrack.objects.filter(topic__forum_id=topic.forum_id, user=user).delete()
        forum_track, _ = ForumReadTrack.objects.get_or_create(forum_id=topic.forum_id, user=user)
        forum_track.save()
        self._update_parent_forum_tracks(topic.forum, user)

    def get_unread_forums_from_list(self, user, forums: Iterable[Forum]) -> list[Forum]:
        if not user.is_authenticated:
            return []
        forums = list(forums)
        by_pk = self.perm_handler._forums_by_pk()
        # All of the member's marks (at most one per forum) rather than a list of ids.
        marks = dict(ForumReadTrack.objects.filter(user=user).values_list("forum_id", "mark_time"))
        nodes = ForumVisibilityContentTree.from_forums(forums).as_dict
        unread: dict[int, Forum] = {}
        for forum in forums:
            mark = marks.get(forum.pk)
            if mark is None:
                is_unread = forum.direct_topics_count > 0
            else:
                latest = nodes[forum.pk].last_post_on
                is_unread = bool(latest and mark < latest)
            if is_unread:
                for ancestor in _with_ancestors(forum, by_pk):
                    unread.setdefault(ancestor.pk, ancestor)
        return list(unread.values())


def _with_ancestors(forum: Forum, by_pk: dict[int, Forum]) -> list[Forum]:
    chain = [forum]
    while chain[-1].parent_id is not None and chain[-1].parent_id in by_pk:
        chain.append(by_pk[chain[-1].parent_id])
    return chain
