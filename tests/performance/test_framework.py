"""Threshold changes: the annual review only makes thresholds stricter (para 147); an amendment of the
framework needs a unanimous Board (para 148)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alliance.models import Person
from governance.demo import seed_matrix
from governance.services import board as governance_services
from performance.models import FrameworkChange, FrameworkChangeStatus, ScoreBand
from performance.services import framework, scorecard

pytestmark = pytest.mark.django_db
VOTERS = ["sro", "fluor-rep", "jacobs-rep", "wsp-rep", "costain-rep", "bam-msjv-rep", "balfour-beatty-rep"]


@pytest.fixture
def people(smp):
    seed_matrix(smp)
    scorecard.metrics_seed(smp)
    return {p.username: p for p in Person.objects.select_related("organisation")}


def band(code: str, score: int) -> ScoreBand:
    return ScoreBand.objects.select_related("metric").get(metric__code=code, score=score)


def close(change, people, choices):
    for username, choice in zip(VOTERS, choices, strict=True):
        governance_services.vote_cast(actor=people[username], decision=change.decision, choice=choice)
    governance_services.decision_close(actor=people["sro"], decision=change.decision)
    change.refresh_from_db()
    return change


def test_the_annual_review_makes_a_threshold_stricter_once_the_board_approves(people):
    """AFR (lower is better): the 8 band from 0.10 to 0.08 is stricter; a majority of the Board approves."""
    change = framework.framework_change_propose(actor=people["alliance-manager"], kind="annual_review",
                                               description="Tighter AFR", changes=[(band("afr", 8), Decimal("0.08"))])
    assert change.decision.decision_type.code == "annual-metric-review" and band("afr", 8).threshold == Decimal("0.1")
    change = close(change, people, ["for"] * 4 + ["against"] * 3)
    assert change.status == FrameworkChangeStatus.APPLIED and band("afr", 8).threshold == Decimal("0.08")
    assert band("afr", 8).history.first().history_change_reason.startswith("Annual metric review")


def test_the_annual_review_refuses_a_looser_threshold_and_changes_nothing(people):
    with pytest.raises(ValidationError, match="may only make a threshold stricter"):
        framework.framework_change_propose(actor=people["alliance-manager"], kind="annual_review",
                                          description="Looser CPAA", changes=[(band("cpaa", 8), Decimal("75"))])
    assert not FrameworkChange.objects.exists() and band("cpaa", 8).threshold == Decimal("80")


def test_an_amendment_may_loosen_but_needs_every_vote(people):
    change = framework.framework_change_propose(actor=people["alliance-manager"], kind="amendment",
                                               description="Rebase CPAA", changes=[(band("cpaa", 8), Decimal("75"))])
    assert change.decision.authority == "unanimous"
    change = close(change, people, ["for"] * 6 + ["abstain"])
    assert change.status == FrameworkChangeStatus.REJECTED and band("cpaa", 8).threshold == Decimal("80")


def test_bands_stay_in_order_and_only_the_alliance_manager_proposes(people):
    with pytest.raises(ValidationError, match="higher score must need a better raw value"):
        framework.framework_change_propose(actor=people["alliance-manager"], kind="amendment", description="x",
                                          changes=[(band("cpaa", 6), Decimal("85"))])  # above the 8 band's 80
    with pytest.raises(PermissionDenied):
        framework.framework_change_propose(actor=people["jacobs-rep"], kind="annual_review", description="x",
                                          changes=[(band("afr", 8), Decimal("0.08"))])
    assert not FrameworkChange.objects.exists()


def test_the_page_lists_changes_and_only_the_alliance_manager_proposes(people, client_for):
    from django.urls import reverse

    url = reverse("framework-changes")
    assert client_for(people["wsp-staff"]).get(url).status_code == 200
    assert client_for(people["wsp-staff"]).post(url, {"kind": "annual_review"}).status_code == 403
    response = client_for(people["alliance-manager"]).post(url, {
        "kind": "annual_review", "metric": "cpaa", "score": "8", "threshold": "75", "description": "Looser"})
    assert response.status_code == 400 and "may only make a threshold stricter" in response.content.decode()
    response = client_for(people["alliance-manager"]).post(url, {
        "kind": "annual_review", "metric": "cpaa", "score": "8", "threshold": "82", "description": "Stricter"})
    assert response.status_code == 302 and FrameworkChange.objects.count() == 1
    assert "cpaa score 8: 80.0000 → 82" in client_for(people["jacobs-rep"]).get(url).content.decode()
