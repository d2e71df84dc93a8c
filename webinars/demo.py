"""Demo webinars for development and review, called by the shell's seed_demo command.

Idempotent: pages are found by slug and registrations by (webinar, member); an existing
page is left as it is, so re-running never moves dates nor bumps calendar sequences.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone
from wagtail.models import Site

from community.accounts.audience import Audience
from community.accounts.models import User
from community.home.models import HomePage
from community.lib.formats import PARIS

from .models import Registration, RegistrationStatus, WebinarIndexPage, WebinarPage

INDEX_SLUG = "webinaires"


@dataclass(frozen=True)
class DemoWebinar:
    slug: str
    title: str
    audience: str
    # A fixed date for past webinars; days from today for upcoming ones.
    day: date | int
    starts: time
    minutes: int
    speakers: str
    description: str
    capacity: int = 100
    recording_url: str = ""
    # e-mail → attended (None: not marked, or upcoming)
    registrations: dict[str, bool | None] = field(default_factory=dict)


WEBINARS: list[DemoWebinar] = [
    DemoWebinar(
        slug="trouver-et-recruter-un-e-gerant-e",
        title="Trouver et recruter un·e gérant·e",
        audience=Audience.ELECTED,
        day=date(2025, 10, 16),
        starts=time(18, 0),
        minutes=90,
        speakers="Camille Roux, chargée d'accompagnement au réseau 1000 cafés\n"
        "Jeanne Martin, maire de Cadalen",
        description=(
            "<p>Rédiger l'annonce, la diffuser au bon endroit, mener les entretiens avec le "
            "conseil municipal : la méthode qui a permis 38 recrutements en 2025.</p>"
            "<ul><li>Le profil recherché et la fiche de poste</li>"
            "<li>Le jury et la grille d'entretien</li>"
            "<li>Accueillir le ou la gérant·e dans le village</li></ul>"
        ),
        recording_url="https://video.example.org/w/recruter-un-gerant",
        registrations={"maire@example.org": True, "adjointe@example.org": False},
    ),
    DemoWebinar(
        slug="financer-la-reouverture-du-cafe-les-aides",
        title="Financer la réouverture du café : les aides",
        audience=Audience.MEMBERS,
        day=date(2025, 11, 20),
        starts=time(18, 0),
        minutes=90,
        speakers=(
            "Camille Roux, équipe 1000 cafés\nUn chargé de mission de la Banque des Territoires"
        ),
        description=(
            "<p>Dotation d'équipement des territoires ruraux, fonds régionaux, mécénat, "
            "financement participatif : quelles aides pour les travaux, l'équipement et le "
            "fonds de roulement, et dans quel ordre les demander.</p>"
        ),
        recording_url="https://video.example.org/w/financer-la-reouverture",
        registrations={"maire@example.org": True, "gerant@example.org": True},
    ),
    DemoWebinar(
        slug="animer-son-cafe-la-programmation-culturelle",
        title="Animer son café : la programmation culturelle",
        audience=Audience.MANAGERS,
        day=10,
        starts=time(14, 30),
        minutes=90,
        speakers=(
            "Théo Garnier, Compagnie du Petit Chapiteau\nNadia Kerbrat, gérante de Ti Kafe Lokorn"
        ),
        description=(
            "<p>Concerts de poche, Tournée des Villages, ateliers d'échecs : construire une "
            "saison qui fait venir tout le village, et la faire financer par les fonds "
            "partenaires.</p>"
        ),
        capacity=40,
        registrations={"gerant@example.org": None},
    ),
    DemoWebinar(
        slug="consultation-citoyenne-avenir-du-cafe",
        title="Consulter les habitant·es sur l'avenir du café",
        audience=Audience.ELECTED,
        day=17,
        starts=time(18, 30),
        minutes=60,
        speakers="Sophie Lambert, adjointe à Essoyes",
        description=(
            "<p>Questionnaire, réunion publique, café éphémère : les formats qui ont marché "
            "pour associer les habitant·es à la définition du projet.</p>"
        ),
        capacity=60,
        registrations={"maire@example.org": None, "adjointe@example.org": None},
    ),
    DemoWebinar(
        slug="decouvrir-le-reseau-1000-cafes",
        title="Découvrir le réseau 1000 cafés",
        audience=Audience.PUBLIC,
        day=24,
        starts=time(12, 30),
        minutes=45,
        speakers="L'équipe du réseau 1000 cafés",
        description=(
            "<p>Une présentation du réseau et de l'accompagnement, de l'étude de "
            "préfiguration à l'ouverture, pour les communes qui envisagent de nous "
            "rejoindre.</p>"
        ),
        capacity=200,
    ),
    DemoWebinar(
        slug="atelier-rediger-le-bail-du-gerant",
        title="Atelier : rédiger le bail du gérant",
        audience=Audience.MEMBERS,
        day=31,
        starts=time(18, 0),
        minutes=120,
        speakers="Une avocate partenaire du réseau",
        description=(
            "<p>Atelier en petit groupe : bail commercial ou convention d'occupation, loyer "
            "progressif, clauses d'animation. Places limitées.</p>"
        ),
        capacity=2,
        registrations={
            "maire@example.org": None,
            "adjointe@example.org": None,
            "gerante@example.org": None,
        },
    ),
]


def _home() -> HomePage | None:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is not None and isinstance(site.root_page.specific, HomePage):
        return site.root_page.specific
    return HomePage.objects.first()


def _index(home: HomePage) -> WebinarIndexPage:
    index = WebinarIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=WebinarIndexPage(
                title="Webinaires",
                slug=INDEX_SLUG,
                show_in_menus=True,
                intro=(
                    "Une heure pour se former entre pairs : recrutement, financements, "
                    "animation du café, participation citoyenne. En direct, puis en replay."
                ),
            )
        )
        index.save_revision().publish()
    return index


def _when(spec: DemoWebinar) -> tuple[datetime, datetime]:
    day = spec.day
    if isinstance(day, int):
        day = timezone.now().astimezone(PARIS).date() + timedelta(days=day)
    start = datetime.combine(day, spec.starts, tzinfo=PARIS)
    return start, start + timedelta(minutes=spec.minutes)


def _webinar(index: WebinarIndexPage, spec: DemoWebinar) -> tuple[WebinarPage, bool]:
    page = WebinarPage.objects.child_of(index).filter(slug=spec.slug).first()
    if page is not None:
        return page, False
    start, end = _when(spec)
    page = index.add_child(
        instance=WebinarPage(
            title=spec.title,
            slug=spec.slug,
            start=start,
            end=end,
            audience=spec.audience,
            speakers=spec.speakers,
            description=spec.description,
            capacity=spec.capacity,
            join_link="https://visio.example.org/b/1000-cafes-" + spec.slug[:20],
            recording_url=spec.recording_url,
        )
    )
    page.save_revision().publish()
    return page, True


def _register(page: WebinarPage, member: User, attended: bool | None) -> bool:
    """Seeded directly rather than through the services: no e-mails for demo data."""
    if Registration.objects.filter(webinar=page, member=member).exists():
        return False
    confirmed = page.confirmed_count() < page.capacity
    Registration.objects.create(
        webinar=page,
        member=member,
        status=RegistrationStatus.CONFIRMED if confirmed else RegistrationStatus.WAITING,
        queued_at=page.start - timedelta(days=7),
        confirmed_at=page.start - timedelta(days=7) if confirmed else None,
        attended=attended if confirmed else None,
    )
    return True


def seed(log: Callable[[str], None]) -> None:
    home = _home()
    if home is None:
        log("Webinaires : pas de page d'accueil, rien à créer.")
        return
    with transaction.atomic():
        index = _index(home)
        members = {user.email: user for user in User.objects.filter(email__endswith="@example.org")}
        created = registrations = 0
        for spec in WEBINARS:
            page, is_new = _webinar(index, spec)
            created += is_new
            for email, attended in spec.registrations.items():
                member = members.get(email)
                if member is not None and member.is_approved_member:
                    registrations += _register(page, member, attended)
    log(
        f"Webinaires : {len(WEBINARS)} webinaires dans {index.url or '/webinaires/'} "
        f"({created} créés), {registrations} inscriptions ajoutées."
    )
