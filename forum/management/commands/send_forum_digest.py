"""Daily e-mail digest of forum notifications; run once a day (cron or a scheduled task)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from forum.services import send_daily_digests


class Command(BaseCommand):
    help = "Envoie le résumé quotidien du forum aux membres qui l'ont choisi."

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_daily_digests()
        self.stdout.write(f"Résumés du forum envoyés : {sent}.")
