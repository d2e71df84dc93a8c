"""The project's forum URLs, matched before machina's (see community/urls.py)."""

from __future__ import annotations

from django.urls import path

from . import search_views, views

app_name = "discussions"

# Same paths as machina's posting views: ours answer first and add the rate limit and the
# notifications; machina's URL names keep resolving to these paths.
_TOPIC = "forum/<str:forum_slug>-<int:forum_pk>/topic/"

urlpatterns = [
    # machina's reading views with fewer queries (views.py, permissions.py).
    path("", views.IndexView.as_view()),
    path("forum/<str:slug>-<int:pk>/", views.ForumView.as_view()),
    path(f"{_TOPIC}<str:slug>-<int:pk>/", views.TopicView.as_view()),
    path("search/", search_views.search, name="search"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/", views.open_notification, name="open_notification"),
    path("abonnements/", views.preferences, name="preferences"),
    path("abonnements/forum/<int:pk>/", views.follow_forum, name="forum_follow"),
    path("abonnements/sujet/<int:pk>/", views.unfollow_topic, name="topic_unfollow"),
    path("desabonnement/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("mentions/", views.mention_suggestions, name="mention_suggestions"),
    path("signaler/<int:pk>/", views.report, name="report"),
    path("signalements/", views.reports, name="reports"),
    # Before machina's member pages, which show any account and posts awaiting moderation.
    path("member/profile/<int:pk>/", views.MemberProfileView.as_view(), name="profile"),
    path("member/profile/<int:pk>/posts/", views.MemberPostsView.as_view(), name="user_posts"),
    path(f"{_TOPIC}create/", views.TopicCreateView.as_view(), name="topic_create"),
    path(f"{_TOPIC}<str:slug>-<int:pk>/update/", views.TopicUpdateView.as_view()),
    path(
        f"{_TOPIC}<str:topic_slug>-<int:topic_pk>/post/create/",
        views.PostCreateView.as_view(),
        name="post_create",
    ),
    path(
        f"{_TOPIC}<str:topic_slug>-<int:topic_pk>/<int:pk>/post/update/",
        views.PostUpdateView.as_view(),
    ),
]
