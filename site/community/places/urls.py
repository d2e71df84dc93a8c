from django.urls import path

from . import views

app_name = "places"

urlpatterns = [
    path("lieux/communes/suggestions/", views.commune_autocomplete, name="commune_autocomplete"),
    path("lieux/cafes/suggestions/", views.cafe_autocomplete, name="cafe_autocomplete"),
    path("carte/", views.network_map, name="map"),
    path("carte/cafes.geojson", views.map_geojson, name="map_geojson"),
    path("cafes/<slug:slug>/", views.cafe_page, name="cafe"),
    path("espace/cafes/<slug:slug>/", views.edit_cafe_page, name="edit_cafe"),
    path("espace/cafes/<slug:slug>/photos/", views.add_cafe_photo, name="add_cafe_photo"),
    path(
        "espace/cafes/<slug:slug>/photos/<int:photo_id>/retirer/",
        views.remove_cafe_photo,
        name="remove_cafe_photo",
    ),
]
