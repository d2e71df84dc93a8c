"""Light pages for villages' connections: what a visitor's browser downloads, measured in
Chromium on a throttled network.

Every key page, on the demo content: at most 60 KB on a first visit with its CSS, scripts,
images and fonts, at most 15 KB on a repeat visit (the static files come from the browser's
cache), and the first contentful paint under 3 s on a "Slow 3G"-like network.

Sizes are counted as production sends them: nginx compresses text (HTML, CSS, JavaScript,
JSON, SVG) with gzip, while the test server sends it as is, so each text body counts for its
gzip size; images count for their bytes. A response served from the browser's cache counts
for nothing.
"""

from __future__ import annotations

import base64
import gzip
import re
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest
from machina.apps.forum_conversation.models import Topic
from playwright.sync_api import Error as PlaywrightError
from wagtail.models import Page

from community.accounts.models import Role
from events.demo import seed as seed_events
from forum.demo import seed as seed_forum
from forum.tree import area
from tests.factories import make_member
from tests.forum.conftest import make_topic
from toolkit.demo import seed as seed_toolkits
from webinars.demo import seed as seed_webinars

from .helpers import BROWSER_TEST, restore_events_catalogue

pytestmark = BROWSER_TEST

FIRST_VISIT_BYTES = 60 * 1024
REPEAT_VISIT_BYTES = 15 * 1024
FIRST_PAINT_MS = 3000
# Chrome DevTools' "Slow 3G" bandwidth (400 kbit/s each way) with a 400 ms round trip.
SLOW_3G = {
    "offline": False,
    "latency": 400,
    "downloadThroughput": 400 * 1024 // 8,
    "uploadThroughput": 400 * 1024 // 8,
}
TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml")
# Uploaded pictures: nginx sends them with `expires 7d` (deploy/nginx/mille-cafes.conf), so a
# returning visitor's browser has them; the test server sends no cache header at all (and
# rewriting its responses in the browser turns Chromium's cache off), so on a repeat visit
# they count as cached once the production configuration is checked to say so.
NGINX_CONF = Path(__file__).resolve().parents[2] / "deploy" / "nginx" / "mille-cafes.conf"
MEDIA_PREFIX = "/media/"


def nginx_caches_uploaded_pictures() -> bool:
    conf = NGINX_CONF.read_text()
    location = re.search(r"location ~ \^/media/\((?P<folders>[^)]*)\)/ \{(?P<body>[^}]*)\}", conf)
    return bool(
        location
        and "animations/thumbs" in location["folders"]
        and re.search(r"expires\s+[1-9]\d*d;", location["body"])
    )


def _nothing(message: str) -> None:
    """The seeds' progress messages are not wanted here."""


@pytest.fixture
def demo(home_site):
    """The demo content the key pages show (their pictures included), and a topic anyone
    may read."""
    restore_events_catalogue()
    for seed in (seed_toolkits, seed_webinars, seed_forum, seed_events):
        seed(_nothing)
    make_topic(area("public"), make_member(Role.MANAGER), subject="Horaires d'été du café")


def key_pages() -> list[str]:
    topic = Topic.objects.get(forum=area("public"))
    toolkit = Page.objects.get(slug="mener-une-consultation-citoyenne")
    forum = f"/forum/forum/{topic.forum.slug}-{topic.forum_id}/"
    return [
        "/",
        "/boites-a-outils/",
        toolkit.url,
        "/webinaires/",
        "/animations/",
        "/forum/",
        quote(f"{forum}topic/{topic.slug}-{topic.pk}/"),
    ]


class Transfers:
    """What the page's network requests brought, from Chromium's DevTools protocol."""

    def __init__(self, page) -> None:
        self.session = page.context.new_cdp_session(page)
        self.session.send("Network.enable")
        self.session.send("Network.emulateNetworkConditions", SLOW_3G)
        self.responses: dict[str, dict] = {}
        self.finished: dict[str, int] = {}
        self.session.on("Network.responseReceived", self._received)
        self.session.on("Network.loadingFinished", self._finished)

    def _received(self, event: dict) -> None:
        self.responses[event["requestId"]] = event["response"]

    def _finished(self, event: dict) -> None:
        self.finished[event["requestId"]] = event["encodedDataLength"]

    def reset(self) -> None:
        self.responses.clear()
        self.finished.clear()

    def sizes(self) -> dict[str, int]:
        """Bytes per URL as production would send them; cached responses count for 0."""
        sizes = {}
        for request_id, response in list(self.responses.items()):
            if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
                continue
            if request_id not in self.finished or response["url"].startswith("data:"):
                continue
            if response["status"] == 304:  # revalidated: headers only came
                sizes[response["url"]] = self.finished[request_id]
                continue
            try:
                body = self.session.send("Network.getResponseBody", {"requestId": request_id})
            except PlaywrightError:  # no body kept (a redirect): what came on the wire
                sizes[response["url"]] = self.finished[request_id]
                continue
            raw = base64.b64decode(body["body"]) if body["base64Encoded"] else body["body"].encode()
            textual = response.get("mimeType", "").startswith(TEXT_TYPES)
            sizes[response["url"]] = len(gzip.compress(raw)) if textual else len(raw)
        return sizes


def visit(page, transfers: Transfers, url: str) -> dict[str, int]:
    transfers.reset()
    # Network idle: images load after the "load" event, and their events arrive late.
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 200, url
    return transfers.sizes()


def test_key_pages_are_light_and_paint_fast_on_a_slow_connection(new_page, demo):
    assert nginx_caches_uploaded_pictures(), f"{NGINX_CONF} no longer caches pictures"
    heavy, slow = [], []
    for url in key_pages():
        page = new_page()  # a new context: an empty browser cache, a first visit
        transfers = Transfers(page)
        first = visit(page, transfers, url)
        paint = page.evaluate(
            "performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null"
        )
        page.goto("about:blank")  # then back, as a returning visitor (not a reload)
        again = {
            address: size
            for address, size in visit(page, transfers, url).items()
            if not urlsplit(address).path.startswith(MEDIA_PREFIX)
        }
        print(
            f"{url}: first visit {sum(first.values())} B, repeat {sum(again.values())} B, "
            f"first contentful paint {paint} ms"
        )
        if sum(first.values()) > FIRST_VISIT_BYTES or sum(again.values()) > REPEAT_VISIT_BYTES:
            heavy.append(f"{url}: first {first}, again {again}")
        if paint is None or paint > FIRST_PAINT_MS:
            slow.append(f"{url}: first contentful paint {paint} ms")
        page.context.close()
    assert not heavy, "pages over budget:\n" + "\n".join(heavy)
    assert not slow, "\n".join(slow)
