"""The forum pages machina lacks, and machina's posting views with a rate limit and
notifications. Rules live in services; these views only translate HTTP."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.functional import SimpleLazyObject, cached_property
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST
from django.views.generic import ListView
from machina.apps.forum import views as machina_forum_views
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation import views as machina_views
from machina.apps.forum_conversation.models import Post, Topic
from machina.apps.forum_member import views as member_views

from community.accounts.decorators import member_required
from community.accounts.models import User
from community.lib.refusals import refusal_as_message, refusal_on_form

from . import services
from .forms import PreferencesForm, ReportForm
from .fragments import by_reads, own, shared, visible_forums
from .models import ForumSubscription, Notification, PostReport, ReportStatus
from .permissions import RequestTrackingHandler
from .services import ForumError

NOTIFICATIONS_PER_PAGE = 30


# machina's reading views ----------------------------------------------------------------


class KeptPagePaginator(Paginator):
    """Pages whose items are fetched, and their queryset built, only when read: a forum's or
    a topic's page is kept whole (community/fragments.py) and mostly shown from the cache,
    while building machina's querysets cost a forum page about 400 µs. The views give the
    queryset lazily and the count from what they keep."""

    def _check_object_list_is_ordered(self) -> None:
        """Asking would build the queryset; the views' querysets follow their models'
        ordering (topics by type and last post, posts by date)."""

    def page(self, number):
        number = self.validate_number(number)
        items = SimpleLazyObject(lambda: Paginator.page(self, number).object_list)
        return self._get_page(items, number, self)


class KeptListMixin:
    """machina's list views with their items built only when read (KeptPagePaginator)."""

    paginator_class = KeptPagePaginator

    def get_template_names(self) -> list[str]:
        # ListView would add a name taken from the queryset's model, which builds it.
        return [self.template_name]


class IndexView(machina_forum_views.IndexView):
    def get_queryset(self):
        return visible_forums(self.request)


class ForumView(KeptListMixin, machina_forum_views.ForumView):
    def get_queryset(self):
        return SimpleLazyObject(super().get_queryset)

    def get_forum(self) -> Forum:
        # The forums the permission handler loaded for this request (no query of its own).
        if not hasattr(self, "forum"):
            self.forum = self.request.forum_permission_handler.loaded_forum(self.kwargs["pk"])
            if self.forum is None:
                raise Http404
        return self.forum

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        paginator.count = shared(
            ("topics-count", self.get_forum().pk), lambda: paginator.object_list.count()
        )
        return paginator

    def get_context_data(self, **kwargs):
        # machina's, with the sub-forums' last posts joined and unread topics from
        # permissions.py's handler; ListView's own context (the page of topics, a queryset
        # run only when the topic lists are rendered) first.
        context = ListView.get_context_data(self, **kwargs)
        forum = self.get_forum()
        page = context["page_obj"]
        context["forum"] = forum
        context["sub_forums"] = visible_forums(self.request, within=forum)
        announces = SimpleLazyObject(
            lambda: forum.topics.select_related("poster", "last_post", "last_post__poster").filter(
                type=Topic.TOPIC_ANNOUNCE
            )
        )
        context["announces"] = announces
        unread = by_reads(
            self.request,
            ("unread-topics", forum.pk, page.number),
            lambda: sorted(
                topic.pk
                for topic in RequestTrackingHandler(self.request).get_unread_topics(
                    [*page.object_list, *announces], self.request.user
                )
            ),
        )
        # The template asks `topic in unread_topics` (instances compare by primary key) only
        # when it renders the topic lists: the instances are built then.
        context["unread_topics"] = SimpleLazyObject(lambda: [Topic(pk=pk) for pk in unread])
        handler, user = self.request.forum_permission_handler, self.request.user
        context["user_can_add_topic"] = handler.can_add_topic(forum, user)
        context["can_follow"] = user.is_authenticated and handler.can_read_forum(forum, user)
        context["following"] = context["can_follow"] and own(
            self.request, ("follows-forum", forum.pk), lambda: services.follows_forum(user, forum)
        )
        # The kept part of the page (actions, topic lists, pagination) shows of the reader
        # their unread marks, their right to start a topic and whether they follow the forum;
        # under the content generation, the page number says which topics it lists.
        context["forum_page_parts"] = (
            "forum",
            forum.pk,
            page.number,
            unread,
            context["user_can_add_topic"],
            context["can_follow"],
            context["following"],
        )
        return context


class TopicView(KeptListMixin, machina_views.TopicView):
    def get_topic(self) -> Topic:
        if not hasattr(self, "topic"):
            # Polls are never granted (forum/tree.py): joining the poll answers machina's
            # "has a poll?" without a query; the first post tells which post opens the topic.
            pk = self.kwargs["pk"]
            self.topic = shared(
                ("topic", pk),
                lambda: (
                    Topic.objects.select_related("forum", "poll", "first_post")
                    .filter(pk=pk)
                    .first()
                ),
            )
            if self.topic is None:
                raise Http404
            user = self.request.user
            if user.is_authenticated:
                # machina loads every subscriber of the topic to know whether the reader
                # is one of them.
                is_subscriber = own(
                    self.request,
                    ("subscribed", pk),
                    lambda: self.topic.subscribers.filter(pk=user.pk).exists(),
                )
                self.topic._subscribers = [user] if is_subscriber else []
        return self.topic

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        # machina keeps the count of approved posts on the topic (Topic.update_trackers).
        paginator.count = self.get_topic().posts_count
        return paginator

    def get_queryset(self):
        # machina also prefetches attachments (never granted) and forum profiles, which the
        # site's topic template does not show.
        topic = self.get_topic()
        return SimpleLazyObject(
            lambda: topic.posts.exclude(approved=False).select_related("poster", "updated_by")
        )

    # The actions above and below the posts (partials/topic_detail_actions.html): machina's
    # permission checks, on the topic or its forum.
    TOPIC_ACTIONS = (
        ("user_can_add_post", "can_add_post", False),
        ("user_can_subscribe_to_topic", "can_subscribe_to_topic", False),
        ("user_can_unsubscribe_from_topic", "can_unsubscribe_from_topic", False),
        ("user_can_lock_topics", "can_lock_topics", True),
        ("user_can_move_topics", "can_move_topics", True),
        ("user_can_delete_topics", "can_delete_topics", True),
    )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        topic, user = self.get_topic(), self.request.user
        handler = self.request.forum_permission_handler
        actions = []
        for name, check, on_forum in self.TOPIC_ACTIONS:
            context[name] = getattr(handler, check)(topic.forum if on_forum else topic, user)
            actions.append(context[name])
        context["posts_parts"] = self._posts_parts(context["page_obj"])
        # The page around the posts shows the actions, and to visitors a link to sign in
        # that comes back to this address.
        context["topic_page_parts"] = (
            context["posts_parts"],
            *actions,
            "" if user.is_authenticated else self.request.get_full_path(),
        )
        return context

    def _posts_parts(self, page) -> tuple:
        """The posts of a page show edit, delete and report links by the reader's rights on
        the forum, membership and authorship: the parts say them, with the reader's identity
        only when they wrote one of these posts (the page's posts are loaded only when the
        fragment must be rendered)."""
        user = self.request.user
        topic = self.get_topic()
        rights = self.request.forum_permission_handler.rights_on(topic.forum, user)
        posters = shared(
            ("posters", topic.pk, page.number),
            lambda: set(page.object_list.values_list("poster_id", flat=True)),
        )
        authored = user.is_authenticated and user.pk in posters
        return (
            "topic",
            topic.pk,
            page.number,
            user.pk if authored else "-",
            user.is_superuser,
            user.is_authenticated and user.is_approved_member,
            ",".join(sorted(rights)),
        )


# machina's posting views ----------------------------------------------------------------


class PublishingMixin:
    """Rate-limit new posts, save them with their notifications in one transaction."""

    notify = staticmethod(services.notify_post_published)
    rate_limited = True

    def form_valid(self, post_form, *args, **kwargs):
        content = post_form.cleaned_data.get("content") or ""
        if len(content) > services.POST_MAX_LENGTH:
            post_form.add_error(
                "content",
                f"Votre message fait {len(content)} caractères : la limite est de "
                f"{services.POST_MAX_LENGTH}. Découpez-le en plusieurs messages.",
            )
            return self.form_invalid(post_form, *args, **kwargs)
        if self.preview:
            return super().form_valid(post_form, *args, **kwargs)
        with transaction.atomic():
            if self.rate_limited:
                try:
                    services.check_posting_rate(self.request.user)
                except ForumError as error:
                    post_form.add_error(None, str(error))
                    return self.form_invalid(post_form, *args, **kwargs)
            response = super().form_valid(post_form, *args, **kwargs)
            self.notify(self.forum_post)
        return response

    def get_success_url(self) -> str:
        if not self.forum_post.approved:
            return super().get_success_url()
        return services.post_url(self.forum_post)


class TopicCreateView(PublishingMixin, machina_views.TopicCreateView):
    pass


class PostCreateView(PublishingMixin, machina_views.PostCreateView):
    pass


class TopicUpdateView(PublishingMixin, machina_views.TopicUpdateView):
    notify = staticmethod(services.notify_post_edited)
    rate_limited = False


class PostUpdateView(PublishingMixin, machina_views.PostUpdateView):
    notify = staticmethod(services.notify_post_edited)
    rate_limited = False


# Notifications and subscriptions --------------------------------------------------------


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        count = services.mark_all_notifications_read(request.user)
        plural = "s" if count > 1 else ""
        messages.success(
            request, f"{count} notification{plural} marquée{plural} comme lue{plural}."
        )
        return redirect("discussions:notifications")
    queryset = Notification.objects.filter(recipient=request.user).select_related(
        "post__topic__forum", "actor"
    )
    page = Paginator(queryset, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "forum/notifications.html",
        {
            "page_obj": page,
            "paginator": page.paginator,
            "is_paginated": page.has_other_pages(),
            "notifications": page.object_list,
            "unread": services.unread_notification_count(request.user),
        },
    )


@login_required
@require_GET
def open_notification(request: HttpRequest, pk: int) -> HttpResponse:
    with refusal_as_message(request):
        notification = services.open_notification(request.user, pk)
        if services.can_read(request.user, notification.post.topic.forum):
            return redirect(services.post_url(notification.post))
        messages.error(request, _("Vous n'avez plus accès à ce message."))
    return redirect("discussions:notifications")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    current = services.preferences_for(request.user)
    form = PreferencesForm(
        request.POST or None, initial={"email_frequency": current.email_frequency}
    )
    if request.method == "POST" and form.is_valid():
        services.set_email_frequency(request.user, form.cleaned_data["email_frequency"])
        messages.success(request, "Vos préférences d'e-mails sont enregistrées.")
        return redirect("discussions:preferences")
    topics = request.user.topic_subscriptions.select_related("forum").order_by("-last_post_on")
    forums = ForumSubscription.objects.filter(user=request.user).select_related("forum")
    return render(
        request,
        "forum/preferences.html",
        {"form": form, "topics": topics, "forum_subscriptions": forums},
    )


@login_required
@require_POST
def follow_forum(request: HttpRequest, pk: int) -> HttpResponse:
    forum = get_object_or_404(Forum, pk=pk)
    with refusal_as_message(request):
        if request.POST.get("action") == "unfollow":
            services.unfollow_forum(request.user, forum)
            messages.success(request, f"Vous ne suivez plus le forum « {forum.name} ».")
        else:
            services.follow_forum(request.user, forum)
            messages.success(
                request,
                f"Vous suivez le forum « {forum.name} » : chaque nouveau sujet vous sera signalé.",
            )
    next_url = request.POST.get("next")
    if next_url == "preferences":
        return redirect("discussions:preferences")
    return redirect("forum:forum", slug=forum.slug, pk=forum.pk)


@login_required
@require_POST
def unfollow_topic(request: HttpRequest, pk: int) -> HttpResponse:
    topic = get_object_or_404(request.user.topic_subscriptions, pk=pk)
    services.unfollow_topic(request.user, topic)
    messages.success(request, f"Vous ne suivez plus le sujet « {topic.subject} ».")
    return redirect("discussions:preferences")


@csrf_exempt
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """The link in every e-mail: no login needed. GET asks, POST acts, so that mail scanners
    which open links do not unsubscribe anyone. The signed token is what authorises the
    POST, not a session: mail clients' one-click unsubscribe (RFC 8058) posts it without
    cookies nor CSRF token."""
    try:
        user, _scope, what = services.describe_unsubscribe(token)
    except ForumError as error:
        return render(request, "forum/unsubscribe.html", {"error": str(error)}, status=400)
    done = None
    if request.method == "POST":
        done = services.unsubscribe_with_token(token)
    return render(
        request,
        "forum/unsubscribe.html",
        {"what": what, "done": done, "member_name": user.display_name},
    )


@member_required
@require_GET
def mention_suggestions(request: HttpRequest) -> JsonResponse:
    """Autocompletion of mentions; `forum` is the forum the member is writing in."""
    forum_id = request.GET.get("forum", "")
    forum = None
    if forum_id:
        forum = Forum.objects.filter(pk=int(forum_id)).first() if forum_id.isdigit() else None
        if forum is None:
            return JsonResponse({"members": []})
    members = services.mention_suggestions(request.user, request.GET.get("q", ""), forum)
    return JsonResponse({"members": members})


# Reports --------------------------------------------------------------------------------


@member_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    post = get_object_or_404(Post.objects.select_related("topic__forum", "poster"), pk=pk)
    if not services.can_read(request.user, post.topic.forum):
        raise Http404
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with refusal_on_form(form, "reason"):
            services.report_post(request.user, post, form.cleaned_data["reason"])
            messages.success(request, "Merci : l'équipe a reçu votre signalement et va l'examiner.")
            return redirect(services.post_url(post))
    return render(request, "forum/report.html", {"form": form, "post": post})


@member_required
def reports(request: HttpRequest) -> HttpResponse:
    if not request.user.is_network_staff:
        raise PermissionDenied
    if request.method == "POST":
        action = request.POST.get("action")
        handle = {"resolve": services.resolve_report, "dismiss": services.dismiss_report}.get(
            action
        )
        with refusal_as_message(request):
            if handle is None:
                raise ForumError(_("Choisissez « Traité » ou « Classer sans suite »."))
            # What is not a report's number names no report: the service says so.
            report = request.POST.get("report", "")
            note = request.POST.get("note", "")
            handle(request.user, int(report) if report.isdigit() else 0, note)
            messages.success(request, _("Le signalement est traité."))
        return redirect("discussions:reports")
    open_reports = PostReport.objects.filter(status=ReportStatus.OPEN).select_related(
        "post__topic__forum", "post__poster", "reporter"
    )
    handled = (
        PostReport.objects.exclude(status=ReportStatus.OPEN)
        .select_related("post__topic__forum", "reporter", "handled_by")
        .order_by("-handled_at")[:20]
    )
    return render(
        request, "forum/reports.html", {"open_reports": open_reports, "handled_reports": handled}
    )


# Member pages ---------------------------------------------------------------------------


def _is_staff(user) -> bool:
    return getattr(user, "is_network_staff", False)


def _profile_owner(request: HttpRequest, pk: int) -> User:
    """Only approved members have forum pages; staff may look at every account."""
    members = User.objects.all() if _is_staff(request.user) else User.objects.reachable()
    return get_object_or_404(members, pk=pk)


# Member pages are part of the members' directory: approved members only (see member_required).
@method_decorator(member_required, name="dispatch")
class MemberProfileView(member_views.ForumProfileDetailView):
    def get_object(self, queryset=None):
        owner = _profile_owner(self.request, self.kwargs["pk"])
        return super().get_object(User.objects.filter(pk=owner.pk))


@method_decorator(member_required, name="dispatch")
class MemberPostsView(member_views.UserPostsView):
    """machina lists posts awaiting moderation to anyone who reads their forum: only their
    author and staff see them here (the page count follows)."""

    @cached_property
    def poster(self) -> User:
        return _profile_owner(self.request, self.kwargs["pk"])

    def get_queryset(self):
        posts = super().get_queryset()
        if self.request.user == self.poster or _is_staff(self.request.user):
            return posts
        return posts.filter(approved=True, topic__approved=True)
