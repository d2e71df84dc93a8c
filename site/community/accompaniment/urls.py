from django.urls import path

from . import application_views, figures_views, project_views

app_name = "accompaniment"

urlpatterns = [
    path("nous-rejoindre/", application_views.join, name="join"),
    path("candidater/", application_views.apply, name="apply"),
    path("candidater/envoyee/", application_views.application_sent, name="application_sent"),
    path("candidater/confirmer/<uuid:token>/", application_views.confirm, name="confirm"),
    path("projets/<slug:slug>/", project_views.project, name="project"),
    path("projets/<slug:slug>/etape/", project_views.change_stage, name="change_stage"),
    path("projets/<slug:slug>/carte/", project_views.map_visibility, name="map_visibility"),
    path("projets/<slug:slug>/taches/<int:item_id>/", project_views.check_item, name="check_item"),
    path("projets/<slug:slug>/documents/", project_views.add_document, name="add_document"),
    path(
        "projets/<slug:slug>/documents/<int:document_id>/",
        project_views.document,
        name="document",
    ),
    path("projets/<slug:slug>/prestations/", project_views.log_prestation, name="log_prestation"),
    path("projets/<slug:slug>/messages/", project_views.post_message, name="post_message"),
    path("projets/<slug:slug>/membres/", project_views.add_member, name="add_member"),
    path("projets/<slug:slug>/transfert/", project_views.transfer, name="transfer"),
    path("accompagnement/chiffres/", figures_views.dashboard, name="figures"),
    path("accompagnement/chiffres/export.csv", figures_views.export, name="figures_export"),
]
