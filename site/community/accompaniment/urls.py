from django.urls import path

from . import figures_views

app_name = "accompaniment"

urlpatterns = [
    path("chiffres/", figures_views.dashboard, name="figures"),
    path("chiffres/export.csv", figures_views.export, name="figures_export"),
]
