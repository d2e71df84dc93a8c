from django.urls import path

from . import application_views, figures_views

app_name = "accompaniment"

urlpatterns = [
    path("nous-rejoindre/", application_views.join, name="join"),
    path("candidater/", application_views.apply, name="apply"),
    path("candidater/envoyee/", application_views.application_sent, name="application_sent"),
    path("candidater/confirmer/<uuid:token>/", application_views.confirm, name="confirm"),
    path("accompagnement/chiffres/", figures_views.dashboard, name="figures"),
    path("accompagnement/chiffres/export.csv", figures_views.export, name="figures_export"),
]
