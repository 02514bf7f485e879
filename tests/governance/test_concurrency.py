"""Against PostgreSQL: many votes at once, and votes racing the close (the decision row lock)."""

from __future__ import annotations

import random
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from governance.models.board import Decision, Outcome, Vote
from governance.services import board as board_services
from tests.governance.conftest import VOTERS

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _run_threads(target, count: int):
    barrier = threading.Barrier(count)
    errors = []

    def run(index):
        try:
            barrier.wait()
            target(index)
        except Exception as exc:  # pragma: no cover - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return errors


def test_many_threads_casting_and_changing_votes_leave_seven_votes_and_the_right_tally(table, people):
    decision = table()
    final = {}
    lock = threading.Lock()

    def cast(index):
        rng = random.Random(index)  # noqa: S311 - test data
        username = VOTERS[index % 7]
        for _ in range(5):
            choice = rng.choice(["for", "against", "abstain"])
            board_services.vote_cast(actor=people[username], decision=decision, choice=choice)
            with lock:
                final[username] = choice  # the last write each thread saw succeed

    errors = _run_threads(cast, 14)
    assert errors == []
    votes = dict(Vote.objects.filter(decision=decision).values_list("cast_by__username", "choice"))
    assert len(votes) == 7
    assert Vote.history.filter(decision_id=decision.pk).count() == 14 * 5
    closed = board_services.decision_close(actor=people["sro"], decision=decision)
    choices = list(votes.values())
    assert (closed.votes_for, closed.votes_against, closed.votes_abstain, closed.votes_missing) == (
        choices.count("for"), choices.count("against"), choices.count("abstain"), 0)


def test_votes_racing_the_close_never_land_after_it(table, people):
    for _ in range(5):
        decision = table()
        refused = []

        def act(index, decision=decision, refused=refused):
            if index == 7:
                board_services.decision_close(actor=people["alliance-manager"], decision=decision)
                return
            try:
                board_services.vote_cast(actor=people[VOTERS[index]], decision=decision, choice="for")
            except ValidationError:
                refused.append(index)

        assert _run_threads(act, 8) == []
        decision = Decision.objects.get(pk=decision.pk)
        landed = Vote.objects.filter(decision=decision)
        assert all(v.cast_at <= decision.closed_at for v in landed)
        # The frozen tally is exactly the votes that landed before the close; the rest were refused.
        assert decision.votes_for == landed.count() == 7 - len(refused)
        assert decision.outcome == (Outcome.APPROVED if decision.votes_for >= 4 else Outcome.REJECTED)
