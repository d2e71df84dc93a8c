"""The catalogue's kinds, from the network's 2025 activity report: present on every database,
tests included, because bookings, funds and the impact figures refer to them by slug."""

from datetime import timedelta
from decimal import Decimal

from django.db import migrations

KINDS = [
    {
        "slug": "chess-workshop",
        "name": "Atelier d'initiation aux échecs",
        "summary": "Découvrir les échecs au café, entre générations, avec un animateur.",
        "description": (
            "Un animateur apporte les échiquiers et initie petits et grands : règles, premières "
            "parties, petits défis. Quarante ateliers se sont tenus dans les cafés du réseau en "
            "2025."
        ),
        "duration": timedelta(hours=2),
        "audience": "Tout public dès 7 ans, 6 à 16 joueurs",
        "price": Decimal("180.00"),
        "is_bookable": True,
    },
    {
        "slug": "first-aid-training",
        "name": "Formation aux gestes de premiers secours",
        "summary": "Apprendre à alerter, masser, défibriller : une formation courte au café.",
        "description": (
            "Un formateur agréé enseigne les gestes qui sauvent (PSC) aux habitants, au café du "
            "village. Cinq formations en 2025, dont celles du programme Bien vieillir."
        ),
        "duration": timedelta(hours=3),
        "audience": "Adultes, 6 à 12 personnes",
        "price": Decimal("350.00"),
        "is_bookable": True,
    },
    {
        "slug": "concert-de-poche",
        "name": "Concert de Poche",
        "summary": "Un concert de musique classique ou de jazz, au plus près du public.",
        "description": (
            "Des musiciens professionnels jouent dans le café, précédés d'ateliers musicaux "
            "avec les habitants."
        ),
        "duration": timedelta(hours=2),
        "audience": "Tout public, jusqu'à 80 personnes",
        "price": Decimal("900.00"),
        "is_bookable": True,
    },
    {
        "slug": "tournee-des-villages",
        "name": "Tournée des Villages",
        "summary": "Cinéma en plein air, spectacles et concerts qui vont de café en café.",
        "description": (
            "Une programmation itinérante construite par l'équipe avec des compagnies de "
            "théâtre et des associations. En 2025 : 3 tournées, 450 participants, 11 cafés et "
            "communes. Les cafés candidatent pour accueillir une étape."
        ),
        "duration": timedelta(hours=3),
        "audience": "Tout public",
        "price": None,
        "is_bookable": False,
    },
    {
        "slug": "raconte-moi-ton-village",
        "name": "Raconte-moi ton village",
        "summary": "Les habitants racontent leur village en film, photo, écriture ou son.",
        "description": (
            "Un atelier participatif au long cours qui aboutit à un court-métrage, une "
            "exposition photo ou un podcast présenté au café. En 2025 : 7 communes, "
            "100 participants, 1 court-métrage et 6 expositions."
        ),
        "duration": timedelta(hours=3),
        "audience": "Habitants de tous âges, 8 à 20 personnes",
        "price": None,
        "is_bookable": True,
    },
    {
        "slug": "nutrition-workshop",
        "name": "Atelier nutrition",
        "summary": "Bien manger pour bien vieillir : un atelier convivial avec une diététicienne.",
        "description": (
            "Un atelier du programme Bien vieillir, mené avec une diététicienne : repères, "
            "recettes simples, échanges autour d'un café."
        ),
        "duration": timedelta(hours=2),
        "audience": "Seniors, 8 à 15 personnes",
        "price": Decimal("250.00"),
        "is_bookable": True,
    },
    {
        "slug": "physical-activity",
        "name": "Séance d'activité physique adaptée",
        "summary": "Équilibre, souplesse, marche : bouger ensemble, à son rythme.",
        "description": (
            "Une séance du programme Bien vieillir, animée par un éducateur en activité "
            "physique adaptée, dans la salle du café ou sur la place."
        ),
        "duration": timedelta(hours=1, minutes=30),
        "audience": "Seniors, 6 à 15 personnes",
        "price": Decimal("150.00"),
        "is_bookable": True,
    },
    {
        "slug": "shared-meal",
        "name": "Repas partagé",
        "summary": "Un repas au café pour rompre l'isolement des aînés du village.",
        "description": (
            "Le café cuisine et accueille les habitants autour d'une grande table. 260 repas "
            "partagés ont été servis en 2025 dans le cadre du programme Bien vieillir."
        ),
        "duration": timedelta(hours=2, minutes=30),
        "audience": "Seniors et habitants, 10 à 40 convives",
        "price": None,
        "is_bookable": True,
    },
    {
        "slug": "guinguette-mobile",
        "name": "Guinguette mobile",
        "summary": "Un café festif itinérant, de mai à septembre, dans les villages sans café.",
        "description": (
            "La guinguette s'installe pour une soirée : buvette, musique, jeux. En 2025 : "
            "64 dates en Grand Est et 19 en Picardie."
        ),
        "duration": timedelta(hours=5),
        "audience": "Tout public",
        "price": None,
        "is_bookable": True,
    },
]


def seed_kinds(apps, schema_editor):
    AnimationKind = apps.get_model("events", "AnimationKind")
    for position, kind in enumerate(KINDS):
        fields = {**kind, "position": position}
        AnimationKind.objects.update_or_create(slug=fields.pop("slug"), defaults=fields)


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(seed_kinds, migrations.RunPython.noop)]
