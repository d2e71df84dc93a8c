from __future__ import annotations

from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("recherche/", views.search_page, name="page"),
    path("api/search", views.api_search, name="api"),
]
