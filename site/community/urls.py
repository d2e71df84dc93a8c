from __future__ import annotations

from django.conf import settings
from django.urls import include, path
from django.views.generic import RedirectView
from machina import urls as machina_urls
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from community import headers, health, media
from community.calendars import views as calendar_views

urlpatterns = [
    # The Wagtail admin signs in through allauth, so e-mail verification, rate limits and
    # membership approval apply to staff too.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="account_login", query_string=True),
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("comptes/", include("allauth.urls")),
    path("", include("community.accounts.urls")),
    path("", include("community.places.urls")),
    path("", include("community.accompaniment.urls")),
    path("offres-de-gerance/", include("community.recruitment.urls")),
    path("animations/", include("events.urls")),
    # The project's forum views (search, notifications, reports, rate-limited posting) are
    # matched before machina's, which they replace or extend.
    path("forum/", include("forum.urls")),
    path("forum/", include(machina_urls)),
    path("chat/", include("forum.chat.urls")),
    path("", include("search.urls")),
    path("calendrier/<str:token>.ics", calendar_views.feed, name="calendar_feed"),
    path("sante/", health.health_view, name="health"),
    path(".well-known/security.txt", headers.security_txt, name="security_txt"),
]

if settings.DEBUG:
    # The public folders of MEDIA_ROOT only, as nginx serves them in production: documents
    # go through Wagtail's document view (/documents/…) and its audience check, private
    # uploads through the views that check who asks.
    urlpatterns.append(media.public_media_route())

urlpatterns.append(path("", include(wagtail_urls)))
