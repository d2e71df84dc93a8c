"""The schedule of periodic jobs: one row per job, the lease that makes it run once."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicJob(models.Model):
    """A job of settings.PERIODIC_JOBS. A worker claims a period by moving `next_run_at`
    forward in one conditional UPDATE (only one worker's UPDATE matches), and holds
    `leased_until` while the run is queued or running, so a slow run does not overlap the
    next; a worker killed mid-run leaves a lease that simply expires."""

    name = models.CharField(_("nom"), max_length=100, primary_key=True)
    next_run_at = models.DateTimeField(_("prochaine exécution"))
    leased_until = models.DateTimeField(_("réservée jusqu'à"), null=True, blank=True)
    last_started_at = models.DateTimeField(_("dernier départ"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("dernière fin"), null=True, blank=True)
    last_error = models.TextField(_("dernière erreur"), blank=True)

    class Meta:
        verbose_name = _("tâche périodique")
        verbose_name_plural = _("tâches périodiques")
        permissions = [("retry_task", _("Peut voir et relancer les tâches de fond en échec"))]

    def __str__(self) -> str:
        return self.name
