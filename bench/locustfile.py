"""Signed-in members through nginx, as prod-smoke.sh's load step runs them (bench/README.md):

    SMOKE_LOAD_USERS=200 SMOKE_LOAD_SECONDS=120 scripts/prod-smoke.sh

Each simulated member holds a session of its own (made by the smoke's set-up, listed one
per line in LOAD_SESSIONS) and, between pauses of 2 to 8 seconds as a person reading would,
reads pages, searches, replies in the forum and writes in the chat over the websocket.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import ssl
import time
import uuid
from pathlib import Path

import urllib3
import websocket
from locust import HttpUser, between, events, task

# The smoke's certificate is a throwaway one: one warning per request would drown the figures.
urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)

SESSIONS = Path(os.environ["LOAD_SESSIONS"]).read_text().split()
TOPIC = os.environ["LOAD_TOPIC"]  # a topic every member may answer
REPLY = os.environ["LOAD_REPLY"]  # its reply form
SEARCHES = ["café", "guinguette", "échecs", "épicerie", "financement", "bénévoles"]
PAGES = [
    "/",
    "/forum/",
    TOPIC,
    "/boites-a-outils/",
    "/webinaires/",
    "/animations/",
    "/animations/agenda/",
    "/espace/",
    "/chat/reseau/",
]
_next_session = itertools.count()
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Member(HttpUser):
    wait_time = between(2, 8)

    def on_start(self) -> None:
        self.client.verify = False
        self.session = SESSIONS[next(_next_session) % len(SESSIONS)]
        self.client.cookies.set("sessionid", self.session)

    @task(10)
    def read_a_page(self) -> None:
        path = random.choice(PAGES)
        self.client.get(path, name=path)

    @task(3)
    def search(self) -> None:
        query = random.choice(SEARCHES)
        self.client.get(f"/recherche/?q={query}", name="/recherche/?q=…")
        self.client.get(f"/api/search?q={query[:3]}", name="/api/search?q=…")

    @task(1)
    def reply_in_the_forum(self) -> None:
        form = self.client.get(REPLY, name="reply form")
        token = CSRF.search(form.text)
        if token is None:
            form.failure("no CSRF token on the reply form")
            return
        with self.client.post(
            REPLY,
            data={
                "csrfmiddlewaretoken": token.group(1),
                "subject": "Re: charge",
                "content": f"Une réponse de charge {uuid.uuid4().hex[:8]}.",
            },
            headers={"Referer": self.host + REPLY},
            allow_redirects=False,
            name="reply (POST)",
            catch_response=True,
        ) as answer:
            if answer.status_code != 302:
                answer.failure(f"reply answered {answer.status_code}")

    @task(2)
    def chat(self) -> None:
        """Open the room's socket, write, and wait for one's own message to come back."""
        url = self.host.replace("https://", "wss://") + "/ws/chat/reseau/"
        body = f"Bonjour de charge {uuid.uuid4().hex[:8]}"
        started = time.perf_counter()
        error = None
        try:
            socket = websocket.create_connection(
                url,
                origin=self.host,
                cookie=f"sessionid={self.session}",
                sslopt={"cert_reqs": ssl.CERT_NONE, "check_hostname": False},
                timeout=30,
            )
            try:
                socket.send(json.dumps({"type": "message", "body": body}))
                while True:
                    frame = json.loads(socket.recv())
                    if frame.get("type") == "error":
                        raise RuntimeError(frame.get("message"))
                    if frame.get("type") == "message" and frame.get("body") == body:
                        break
            finally:
                socket.close()
        except Exception as exc:  # every failure counts as one, with its reason
            error = exc
        events.request.fire(
            request_type="WS",
            name="chat: connect, send, receive",
            response_time=(time.perf_counter() - started) * 1000,
            response_length=len(body),
            exception=error,
            context={},
        )
