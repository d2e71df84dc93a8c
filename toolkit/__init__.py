"""Toolkit pages (boîtes à outils): filled by the toolkits and webinars issue."""
