"""Demo data for development and review: communes, cafés, one account per role, pages (the
core's, from community/home/demo_data/), then every app's (community.lib.demo.seed_apps).

Idempotent: every row is looked up by a natural key (INSEE code, café name and commune,
e-mail, page slug) and updated in place, so running it again creates nothing new.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page, Site

from community.accounts.models import MembershipDecision, MembershipStatus, User
from community.accounts.roles import ensure_role_groups, sync_role_groups
from community.home.models import HomePage, StandardPage
from community.lib.demo import DemoData, pairs, seed_apps
from community.places.models import Cafe, Commune, Department, Region

# The home app's data folder (community/home/demo_data/), two levels above this command.
DATA = DemoData(Path(__file__).resolve().parents[2])


class Command(BaseCommand):
    help = "Crée (ou met à jour) les données de démonstration : communes, cafés, comptes, pages."

    def handle(self, *args: Any, **options: Any) -> None:
        places, people = DATA.read("places"), DATA.read("accounts")
        with transaction.atomic():
            ensure_role_groups()
            communes = self.seed_places(places)
            cafes = self.seed_cafes(places["cafes"], communes)
            accounts = self.seed_accounts(people, communes, cafes)
            decisions = self.seed_decisions(accounts)
            pages = self.seed_pages()
            seed_apps(self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(
            f"  {len(communes)} communes dans {len(places['regions'])} régions, "
            f"{len(cafes)} cafés, {len(accounts)} comptes, {decisions} décisions d'adhésion, "
            f"{pages} pages."
        )
        self.stdout.write(f"  Mot de passe de tous les comptes : {people['password']}")
        for email, user in accounts.items():
            state = "adhésion en attente" if user.is_pending_member else "adhésion validée"
            self.stdout.write(
                f"  – {email} : {user.get_role_display()}, {user.display_name} ({state})"
            )

    def seed_places(self, places: dict[str, Any]) -> dict[str, Commune]:
        # get_or_create keeps rows an Etalab import may already hold.
        regions = {
            code: Region.objects.get_or_create(code=code, defaults={"name": name})[0]
            for code, name in places["regions"].items()
        }
        departments = {
            code: Department.objects.get_or_create(
                code=code, defaults={"name": spec["name"], "region": regions[spec["region"]]}
            )[0]
            for code, spec in places["departments"].items()
        }
        return {
            spec["insee"]: Commune.objects.get_or_create(
                insee_code=spec["insee"],
                defaults={
                    "name": spec["name"],
                    "department": departments[spec["department"]],
                    "population": spec["population"],
                    "postal_codes": spec["postal_codes"],
                },
            )[0]
            for spec in places["communes"]
        }

    def seed_cafes(
        self, specs: list[dict[str, Any]], communes: dict[str, Commune]
    ) -> dict[str, Cafe]:
        cafes = {}
        for spec in specs:
            cafes[spec["name"]], _ = Cafe.objects.update_or_create(
                name=spec["name"],
                commune=communes[spec["commune"]],
                defaults={
                    "address": spec["address"],
                    "latitude": Decimal(spec["latitude"]),
                    "longitude": Decimal(spec["longitude"]),
                    "legal_form": spec["legal_form"],
                    "stage": spec["stage"],
                },
            )
        return cafes

    def seed_accounts(
        self, people: dict[str, Any], communes: dict[str, Commune], cafes: dict[str, Cafe]
    ) -> dict[str, User]:
        password = people["password"]
        users = {}
        for account in people["accounts"]:
            email = account["email"]
            cafe = cafes.get(account.get("cafe", ""))
            commune = cafe.commune if cafe else communes.get(account.get("commune", ""))
            user, created = User.objects.update_or_create(
                email=email,
                defaults={
                    "display_name": account["display_name"],
                    "role": account["role"],
                    "commune": commune,
                    "organisation": account.get("organisation", ""),
                    "application_note": account.get("application_note", ""),
                    "membership_status": account.get("status", MembershipStatus.APPROVED),
                    "is_active": True,
                    "is_superuser": False,
                },
            )
            if created or not user.check_password(password):
                user.set_password(password)
                user.save(update_fields=["password"])
            EmailAddress.objects.filter(user=user).exclude(email=email).update(primary=False)
            EmailAddress.objects.update_or_create(
                user=user, email=email, defaults={"verified": True, "primary": True}
            )
            if cafe is not None:
                cafe.managers.add(user)
            sync_role_groups(user)
            users[email] = user
        return users

    def seed_decisions(self, users: dict[str, User]) -> int:
        """The approval of each approved demo member, decided by the staff account."""
        staff = users["equipe@example.org"]
        count = 0
        for user in users.values():
            if user == staff or not user.is_approved_member:
                continue
            MembershipDecision.objects.get_or_create(
                member=user,
                status=MembershipStatus.APPROVED,
                defaults={"decided_by": staff},
            )
            count += 1
        return count

    def seed_pages(self) -> int:
        content = DATA.read("pages")
        home = self.home_page()
        pages = {}
        for spec in content["pages"]:
            fields = {
                "title": spec["title"],
                "intro": spec["intro"],
                "show_in_menus": spec["show_in_menus"],
                "show_in_footer": spec["show_in_footer"],
                "visitors_only": spec.get("visitors_only", False),
                "search_description": spec["intro"],
                "body": _stream(spec["body"], pages),
            }
            page = home.get_children().filter(slug=spec["slug"]).specific().first()
            if page is None:
                page = home.add_child(instance=StandardPage(slug=spec["slug"], **fields))
                page.save_revision().publish()
            else:
                self.update_page(page, fields)
            pages[spec["slug"]] = page
        # Last: the home page's call to action points at the sign-up page, known only now.
        body = _stream(content["home"]["body"], pages)
        self.update_page(home, {"intro": content["home"]["intro"], "body": body})
        return 1 + len(pages)

    def home_page(self) -> HomePage:
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is not None and isinstance(site.root_page.specific, HomePage):
            return site.root_page.specific
        home = HomePage.objects.first()
        if home is None:
            root = Page.get_first_root_node()
            home = root.add_child(instance=HomePage(title="Réseau 1000 cafés", slug="accueil"))
            home.save_revision().publish()
        Site.objects.update_or_create(
            is_default_site=True, defaults={"hostname": "localhost", "root_page": home}
        )
        return home

    def update_page(self, page: Page, fields: dict[str, Any]) -> bool:
        """Publish a new revision only when the content differs, so re-runs stay quiet."""
        changed = False
        for name, value in fields.items():
            current = getattr(page, name)
            if name == "body":
                if _strip_ids(list(current.raw_data)) == _strip_ids(value):
                    continue
            elif current == value:
                continue
            setattr(page, name, value)
            changed = True
        if changed or page.live is False:
            page.save_revision().publish()
            page.refresh_from_db()
        return changed


def _strip_ids(data: Any) -> Any:
    """Stream data without Wagtail's generated block ids, to compare content only."""
    if isinstance(data, dict):
        return {key: _strip_ids(value) for key, value in data.items() if key != "id"}
    if isinstance(data, list):
        return [_strip_ids(item) for item in data]
    return data


def _stream(blocks: list[dict[str, Any]], pages: dict[str, Page]) -> list[dict[str, Any]]:
    """StreamField data from the file's `block_type: value` items (see demo_data/pages.yaml)."""
    body = []
    for kind, value in pairs(blocks):
        if kind == "figures":
            # Wagtail's canonical list items (without an id it reads the old format), with ids
            # derived from the content so that a re-run compares equal.
            value = {
                **value,
                "figures": [
                    {
                        "type": "item",
                        "value": figure,
                        "id": str(
                            uuid.uuid5(
                                uuid.NAMESPACE_URL,
                                f"{value['title']}/{figure['value']}/{figure['label']}",
                            )
                        ),
                    }
                    for figure in value["figures"]
                ],
            }
        elif kind == "call_to_action":
            link_page = pages[value["link_page"]].pk if value.get("link_page") else None
            value = {**value, "link_page": link_page}
        body.append({"type": kind, "value": value})
    return body
