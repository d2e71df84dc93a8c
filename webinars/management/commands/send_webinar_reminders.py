from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from webinars.services import send_due_reminders


class Command(BaseCommand):
    help = (
        "Envoie les rappels de webinaires dus (24 h et 1 h avant le début), une seule fois "
        "chacun. Le worker le fait toutes les 5 minutes (tâche périodique webinar_reminders)."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        sent = send_due_reminders()
        if options["verbosity"] > 0:
            self.stdout.write(f"{sent} rappel(s) de webinaire envoyé(s).")
