"""WSGI entry point: production serves pages through WSGI workers (see README)."""

import os
import sys
from pathlib import Path

# site/ holds the project package, the project root holds the feature apps (toolkit, …).
_SITE = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(_SITE), str(_SITE.parent)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings.production")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
