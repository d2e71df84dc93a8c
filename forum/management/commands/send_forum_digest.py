"""Daily e-mail digest of forum notifications: the worker's forum_digest job runs it at 07:00;
this command runs it by hand."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from forum.services import send_daily_digests


class Command(BaseCommand):
    help = "Envoie le résumé quotidien du forum aux membres qui l'ont choisi."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_daily_digests()
        self.stdout.write(f"Résumés du forum confiés au worker : {sent}.")
