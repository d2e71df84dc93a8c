"""Demo data for development and review: communes, cafés, one account per role, pages.

Idempotent: every row is looked up by a natural key (INSEE code, café name and commune,
e-mail, page slug) and updated in place, so running it again creates nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page, Site

from community.accounts.models import MembershipDecision, MembershipStatus, Role, User
from community.accounts.roles import ensure_role_groups, sync_role_groups
from community.home.models import HomePage, StandardPage
from community.lib.demo import seed_apps
from community.places.models import Cafe, Commune, Department, LegalForm, Region, Stage

from ._demo_content import HOME_BODY, HOME_INTRO, STANDARD_PAGES

PASSWORD = "cafe-demo-2025"

REGIONS: dict[str, str] = {
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
    "94": "Corse",
}

DEPARTMENTS: dict[str, tuple[str, str]] = {
    "02": ("Aisne", "32"),
    "10": ("Aube", "44"),
    "11": ("Aude", "76"),
    "12": ("Aveyron", "76"),
    "16": ("Charente", "75"),
    "19": ("Corrèze", "75"),
    "22": ("Côtes-d'Armor", "53"),
    "29": ("Finistère", "53"),
    "2A": ("Corse-du-Sud", "94"),
    "2B": ("Haute-Corse", "94"),
    "35": ("Ille-et-Vilaine", "53"),
    "42": ("Loire", "84"),
    "43": ("Haute-Loire", "84"),
    "47": ("Lot-et-Garonne", "75"),
    "52": ("Haute-Marne", "44"),
    "55": ("Meuse", "44"),
    "56": ("Morbihan", "53"),
    "60": ("Oise", "32"),
    "63": ("Puy-de-Dôme", "84"),
    "64": ("Pyrénées-Atlantiques", "75"),
    "65": ("Hautes-Pyrénées", "76"),
    "67": ("Bas-Rhin", "44"),
    "68": ("Haut-Rhin", "44"),
    "74": ("Haute-Savoie", "84"),
    "80": ("Somme", "32"),
    "81": ("Tarn", "76"),
    "86": ("Vienne", "75"),
}

# (INSEE code, name, department, population, postal codes), from Etalab's
# découpage administratif; copied here so the demo does not need the full import.
COMMUNES: list[tuple[str, str, str, int, str]] = [
    ("81046", "Cadalen", "81", 1547, "81600"),
    ("81069", "Cordes-sur-Ciel", "81", 879, "81170"),
    ("81064", "Castelnau-de-Montmiral", "81", 1062, "81140"),
    ("81217", "Puycelsi", "81", 456, "81140"),
    ("81309", "Vaour", "81", 393, "81140"),
    ("81206", "Penne", "81", 602, "81140"),
    ("81170", "Monestiés", "81", 1381, "81640"),
    ("81139", "Lautrec", "81", 1673, "81440"),
    ("81112", "Labastide-de-Lévis", "81", 971, "81150"),
    ("12098", "Estaing", "12", 502, "12190"),
    ("12214", "Saint-Chély-d'Aubrac", "12", 517, "12470"),
    ("12218", "Conques-en-Rouergue", "12", 1540, "12320"),
    ("65397", "Saint-Sever-de-Rustan", "65", 156, "65140"),
    ("11185", "Lagrasse", "11", 554, "11220"),
    ("11260", "Mouthoumet", "11", 116, "11330"),
    ("10141", "Essoyes", "10", 708, "10360"),
    ("10261", "Mussy-sur-Seine", "10", 914, "10250"),
    ("67213", "Hunspach", "67", 628, "67250"),
    ("67295", "Mittelbergheim", "67", 593, "67140"),
    ("67351", "Seebach", "67", 1616, "67160"),
    ("68277", "Riquewihr", "68", 999, "68340"),
    ("55167", "Dun-sur-Meuse", "55", 585, "55110"),
    ("55012", "Apremont-la-Forêt", "55", 427, "55300"),
    ("52064", "Bourmont-entre-Meuse-et-Mouzon", "52", 740, "52150"),
    ("02586", "Parfondeval", "02", 143, "02360"),
    ("02430", "Liesse-Notre-Dame", "02", 1264, "02350"),
    ("02468", "Marle", "02", 2229, "02250"),
    ("02789", "Vervins", "02", 2549, "02140"),
    ("80222", "Crécy-en-Ponthieu", "80", 1376, "80150"),
    ("80228", "Le Crotoy", "80", 1958, "80550"),
    ("60271", "Gerberoy", "60", 82, "60380"),
    ("29134", "Locronan", "29", 829, "29180"),
    ("29081", "Huelgoat", "29", 1440, "29690"),
    ("22218", "Plougrescant", "22", 1242, "22820"),
    ("35314", "Saint-Suliac", "35", 1018, "35430"),
    ("35022", "Bécherel", "35", 677, "35190"),
    ("56196", "Rochefort-en-Terre", "56", 647, "56220"),
    ("43246", "Tiranges", "43", 453, "43530"),
    ("43154", "Pradelles", "43", 531, "43420"),
    ("43003", "Allègre", "43", 922, "43270"),
    ("63319", "Saint-Anthème", "63", 716, "63660"),
    ("42003", "Ambierle", "42", 1865, "42820"),
    ("74065", "Chaumont", "74", 555, "74270"),
    ("86271", "Thurageau", "86", 720, "86110"),
    ("19057", "Collonges-la-Rouge", "19", 478, "19500"),
    ("16020", "Aubeterre-sur-Dronne", "16", 312, "16390"),
    ("47175", "Monflanquin", "47", 2342, "47150"),
    ("64513", "Sauveterre-de-Béarn", "64", 1375, "64390"),
    ("2A212", "Piana", "2A", 452, "20115"),
    ("2A108", "Évisa", "2A", 231, "20126"),
    ("2A362", "Zonza", "2A", 2989, "20124 20144"),
    ("2B231", "Pigna", "2B", 128, "20220"),
    ("2B290", "Speloncato", "2B", 261, "20226"),
    ("2B169", "Morosaglia", "2B", 961, "20218"),
]

# (name, INSEE code, address, latitude, longitude, legal form, stage)
CAFES: list[tuple[str, str, str, str, str, str, str]] = [
    (
        "Le Café de la Place",
        "81046",
        "2 place de la Mairie",
        "43.84790",
        "1.98620",
        LegalForm.ASSOCIATIVE,
        Stage.OPERATION,
    ),
    (
        "Le Cordes Café",
        "81069",
        "12 Grand Rue Raimond VII",
        "44.06420",
        "1.95310",
        LegalForm.PRIVATE,
        Stage.OPERATION,
    ),
    (
        "L'Estanquet de Puycelsi",
        "81217",
        "Place de la Mairie",
        "43.99380",
        "1.71290",
        LegalForm.MUNICIPAL,
        Stage.OPENING,
    ),
    (
        "Le Bistrot de Vaour",
        "81309",
        "1 route de Penne",
        "44.07050",
        "1.80080",
        LegalForm.COOPERATIVE,
        Stage.RECRUITMENT,
    ),
    (
        "Le Café du Pont",
        "12098",
        "3 rue du Pont",
        "44.55420",
        "2.67070",
        LegalForm.MUNICIPAL,
        Stage.OPERATION,
    ),
    (
        "L'Auberge des Pèlerins",
        "12214",
        "Rue du Pont des Pèlerins",
        "44.59280",
        "2.91970",
        LegalForm.PRIVATE,
        Stage.DEFINITION,
    ),
    # Saint-Sever-de-Rustan (65397) has no café of the network: its abbey is a tiers-lieu the
    # association coordinates (2025 report), so the demo lists none there.
    (
        "Le Café de Chaumont",
        "74065",
        "Chef-lieu",
        "46.06080",
        "5.93640",
        LegalForm.ASSOCIATIVE,
        Stage.OPENING,
    ),
    (
        "Le Café des Corbières",
        "11185",
        "5 boulevard de la Promenade",
        "43.09220",
        "2.61870",
        LegalForm.MUNICIPAL,
        Stage.OPERATION,
    ),
    (
        "Chez Renoir",
        "10141",
        "9 place de la Mairie",
        "48.06180",
        "4.53040",
        LegalForm.PRIVATE,
        Stage.OPERATION,
    ),
    (
        "Le Stammtisch",
        "67213",
        "1 rue de Seebach",
        "48.95170",
        "7.94380",
        LegalForm.ASSOCIATIVE,
        Stage.OPERATION,
    ),
    (
        "Le Café de la Meuse",
        "55167",
        "4 place de la Mairie",
        "49.38470",
        "5.17980",
        LegalForm.MUNICIPAL,
        Stage.RECRUITMENT,
    ),
    (
        "L'Estaminet de Parfondeval",
        "02586",
        "Place de l'Église",
        "49.74350",
        "4.14180",
        LegalForm.ASSOCIATIVE,
        Stage.OPENING,
    ),
    (
        "Le Café du Marché",
        "02430",
        "12 place du Général de Gaulle",
        "49.61100",
        "3.79910",
        LegalForm.PRIVATE,
        Stage.DEFINITION,
    ),
    (
        "Le Bistrot de Gerberoy",
        "60271",
        "Rue du Logis du Roy",
        "49.53600",
        "1.84770",
        LegalForm.MUNICIPAL,
        Stage.OPERATION,
    ),
    (
        "Ti Kafe Lokorn",
        "29134",
        "Place de l'Église",
        "48.09700",
        "-4.20970",
        LegalForm.ASSOCIATIVE,
        Stage.OPERATION,
    ),
    (
        "Le Café des Grèves",
        "35314",
        "Grande Rue",
        "48.57010",
        "-1.97140",
        LegalForm.COOPERATIVE,
        Stage.OPENING,
    ),
    (
        "Le Café de Tiranges",
        "43246",
        "Le Bourg",
        "45.30290",
        "4.00360",
        LegalForm.MUNICIPAL,
        Stage.OPERATION,
    ),
    (
        "La Halte de Pradelles",
        "43154",
        "Place de la Halle",
        "44.76920",
        "3.88510",
        LegalForm.PRIVATE,
        Stage.RECRUITMENT,
    ),
    (
        "Le Café du Livradois",
        "63319",
        "Place de l'Église",
        "45.52140",
        "3.91980",
        LegalForm.ASSOCIATIVE,
        Stage.OPERATION,
    ),
    (
        "Le Café de Thurageau",
        "86271",
        "1 place de la Mairie",
        "46.76470",
        "0.25480",
        LegalForm.MUNICIPAL,
        Stage.OPENING,
    ),
    (
        "Le Café de Monflanquin",
        "47175",
        "Place des Arcades",
        "44.53240",
        "0.76870",
        LegalForm.PRIVATE,
        Stage.OPERATION,
    ),
    (
        "U Caffè di Piana",
        "2A212",
        "Place de l'Église",
        "42.23850",
        "8.63640",
        LegalForm.ASSOCIATIVE,
        Stage.DEFINITION,
    ),
    (
        "U Caffè di Pigna",
        "2B231",
        "Piazza di a Chjesa",
        "42.59900",
        "8.90280",
        LegalForm.COOPERATIVE,
        Stage.OPERATION,
    ),
]


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    role: Role
    insee_code: str = ""
    cafe: str = ""
    organisation: str = ""
    status: MembershipStatus = MembershipStatus.APPROVED
    application_note: str = ""


ACCOUNTS: list[DemoAccount] = [
    DemoAccount("equipe@example.org", "Camille Roux, équipe 1000 cafés", Role.STAFF),
    DemoAccount(
        "maire@example.org",
        "Jeanne Martin, maire de Cadalen",
        Role.ELECTED,
        insee_code="81046",
        application_note=(
            "Notre café associatif a rouvert ; je souhaite échanger avec d'autres maires."
        ),
    ),
    DemoAccount(
        "adjointe@example.org",
        "Sophie Lambert, adjointe à Essoyes",
        Role.ELECTED,
        insee_code="10141",
        application_note=(
            "Adjointe chargée du commerce local, je suis le projet de reprise du café."
        ),
    ),
    DemoAccount(
        "gerant@example.org",
        "Lucas Bernard",
        Role.MANAGER,
        cafe="Le Café de Tiranges",
        application_note="Gérant du café communal depuis 2023.",
    ),
    DemoAccount(
        "gerante@example.org",
        "Nadia Kerbrat",
        Role.MANAGER,
        cafe="Ti Kafe Lokorn",
        application_note="Je gère le café associatif avec une dizaine de bénévoles.",
    ),
    DemoAccount(
        "partenaire@example.org",
        "Théo Garnier, Compagnie du Petit Chapiteau",
        Role.PARTNER,
        organisation="Compagnie du Petit Chapiteau",
        application_note="Compagnie de théâtre itinérant, partenaire de la Tournée des Villages.",
    ),
    DemoAccount(
        "financeur@example.org",
        "Claire Dumas, KLESIA",
        Role.PARTNER,
        organisation="KLESIA",
        application_note="Chargée du partenariat « Bien vieillir » avec le réseau.",
    ),
    DemoAccount(
        "candidat@example.org",
        "Pierre Dubois, maire de Vaour",
        Role.ELECTED,
        insee_code="81309",
        status=MembershipStatus.PENDING,
        application_note="Le dernier café de Vaour a fermé en 2024 ; nous voulons en rouvrir un.",
    ),
]


class Command(BaseCommand):
    help = "Crée (ou met à jour) les données de démonstration : communes, cafés, comptes, pages."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            ensure_role_groups()
            communes = self.seed_places()
            cafes = self.seed_cafes(communes)
            accounts = self.seed_accounts(communes, cafes)
            decisions = self.seed_decisions(accounts)
            pages = self.seed_pages()
            seed_apps(self.stdout.write)
        self.stdout.write(self.style.SUCCESS("Données de démonstration prêtes."))
        self.stdout.write(
            f"  {len(communes)} communes dans {len(REGIONS)} régions, {len(cafes)} cafés, "
            f"{len(accounts)} comptes, {decisions} décisions d'adhésion, {pages} pages."
        )
        self.stdout.write(f"  Mot de passe de tous les comptes : {PASSWORD}")
        for account in ACCOUNTS:
            user = accounts[account.email]
            state = "adhésion en attente" if user.is_pending_member else "adhésion validée"
            self.stdout.write(
                f"  – {account.email} : {user.get_role_display()}, {user.display_name} ({state})"
            )

    def seed_places(self) -> dict[str, Commune]:
        # get_or_create keeps rows an Etalab import may already hold.
        regions = {
            code: Region.objects.get_or_create(code=code, defaults={"name": name})[0]
            for code, name in REGIONS.items()
        }
        departments = {
            code: Department.objects.get_or_create(
                code=code, defaults={"name": name, "region": regions[region]}
            )[0]
            for code, (name, region) in DEPARTMENTS.items()
        }
        return {
            insee: Commune.objects.get_or_create(
                insee_code=insee,
                defaults={
                    "name": name,
                    "department": departments[department],
                    "population": population,
                    "postal_codes": postal_codes,
                },
            )[0]
            for insee, name, department, population, postal_codes in COMMUNES
        }

    def seed_cafes(self, communes: dict[str, Commune]) -> dict[str, Cafe]:
        cafes = {}
        for name, insee, address, latitude, longitude, legal_form, stage in CAFES:
            cafes[name], _ = Cafe.objects.update_or_create(
                name=name,
                commune=communes[insee],
                defaults={
                    "address": address,
                    "latitude": Decimal(latitude),
                    "longitude": Decimal(longitude),
                    "legal_form": legal_form,
                    "stage": stage,
                },
            )
        return cafes

    def seed_accounts(
        self, communes: dict[str, Commune], cafes: dict[str, Cafe]
    ) -> dict[str, User]:
        users = {}
        for account in ACCOUNTS:
            cafe = cafes.get(account.cafe)
            commune = cafe.commune if cafe else communes.get(account.insee_code)
            user, created = User.objects.update_or_create(
                email=account.email,
                defaults={
                    "display_name": account.display_name,
                    "role": account.role,
                    "commune": commune,
                    "organisation": account.organisation,
                    "application_note": account.application_note,
                    "membership_status": account.status,
                    "is_active": True,
                    "is_superuser": False,
                },
            )
            if created or not user.check_password(PASSWORD):
                user.set_password(PASSWORD)
                user.save(update_fields=["password"])
            EmailAddress.objects.filter(user=user).exclude(email=account.email).update(
                primary=False
            )
            EmailAddress.objects.update_or_create(
                user=user, email=account.email, defaults={"verified": True, "primary": True}
            )
            if cafe is not None:
                cafe.managers.add(user)
            sync_role_groups(user)
            users[account.email] = user
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
        home = self.home_page()
        pages = {}
        for spec in STANDARD_PAGES:
            fields = {
                "title": spec["title"],
                "intro": spec["intro"],
                "show_in_menus": spec["show_in_menus"],
                "show_in_footer": spec["show_in_footer"],
                "visitors_only": spec.get("visitors_only", False),
                "search_description": spec["intro"],
                "body": spec["body"],
            }
            page = home.get_children().filter(slug=spec["slug"]).specific().first()
            if page is None:
                page = home.add_child(instance=StandardPage(slug=spec["slug"], **fields))
                page.save_revision().publish()
            else:
                self.update_page(page, fields)
            pages[spec["slug"]] = page
        # The home page's call to action points at the sign-up page, known only now.
        body = _with_link_page(HOME_BODY, pages["adherer"].pk)
        self.update_page(home, {"intro": HOME_INTRO, "body": body})
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


def _with_link_page(body: list[dict[str, Any]], page_id: int) -> list[dict[str, Any]]:
    return [
        {**block, "value": {**block["value"], "link_page": page_id}}
        if block["type"] == "call_to_action" and not block["value"]["link_url"]
        else block
        for block in body
    ]
