"""Which findings give the client intervention and termination rights (para 146, Figure 9 and its note), and how
an open process follows the worst tier seen (issue 16, items 4 and 5). docs/performance.md explains both rules.

Table 6's groups as seeded (performance/catalogue.py): cpaa and afr inform client intervention (afr is also a
health and safety measure); co2e, biodiversity and edi support evolving behaviours.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from alliance.models import Obligation, ObligationKind, ObligationStatus, Person
from governance.demo import seed_matrix
from governance.services import board as governance_services
from performance.models import FrameworkChangeStatus, ImprovementProcess, Metric, ProcessStatus
from performance.selectors import scorecard as selectors
from performance.services import framework, scorecard
from tests.performance import _improvement_fixtures

pytestmark = pytest.mark.django_db

schemes = _improvement_fixtures.schemes  # two awarded schemes in north-west (the fixture)

VOTERS = ["sro", "fluor-rep", "jacobs-rep", "wsp-rep", "costain-rep", "bam-msjv-rep", "balfour-beatty-rep"]
Q2_FROZEN, Q3_FROZEN, Q4_FROZEN = dt.date(2026, 7, 5), dt.date(2026, 10, 5), dt.date(2027, 1, 5)


@pytest.fixture
def people(smp):
    """As tests/performance/_improvement_fixtures.py's, with the Decision Matrix for the framework's Board route."""
    seed_matrix(smp)
    scorecard.metrics_seed(smp)
    return {p.username: p for p in Person.objects.select_related("organisation")}


def freeze(smp, people, period: str, on: dt.date, grid: dict[tuple[str, str], int]):
    """Score ``{(scheme, metric): score}`` in ``period`` and freeze it on ``on``."""
    scorecard.scores_record(actor=people["alliance-manager"], rows=[
        {"scheme": scheme, "metric": metric, "period": period, "score": score}
        for (scheme, metric), score in grid.items()])
    with time_machine.travel(dt.datetime(on.year, on.month, on.day, 9, tzinfo=dt.UTC), tick=True):
        return scorecard.quarter_freeze(actor=None, quarter=selectors.quarter_by_label(smp.pk, period), on=on)


def process_of(level: str, *, scheme: str | None = None, metric: str | None = None) -> ImprovementProcess:
    return ImprovementProcess.objects.get(level=level, scheme__code=scheme, metric__code=metric)


def rights_clocks(process):
    return Obligation.objects.filter(subject_id=process.pk, kind=ObligationKind.INTERVENTION_RIGHT,
                                     status=ObligationStatus.OPEN, subject_type__model="improvementprocess")


def months(day: dt.date, n: int) -> dt.date:
    from alliance.dates import add_months

    return add_months(day, n)


# --- Item 4: only the metrics that inform client intervention give rights (para 146) ---------------------------


def test_a_behaviour_metric_at_0_opens_its_process_without_any_client_right_para_146(smp, people, schemes):
    """co2e scores 0 on both schemes (scenario 3 for the metric, 5 for each component) while cpaa scores 10: the
    finding opens co2e's improvement process with its reports, but no intervention date and no termination right.
    The overall (5, scenario 2) and S1 (5, scenario 4) findings come from co2e too: their intervention-informing
    metrics average 10, so they give no right either."""
    freeze(smp, people, "2026-Q3", Q3_FROZEN, {("S1", "co2e"): 0, ("S2", "co2e"): 0,
                                              ("S1", "cpaa"): 10, ("S2", "cpaa"): 10})
    co2e = process_of("metric", metric="co2e")
    assert (co2e.scenario, co2e.status, co2e.rights_tier) == (3, ProcessStatus.OPEN, "")
    assert (co2e.intervention_on, co2e.termination_right_on) == (None, None)
    assert Obligation.objects.filter(subject_id=co2e.pk, kind=ObligationKind.IMPROVEMENT_REPORT).exists()
    overall, s1 = process_of("overall"), process_of("scheme", scheme="S1")
    assert (overall.scenario, overall.intervention_on, overall.termination_right_on) == (2, None, None)
    assert (s1.scenario, s1.intervention_on, s1.termination_right_on) == (4, None, None)
    assert not Obligation.objects.filter(kind=ObligationKind.INTERVENTION_RIGHT).exists()


def test_no_right_shows_as_null_in_the_api_and_as_no_right_on_the_pages(smp, people, schemes, client_for):
    freeze(smp, people, "2026-Q3", Q3_FROZEN, {("S1", "co2e"): 0, ("S2", "co2e"): 0,
                                              ("S1", "cpaa"): 10, ("S2", "cpaa"): 10})
    co2e = process_of("metric", metric="co2e")
    reader = client_for(people["client-reviewer"])
    rows = reader.get(reverse("api-performance-processes")).json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    row = next(r for r in rows if r["id"] == co2e.pk)
    assert (row["intervention_on"], row["termination_right_on"], row["rights_tier"]) == (None, None, "")
    page = reader.get(reverse("process", args=[co2e.pk])).content.decode()
    assert "None: co2e supports evolving behaviours (para 146)" in page
    assert page.count("No right") == 2
    assert "No right" in reader.get(reverse("processes")).content.decode()


def test_an_intervention_metric_failing_gives_figure_9_dates(smp, people, schemes, client_for):
    """cpaa (informs intervention) at 0 on both schemes: scenario 3, the client may intervene after 3 months and a
    right to terminate arises after 9 (paras 171, 173)."""
    freeze(smp, people, "2026-Q3", Q3_FROZEN, {("S1", "cpaa"): 0, ("S2", "cpaa"): 0,
                                              ("S1", "co2e"): 10, ("S2", "co2e"): 10})
    cpaa = process_of("metric", metric="cpaa")
    assert (cpaa.scenario, cpaa.rights_tier) == (3, "failure")
    assert (cpaa.intervention_on, cpaa.termination_right_on) == (dt.date(2027, 1, 5), dt.date(2027, 7, 5))
    assert sorted(c.due_date for c in rights_clocks(cpaa)) == [dt.date(2027, 1, 5), dt.date(2027, 7, 5)]
    rows = client_for(people["sro"]).get(reverse("api-performance-processes")).json()
    rows = rows["results"] if isinstance(rows, dict) else rows
    row = next(r for r in rows if r["id"] == cpaa.pk)
    assert (row["intervention_on"], row["termination_right_on"]) == ("2027-01-05", "2027-07-05")


def test_overall_and_scheme_rights_follow_the_tier_the_intervention_metrics_reach_too(smp, people, schemes):
    """Overall and scheme findings aggregate every metric (paras 154, 164); the client's rights need the same
    level to be in the tier on the intervention-informing metrics alone (para 146). S1: cpaa 4, three behaviour
    metrics at 0: the scheme fails (average 1, scenario 3) but its intervention metrics only underperform (4), so
    the client's rights are scenario 4's (6 and 12 months), not failure's (3 and 9)."""
    freeze(smp, people, "2026-Q3", Q3_FROZEN, {("S1", "cpaa"): 4, ("S1", "co2e"): 0, ("S1", "biodiversity"): 0,
                                              ("S1", "edi"): 0})
    s1 = process_of("scheme", scheme="S1")
    assert (s1.scenario, s1.tier, s1.rights_tier) == (3, "failure", "underperformance")
    assert (s1.intervention_on, s1.termination_right_on) == (months(Q3_FROZEN, 6), months(Q3_FROZEN, 12))
    overall = process_of("overall")
    assert (overall.scenario, overall.rights_tier) == (1, "underperformance")
    assert (overall.intervention_on, overall.termination_right_on) == (Q3_FROZEN, months(Q3_FROZEN, 9))


def test_a_health_and_safety_component_poor_two_quarters_running_gives_the_client_intervention(smp, people,
                                                                                             schemes):
    """Figure 9's note: continual poor performance against a health and safety measure lets the client intervene
    in a component's process (scenarios 5-6); "continual" is two consecutive quarters (CONTINUAL_QUARTERS). Still
    no right to terminate: that column has no such note. cpaa, not a health and safety measure, gives none."""
    grid = {("S1", "afr"): 0, ("S1", "cpaa"): 0, ("S2", "afr"): 10, ("S2", "cpaa"): 10}
    freeze(smp, people, "2026-Q2", Q2_FROZEN, grid)
    afr = process_of("component", scheme="S1", metric="afr")
    assert (afr.scenario, afr.intervention_on, afr.termination_right_on) == (5, None, None)  # once is not continual
    freeze(smp, people, "2026-Q3", Q3_FROZEN, grid)
    afr.refresh_from_db()
    assert (afr.scenario, afr.rights_tier, afr.intervention_on, afr.termination_right_on) == (
        5, "failure", Q3_FROZEN, None)
    assert "client rights: failure" in afr.history.first().history_change_reason
    cpaa = process_of("component", scheme="S1", metric="cpaa")
    assert (cpaa.intervention_on, cpaa.termination_right_on) == (None, None)


def test_a_health_and_safety_component_poor_with_a_good_quarter_between_is_not_continual(smp, people, schemes):
    """afr on S1 is poor in Q1, satisfactory in Q2, poor again in Q3: the process resumes (para 177), but two poor
    quarters that are not consecutive are not continual poor performance, so the client has no right yet."""
    freeze(smp, people, "2026-Q1", dt.date(2026, 4, 5), {("S1", "afr"): 2, ("S2", "afr"): 10})
    freeze(smp, people, "2026-Q2", Q2_FROZEN, {("S1", "afr"): 10, ("S2", "afr"): 10})
    freeze(smp, people, "2026-Q3", Q3_FROZEN, {("S1", "afr"): 2, ("S2", "afr"): 10})
    afr = process_of("component", scheme="S1", metric="afr")
    assert (afr.status, afr.scenario, afr.months_used) == (ProcessStatus.OPEN, 6, 3)
    assert (afr.intervention_on, afr.termination_right_on) == (None, None)


def test_a_health_and_safety_metric_in_the_behaviour_group_gives_no_right(smp, people, schemes):
    """Only the first group gives rights (para 146): Figure 9's note applies to a health and safety measure that
    informs client intervention."""
    Metric.objects.filter(code="afr").update(informs_intervention=False)
    grid = {("S1", "afr"): 0, ("S2", "afr"): 10}
    freeze(smp, people, "2026-Q2", Q2_FROZEN, grid)
    freeze(smp, people, "2026-Q3", Q3_FROZEN, grid)
    afr = process_of("component", scheme="S1", metric="afr")
    assert (afr.intervention_on, afr.termination_right_on) == (None, None)


# --- Item 5: an open process follows the worst tier seen ------------------------------------------------------------


def test_underperformance_falling_to_failure_takes_failures_shorter_clock(smp, people, schemes):
    """cpaa underperforms in Q2 (scenario 4, opened 5 Jul 2026: intervention after 6 months, termination after
    12) and fails in Q3: the process becomes scenario 3 and takes failure's periods counted from when its clock
    started (Figure 9; para 173 "not improved to satisfactory levels within three months"), never before the
    day it is found: intervention 5 Oct 2026 (5 Jul + 3 months), termination 5 Apr 2027 (5 Jul + 9 months)."""
    freeze(smp, people, "2026-Q2", Q2_FROZEN, {("S1", "cpaa"): 4, ("S2", "cpaa"): 4})
    cpaa = process_of("metric", metric="cpaa")
    assert (cpaa.scenario, cpaa.intervention_on, cpaa.termination_right_on) == (
        4, dt.date(2027, 1, 5), dt.date(2027, 7, 5))
    freeze(smp, people, "2026-Q3", Q3_FROZEN, {("S1", "cpaa"): 0, ("S2", "cpaa"): 2})
    cpaa.refresh_from_db()
    assert (cpaa.scenario, cpaa.tier, cpaa.rights_tier, cpaa.status) == (3, "failure", "failure", ProcessStatus.OPEN)
    assert (cpaa.intervention_on, cpaa.termination_right_on) == (Q3_FROZEN, dt.date(2027, 4, 5))
    assert cpaa.history.first().history_change_reason == (
        "Escalated in 2026-Q3: performance failure, scenario 3 (Figure 9); client rights: failure")
    assert cpaa.history.last().tier == "underperformance"  # the escalation is kept in its history
    clocks = {c.title.split(":")[0]: c for c in rights_clocks(cpaa)}
    assert clocks["Right to terminate arises"].due_date == dt.date(2027, 4, 5)
    assert clocks["The client may intervene"].due_date == Q3_FROZEN
    assert clocks["Right to terminate arises"].history.first().history_change_reason.startswith("Escalated in 2026-Q3")
    assert cpaa.findings.count() == 2  # both quarters' findings belong to the one process


def test_failure_improving_to_underperformance_keeps_the_earlier_dates(smp, people, schemes):
    """Getting better never lengthens a clock already started: scenario 3 stays scenario 3 with its dates."""
    freeze(smp, people, "2026-Q2", Q2_FROZEN, {("S1", "cpaa"): 0, ("S2", "cpaa"): 2})
    cpaa = process_of("metric", metric="cpaa")
    dates = (cpaa.intervention_on, cpaa.termination_right_on)
    assert dates == (dt.date(2026, 10, 5), dt.date(2027, 4, 5))
    history = cpaa.history.count()
    freeze(smp, people, "2026-Q3", Q3_FROZEN, {("S1", "cpaa"): 4, ("S2", "cpaa"): 4})
    cpaa.refresh_from_db()
    assert (cpaa.scenario, cpaa.tier, cpaa.intervention_on, cpaa.termination_right_on) == (3, "failure", *dates)
    assert cpaa.history.count() == history
    assert sorted(c.due_date for c in rights_clocks(cpaa)) == list(dates)


def test_a_process_resumed_worse_takes_failures_remaining_months_para_177(smp, people, schemes):
    """Underperforming in Q2 (3 months run to 5 Oct), satisfactory in Q3 (recovering), failing in Q4 within six
    months: the process recommences where it stopped (para 177) and, now failing, has 9 - 3 = 6 months left to
    a termination right (5 Jul 2027), not scenario 4's 12 - 3 = 9 (5 Oct 2027); the client may intervene at once
    (scenario 3's 3 months are used up)."""
    freeze(smp, people, "2026-Q2", Q2_FROZEN, {("S1", "cpaa"): 4, ("S2", "cpaa"): 4})
    freeze(smp, people, "2026-Q3", Q3_FROZEN, {("S1", "cpaa"): 8, ("S2", "cpaa"): 8})
    cpaa = process_of("metric", metric="cpaa")
    assert (cpaa.status, cpaa.months_used) == (ProcessStatus.RECOVERING, 3)
    freeze(smp, people, "2026-Q4", Q4_FROZEN, {("S1", "cpaa"): 0, ("S2", "cpaa"): 0})
    cpaa.refresh_from_db()
    assert (cpaa.status, cpaa.scenario, cpaa.clock_started_on, cpaa.months_used) == (
        ProcessStatus.OPEN, 3, Q4_FROZEN, 3)
    assert (cpaa.intervention_on, cpaa.termination_right_on) == (Q4_FROZEN, dt.date(2027, 7, 5))
    assert sorted(c.due_date for c in rights_clocks(cpaa)) == [Q4_FROZEN, dt.date(2027, 7, 5)]


def test_a_process_resumed_milder_keeps_its_worst_tier_para_177(smp, people, schemes):
    """Failing in Q2 (3 months run to 5 Oct), recovering in Q3, underperforming in Q4: it resumes as scenario 3
    with 9 - 3 = 6 months to a termination right, not scenario 4's 12 - 3."""
    freeze(smp, people, "2026-Q2", Q2_FROZEN, {("S1", "cpaa"): 0, ("S2", "cpaa"): 0})
    freeze(smp, people, "2026-Q3", Q3_FROZEN, {("S1", "cpaa"): 8, ("S2", "cpaa"): 8})
    freeze(smp, people, "2026-Q4", Q4_FROZEN, {("S1", "cpaa"): 4, ("S2", "cpaa"): 4})
    cpaa = process_of("metric", metric="cpaa")
    assert (cpaa.status, cpaa.scenario, cpaa.tier) == (ProcessStatus.OPEN, 3, "failure")
    assert cpaa.termination_right_on == dt.date(2027, 7, 5)


# --- The groups change only through the Board (para 148) -------------------------------------------------------------


def _close(change, people, choices):
    for username, choice in zip(VOTERS, choices, strict=True):
        governance_services.vote_cast(actor=people[username], decision=change.decision, choice=choice)
    governance_services.decision_close(actor=people["sro"], decision=change.decision)
    change.refresh_from_db()
    return change


def test_moving_a_metric_to_the_intervention_group_is_an_amendment_that_changes_future_findings(smp, people,
                                                                                               schemes):
    """co2e fails in Q2 while it supports evolving behaviours: its process opens without rights. A unanimous Board
    (para 148) moves it into the intervention group; failing again in Q3, its open process now gives the client
    scenario 3's rights, counted from the Q3 finding (an amendment is not retroactive: not 5 Apr 2027, which is
    9 months from Q2). biodiversity, still a behaviour metric, gives none."""
    freeze(smp, people, "2026-Q2", Q2_FROZEN, {("S1", "co2e"): 0, ("S2", "co2e"): 0})
    process = process_of("metric", metric="co2e")
    assert (process.intervention_on, process.termination_right_on) == (None, None)
    co2e = Metric.objects.get(code="co2e")
    change = framework.framework_change_propose(actor=people["alliance-manager"], kind="amendment",
                                               description="Carbon is now a client priority", groups=[(co2e, True)])
    assert change.decision.authority == "unanimous"
    assert "co2e: supports evolving behaviours → informs client intervention" in change.decision.description
    co2e.refresh_from_db()
    assert not co2e.informs_intervention  # nothing changes before the Board approves
    change = _close(change, people, ["for"] * 7)
    co2e.refresh_from_db()
    assert change.status == FrameworkChangeStatus.APPLIED and co2e.informs_intervention
    assert co2e.history.first().history_change_reason.startswith("Performance framework amendment approved")
    freeze(smp, people, "2026-Q3", Q3_FROZEN, {("S1", "co2e"): 0, ("S2", "co2e"): 0,
                                              ("S1", "biodiversity"): 0, ("S2", "biodiversity"): 0})
    process.refresh_from_db()
    assert (process.rights_tier, process.rights_since) == ("failure", Q3_FROZEN)
    assert (process.intervention_on, process.termination_right_on) == (dt.date(2027, 1, 5), dt.date(2027, 7, 5))
    assert sorted(c.due_date for c in rights_clocks(process)) == [dt.date(2027, 1, 5), dt.date(2027, 7, 5)]
    biodiversity = process_of("metric", metric="biodiversity")
    assert (biodiversity.intervention_on, biodiversity.termination_right_on) == (None, None)


def test_a_group_move_not_unanimous_changes_nothing(smp, people, schemes):
    cpaa = Metric.objects.get(code="cpaa")
    change = framework.framework_change_propose(actor=people["alliance-manager"], kind="amendment",
                                               description="Customer satisfaction is a behaviour",
                                               groups=[(cpaa, False)])
    change = _close(change, people, ["for"] * 6 + ["against"])
    cpaa.refresh_from_db()
    assert change.status == FrameworkChangeStatus.REJECTED and cpaa.informs_intervention
    freeze(smp, people, "2026-Q3", Q3_FROZEN, {("S1", "cpaa"): 0, ("S2", "cpaa"): 0})
    assert process_of("metric", metric="cpaa").termination_right_on == dt.date(2027, 7, 5)


def test_a_group_move_is_refused_in_the_annual_review_or_when_it_changes_nothing(smp, people, schemes):
    from django.core.exceptions import ValidationError

    from performance.models import FrameworkChange

    co2e = Metric.objects.get(code="co2e")
    with pytest.raises(ValidationError, match="needs a unanimous Board"):
        framework.framework_change_propose(actor=people["alliance-manager"], kind="annual_review",
                                          description="x", groups=[(co2e, True)])
    with pytest.raises(ValidationError, match="co2e already supports evolving behaviours"):
        framework.framework_change_propose(actor=people["alliance-manager"], kind="amendment",
                                          description="x", groups=[(co2e, False)])
    assert not FrameworkChange.objects.exists()


def test_the_framework_page_tables_a_group_move_and_lists_it(smp, people, schemes, client_for):
    url = reverse("framework-changes")
    assert client_for(people["wsp-staff"]).post(url, {"form": "group", "group_metric": "co2e",
                                                      "group": "intervention", "group_description": "x"}
                                                ).status_code == 403
    manager = client_for(people["alliance-manager"])
    refused = manager.post(url, {"form": "group", "group_metric": "co2e", "group": "behaviours",
                                 "group_description": "No change"})
    assert refused.status_code == 400 and "co2e already supports evolving behaviours" in refused.content.decode()
    response = manager.post(url, {"form": "group", "group_metric": "co2e", "group": "intervention",
                                  "group_description": "Carbon matters"})
    assert response.status_code == 302
    page = client_for(people["jacobs-rep"]).get(url).content.decode()
    assert "co2e: supports evolving behaviours → informs client intervention" in page
