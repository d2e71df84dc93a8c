from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _

from community.lib.admin_screens import register_screen

from . import admin_views

register_screen(
    url_prefix="adhesions/",
    namespace="accounts_admin",
    urls=[
        path("", admin_views.MembershipReviewView.as_view(), name="review"),
        path("<int:member_id>/valider/", admin_views.approve, name="approve"),
        path("<int:member_id>/refuser/", admin_views.refuse, name="refuse"),
    ],
    permission=admin_views.REVIEW_PERMISSION,
    label=_("Adhésions"),
    icon="group",
    order=150,
)
