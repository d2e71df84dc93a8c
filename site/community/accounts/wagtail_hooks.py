from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views

admin_urlpatterns = (
    [
        path("", admin_views.MembershipReviewView.as_view(), name="review"),
        path("<int:member_id>/valider/", admin_views.approve, name="approve"),
        path("<int:member_id>/refuser/", admin_views.refuse, name="refuse"),
    ],
    "accounts_admin",
)


@hooks.register("register_admin_urls")
def register_membership_urls():
    return [path("adhesions/", include(admin_urlpatterns))]


class MembershipMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.REVIEW_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_membership_menu_item():
    return MembershipMenuItem(
        _("Adhésions"), reverse("accounts_admin:review"), icon_name="group", order=150
    )
