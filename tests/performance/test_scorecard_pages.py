"""Pages of the balanced scorecard: the grid of Figure 8 for a quarter or a year, exports, trends, entering and
uploading scores, freezing, the client's acceptance (paras 151-160) and the metric catalogue (Table 6)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from alliance import services as alliance_services
from alliance.models import Person, Region, Role
from allocation.models import Package, Scheme, SchemeAllocation
from performance.models import Metric, Quarter, QuarterStatus, Score
from performance.selectors import scorecard as selectors
from performance.services import scorecard as services
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

Q3 = "2026-Q3"  # July to September 2026: over by 23 Nov 2026, the tests' today


@pytest.fixture
def people(smp):
    services.metrics_seed(smp)
    return {p.username: p for p in Person.objects.select_related("organisation")}


@pytest.fixture
def schemes(smp, people):
    """S1..S9: Fluor (Lot 1), Jacobs (Lot 2), Costain (Lot 3) are their Responsible Partners; S10 is WSP's."""
    package = Package.objects.create(alliance=smp, code="RIS1", name="r1", notified_on=dt.date(2026, 1, 5),
                                     created_by=people["sro"])
    region = Region.objects.get(alliance=smp, slug="north-west")
    made = []
    for i in range(1, 11):
        scheme = Scheme.objects.create(alliance=smp, package=package, code=f"S{i}", name=f"Scheme {i}",
                                       scheme_type="smart_motorway", region=region, pcf_stage=5, design_value=1,
                                       construction_value=1, alliance_budget=2, status="awarded",
                                       awarded_on=dt.date(2026, 2, 1))
        partners = (("fluor", "jacobs", "costain") if i < 10 else ("fluor", "wsp", "balfour-beatty"))
        for lot, slug in enumerate(partners, start=1):
            partner = people[f"{slug}-rep"].organisation
            SchemeAllocation.objects.create(scheme=scheme, lot=lot, initial_partner=partner, current_partner=partner)
        made.append(scheme)
    return made


@pytest.fixture
def outsider():
    person = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory(), kind="client"))
    alliance_services.role_assign(person=person, role=Role.ALLIANCE_MANAGER)
    return person


def codes() -> list[str]:
    return list(Metric.objects.order_by("order").values_list("code", flat=True))


def record(people, rows, period=Q3, who="alliance-manager", **kwargs):
    return services.scores_record(actor=people[who], rows=[
        {"scheme": s, "metric": m, "period": period, "score": v} for s, m, v in rows], **kwargs)


@pytest.fixture
def scored(people, schemes):
    """Q3: S1 scores 0 (failure), 4 (under), 8 (ok) on the first three metrics; S2 scores 6 on the first; the rest
    is missing."""
    afr, ksi, delay = codes()[:3]
    record(people, [("S1", afr, 0), ("S1", ksi, 4), ("S1", delay, 8), ("S2", afr, 6)])
    return Quarter.objects.get(year=2026, number=3)


def url(name, **query):
    from django.utils.http import urlencode

    return reverse(name) + (f"?{urlencode(query)}" if query else "")


# --- Who sees what ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["sro", "alliance-manager", "client-reviewer", "wsp-staff", "jacobs-rep",
                                      "admin"])
def test_everyone_in_the_alliance_reads_the_scorecard_its_exports_trends_and_catalogue(scored, people, client_for,
                                                                                      username):
    c = client_for(people[username])
    for address in [url("scorecard"), url("scorecard", period=Q3), url("scorecard", year=2026),
                    url("scorecard-csv", period=Q3), url("scorecard-xlsx", year=2026), url("scorecard-trend"),
                    url("metrics")]:
        assert c.get(address).status_code == 200, address


def test_another_alliances_quarter_is_not_found(scored, outsider, client_for):
    c = client_for(outsider)
    for address in [url("scorecard", period=Q3), url("scorecard-csv", period=Q3), url("scorecard-xlsx", period=Q3),
                    url("scorecard", year=2026)]:
        assert c.get(address).status_code == 404, address
    assert c.post(reverse("scorecard-freeze", args=[Q3])).status_code == 404
    assert c.post(reverse("scorecard-decide", args=[Q3]), {"accept": "yes"}).status_code == 404
    # Their own (empty) scorecard is theirs to see: nothing of ours shows.
    response = c.get(url("scorecard"))
    assert response.status_code == 200 and response.context["card"] is None


def test_someone_outside_every_alliance_is_refused(scored, client_for):
    loner = PersonFactory(organisation=None)
    for address in [url("scorecard"), url("metrics"), url("scores-enter")]:
        assert client_for(loner).get(address).status_code == 403, address


def test_a_client_reviewer_cannot_enter_or_upload_scores(scored, people, client_for):
    c = client_for(people["client-reviewer"])
    assert c.get(url("scores-enter")).status_code == 403
    assert c.get(url("scores-upload")).status_code == 403
    s1, afr = Scheme.objects.get(code="S1"), Metric.objects.get(code=codes()[0])
    response = c.post(url("scores-enter", period=Q3), {f"s{s1.pk}_m{afr.pk}_score": "10", "period": Q3})
    assert response.status_code == 403
    upload = SimpleUploadedFile("s.csv", f"scheme,metric,period,score\nS3,{afr.code},{Q3},8\n".encode())
    assert c.post(url("scores-upload"), {"file": upload}).status_code == 403
    assert Score.objects.get(scheme=s1, metric=afr).score == 0 and not Score.objects.filter(scheme__code="S3").exists()


@pytest.mark.parametrize("username", ["wsp-staff", "alliance-manager", "admin"])
def test_only_the_client_reviewer_or_sro_decides(scored, people, client_for, username):
    services.quarter_freeze(actor=people["alliance-manager"], quarter=scored)
    assert client_for(people[username]).post(reverse("scorecard-decide", args=[Q3]),
                                             {"accept": "yes"}).status_code == 403
    assert Quarter.objects.get(pk=scored.pk).status == QuarterStatus.FROZEN


@pytest.mark.parametrize("username", ["wsp-staff", "client-reviewer", "sro"])
def test_only_the_alliance_manager_freezes(scored, people, client_for, username):
    assert client_for(people[username]).post(reverse("scorecard-freeze", args=[Q3])).status_code == 403
    assert Quarter.objects.get(pk=scored.pk).status == QuarterStatus.OPEN


# --- The grid (Figure 8, para 154) -----------------------------------------------------------------------------


def test_the_grid_colours_each_cell_by_tier_in_words_too_and_shows_missing_never_zero(scored, people, client_for):
    response = client_for(people["wsp-staff"]).get(url("scorecard", period=Q3))
    page = response.content.decode()
    rows = {r["scheme"].code: r for r in response.context["rows"]}
    assert list(rows) == ["S1", "S2"]  # the schemes scored in the quarter, in code order
    assert [c["css"] for c in rows["S1"]["cells"][:4]] == ["failure", "under", "ok", "missing"]
    assert [c["word"] for c in rows["S1"]["cells"][:4]] == ["failure", "under", "satisfactory", "missing"]
    assert "app-scorecard__cell--failure" in page and "app-scorecard__cell--under" in page
    assert "app-scorecard__cell--ok" in page and "app-scorecard__cell--missing" in page
    assert ">missing<" in page
    # Means over the scores present (docs/domain.md section 5): S1 (0+4+8)/3 = 4, metric 1 (0+6)/2 = 3, overall 18/4.
    assert rows["S1"]["average"]["value"] == 4 and rows["S1"]["average"]["css"] == "under"
    assert response.context["metric_averages"][0]["value"] == 3
    assert response.context["metric_averages"][3]["css"] == "missing"
    assert response.context["overall"]["value"] == 4.5
    assert "Overall Alliance average" in page and "4.50 (under)" in page


def test_the_default_scorecard_is_the_latest_frozen_quarter(scored, people, client_for):
    afr = codes()[0]
    record(people, [("S1", afr, 10)], period="2026-Q4")
    c = client_for(people["sro"])
    assert c.get(url("scorecard")).context["quarter"].label == "2026-Q4"  # nothing frozen: the current quarter
    services.quarter_freeze(actor=people["alliance-manager"], quarter=scored)
    assert c.get(url("scorecard")).context["quarter"].label == Q3


def test_the_grid_pages_by_schemes_but_averages_all_of_them(scored, people, client_for, monkeypatch):
    from performance.views import scorecard as views

    monkeypatch.setattr(views, "GRID_PAGE_SIZE", 1)
    response = client_for(people["sro"]).get(url("scorecard", period=Q3, page=2))
    assert [r["scheme"].code for r in response.context["rows"]] == ["S2"]
    assert response.context["overall"]["value"] == 4.5
    assert response.context["metric_averages"][0]["value"] == 3


def test_a_year_is_the_mean_of_its_quarters_para_153(people, schemes, client_for):
    afr, ksi = codes()[:2]
    record(people, [("S1", afr, 2)], period="2026-Q1")
    record(people, [("S1", afr, 6), ("S1", ksi, 10)], period="2026-Q2")
    response = client_for(people["client-reviewer"]).get(url("scorecard", year=2026))
    assert response.status_code == 200 and response.context["kind"] == "year"
    assert response.context["overall"]["value"] == 5  # (2 + 8) / 2, not the mean of the three scores (6)
    assert [r["overall"]["value"] for r in response.context["quarter_rows"]] == [2, 8]
    assert response.context["rows"][0]["cells"][0]["value"] == 4  # S1, AFR: (2 + 6) / 2
    assert "Scorecard 2026" in response.content.decode()


def test_an_unknown_or_malformed_period_is_not_found(scored, people, client_for):
    c = client_for(people["sro"])
    assert c.get(url("scorecard", period="2019-Q1")).status_code == 404
    assert c.get(url("scorecard", period="Q3-2026")).status_code == 404
    assert c.get(url("scorecard", year=2019)).status_code == 404


# --- Exports ------------------------------------------------------------------------------------------------------


def test_the_csv_export_is_the_grid_with_missing_cells_empty(scored, people, client_for):
    response = client_for(people["jacobs-staff"]).get(url("scorecard-csv", period=Q3))
    assert response["Content-Type"].startswith("text/csv")
    assert f'filename="scorecard-{Q3}.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["scheme", "name", *codes()[:3]] and rows[0][-1] == "average"
    assert rows[1][:6] == ["S1", "Scheme 1", "0.0", "4.0", "8.0", ""]
    assert rows[1][-1] == "4.0"
    assert rows[-1][0] == "average" and rows[-1][2] == "3.0" and rows[-1][-1] == "4.5"


def test_the_xlsx_export_opens_in_a_spreadsheet(scored, people, client_for):
    response = client_for(people["sro"]).get(url("scorecard-xlsx", period=Q3))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][:3] == ["scheme", "name", codes()[0]]
    assert values[1][:6] == ["S1", "Scheme 1", 0, 4, 8, None]  # missing stays empty, never 0
    assert values[-1][0] == "average" and values[-1][-1] == 4.5


# --- Trend and catalogue ------------------------------------------------------------------------------------------


def test_the_trend_draws_each_quarter_as_svg_with_a_table(scored, people, client_for):
    afr = codes()[0]
    record(people, [("S1", afr, 10), ("S2", afr, 10)], period="2026-Q4")
    c = client_for(people["wsp-staff"])
    overall = c.get(url("scorecard-trend"))
    assert [p["label"] for p in overall.context["points"]] == [Q3, "2026-Q4"]
    assert [p["value"] for p in overall.context["points"]] == [4.5, 10]
    page = overall.content.decode()
    assert "<svg" in page and "<polyline" in page and 'data-testid="values"' in page and "style=" not in page
    by_metric = c.get(url("scorecard-trend", metric=afr))
    assert [p["value"] for p in by_metric.context["points"]] == [3, 10]
    by_scheme = c.get(url("scorecard-trend", scheme="S1"))
    assert [p["value"] for p in by_scheme.context["points"]] == [4, 10]
    component = c.get(url("scorecard-trend", scheme="S1", metric=afr))
    assert [p["value"] for p in component.context["points"]] == [0, 10]
    assert component.context["points"][0]["word"] == "failure"


def test_the_metric_catalogue_lists_table_6_with_its_bands(people, client_for):
    response = client_for(people["admin"]).get(url("metrics"))
    page = response.content.decode()
    assert len(response.context["metrics"]) == 20
    assert "Accident Frequency Rate (AFR)" in page and "Informs client intervention" in page
    assert "Supports evolving behaviours" in page and "Lower is better" in page and "Higher is better" in page
    assert "Health and safety" in page


# --- Entering scores ----------------------------------------------------------------------------------------------


def field(scheme_code: str, metric_code: str, part: str = "score") -> str:
    scheme, metric = Scheme.objects.get(code=scheme_code), Metric.objects.get(code=metric_code)
    return f"s{scheme.pk}_m{metric.pk}_{part}"


def test_the_grid_offers_the_manager_every_scheme_and_a_partner_its_own(people, schemes, client_for):
    manager = client_for(people["alliance-manager"]).get(url("scores-enter", period=Q3))
    assert manager.status_code == 200
    assert [r["scheme"].code for r in manager.context["grid"]] == sorted(f"S{i}" for i in range(1, 11))
    assert len(manager.context["grid"][0]["cells"]) == 20
    jacobs = client_for(people["jacobs-staff"]).get(url("scores-enter", period=Q3))
    assert len(jacobs.context["grid"]) == 9 and "S10" not in [r["scheme"].code for r in jacobs.context["grid"]]
    wsp = client_for(people["wsp-delegate"]).get(url("scores-enter", period=Q3))
    assert [r["scheme"].code for r in wsp.context["grid"]] == ["S10"]


def test_the_grid_records_scores_raw_values_and_evidence(people, schemes, client_for):
    afr, ksi = codes()[:2]
    response = client_for(people["jacobs-staff"]).post(url("scores-enter", period=Q3), {
        "period": Q3, field("S1", afr): "8", field("S1", afr, "evidence"): "RIDDOR log Q3",
        field("S2", ksi, "raw"): "2",  # scored by the bands: 2 KSIs -> 6
    })
    assert response.status_code == 302
    s1 = Score.objects.get(scheme__code="S1", metric__code=afr)
    assert (s1.score, s1.evidence, s1.derived) == (8, "RIDDOR log Q3", False)
    s2 = Score.objects.get(scheme__code="S2", metric__code=ksi)
    assert (s2.score, s2.raw_value, s2.derived) == (6, 2, True)
    assert Score.objects.count() == 2
    # Posting the same grid again records nothing new: only changed cells become rows.
    again = client_for(people["jacobs-staff"]).post(url("scores-enter", period=Q3), {
        "period": Q3, field("S1", afr): "8", field("S1", afr, "evidence"): "RIDDOR log Q3",
        field("S2", ksi, "raw"): "2", field("S2", ksi): "6"})
    assert again.status_code == 400 and "No score changed" in again.content.decode()


def test_a_refused_cell_is_named_and_nothing_is_saved(people, schemes, client_for):
    afr, ksi = codes()[:2]
    response = client_for(people["alliance-manager"]).post(url("scores-enter", period="2027-Q1"), {
        "period": "2027-Q1", field("S1", afr): "8", field("S2", ksi): "6"})  # a quarter not yet started
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors[field("S1", afr)] == [f"S1, {Metric.objects.get(code=afr).title}: 2027-Q1 has not started."]
    assert errors[field("S2", ksi)]
    assert not Score.objects.exists()


def test_a_partner_cannot_score_a_scheme_the_page_does_not_offer_it(people, schemes, client_for):
    afr = codes()[0]
    response = client_for(people["wsp-staff"]).post(url("scores-enter", period=Q3), {
        "period": Q3, field("S10", afr): "8", field("S1", afr): "6"})  # S1 is not WSP's: not on its grid
    assert response.status_code == 302
    assert list(Score.objects.values_list("scheme__code", "score")) == [("S10", 8)]


def test_a_correction_of_a_frozen_quarter_needs_its_reason_and_shows_as_a_correction(scored, people, client_for):
    services.quarter_freeze(actor=people["alliance-manager"], quarter=scored)
    afr = codes()[0]
    c = client_for(people["alliance-manager"])
    page = c.get(url("scores-enter", period=Q3))
    assert 'data-testid="frozen"' in page.content.decode() and "correction_reason" in page.context["form"].fields
    refused = c.post(url("scores-enter", period=Q3), {"period": Q3, field("S1", afr): "2", "correction_reason": ""})
    assert refused.status_code == 400
    assert services.ERR_SCORE_FROZEN.format(period=Q3) in refused.content.decode()
    assert Score.objects.get(scheme__code="S1", metric__code=afr).score == 0
    done = c.post(url("scores-enter", period=Q3), {"period": Q3, field("S1", afr): "2",
                                                  "correction_reason": "AFR re-based on audited hours"})
    assert done.status_code == 302
    corrected = Score.objects.get(scheme__code="S1", metric__code=afr)
    assert corrected.score == 2 and corrected.correction_reason == "AFR re-based on audited hours"
    card = client_for(people["sro"]).get(url("scorecard", period=Q3))
    assert card.context["rows"][0]["cells"][0]["corrected"] is True
    page = card.content.decode()
    assert 'data-corrected="true"' in page and "Corrections after freezing" in page
    assert "AFR re-based on audited hours" in page


def test_the_upload_page_reports_each_refused_line_and_saves_nothing(people, schemes, client_for):
    afr, ksi = codes()[:2]
    text = (f"scheme,metric,period,score\nS1,{afr},{Q3},8\nS1,{ksi},{Q3},5\nS99,{afr},{Q3},4\n"
            f"S2,{afr},2026-Q5,4\nS1,{afr},{Q3},6\n")
    response = client_for(people["alliance-manager"]).post(url("scores-upload"), {
        "file": SimpleUploadedFile("scores.csv", text.encode(), content_type="text/csv")})
    assert response.status_code == 400
    refused = response.context["refused"]
    assert any(r.startswith("Line 3, column score") for r in refused)
    assert any(r.startswith("Line 4, column scheme") for r in refused)
    assert any(r.startswith("Line 5, column period") for r in refused)
    assert any(r.startswith("Line 6, column row") for r in refused)  # the duplicate of line 2
    assert "Line 3, column score" in response.content.decode() and "nothing of the file is saved" in \
        response.content.decode()
    assert not Score.objects.exists()


def test_a_good_upload_records_every_line(people, schemes, client_for):
    afr, ksi = codes()[:2]
    text = f"scheme,metric,period,score,raw_value\nS1,{afr},{Q3},8,\nS1,{ksi},{Q3},,0\n"
    response = client_for(people["jacobs-rep"]).post(url("scores-upload"), {
        "file": SimpleUploadedFile("scores.csv", text.encode(), content_type="text/csv")})
    assert response.status_code == 302
    assert sorted(Score.objects.values_list("score", flat=True)) == [8, 10]


# --- Freezing and the client's decision (paras 159-160) ---------------------------------------------------------


def test_the_manager_freezes_an_ended_quarter_from_the_scorecard(scored, people, client_for):
    c = client_for(people["alliance-manager"])
    assert 'data-testid="freeze"' in c.get(url("scorecard", period=Q3)).content.decode()
    response = c.post(reverse("scorecard-freeze", args=[Q3]))
    assert response.status_code == 302
    quarter = Quarter.objects.get(pk=scored.pk)
    assert quarter.status == QuarterStatus.FROZEN
    page = c.get(url("scorecard", period=Q3))
    assert 'data-testid="freeze"' not in page.content.decode()
    assert [f.scenario for f in page.context["findings"]][:1] == [2]  # overall 4.5: underperformance
    assert 'data-testid="findings"' in page.content.decode()


def test_the_scorecard_links_the_improvement_pages_and_each_finding_its_process(scored, people, client_for):
    services.quarter_freeze(actor=people["alliance-manager"], quarter=scored)
    c = client_for(people["wsp-staff"])
    page = c.get(url("scorecard", period=Q3)).content.decode()
    for name in ["processes", "plans", "incidents", "efficiencies", "metrics", "framework-changes"]:
        assert f'href="{reverse(name)}"' in page, name
    findings = list(selectors.quarter_findings(scored))
    assert findings and all(f.process_id for f in findings)
    for finding in findings:
        assert f'href="{reverse("process", args=[finding.process_id])}"' in page


def test_a_quarter_not_yet_over_cannot_be_frozen(people, schemes, client_for):
    record(people, [("S1", codes()[0], 8)], period="2026-Q4")
    c = client_for(people["alliance-manager"])
    assert 'data-testid="freeze"' not in c.get(url("scorecard", period="2026-Q4")).content.decode()
    c.post(reverse("scorecard-freeze", args=["2026-Q4"]))
    assert Quarter.objects.get(year=2026, number=4).status == QuarterStatus.OPEN


@pytest.mark.parametrize("username", ["client-reviewer", "sro"])
def test_the_client_accepts_or_returns_the_scorecard_with_comments(scored, people, client_for, username):
    services.quarter_freeze(actor=people["alliance-manager"], quarter=scored)
    c = client_for(people[username])
    assert c.get(url("scorecard", period=Q3)).context["decision_form"] is not None
    refused = c.post(reverse("scorecard-decide", args=[Q3]), {"accept": "no", "comment": ""})
    assert refused.status_code == 400 and "Say why the scorecard is returned." in refused.content.decode()
    returned = c.post(reverse("scorecard-decide", args=[Q3]), {"accept": "no", "comment": "S1 AFR needs evidence"})
    assert returned.status_code == 302
    quarter = Quarter.objects.get(pk=scored.pk)
    assert (quarter.status, quarter.client_comment) == (QuarterStatus.RETURNED, "S1 AFR needs evidence")
    assert "S1 AFR needs evidence" in c.get(url("scorecard", period=Q3)).content.decode()
    c.post(reverse("scorecard-decide", args=[Q3]), {"accept": "yes"})
    assert Quarter.objects.get(pk=scored.pk).status == QuarterStatus.ACCEPTED


def test_an_open_quarter_is_not_offered_for_acceptance(scored, people, client_for):
    c = client_for(people["client-reviewer"])
    assert c.get(url("scorecard", period=Q3)).context["decision_form"] is None
    response = c.post(reverse("scorecard-decide", args=[Q3]), {"accept": "yes"})
    assert response.status_code == 400
    assert services.ERR_QUARTER_NOT_FROZEN.format(period=Q3) in response.content.decode()
    assert selectors.quarter_by_label(scored.alliance_id, Q3).status == QuarterStatus.OPEN
