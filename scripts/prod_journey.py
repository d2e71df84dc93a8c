"""Members' journeys in Chromium through the production topology that prod-smoke.sh starts
(nginx over TLS, gunicorn, uvicorn, the worker), then the faults a service outage brings.

    python scripts/prod_journey.py journey | search-outage | redis-restart

prod-smoke.sh sets SMOKE_SITE, SMOKE_MEMBER, SMOKE_MANAGER, SMOKE_PASSWORD, SMOKE_MAILDIR
and SMOKE_REDIS_PORT, and the Meilisearch variables of the production environment. The
manager follows the forum theme « Lien social »; the member (an elected member) writes there.
Every page fails the run if the Content-Security-Policy blocked anything on it.
"""

from __future__ import annotations

import email
import os
import subprocess
import sys
import time
import uuid
from email.header import decode_header, make_header
from pathlib import Path
from urllib.parse import quote

import requests
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.chromium import CHROMIUM, LAUNCH_ARGS, open_context  # noqa: E402

SITE = os.environ["SMOKE_SITE"]
MEMBER = os.environ["SMOKE_MEMBER"]
MANAGER = os.environ["SMOKE_MANAGER"]
PASSWORD = os.environ["SMOKE_PASSWORD"]
MAILDIR = Path(os.environ["SMOKE_MAILDIR"])
REDIS_PORT = os.environ["SMOKE_REDIS_PORT"]
THEME = "Lien social"


def say(message: str) -> None:
    print(f"prod-journey: {message}", flush=True)


def wait_until(what: str, check, seconds: float, every: float = 1.0):
    """check()'s first truthy answer within `seconds`, else the run fails saying `what`."""
    deadline = time.monotonic() + seconds
    while True:
        answer = check()
        if answer:
            return answer
        if time.monotonic() > deadline:
            raise AssertionError(f"after {seconds:.0f} s: {what}")
        time.sleep(every)


def mails(to: str, containing: str) -> list[email.message.Message]:
    """The messages to `to` in the sink whose subject or body contains `containing`."""
    found = []
    for path in (MAILDIR / "new").iterdir():
        message = email.message_from_bytes(path.read_bytes())
        if message["To"] != to:
            continue
        subject = str(make_header(decode_header(message["Subject"] or "")))
        bodies = [
            part.get_payload(decode=True).decode(part.get_content_charset() or "utf-8")
            for part in message.walk()
            if part.get_content_type() == "text/plain"
        ]
        if containing in subject or any(containing in body for body in bodies):
            found.append(message)
    return found


class Journey:
    def __init__(self, browser) -> None:
        self.browser = browser
        self.csp_violations: list[str] = []

    def signed_in(self, address: str) -> Page:
        context = open_context(self.browser, SITE, self.csp_violations, ignore_https_errors=True)
        page = context.new_page()
        page.goto("/comptes/login/")
        page.fill("input[name=login]", address)
        page.fill("input[name=password]", PASSWORD)
        with page.expect_navigation():
            page.get_by_role("button", name="Se connecter").click()
        assert "/comptes/login/" not in page.url, f"{address} could not sign in"
        return page

    def open_topic(self, page: Page, subject: str, content: str) -> None:
        page.goto("/forum/")
        page.get_by_role("link", name=THEME).first.click()
        page.get_by_role("link", name="Nouveau sujet").click()
        page.fill("input[name=subject]", subject)
        page.fill("textarea[name=content]", content)
        with page.expect_navigation():
            page.get_by_role("button", name="Publier").click()
        assert page.locator("h1").inner_text() == subject, page.url

    def found_by_search(self, page: Page, words: str, subject: str) -> bool:
        page.goto(f"/recherche/?q={quote(words)}")
        return page.get_by_role("link", name=subject).count() > 0

    def check_csp(self) -> None:
        assert not self.csp_violations, "CSP violations:\n" + "\n".join(self.csp_violations)


def enter_chat(page: Page) -> None:
    page.goto("/chat/reseau/")
    page.locator("#chat-status", has_text="Connecté").wait_for()


def chat(page: Page, body: str) -> None:
    page.fill("#chat-form textarea", body)
    page.get_by_role("button", name="Envoyer").click()


def chat_shows(page: Page, body: str, seconds: float) -> None:
    page.locator("#chat-messages .chat-body", has_text=body).wait_for(timeout=seconds * 1000)


def journey(run: Journey) -> None:
    word = f"lavoir{uuid.uuid4().hex[:8]}"
    subject = f"Un goûter au {word} pour les anciens"
    member, manager = run.signed_in(MEMBER), run.signed_in(MANAGER)
    say("ok: two members signed in through nginx")

    run.open_topic(member, subject, f"Qui a déjà organisé un goûter au {word} ?")
    wait_until("the follower's e-mail about the new topic", lambda: mails(MANAGER, subject), 60)
    say("ok: a new topic in « Lien social »; the manager following it got the e-mail")

    enter_chat(member)
    enter_chat(manager)
    chat(member, f"Bonjour, le goûter au {word} est samedi")
    chat_shows(manager, f"goûter au {word} est samedi", 15)
    say("ok: a chat message between two browsers over /ws/")

    manager.goto("/animations/")
    manager.get_by_role("link", name="Atelier d'initiation aux échecs").first.click()
    manager.get_by_role("link", name="Demander cette animation pour mon café").click()
    day = time.strftime("%Y-%m-%dT18:00", time.localtime(time.time() + 30 * 86400))
    manager.get_by_label("Date et heure souhaitées").fill(day)
    manager.get_by_label("Public attendu (nombre de personnes)").fill("12")
    with manager.expect_navigation():
        manager.get_by_role("button", name="Envoyer la demande").click()
    assert "/animations/reservations/" in manager.url, manager.url
    say("ok: the manager asked for a chess workshop")

    wait_until(
        f"the search page finding « {word} »",
        lambda: run.found_by_search(member, word, subject),
        60,
        every=2,
    )
    assert not member.locator(".search-notice").count(), "search answered from its fallback"
    say("ok: search (Meilisearch) finds the new topic")


def meilisearch_has(word: str) -> bool:
    index = f"{os.environ['MEILISEARCH_INDEX_PREFIX']}_documents"
    try:
        answer = requests.post(
            f"{os.environ['MEILISEARCH_URL']}/indexes/{index}/search",
            json={"q": word},
            headers={"Authorization": f"Bearer {os.environ['MEILISEARCH_API_KEY']}"},
            timeout=5,
        )
    except requests.ConnectionError:
        return False
    return answer.ok and answer.json()["estimatedTotalHits"] > 0


def search_outage(run: Journey) -> None:
    word = f"fontaine{uuid.uuid4().hex[:8]}"
    subject = f"Restaurer la {word} du bourg"
    member = run.signed_in(MEMBER)
    subprocess.run([ROOT / "scripts/meilisearch.sh", "stop"], check=True)
    started = time.monotonic()
    try:
        run.open_topic(member, subject, f"Des idées pour la {word} ?")
        say("ok: Meilisearch down, a topic was posted, the page answered normally")
        # The worker writes the database copy first, then finds Meilisearch down.
        wait_until(
            "the database fallback finding the new topic",
            lambda: run.found_by_search(member, word, subject),
            30,
            every=2,
        )
        assert member.locator(".search-notice").count(), "no word of the fallback"
        say("ok: search answered from the database meanwhile, and said so")
    finally:
        subprocess.run(
            [ROOT / "scripts/meilisearch.sh", "start"], check=True, stdout=subprocess.DEVNULL
        )
    wait_until(f"Meilisearch catching up with « {word} »", lambda: meilisearch_has(word), 150)
    took = time.monotonic() - started
    say(f"ok: Meilisearch back, its index caught up ({took:.0f} s after the outage began)")
    assert run.found_by_search(member, word, subject)
    assert not member.locator(".search-notice").count(), "search still on its fallback"


def redis_answers() -> bool:
    ping = subprocess.run(
        ["redis-cli", "-p", REDIS_PORT, "ping"], capture_output=True, text=True, check=False
    )
    return ping.stdout.strip() == "PONG"


def redis_restart(run: Journey) -> None:
    member, manager = run.signed_in(MEMBER), run.signed_in(MANAGER)
    enter_chat(member)
    enter_chat(manager)
    subprocess.run(["redis-cli", "-p", REDIS_PORT, "shutdown", "nosave"], check=False)
    wait_until("Redis stopping", lambda: not redis_answers(), 10, every=0.2)
    try:
        chat(member, "Message écrit pendant que Redis redémarre")
        probe = member.context.new_page()
        for path in ("/", "/forum/", "/espace/"):
            assert probe.goto(path).status == 200, f"{path} failed with Redis down"
        probe.close()
        say("ok: with Redis down, pages still answer 200")
    finally:
        pid_file = Path(os.environ["SMOKE_RUN"]) / "redis.pid"
        subprocess.run(
            ["redis-server", "--port", REDIS_PORT, "--bind", "127.0.0.1", "--save", ""]
            + ["--daemonize", "yes", "--pidfile", str(pid_file)],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        wait_until("Redis answering again", redis_answers, 10, every=0.2)
    say("Redis restarted (emptied)")
    chat_shows(manager, "pendant que Redis redémarre", 60)
    say("ok: the message written during the restart reached the other browser")
    # The pub/sub layer resubscribes by itself (its keepalive notices the new server).
    chat(member, "Et celui-ci après le redémarrage")
    chat_shows(manager, "après le redémarrage", 15)
    say("ok: chat goes on live after the restart")
    for path in ("/", "/forum/", "/animations/", "/espace/"):
        response = member.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
    say("ok: pages answer 200 after the restart, the session kept")


PHASES = {"journey": journey, "search-outage": search_outage, "redis-restart": redis_restart}


def main() -> None:
    phase = PHASES[sys.argv[1]]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
        run = Journey(browser)
        phase(run)
        run.check_csp()
        browser.close()


if __name__ == "__main__":
    main()
