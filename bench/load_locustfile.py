"""The Locust users of bench/load.py (run by it; not on its own): board members, partners, the Alliance Manager.

Configuration comes from the JSON file named by ``LOAD_CONFIG`` (written by bench/load.py's seed step):
the open decision ids, each representative's API token, the pre-made sessions of the users that two-factor
protects (the SRO and the Alliance Manager), and where to write the raw samples at the end.

Cookies: with DEBUG off the session and CSRF cookies are ``Secure``, and a client never sends those back over
plain HTTP; on loopback there is no TLS, so each user sends its own ``Cookie`` header. The CSRF secret is one
the user makes up (Django compares the cookie with the header or form field; it keeps no state).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import secrets
import string
import threading
import time
from collections import defaultdict

from locust import HttpUser, constant, events, task

CONFIG = json.loads(open(os.environ["LOAD_CONFIG"]).read())  # noqa: PTH123, SIM115 - read once at import
RATE = float(os.environ.get("LOAD_RATE_PER_USER", "0"))  # requests/s per user; 0 = as fast as answers come


def poisson_arrivals(rate: float):
    """Each user's requests start as a Poisson process of ``rate`` per second, so that the users, together, offer
    a Poisson stream at the offered rate: people act independently of one another. (Locust's
    ``constant_throughput`` would start all the users in the same instant and keep them in step: every half second,
    a burst of one request per user at once, which no group of people sends.) A user that fell behind (an answer
    slower than its gap) catches up, as ``constant_throughput`` does, but never by more than a second's worth."""
    rng = random.Random()  # noqa: S311 - load generation, not security

    def wait(user) -> float:
        now = time.monotonic()
        due = max(getattr(user, "_due_at", now), now - 1.0) + rng.expovariate(rate)
        user._due_at = due  # noqa: SLF001 - the user's own schedule
        return max(0.0, due - now)

    return wait


WAIT = poisson_arrivals(RATE) if RATE > 0 else constant(0)
CHOICES = ("for", "against", "abstain")
PARTNERS = ("fluor", "jacobs", "wsp", "costain", "bam-msjv", "balfour-beatty")
REPRESENTATIVES = ("sro", *(f"{p}-rep" for p in PARTNERS))
STAFF = tuple(f"{p}-staff" for p in PARTNERS)

_next_rep = itertools.cycle(REPRESENTATIVES)
_next_staff = itertools.cycle(STAFF)
_lock = threading.Lock()
SAMPLES: dict[str, list[float]] = defaultdict(list)
STATUSES: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))


@events.request.add_listener
def _record(name, response_time, response=None, exception=None, **_kwargs):
    status = getattr(response, "status_code", None) if response is not None else None
    SAMPLES[name].append(response_time)
    STATUSES[name][str(status) if status else f"no answer ({type(exception).__name__})"] += 1


@events.quitting.add_listener
def _dump(**_kwargs):
    with open(CONFIG["samples_path"], "w") as out:  # noqa: PTH123
        json.dump({"samples": SAMPLES, "statuses": STATUSES}, out)


def _csrf() -> str:
    return "".join(secrets.choice(string.ascii_letters + string.digits) for _ in range(32))


class Member(HttpUser):
    abstract = True
    wait_time = WAIT
    username = ""

    def on_start(self) -> None:
        self.csrf = _csrf()
        session = CONFIG["sessions"].get(self.username)
        if session is None:  # sign in through the form, as a person does
            with self.client.post("/accounts/login/", name="POST /accounts/login/", allow_redirects=False,
                                  data={"username": self.username, "password": "demo",
                                        "csrfmiddlewaretoken": self.csrf},
                                  headers={"Cookie": f"csrftoken={self.csrf}"}, catch_response=True) as r:
                session = r.cookies.get("sessionid")
                if r.status_code != 302 or not session:
                    r.failure(f"login of {self.username}: status {r.status_code}")
                    session = ""
        self.headers = {"Cookie": f"csrftoken={self.csrf}; sessionid={session}", "X-CSRFToken": self.csrf}

    def page(self, path: str, name: str, marker: bytes = b"") -> None:
        with self.client.get(path, name=name, headers=self.headers, allow_redirects=False,
                             catch_response=True) as r:
            if r.status_code != 200 or (marker and marker not in r.content):
                r.failure(f"status {r.status_code}")


class BoardMember(Member):
    """A representative: reads the Board page and decisions, votes by the one-click form (htmx) and the API."""

    weight = 4

    def on_start(self) -> None:
        with _lock:
            self.username = next(_next_rep)
        self.token = CONFIG["tokens"][self.username]
        self.rng = random.Random()  # noqa: S311 - load generation, not security
        super().on_start()

    def decision(self) -> int:
        return self.rng.choice(CONFIG["decisions"])

    @task(3)
    def board(self) -> None:
        self.page("/board/", "GET /board/")

    @task(2)
    def decision_page(self) -> None:
        self.page(f"/board/decisions/{self.decision()}/", "GET /board/decisions/<pk>/", b'data-testid="vote-panel"')

    @task(2)
    def vote_form(self) -> None:
        with self.client.post(f"/board/decisions/{self.decision()}/vote/", name="POST vote (htmx form)",
                              data={"choice": self.rng.choice(CHOICES), "csrfmiddlewaretoken": self.csrf},
                              headers={**self.headers, "HX-Request": "true"}, catch_response=True) as r:
            if r.status_code != 200 or b'data-testid="vote-confirmed"' not in r.content:
                r.failure(f"status {r.status_code}")

    @task(2)
    def vote_api(self) -> None:
        with self.client.post(f"/api/governance/decisions/{self.decision()}/vote/", name="POST vote (API)",
                              json={"choice": self.rng.choice(CHOICES)},
                              headers={"Authorization": f"Token {self.token}"}, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")

    @task(1)
    def decision_api(self) -> None:
        with self.client.get(f"/api/governance/decisions/{self.decision()}/", name="GET API decision",
                             headers={"Authorization": f"Token {self.token}"}, catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"status {r.status_code}")


class Partner(Member):
    """A partner's staff member: the scorecard and What's due."""

    weight = 3

    def on_start(self) -> None:
        with _lock:
            self.username = next(_next_staff)
        super().on_start()

    @task(2)
    def scorecard(self) -> None:
        self.page("/performance/", "GET /performance/")

    @task(2)
    def due(self) -> None:
        self.page("/due/", "GET /due/")

    @task(1)
    def home(self) -> None:
        self.page("/", "GET /")


class Manager(Member):
    """The Alliance Manager on the registers (a pre-made session: two-factor protects this login)."""

    weight = 1
    username = "alliance-manager"

    @task(2)
    def risks(self) -> None:
        self.page("/supply-chain/risks/", "GET /supply-chain/risks/")

    @task(2)
    def instructions(self) -> None:
        self.page("/instructions/", "GET /instructions/")

    @task(1)
    def allocation(self) -> None:
        self.page("/allocation/", "GET /allocation/")

    @task(1)
    def schemes(self) -> None:
        self.page("/allocation/schemes/", "GET /allocation/schemes/")
