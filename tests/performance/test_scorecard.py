"""The balanced scorecard: scores, the four views, freezing, the six scenarios and the sustain rule
(paras 151-177, Table 6, Figures 8 and 9; docs/domain.md section 5)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from alliance.models import Obligation, ObligationKind, ObligationStatus, Person, Region
from allocation.models import Package, Scheme, SchemeAllocation
from performance.models import Finding, ImprovementProcess, Metric, ProcessStatus, QuarterStatus, Score
from performance.selectors import scorecard as selectors
from performance.services import scorecard as services

pytestmark = pytest.mark.django_db

Q3 = "2026-Q3"  # July to September 2026: over on 23 Nov 2026, the tests' today
FIGURE_8 = [
    [8, 8, 6, 4, 8, 10, 10, 8],
    [2, 10, 8, 6, 2, 8, 8, 10],
    [10, 10, 6, 8, 4, 8, 8, 10],
    [2, 8, 8, 10, 4, 6, 6, 6],
    [4, 8, 4, 6, 10, 10, 4, 4],
    [2, 6, 2, 4, 8, 4, 4, 4],
    [8, 8, 8, 6, 6, 6, 6, 8],
]


@pytest.fixture
def people(smp):
    services.metrics_seed(smp)
    return {p.username: p for p in Person.objects.select_related("organisation")}


@pytest.fixture
def schemes(smp, people):
    """Schemes S1..S9 in the North West: Jacobs (Lot 2) and Costain (Lot 3) are their Responsible Partners."""
    package = Package.objects.create(alliance=smp, code="RIS1", name="r1", notified_on=dt.date(2026, 1, 5),
                                     created_by=people["sro"])
    region = Region.objects.get(alliance=smp, slug="north-west")
    made = []
    for i in range(1, 10):
        scheme = Scheme.objects.create(alliance=smp, package=package, code=f"S{i}", name=f"Scheme {i}",
                                       scheme_type="smart_motorway", region=region, pcf_stage=5, design_value=1,
                                       construction_value=1, alliance_budget=2, status="awarded",
                                       awarded_on=dt.date(2026, 2, 1))
        for lot, slug in ((1, "fluor"), (2, "jacobs"), (3, "costain")):
            partner = Person.objects.get(username=f"{slug}-rep").organisation
            SchemeAllocation.objects.create(scheme=scheme, lot=lot, initial_partner=partner, current_partner=partner)
        made.append(scheme)
    return made


def metric_codes(n: int) -> list[str]:
    return list(Metric.objects.order_by("order").values_list("code", flat=True)[:n])


def grid_rows(grid, period=Q3):
    codes = metric_codes(len(grid[0]))
    return [{"scheme": f"S{r + 1}", "metric": codes[c], "period": period, "score": grid[r][c]}
            for r in range(len(grid)) for c in range(len(grid[0]))]


def card(smp, period=Q3):
    return selectors.scorecard(smp.pk, [selectors.quarter_by_label(smp.pk, period)])


# --- The four views (para 154) ----------------------------------------------------------------------------------


def test_figure_8_gives_the_averages_its_numbers_really_give(smp, people, schemes):
    """Figure 8 printed with slips: Scheme 6 is 4.25 (printed 6.0), Metric 1 is 36/7 = 5.14 (printed 6.1),
    overall 370/56 = 6.61 (printed 6.8). Each row and column checked by hand."""
    services.scores_record(actor=people["alliance-manager"], rows=grid_rows(FIGURE_8))
    result = card(smp)
    by_code = {s.code: s.pk for s in schemes}
    assert [result.schemes[by_code[f"S{i}"]].average for i in range(1, 8)] == [
        Decimal("7.75"), Decimal("6.75"), Decimal("8"), Decimal("6.25"), Decimal("6.25"), Decimal("4.25"), Decimal("7")]
    metric_ids = list(Metric.objects.order_by("order").values_list("pk", flat=True)[:8])
    sums = [36, 58, 42, 44, 42, 52, 46, 50]
    for metric_id, total in zip(metric_ids, sums, strict=True):
        assert abs(result.metrics[metric_id].average - Decimal(total) / 7) < Decimal("1e-9")
    assert abs(result.overall.average - Decimal(370) / 56) < Decimal("1e-9")
    assert result.overall.count == 56


def test_a_missing_score_is_missing_never_zero(smp, people, schemes):
    codes = metric_codes(2)
    services.scores_record(actor=people["alliance-manager"], rows=[
        {"scheme": "S1", "metric": codes[0], "period": Q3, "score": 8},
        {"scheme": "S2", "metric": codes[0], "period": Q3, "score": 4},
        {"scheme": "S1", "metric": codes[1], "period": Q3, "score": 10},  # S2 has no second score
    ])
    result = card(smp)
    s2 = next(s for s in schemes if s.code == "S2")
    assert result.schemes[s2.pk].average == Decimal(4) and result.schemes[s2.pk].count == 1
    assert abs(result.overall.average - Decimal("22") / 3) < Decimal("1e-9")
    assert (s2.pk, Metric.objects.get(code=codes[1]).pk) not in result.cells


def test_a_year_is_the_mean_of_its_quarters(smp, people, schemes):
    """para 153: the annual score is the average across the four quarters."""
    code = metric_codes(1)[0]
    rows = [{"scheme": "S1", "metric": code, "period": f"2026-Q{q}", "score": s} for q, s in ((1, 2), (2, 4), (3, 10))]
    rows.append({"scheme": "S2", "metric": code, "period": "2026-Q3", "score": 6})
    services.scores_record(actor=people["alliance-manager"], rows=rows)
    year = selectors.scorecard(smp.pk, selectors.quarters_of_year(smp.pk, 2026))
    # Q1 2, Q2 4, Q3 (10 + 6) / 2 = 8: the year is (2 + 4 + 8) / 3, not the mean of the four scores (5.5).
    assert year.overall.average == Decimal(14) / 3


def test_a_years_cells_and_the_trend_are_the_same_exact_decimals_on_every_database(smp, people, schemes):
    """para 153: a year's cell is the mean of its quarters' scores, to 16 places, computed from the database's
    sums and counts: SQLite's AVG is a float (5.33333333333333), PostgreSQL's a numeric."""
    code = metric_codes(1)[0]
    rows = [{"scheme": "S1", "metric": code, "period": f"2026-Q{q}", "score": s} for q, s in ((1, 2), (2, 4), (3, 10))]
    rows.append({"scheme": "S2", "metric": code, "period": "2026-Q3", "score": 6})
    services.scores_record(actor=people["alliance-manager"], rows=rows)
    metric = Metric.objects.get(code=code)
    s1 = next(s for s in schemes if s.code == "S1")
    year = selectors.scorecard(smp.pk, selectors.quarters_of_year(smp.pk, 2026))
    assert str(year.cells[(s1.pk, metric.pk)]) == "5.3333333333333333"
    assert [(label, str(average)) for label, average in selectors.trend(smp.pk, metric_id=metric.pk)] == [
        ("2026-Q1", "2.0000000000000000"), ("2026-Q2", "4.0000000000000000"), ("2026-Q3", "8.0000000000000000")]


# --- Entering scores ----------------------------------------------------------------------------------------


def test_bad_rows_are_refused_with_their_line_and_nothing_is_saved(smp, people, schemes):
    code = metric_codes(1)[0]
    rows = [
        {"scheme": "S1", "metric": code, "period": Q3, "score": 8},
        {"scheme": "S1", "metric": code, "period": "2026-Q2", "score": 7},
        {"scheme": "NOPE", "metric": code, "period": Q3, "score": 8},
        {"scheme": "S2", "metric": "nope", "period": Q3, "score": 8},
        {"scheme": "S3", "metric": code, "period": "2026 Q3", "score": 8},
        {"scheme": "S1", "metric": code, "period": Q3, "score": 6},
    ]
    with pytest.raises(ValidationError) as refused:
        services.scores_record(actor=people["alliance-manager"], rows=rows, first_line=2)
    messages = refused.value.message_dict["scores"]
    assert messages == [
        "Line 3, column score: 7 is not 0, 2, 4, 6, 8 or 10 (para 151).",
        "Line 4, column scheme: 'NOPE' is not a scheme of the alliance.",
        "Line 5, column metric: 'nope' is not a metric of Table 6.",
        "Line 6, column period: '2026 Q3' is not a quarter like 2025-Q3 (from 2000-Q1 to 2100-Q4).",
        "Line 7, column row: the same scheme, metric and period appear twice.",
    ]
    assert not Score.objects.exists()


def test_a_raw_value_without_a_score_is_scored_by_the_bands(smp, people, schemes):
    """AFR is lower-is-better: 0.12 reaches the 6 band (at or below 0.15) but not the 8 (0.10)."""
    services.scores_record(actor=people["alliance-manager"], rows=[
        {"scheme": "S1", "metric": "afr", "period": Q3, "raw_value": "0.12"},
        {"scheme": "S1", "metric": "cpaa", "period": Q3, "raw_value": "80"},  # higher is better: the 8 band
    ])
    assert {s.metric.code: (s.score, s.derived) for s in Score.objects.select_related("metric")} == {
        "afr": (6, True), "cpaa": (8, True)}


def test_a_csv_file_imports_all_or_nothing(smp, people, schemes):
    good = "scheme,metric,period,score,raw_value\nS1,afr,2026-Q3,8,\nS2,afr,2026-Q3,,0.25\n"
    services.scores_from_csv(actor=people["alliance-manager"], upload=io.BytesIO(good.encode()))
    assert Score.objects.count() == 2 and Score.objects.get(scheme__code="S2").score == 2
    bad = "scheme,metric,period,score\nS3,afr,2026-Q3,8\nS4,afr,2026-Q3,11\n"
    with pytest.raises(ValidationError, match="Line 3, column score"):
        services.scores_from_csv(actor=people["alliance-manager"], upload=io.BytesIO(bad.encode()))
    assert Score.objects.count() == 2


def test_a_partner_scores_only_its_own_schemes_and_a_client_reviewer_not_at_all(smp, people, schemes):
    code = metric_codes(1)[0]
    services.scores_record(actor=people["jacobs-staff"], rows=[{"scheme": "S1", "metric": code, "period": Q3,
                                                                "score": 6}])
    with pytest.raises(ValidationError, match="not a Responsible Partner"):
        services.scores_record(actor=people["wsp-staff"], rows=[{"scheme": "S1", "metric": code, "period": Q3,
                                                                 "score": 2}])
    with pytest.raises(PermissionDenied):
        services.scores_record(actor=people["client-reviewer"], rows=[{"scheme": "S1", "metric": code,
                                                                       "period": Q3, "score": 2}])
    assert Score.objects.get().score == 6


def test_a_frozen_quarter_is_corrected_only_with_a_reason_kept_in_history(smp, people, schemes):
    code = metric_codes(1)[0]
    row = {"scheme": "S1", "metric": code, "period": Q3, "score": 6}
    services.scores_record(actor=people["alliance-manager"], rows=[row])
    services.quarter_freeze(actor=people["alliance-manager"], quarter=selectors.quarter_by_label(smp.pk, Q3))
    with pytest.raises(ValidationError, match="frozen: give the reason"):
        services.scores_record(actor=people["alliance-manager"], rows=[{**row, "score": 8}])
    assert Score.objects.get().score == 6
    services.scores_record(actor=people["alliance-manager"], rows=[{**row, "score": 8}],
                           correction_reason="Audit found a missed near miss report")
    score = Score.objects.get()
    assert score.score == 8 and score.correction_reason.startswith("Audit")
    assert score.history.first().history_change_reason.startswith("Correction after freezing")


# --- Freezing and the six scenarios (Figure 9) ----------------------------------------------------------------


def _freeze(smp, people, grid, period=Q3, on=None):
    services.scores_record(actor=people["alliance-manager"], rows=grid_rows(grid, period))
    quarter = selectors.quarter_by_label(smp.pk, period)
    return services.quarter_freeze(actor=None, quarter=quarter, on=on)


def _found(quarter, level):
    return sorted((f.scenario, f.average) for f in Finding.objects.filter(quarter=quarter, level=level))


@pytest.mark.parametrize(("grid", "scenario"), [
    ([[2, 2], [2, 0]], 1),        # overall 1.5: failure (below 2)
    ([[2, 2], [2, 2]], 2),        # exactly 2: underperformance (docs/domain.md)
    ([[2, 2], [2, 4]], 2),        # 2.5
    ([[6, 6], [6, 4]], 2),        # 5.5: just below 6
    ([[6, 6], [6, 6]], None),     # exactly 6: satisfactory
    ([[6, 6], [6, 8]], None),
])
def test_overall_scenarios_at_each_boundary(smp, people, schemes, grid, scenario):
    quarter = _freeze(smp, people, grid)
    overall = _found(quarter, "overall")
    assert [s for s, _ in overall] == ([scenario] if scenario else [])


def test_scheme_metric_and_component_scenarios(smp, people, schemes):
    """S1 scores 0 and 2 (average 1: scenario 3 for the scheme; S2 averages 7); metric 1 averages (0 + 6) / 2 = 3
    and metric 2 (2 + 8) / 2 = 5 (scenario 4 both); components: 0 (scenario 5), 2 (scenario 6)."""
    quarter = _freeze(smp, people, [[0, 2], [6, 8]])
    assert _found(quarter, "scheme") == [(3, Decimal(1))]
    assert _found(quarter, "metric") == [(4, Decimal(3)), (4, Decimal(5))]
    assert _found(quarter, "component") == [(5, Decimal(0)), (6, Decimal(2))]
    assert _found(quarter, "overall") == [(2, Decimal(4))]


def test_figure_9_dates_for_each_scenario(smp, people, schemes):
    on = dt.date(2026, 10, 5)
    _freeze(smp, people, [[0, 2], [6, 8]], on=on)
    by_scenario = {}
    for p in ImprovementProcess.objects.all():
        by_scenario.setdefault(p.scenario, p)
    s2, s3, s4, s5 = by_scenario[2], by_scenario[3], by_scenario[4], by_scenario[5]
    assert (s2.client_led, s2.intervention_on, s2.termination_right_on, s2.reporting) == (
        True, on, dt.date(2027, 7, 5), "monthly")                  # immediately; 9 months
    assert (s3.client_led, s3.intervention_on, s3.termination_right_on) == (
        False, dt.date(2027, 1, 5), dt.date(2027, 7, 5))           # 3 months; 9 months
    assert (s4.intervention_on, s4.termination_right_on) == (dt.date(2027, 4, 5), dt.date(2027, 10, 5))  # 6; 12
    assert (s5.intervention_on, s5.termination_right_on, s5.reporting) == (None, None, "quarterly")
    plan = Obligation.objects.get(subject_id=s2.pk, kind=ObligationKind.IMPROVEMENT_PLAN)
    assert plan.due_date == dt.date(2026, 10, 19)  # 14 days (para 177)
    assert not Obligation.objects.filter(subject_id=s5.pk, kind=ObligationKind.IMPROVEMENT_PLAN).exists()


def test_scenario_1_dates(smp, people, schemes):
    on = dt.date(2026, 10, 5)
    _freeze(smp, people, [[0, 0], [0, 2]], on=on)
    process = ImprovementProcess.objects.get(scenario=1)
    assert (process.intervention_on, process.termination_right_on) == (on, dt.date(2027, 1, 5))  # immediately; 3


def test_freezing_needs_the_quarter_over_and_freezing_twice_changes_nothing(smp, people, schemes):
    quarter = services.quarter_for(smp, 2026, 4)
    with pytest.raises(ValidationError, match="has not ended"):
        services.quarter_freeze(actor=None, quarter=quarter)
    frozen = _freeze(smp, people, [[2, 2], [2, 2]])
    count = Finding.objects.count()
    services.quarter_freeze(actor=None, quarter=frozen)
    assert Finding.objects.count() == count and frozen.status == QuarterStatus.FROZEN


def test_the_beat_job_freezes_the_last_quarter_once_it_has_scores(smp, people, schemes):
    assert services.quarters_freeze_due() == 0  # no score yet: nothing to freeze
    services.scores_record(actor=people["alliance-manager"], rows=grid_rows([[8]]))
    assert services.quarters_freeze_due() == 1
    assert services.quarters_freeze_due() == 0
    assert selectors.quarter_by_label(smp.pk, Q3).status == QuarterStatus.FROZEN


# --- The sustain rule (para 177) --------------------------------------------------------------------------------


def test_para_177_worked_example_failing_two_months_recovering_under_six_then_failing_again(smp, people, schemes):
    """"if the Alliance had been failing performance for two months, improved for zero to six months but then began
    failing again, they would have one month before the Client retains the right to terminate" (scenario 1: 3)."""
    with time_machine.travel(dt.datetime(2026, 10, 5, 9, tzinfo=dt.UTC), tick=False):
        _freeze(smp, people, [[0, 0], [0, 2]], on=dt.date(2026, 10, 5))
    process = ImprovementProcess.objects.get(scenario=1)
    assert process.termination_right_on == dt.date(2027, 1, 5)
    with time_machine.travel(dt.datetime(2026, 12, 5, 9, tzinfo=dt.UTC), tick=False):  # two months failing
        process = services.process_recover(process=process, on=dt.date(2026, 12, 5))
    assert (process.status, process.months_used) == (ProcessStatus.RECOVERING, 2)
    assert not Obligation.objects.filter(subject_id=process.pk, kind=ObligationKind.INTERVENTION_RIGHT,
                                         status=ObligationStatus.OPEN).exists()
    with time_machine.travel(dt.datetime(2027, 3, 20, 9, tzinfo=dt.UTC), tick=False):  # under six months later
        process = services.process_resume(process=process, on=dt.date(2027, 3, 20))
    assert process.status == ProcessStatus.OPEN
    assert process.termination_right_on == dt.date(2027, 4, 20)  # one month left
    clock = Obligation.objects.get(subject_id=process.pk, kind=ObligationKind.INTERVENTION_RIGHT,
                                   status=ObligationStatus.OPEN)
    assert clock.due_date == dt.date(2027, 4, 20)


def test_a_recovery_sustained_six_months_cannot_resume(smp, people, schemes):
    _freeze(smp, people, [[0, 0], [0, 2]], on=dt.date(2026, 10, 5))
    process = services.process_recover(process=ImprovementProcess.objects.get(scenario=1), on=dt.date(2026, 11, 5))
    with pytest.raises(ValidationError, match="six months"):
        services.process_resume(process=process, on=dt.date(2027, 5, 5))


def test_a_later_quarter_recovers_then_closes_processes(smp, people, schemes):
    """Q3 fails overall (scenario 1); Q4 satisfactory: recovering; Q2 2027 (over six months later): closed."""
    _freeze(smp, people, [[0, 0], [0, 2]], on=dt.date(2026, 10, 5))
    with time_machine.travel(dt.datetime(2027, 1, 10, 9, tzinfo=dt.UTC), tick=True):
        _freeze(smp, people, [[8, 8], [8, 8]], period="2026-Q4", on=dt.date(2027, 1, 10))
    process = ImprovementProcess.objects.get(scenario=1)
    assert process.status == ProcessStatus.RECOVERING and process.months_used == 3
    with time_machine.travel(dt.datetime(2027, 7, 15, 9, tzinfo=dt.UTC), tick=True):
        _freeze(smp, people, [[8, 8], [8, 8]], period="2027-Q2", on=dt.date(2027, 7, 15))
    process.refresh_from_db()
    assert process.status == ProcessStatus.CLOSED


# --- The client's acceptance (para 160) ----------------------------------------------------------------------


def test_the_client_accepts_or_returns_a_frozen_quarter(smp, people, schemes):
    quarter = services.quarter_for(smp, 2026, 3)
    with pytest.raises(ValidationError, match="not frozen"):
        services.quarter_client_decide(actor=people["client-reviewer"], quarter=quarter, accept=True)
    quarter = _freeze(smp, people, [[8]])
    with pytest.raises(PermissionDenied):
        services.quarter_client_decide(actor=people["alliance-manager"], quarter=quarter, accept=True)
    with pytest.raises(ValidationError, match="returned"):
        services.quarter_client_decide(actor=people["client-reviewer"], quarter=quarter, accept=False)
    quarter = services.quarter_client_decide(actor=people["client-reviewer"], quarter=quarter, accept=True)
    assert quarter.status == QuarterStatus.ACCEPTED


# --- The API contract (issue 6) -------------------------------------------------------------------------------


def test_api_metrics_scores_and_scorecard(smp, people, schemes, client_for):
    from django.urls import reverse

    am = client_for(people["alliance-manager"])
    metrics = am.get(reverse("api-performance-metrics")).json()
    assert len(metrics) == 20 and metrics[0]["code"] == "afr"
    assert set(metrics[0]) >= {"code", "title", "indicator", "outcome", "imperative", "informs_intervention",
                               "direction"}
    codes = [m["code"] for m in metrics]
    grid = {("S1", codes[0]): 10, ("S1", codes[1]): 6, ("S2", codes[0]): 4, ("S2", codes[1]): 8}
    response = am.post(reverse("api-performance-scores"), [
        {"scheme": k[0], "metric": k[1], "period": Q3, "score": v} for k, v in grid.items()],
        content_type="application/json")
    assert response.status_code == 201
    card = am.get(reverse("api-performance-scorecard"), {"period": Q3}).json()
    assert card["overall"] == 7.0 and card["period"] == Q3
    assert {s["scheme"]: s["average"] for s in card["schemes"]} == {"S1": 8.0, "S2": 6.0}
    component = [f for f in card["findings"] if f["level"] == "component"]
    assert len(component) == 1 and component[0]["tier"] == "underperformance" and component[0]["scenario"] == 6
    assert {"scheme": "S2", "metric": codes[0], "score": 4.0} in card["cells"]
    bad = am.post(reverse("api-performance-scores"), [{"scheme": "S1", "metric": codes[0], "period": Q3,
                                                       "score": 7}], content_type="application/json")
    assert bad.status_code == 400 and "Line 1, column score" in str(bad.json())
    year = am.get(reverse("api-performance-scorecard"), {"year": 2026}).json()
    assert year["overall"] == 7.0
    assert client_for(people["wsp-staff"]).get(reverse("api-performance-scorecard"), {"period": Q3}).status_code == 200
    assert am.get(reverse("api-performance-scorecard"), {"period": "2026 Q3"}).status_code == 400


def test_freezing_tells_the_board_and_the_client(smp, people, schemes):
    from alliance.models import Notification

    _freeze(smp, people, [[8, 8], [8, 4]])
    told = set(Notification.objects.filter(title__startswith="The scorecard for 2026-Q3").values_list(
        "recipient__username", flat=True))
    assert {"sro", "client-reviewer", "alliance-manager", "wsp-rep"} <= told and "wsp-staff" not in told


def test_an_accepted_scorecard_is_final_a_returned_one_can_be_accepted(smp, people, schemes):
    quarter = _freeze(smp, people, [[8]])
    quarter = services.quarter_client_decide(actor=people["client-reviewer"], quarter=quarter, accept=False,
                                             comment="Evidence missing for AFR")
    quarter = services.quarter_client_decide(actor=people["sro"], quarter=quarter, accept=True)
    with pytest.raises(ValidationError, match="already accepted"):
        services.quarter_client_decide(actor=people["client-reviewer"], quarter=quarter, accept=False, comment="x")
    quarter.refresh_from_db()
    assert quarter.status == QuarterStatus.ACCEPTED
