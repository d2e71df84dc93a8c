from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from community.lib.admin_screens import ViewOnlyPermissionPolicy

from .admin_views import JobOfferViewSet
from .models import JobOffer

# Offers are published, shortlisted and closed through the site's pages and their services.
register_permission_policy(JobOffer, ViewOnlyPermissionPolicy(JobOffer), exact_class=True)


@hooks.register("register_admin_viewset")
def register_job_offer_viewset() -> JobOfferViewSet:
    return JobOfferViewSet()
