"""Websocket routes of every module (the URL map is the one place that names features)."""

from __future__ import annotations

from django.urls import path

from forum.chat.consumers import ChatConsumer

websocket_urlpatterns: list = [
    path("ws/chat/<slug:slug>/", ChatConsumer.as_asgi()),
]
