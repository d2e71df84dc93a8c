from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import JobOfferPermissionPolicy, JobOfferViewSet
from .models import JobOffer

register_permission_policy(JobOffer, JobOfferPermissionPolicy(JobOffer), exact_class=True)


@hooks.register("register_admin_viewset")
def register_job_offer_viewset() -> JobOfferViewSet:
    return JobOfferViewSet()
