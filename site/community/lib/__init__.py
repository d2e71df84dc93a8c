"""Helpers every app shares (in the manner of healthchecks' hc/lib): one piece per concern,
written once. The lib knows no app of the project; apps import it, never the reverse."""
