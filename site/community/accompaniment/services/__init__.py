"""Writes of the communes' journey, one module per subject (applications, projects), each
function atomic and named for the action; refusals raise AccompanimentError."""

from __future__ import annotations

from community.lib.refusals import DomainError


class AccompanimentError(DomainError):
    """An action of the journey that cannot be done; the message is shown to the user as is."""
