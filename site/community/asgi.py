"""ASGI entry point: websockets in production, pages and websockets in `make run`."""

import os
import sys
from pathlib import Path

# site/ holds the project package, the project root holds the feature apps (toolkit, …).
_SITE = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(_SITE), str(_SITE.parent)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "community.settings.production")

from django.core.asgi import get_asgi_application  # noqa: E402

# Django must be set up before anything imports models (consumers do).
django_asgi_app = get_asgi_application()

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402

from community.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns))
        ),
    }
)
