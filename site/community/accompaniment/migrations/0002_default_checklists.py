"""The checklists each stage starts with, as the team runs them today; staff edit them in
the admin (Accompagnement › Listes de tâches)."""

from django.db import migrations

DEFAULT_CHECKLISTS = {
    "prefiguration": [
        "Visite de terrain",
        "Analyse du territoire et de la concurrence",
        "Questionnaire aux habitant·es",
        "Réunion publique",
        "Budget prévisionnel",
        "Restitution au conseil municipal",
    ],
    "definition": [
        "Choix de la forme juridique (régie, association, bail commercial, location-gérance)",
        "Choix du local et programme de travaux",
        "Plan de financement",
        "Délibération du conseil municipal",
    ],
    "recruitment": [
        "Rédaction de l'offre de gérance",
        "Diffusion de l'offre (réseau, France Travail, presse locale)",
        "Présélection des candidat·es",
        "Présentation des candidat·es à la mairie",
        "Choix du gérant ou de la gérante",
    ],
    "opening": [
        "Formation du gérant ou de la gérante",
        "Licence et autorisations d'exploitation",
        "Inauguration",
        "Suivi des premières semaines",
    ],
    "operation": [
        "Point à trois mois",
        "Point à six mois",
        "Bilan annuel avec la mairie",
    ],
}


def create_defaults(apps, schema_editor):
    ChecklistTemplate = apps.get_model("accompaniment", "ChecklistTemplate")
    if ChecklistTemplate.objects.exists():
        return
    ChecklistTemplate.objects.bulk_create(
        ChecklistTemplate(stage=stage, label=label, position=position)
        for stage, labels in DEFAULT_CHECKLISTS.items()
        for position, label in enumerate(labels, start=1)
    )


class Migration(migrations.Migration):
    dependencies = [("accompaniment", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
