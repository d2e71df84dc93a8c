"""The site's URLs as `make run` (DEBUG on) has them, with the development /media/ route."""

from __future__ import annotations

from community.media import public_media_route
from community.urls import urlpatterns as site_urlpatterns

urlpatterns = [public_media_route(), *site_urlpatterns]
