"""Websocket routes of every module; the chat (forum issue) adds its consumer here."""

websocket_urlpatterns: list = []
