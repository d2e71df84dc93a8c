"""Subscribed calendars: one secret-address model and one feed view for every calendar of the
platform (a café's or a provider's animations, a member's webinars); the features say what
each calendar shows by registering a source (sources.py)."""
