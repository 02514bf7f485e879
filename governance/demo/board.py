"""Demo records of the Board: the Decision Matrix, a meeting next week, an open written resolution with
some votes, and a closed decision. Idempotent (looked up by natural keys)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from alliance.models import Alliance, Person
from governance import services
from governance.matrix import INITIAL_MATRIX
from governance.models import Choice, Decision, DecisionType, Meeting


def seed_matrix(alliance: Alliance) -> None:
    for code, name, authority, paragraph in INITIAL_MATRIX:
        DecisionType.objects.get_or_create(
            alliance=alliance, code=code, defaults={"name": name, "authority": authority, "paragraph": paragraph}
        )


def seed_demo(alliance: Alliance) -> None:
    seed_matrix(alliance)
    manager = Person.objects.get(username="alliance-manager")
    now = timezone.now()
    if not Meeting.objects.filter(alliance=alliance).exists():
        services.meeting_schedule(
            actor=manager, alliance=alliance, title="Alliance Board", location="Birmingham, The Cube, room 4",
            starts_at=now.replace(hour=10, minute=0, second=0, microsecond=0) + dt.timedelta(days=7),
            agenda=[("Minutes of the last meeting", ""), ("Alliance Manager's report", "Mobilisation progress"),
                    ("Supply Chain Strategy: first draft", "For discussion (para 108)")],
        )
    if not Decision.objects.filter(alliance=alliance).exists():
        types = {t.code: t for t in DecisionType.objects.filter(alliance=alliance)}
        written = services.decision_table(
            actor=manager, alliance=alliance, decision_type=types["key-person-appointment"],
            title="Appoint the Alliance Commercial Lead",
            description="The Alliance Manager proposes the nominee interviewed on 12 Nov for the pan-alliance "
                        "Commercial Lead role (paras 51, 59).",
            closes_at=now + dt.timedelta(days=5),
        )
        for username, choice in [("sro", Choice.FOR), ("fluor-rep", Choice.FOR), ("jacobs-rep", Choice.ABSTAIN)]:
            services.vote_cast(actor=Person.objects.get(username=username), decision=written, choice=choice)
        closed = services.decision_table(
            actor=manager, alliance=alliance, decision_type=types["tender-commitments"],
            title="Adopt the first tender commitments for delivery",
            description="Selection from the Commitment SLA Register (para 227).",
            closes_at=now + dt.timedelta(days=1),
        )
        for username in ["sro", "fluor-rep", "jacobs-rep", "wsp-rep", "costain-rep"]:
            services.vote_cast(actor=Person.objects.get(username=username), decision=closed, choice=Choice.FOR)
        services.decision_close(actor=Person.objects.get(username="sro"), decision=closed)
