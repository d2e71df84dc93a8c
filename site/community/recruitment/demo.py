"""Demo data of the job offers, called by `manage.py seed_demo` after the communes' journey:
two projects in the recrutement stage publish their offer (the report counts 38 managers
recruited in 2025 through such offers), one with candidates, two of them shortlisted by
staff for the mairie to choose from; a municipal café of the network in the recrutement
stage looks for its manager too. A second run adds nothing."""

from __future__ import annotations

import datetime
import io
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from community.accompaniment.models import Project
from community.accounts.models import User
from community.places.models import Cafe, Stage

from .models import Candidacy, ContractType, JobOffer

OFFERS = (
    {
        "title": "Gérant·e du café multiservice de la place",
        "contract_type": ContractType.LOCATION_GERANCE,
        "housing": True,
        "housing_description": "T3 de 65 m² au-dessus du café, loyer de 350 € par mois.",
        "description": (
            "La commune a racheté l'ancien café de la place et termine les travaux : salle de "
            "40 couverts, terrasse, cuisine équipée. Elle cherche la personne qui en fera le lieu "
            "de vie du village : bar, petite restauration le midi, dépôt de pain et épicerie de "
            "dépannage, relais colis.\n\n"
            "Location-gérance du fonds communal, redevance de 300 € par mois la première année. "
            "Le réseau 1000 cafés vous forme avant l'ouverture et vous accompagne les premiers "
            "mois ; des animations (concerts, ateliers, Tournée des Villages) sont proposées au "
            "café par le réseau.\n\n"
            "Profil : expérience du commerce ou de la restauration appréciée, goût du contact, "
            "envie de s'installer à la campagne. Débutant·es motivé·es bienvenu·es."
        ),
    },
    {
        "title": "Gérant·e salarié·e du café associatif",
        "contract_type": ContractType.ASSOCIATION,
        "housing": False,
        "housing_description": "",
        "description": (
            "L'association des habitants rouvre le café fermé depuis 2021, dans un local prêté "
            "par la mairie. Poste salarié de 28 heures par semaine (du mercredi au dimanche), "
            "au SMIC, avec l'appui d'une vingtaine de bénévoles.\n\n"
            "Missions : tenue du bar, commandes et caisse, accueil des animations et des "
            "associations du village, lien avec les producteurs locaux."
        ),
    },
)
CAFE_OFFER = {
    "title": "Gérant·e du café communal",
    "contract_type": ContractType.GERANCE,
    "housing": True,
    "housing_description": "Maison de village de 80 m² à deux pas du café, loyer modéré.",
    "description": (
        "La commune est propriétaire des murs et du fonds ; elle confie la gérance du café à "
        "une personne ou un couple qui l'ouvrira six jours sur sept. Épicerie d'appoint et "
        "point poste sont prévus dans la salle attenante."
    ),
}
CANDIDATES = (
    ("Claire Fontaine", "claire.fontaine@example.org", "06 12 34 56 78", True),
    ("Yacine Benali", "yacine.benali@example.org", "07 98 76 54 32", True),
    ("Julien Marchand", "julien.marchand@example.org", "06 55 44 33 22", False),
)


def cv_pdf(name: str) -> ContentFile:
    """A one-page PDF CV (drawn with Pillow, which writes a complete PDF)."""
    page = Image.new("RGB", (595, 842), "white")
    draw = ImageDraw.Draw(page)
    for line, text in enumerate(
        (f"{name} - Curriculum vitae", "", "Commerce et restauration, 8 ans", "Permis B")
    ):
        draw.text((60, 60 + 24 * line), text, fill="black")
    output = io.BytesIO()
    page.save(output, format="PDF")
    return ContentFile(output.getvalue(), name="cv.pdf")


def seed(log: Callable[[str], None]) -> None:
    staff = User.objects.network_staff().first()
    if staff is None:
        return
    created = _project_offers(staff) + _cafe_offer(staff)
    if created:
        log(f"  Offres de gérance publiées pour des cafés en recrutement : {created}.")


def _project_offers(staff: User) -> int:
    """The offers of two projects in the recrutement stage; the first has candidates."""
    if JobOffer.objects.filter(project__isnull=False).exists():
        return 0
    projects = Project.objects.filter(
        stage=Stage.RECRUITMENT, closed_on__isnull=True
    ).select_related("commune")[: len(OFFERS)]
    today = timezone.localdate()
    offers = [
        JobOffer.objects.create(
            project=project,
            starts_on=today + datetime.timedelta(days=75),
            closes_on=today + datetime.timedelta(days=30),
            published_by=staff,
            **fields,
        )
        for project, fields in zip(projects, OFFERS, strict=False)
    ]
    for offer in offers[:1]:
        now = timezone.now()
        for name, email, phone, shortlisted in CANDIDATES:
            Candidacy.objects.create(
                offer=offer,
                name=name,
                email=email,
                phone=phone,
                message=(
                    f"Bonjour, je m'appelle {name.split()[0]} et je souhaite m'installer à "
                    f"{offer.commune.name} pour faire vivre le café du village."
                ),
                cv=cv_pdf(name),
                confirmed_at=now,
                shortlisted_at=now if shortlisted else None,
                shortlisted_by=staff if shortlisted else None,
            )
    return len(offers)


def _cafe_offer(staff: User) -> int:
    """A café of the network in the recrutement stage, without a project, looks for its
    manager."""
    if JobOffer.objects.filter(project__isnull=True).exists():
        return 0
    cafe = Cafe.objects.filter(stage=Stage.RECRUITMENT, project__isnull=True).first()
    if cafe is None:
        return 0
    today = timezone.localdate()
    JobOffer.objects.create(
        cafe=cafe,
        starts_on=today + datetime.timedelta(days=90),
        closes_on=today + datetime.timedelta(days=45),
        published_by=staff,
        **CAFE_OFFER,
    )
    return 1
