"""The forum's areas and who may do what in each: machina permissions from the role groups.

The default tree is created once, when no forum exists yet; afterwards the staff own it
(renaming, adding forums in machina's admin), and running migrations again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.text import slugify
from machina.apps.forum.models import Forum
from machina.apps.forum_permission.defaults import PermissionConfig
from machina.apps.forum_permission.models import (
    ForumPermission,
    GroupForumPermission,
    UserForumPermission,
)

from community.accounts.models import Role
from community.accounts.roles import MEMBERS_GROUP, ROLE_GROUPS

READ = ["can_see_forum", "can_read_forum"]
# Attachments and polls are not granted: no uploads to serve or scan, fewer forms to audit.
POST = [
    "can_start_new_topics",
    "can_reply_to_topics",
    "can_edit_own_posts",
    "can_delete_own_posts",
    "can_post_without_approval",
]
MODERATE = [
    "can_lock_topics",
    "can_move_topics",
    "can_edit_posts",
    "can_delete_posts",
    "can_approve_posts",
    "can_reply_to_locked_topics",
    "can_post_announcements",
    "can_post_stickies",
]

ELECTED_GROUP = ROLE_GROUPS[Role.ELECTED]
MANAGERS_GROUP = ROLE_GROUPS[Role.MANAGER]
STAFF_GROUP = ROLE_GROUPS[Role.STAFF]


@dataclass(frozen=True)
class Area:
    key: str
    name: str
    description: str
    category: bool = False
    public: bool = False
    # Groups that read and post here; the staff group moderates everywhere (global grants).
    groups: tuple[str, ...] = ()
    children: tuple[tuple[str, str], ...] = field(default=())


THEMES: tuple[tuple[str, str], ...] = (
    ("Commerce local", "Épicerie, dépôt de pain, circuits courts : faire vivre le commerce."),
    ("Participation citoyenne", "Associer les habitantes et habitants au projet de café."),
    ("Lien social", "Rompre l'isolement, accueillir, créer des rencontres."),
    ("Gestion du café", "Fournisseurs, horaires, licences, bénévoles, comptes."),
    ("Animations", "Concerts, ateliers, tournées : idées et retours d'expérience."),
    ("Financements", "Subventions, fonds partenaires, financement participatif."),
)

AREAS: tuple[Area, ...] = (
    Area(
        "public",
        "Bienvenue au café",
        "Questions ouvertes à toutes et tous sur le réseau et ses cafés : lecture libre.",
        public=True,
        groups=(MEMBERS_GROUP,),
    ),
    Area(
        "members",
        "Entre membres du réseau",
        "Les échanges entre élu·es, gérant·es, partenaires et l'équipe, par thème.",
        category=True,
        groups=(MEMBERS_GROUP,),
        children=THEMES,
    ),
    Area(
        "elected",
        "Espace des élus",
        "Réservé aux élu·es et à l'équipe : échanges entre communes.",
        groups=(ELECTED_GROUP,),
    ),
    Area(
        "managers",
        "Espace des gérants",
        "Réservé aux gérant·es de café et à l'équipe : le métier au quotidien.",
        groups=(MANAGERS_GROUP,),
    ),
)


def area(key: str) -> Forum:
    """The forum of a default area, found by the slug of its name."""
    spec = next(a for a in AREAS if a.key == key)
    return Forum.objects.get(slug=slugify(spec.name, allow_unicode=True), level=0)


def theme(name: str) -> Forum:
    return Forum.objects.get(slug=slugify(name, allow_unicode=True), parent=area("members"))


def ensure_forum_tree(**kwargs: Any) -> None:
    """Create the default areas and their permissions when the forum is still empty."""
    with transaction.atomic():
        permissions = _forum_permissions()
        groups = {
            name: Group.objects.get_or_create(name=name)[0]
            for name in (MEMBERS_GROUP, ELECTED_GROUP, MANAGERS_GROUP, STAFF_GROUP)
        }
        staff = groups[STAFF_GROUP]
        for codename in READ + POST + MODERATE:
            GroupForumPermission.objects.get_or_create(
                group=staff, forum=None, permission=permissions[codename]
            )
        if Forum.objects.exists():
            return
        for spec in AREAS:
            forum = Forum.objects.create(
                name=spec.name,
                description=spec.description,
                type=Forum.FORUM_CAT if spec.category else Forum.FORUM_POST,
            )
            forums = [forum]
            for name, description in spec.children:
                forums.append(
                    Forum.objects.create(
                        parent=forum, name=name, description=description, type=Forum.FORUM_POST
                    )
                )
            for target in forums:
                _grant(target, spec, groups, permissions)


def _forum_permissions() -> dict[str, ForumPermission]:
    # machina creates these after its own migrations; created here too, so the order in which
    # post_migrate handlers run does not matter.
    return {
        config["codename"]: ForumPermission.objects.get_or_create(codename=config["codename"])[0]
        for config in PermissionConfig.permissions
    }


def _grant(
    forum: Forum,
    spec: Area,
    groups: dict[str, Group],
    permissions: dict[str, ForumPermission],
) -> None:
    if spec.public:
        # Anyone reads, including signed-in accounts whose membership is pending or refused.
        for codename in READ:
            UserForumPermission.objects.create(
                forum=forum, permission=permissions[codename], anonymous_user=True
            )
            UserForumPermission.objects.create(
                forum=forum, permission=permissions[codename], authenticated_user=True
            )
    for name in spec.groups:
        for codename in READ + POST:
            GroupForumPermission.objects.create(
                group=groups[name], forum=forum, permission=permissions[codename]
            )
