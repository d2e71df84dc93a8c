"""Prune the chat's catch-up log of edits and deletions: the worker's prune_chat_changes job
runs it daily; this command runs it by hand (or with another --jours)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from forum.chat.services import CHANGES_KEPT, prune_changes


class Command(BaseCommand):
    help = (
        "Supprime le journal des modifications et suppressions de messages du chat plus "
        "ancien que --jours (les clients plus en retard rechargent le salon)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--jours", type=int, default=CHANGES_KEPT.days)

    def handle(self, *args: Any, **options: Any) -> None:
        days = options["jours"]
        if days < 1:
            raise CommandError("--jours doit être un nombre entier de jours ≥ 1.")
        removed = prune_changes(timedelta(days=days))
        self.stdout.write(f"Modifications de messages purgées : {removed} (plus de {days} jours).")
