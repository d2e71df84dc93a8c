from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("communes/suggestions/", views.commune_autocomplete, name="commune_autocomplete"),
    path("cafes/suggestions/", views.cafe_autocomplete, name="cafe_autocomplete"),
]
