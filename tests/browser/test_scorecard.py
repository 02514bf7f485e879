"""The balanced scorecard in Chromium: the Alliance Manager reads the grid of the latest frozen quarter (tiers in
colour and in words, averages), follows a finding to its improvement process and drafts and submits a plan
(para 177); the client's reviewer accepts the quarter with a comment (para 160); a partner's staff, who can
only choose 0, 2, 4, 6, 8 or 10 on the entry grid, uploads a CSV file with a 7: the line is refused and nothing
is saved (para 151), then a good file is recorded. axe on each page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from alliance.dates import local_today
from performance import periods
from performance.models import ImprovementPlan, PlanStatus, Quarter, QuarterStatus, Score
from tests.browser.test_board import h1, menu, sign_in, sign_out

pytestmark = [pytest.mark.django_db(transaction=True)]

# performance/demo.py: four frozen quarters of scores, the quarter before the current one left open and empty;
# the third RIS1 scheme (M25-J10-16) slips into underperformance in the latest frozen quarter (scenario 4).
OPEN = periods.label(*periods.previous(*periods.containing(local_today())))
FROZEN = periods.label(*periods.previous(*periods.parse(OPEN)))
SLIPPING = "M25-J10-16"
# Costain (Lot 3 North) is a Responsible Partner on these two RIS1 schemes (allocation's SchemeAllocation); the
# entry grid also offers its live schemes of other packages, never another partner's.
COSTAIN_SCHEMES = ["M6-J21A-26", "M62-J10-12"]
HEADER = "scheme,metric,period,score,evidence\n"
BAD = HEADER + f"M6-J21A-26,afr,{OPEN},8,Returns\nM6-J21A-26,ksi,{OPEN},7,Returns\n"
GOOD = HEADER + f"M6-J21A-26,afr,{OPEN},8,Returns\nM62-J10-12,ksi,{OPEN},6,Returns\n"


def test_the_scorecard_from_grid_to_plan_acceptance_and_upload(page: Page, seeded, axe, shot, browser_watch,
                                                               tmp_path):
    # The Alliance Manager: the latest frozen quarter's grid, its tiers and averages.
    sign_in(page, "alliance-manager")
    menu(page).get_by_role("link", name="Scorecard").click()
    expect(h1(page)).to_have_text(f"Scorecard {FROZEN}")
    grid = page.get_by_test_id("grid")
    expect(grid.get_by_test_id("scheme-row")).to_have_count(6)
    slipping = grid.get_by_test_id("scheme-row").filter(has=page.get_by_role("rowheader", name=SLIPPING))
    average = slipping.locator("td").last
    expect(average).to_have_attribute("data-tier", "under")
    expect(average).to_have_class(re.compile(r"app-scorecard__cell--under"))
    expect(average).to_contain_text("under")  # the tier in words too, never colour alone
    expect(grid.get_by_test_id("metric-averages").locator("td")).to_have_count(21)  # 20 metrics and the overall
    expect(page.get_by_test_id("overall")).to_contain_text("Overall Alliance average:")
    links = page.get_by_test_id("improvement-links")
    for name in ["Improvement processes", "Improvement plans", "Incidents", "Efficiency register",
                 "Metric catalogue (Table 6)", "Threshold changes"]:
        expect(links.get_by_role("link", name=name, exact=True)).to_be_visible()
    shot(page, "scorecard")
    axe.check_url(page, "scorecard")

    # A finding leads to its improvement process; the manager drafts a plan with one aim and one action.
    page.get_by_test_id("findings").get_by_role("link", name=re.compile(r"^Scenario 4 process")).click()
    expect(h1(page)).to_have_text("Scenario 4 improvement process")
    page.get_by_role("link", name="Start a plan").click()
    expect(h1(page)).to_have_text("Start an improvement plan")
    page.get_by_label("Title of the plan").fill("Recover M25 J10-16")
    page.get_by_role("button", name="Start the plan").click()
    expect(h1(page)).to_have_text("Aims and actions")
    page.get_by_label("Improvement aim", exact=True).fill("Bring every component back to 6 or more")
    page.get_by_label("Finding", exact=True).fill("Seven components scored below 6 in " + FROZEN)
    page.get_by_role("button", name="Add the aim").click()
    expect(page.get_by_text("The plan is updated.")).to_be_visible()
    page.get_by_label("Action", exact=True).fill("Weekly safety stand-downs with the supply chain")
    page.get_by_label("Lead", exact=True).fill("Costain's project director")
    page.get_by_label("Due", exact=True).fill(local_today().replace(day=1).isoformat())
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_text("The plan is updated.")).to_be_visible()
    shot(page, "plan-edit")
    axe.check_url(page, "plan edit")
    page.get_by_role("link", name="Recover M25 J10-16").click()  # the back link
    expect(h1(page)).to_have_text("Recover M25 J10-16")
    page.get_by_role("button", name="Submit the plan").click()
    expect(page.get_by_text("The plan is submitted for the client's review")).to_be_visible()
    expect(page.get_by_test_id("status")).to_contain_text("Submitted")
    plan = ImprovementPlan.objects.get(title="Recover M25 J10-16")
    assert plan.status == PlanStatus.SUBMITTED and plan.process.scheme.code == SLIPPING
    shot(page, "plan-submitted")
    axe.check_url(page, "plan submitted")
    sign_out(page)

    # The client's reviewer accepts the latest frozen quarter with a comment (para 160).
    sign_in(page, "client-reviewer")
    menu(page).get_by_role("link", name="Scorecard").click()
    expect(h1(page)).to_have_text(f"Scorecard {FROZEN}")
    page.get_by_label("Comments (required to return the scorecard)").fill("Accepted; M25 plan noted.")
    page.get_by_role("button", name="Accept", exact=True).click()
    expect(page.get_by_text(f"The {FROZEN} scorecard is accepted by the client.")).to_be_visible()
    expect(page.get_by_test_id("status")).to_contain_text("“Accepted; M25 plan noted.”")
    assert Quarter.objects.get(year=periods.parse(FROZEN)[0], number=periods.parse(FROZEN)[1]).status == (
        QuarterStatus.ACCEPTED)
    shot(page, "accepted")
    axe.check_url(page, "scorecard accepted")
    sign_out(page)

    # Costain's staff: the entry grid of the open quarter offers only the scores of para 151, on its own schemes.
    sign_in(page, "costain-staff")
    menu(page).get_by_role("link", name="Scorecard").click()
    page.get_by_role("link", name="Enter scores").click()
    expect(h1(page)).to_have_text(f"Enter scores for {FROZEN}")
    expect(page.get_by_test_id("frozen")).to_be_visible()  # a change there would be a correction
    page.get_by_label("Quarter", exact=True).fill(OPEN)
    page.get_by_role("button", name="Show").click()
    expect(h1(page)).to_have_text(f"Enter scores for {OPEN}")
    expect(page.get_by_test_id("frozen")).to_have_count(0)
    rows = page.get_by_test_id("entry-row")
    expect(rows.first).to_be_visible()
    offered = rows.get_by_role("rowheader").all_inner_texts()
    assert set(COSTAIN_SCHEMES) <= set(offered) and SLIPPING not in offered, offered  # only Costain's schemes
    choices = rows.first.locator("select").first.locator("option")
    expect(choices).to_have_text(["–", "0", "2", "4", "6", "8", "10"])
    axe.check_url(page, "entry grid")
    page.get_by_role("link", name="Scorecard", exact=True).first.click()  # the back link: no scorecard yet for OPEN
    expect(h1(page)).to_have_text(f"Scorecard {FROZEN}")

    # So a 7 comes in a CSV file: its line is refused and nothing of the file is saved.
    page.get_by_role("link", name="Upload a CSV file").click()
    expect(h1(page)).to_have_text("Upload scores")
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD)
    page.get_by_label("CSV file").set_input_files(str(bad))
    browser_watch.expect_status(400, "/performance/scores/upload/")
    page.get_by_role("button", name="Upload").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("1 line refused: nothing of the file is saved.")
    expect(page.get_by_test_id("refused")).to_have_text("Line 3, column score: '7' is not 0, 2, 4, 6, 8 or 10 (para 151).")
    assert not Score.objects.filter(quarter__year=periods.parse(OPEN)[0], quarter__number=periods.parse(OPEN)[1]).exists()
    shot(page, "upload-refused")
    # axe on the page in its error state (the error summary and the refused lines), posted again in axe's context.
    refused = axe.page_like(page)
    try:
        refused.goto(page.url)
        refused.get_by_label("CSV file").set_input_files(str(bad))
        refused.get_by_role("button", name="Upload").click()
        expect(refused.get_by_test_id("refused")).to_be_visible()
        axe.check(refused, "upload refused")
    finally:
        refused.context.close()

    good = tmp_path / "good.csv"
    good.write_text(GOOD)
    page.get_by_label("CSV file").set_input_files(str(good))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("2 scores recorded from the file.")).to_be_visible()
    recorded = Score.objects.filter(quarter__year=periods.parse(OPEN)[0], quarter__number=periods.parse(OPEN)[1])
    assert sorted((s.scheme.code, s.metric.code, s.score) for s in recorded) == [
        ("M6-J21A-26", "afr", 8), ("M62-J10-12", "ksi", 6)]
    page.get_by_role("link", name=OPEN, exact=True).click()
    expect(h1(page)).to_have_text(f"Scorecard {OPEN}")
    expect(page.get_by_test_id("grid").get_by_test_id("scheme-row")).to_have_count(2)
    shot(page, "open-quarter")
    axe.check_url(page, "open quarter")
