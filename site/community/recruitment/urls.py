from django.urls import path

from . import views

app_name = "recruitment"

urlpatterns = [
    path("", views.offer_list, name="list"),
    path("<int:pk>/", views.offer, name="offer"),
    path("<int:pk>/candidater/", views.apply, name="apply"),
    path("candidature-envoyee/", views.sent, name="sent"),
    path("confirmer/<uuid:token>/", views.confirm, name="confirm"),
    path("<int:pk>/candidatures/", views.candidates, name="candidates"),
    path(
        "<int:pk>/candidatures/<int:candidacy_id>/preselection/",
        views.shortlist,
        name="shortlist",
    ),
    path("<int:pk>/candidatures/<int:candidacy_id>/choix/", views.choose, name="choose"),
    path("<int:pk>/candidatures/<int:candidacy_id>/cv/", views.cv, name="cv"),
    path("<int:pk>/presentation/", views.present, name="present"),
    path("<int:pk>/fermer/", views.close, name="close"),
    path("publier/projet/<slug:slug>/", views.publish_for_project, name="publish_project"),
    path("publier/cafe/", views.publish_for_cafe, name="publish_cafe"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
]
