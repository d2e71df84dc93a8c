"""What every page request needs from the page tree, built once and kept in the cache until
the tree changes: the request's Wagtail site (with its root page), the header and footer
menus (menus.py builds them), whether any Wagtail view restriction exists at all, and the
pages requests are routed to (child_page). Below the models: it knows pages only as
Wagtail's.

Wagtail looks the site up with a query per request, and building the menus costs several
more (children, their specific rows, view restrictions, footer pages): together most of a
small page's time. Both are the same for every visitor: only live pages without view
restrictions appear in menus, and audiences do not apply to them.

Freshness: entries carry the generation they were built under; any change that can alter
them (page saved, published, unpublished, moved or deleted, view restriction, site) sets a
new generation at once and again once its transaction commits, so an entry built from older
data is never used again, even one a request stored after the change. The cache must be
shared by every worker (Redis in production; the local-memory cache of a single `make run`
process is): a worker with a cache of its own would see another worker's change only when
its entries expire (an hour). While Redis is down, community.cache answers every read with a
miss: everything is built from the database on each request, view restrictions included.
"""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest
from django.http.request import split_domain_port
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname
from wagtail.signals import page_published, page_unpublished, post_page_move

from community.cache import Generation

# Kept in the process too while the generation stands: a request then reads only the
# generation from the shared cache instead of unpickling the site and its home page again,
# the largest fixed cost of a request (issue 15). The values are never modified once built
# (the site, frozen menus, a boolean).
PAGE_TREE = Generation("page-tree", timeout=3600, in_process=True)


def _site_with_specific_root(hostname: str, port: int) -> Site | None:
    try:
        site = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None
    # Stored with the site, the specific root page (the home page) saves the routing query
    # that fetches it on every request.
    site.root_page.specific  # noqa: B018
    return site


def site_for_request(request: HttpRequest) -> Site | None:
    """Wagtail's Site.find_for_request, answered from the cache."""
    # As Wagtail: the raw host, so that ALLOWED_HOSTS is checked where Django checks it.
    hostname = split_domain_port(request._get_raw_host())[0]
    port = request.get_port()
    return PAGE_TREE.get_or_build(
        f"site:{hostname}:{port}", lambda: _site_with_specific_root(hostname, port)
    )


def look_sites_up_in_the_cache() -> None:
    """Answer Wagtail's site lookup with site_for_request.

    Wagtail looks the site up once per request, when something first asks for it (a page,
    a menu, a link to a page), and keeps it on the request (`request._wagtail_site`):
    requests that never ask (an API answer, a redirect, the health check) cost no lookup,
    which a middleware setting it on every request did."""
    # A private name of Wagtail's: a Wagtail that renamed it would query the sites on every
    # request again, which tests/home/test_tree_cache.py counts.
    Site._find_for_request = staticmethod(site_for_request)


def view_restrictions_exist() -> bool:
    """Whether any page of any site has a Wagtail view restriction (password, login, groups).

    Audiences, not view restrictions, protect this site's content, so there are usually
    none; then no page needs Wagtail's per-view check (two queries).
    """
    return PAGE_TREE.get_or_build("view-restrictions", PageViewRestriction.objects.exists)


def child_page(parent: Page, slug: str, model: type[Page] | None = None) -> Page:
    """The child of `parent` at `slug` as its specific page (a `model` page when the caller
    knows every child is one), from the cache: routing a member's request to a page then
    costs no query. Raises `model.DoesNotExist` (Page's without `model`) when there is none;
    absent children are not kept, or any address typed would hold memory."""

    def build() -> Page:
        if model is not None:
            return model.objects.child_of(parent).get(slug=slug)
        return parent.get_children().get(slug=slug).specific

    child = PAGE_TREE.get_or_build(f"child:{parent.pk}:{slug}", build)
    child._cached_parent_obj = parent  # its get_parent() (breadcrumbs) costs no query either
    return child


class CachedViewRestrictionsMixin:
    """For page models: skip Wagtail's view restriction queries while none exist at all."""

    def get_view_restrictions(self):
        if not view_restrictions_exist():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


def _on_save(sender, **kwargs) -> None:
    # Saving a page sends post_save with its own class as sender, never Page's.
    if issubclass(sender, Page):
        PAGE_TREE.invalidate_now_and_after_commit()


def connect_signals() -> None:
    uid = "community.home.tree_cache"
    # At once too: a request in the same transaction (or another after-commit callback) is
    # routed to the page as it now is, not to the copy child_page kept.
    invalidate = PAGE_TREE.invalidate_now_and_after_commit
    page_published.connect(invalidate, dispatch_uid=f"{uid}.published")
    page_unpublished.connect(invalidate, dispatch_uid=f"{uid}.unpublished")
    post_page_move.connect(invalidate, dispatch_uid=f"{uid}.moved")
    post_save.connect(_on_save, dispatch_uid=f"{uid}.page_saved")
    # Deleting a page of any type deletes its base Page row, which sends this one.
    post_delete.connect(invalidate, sender=Page, dispatch_uid=f"{uid}.page_deleted")
    for model, receiver in (
        # Nothing running before the commit trusts "no view restriction exists" either.
        (PageViewRestriction, invalidate),
        (Site, invalidate),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}.{model.__name__}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}.{model.__name__}_deleted")
