from __future__ import annotations

from django.urls import path

from . import views

app_name = "chat"

urlpatterns = [
    path("", views.index, name="index"),
    # Before <slug>: direct rooms are named "direct-<a>-<b>", never "direct".
    path("direct/", views.open_direct, name="open_direct"),
    path("<slug:slug>/", views.room, name="room"),
    path("<slug:slug>/messages/<int:message_id>/modifier/", views.edit, name="edit"),
    path("<slug:slug>/messages/<int:message_id>/supprimer/", views.delete, name="delete"),
]
