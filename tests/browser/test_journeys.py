"""The four user journeys of issue 10, end to end in Debian's Chromium, each from the person's home page:

(a) seven board members vote on a decision and see its outcome;
(b) the Alliance Manager takes a client instruction from issue to instruction, with the Board's decision between;
(c) a partner nominates a key person with a CV and submits its Supply Chain Management Plan;
(d) the client reviewer opens the quarter's scorecard, drills into a failing scheme and accepts the scorecard.

Each saves screenshots of its main pages under var/screenshots/browser/<test name>/ (the ``shot`` fixture), and the
``browser_watch`` fixture fails it on any console error, failed request or unexpected error status.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from alliance.dates import local_today
from alliance.models import Person
from governance.models import ClientInstruction, Vote
from governance.models.board import DecisionStatus, Outcome
from governance.models.instructions import InstructionStage
from governance.services import board as governance
from people.models import Nomination, NominationStatus
from performance import periods
from performance.models import Quarter, QuarterStatus
from supplychain.models import ManagementPlan, PlanStatus
from tests.browser.test_board import h1, menu, sign_in, sign_out, table_decision, vote_with_htmx
from tests.pdf_samples import minimal_pdf

pytestmark = [pytest.mark.django_db(transaction=True)]

VOTERS = ["sro", "fluor-rep", "jacobs-rep", "wsp-rep", "costain-rep", "bam-msjv-rep", "balfour-beatty-rep"]


def person(username: str) -> Person:
    return Person.objects.select_related("organisation").get(username=username)


def path_of(page: Page) -> str:
    return re.sub(r"^https?://[^/]+", "", page.url)


# --- (a) Seven board members vote and see the outcome ---------------------------------------------------------


def test_journey_a_seven_board_members_vote_from_their_home_page_and_see_the_outcome(page: Page, seeded, shot):
    title = "Appoint the Alliance Digital Delivery Lead"
    decision = table_decision(person("alliance-manager"), "key-person-appointment", title,
                              closes_at=timezone.now() + dt.timedelta(days=2))
    tallies = ["For 1 · Against 0 · Abstain 0 · Not voted 6", "For 2 · Against 0 · Abstain 0 · Not voted 5",
               "For 3 · Against 0 · Abstain 0 · Not voted 4", "For 3 · Against 1 · Abstain 0 · Not voted 3",
               "For 4 · Against 1 · Abstain 0 · Not voted 2", "For 5 · Against 1 · Abstain 0 · Not voted 1",
               "For 5 · Against 1 · Abstain 1 · Not voted 0"]
    buttons = ["Vote for", "Vote for", "Vote for", "Vote against", "Vote for", "Vote for", "Abstain"]
    shown = {"Vote for": "For", "Vote against": "Against", "Abstain": "Abstain"}
    for number, (username, button, tally) in enumerate(zip(VOTERS, buttons, tallies, strict=True)):
        sign_in(page, username)
        votes = page.get_by_test_id("panel-votes")
        expect(votes).to_contain_text(title)  # the home page puts the decision first
        if number in (0, 6):
            shot(page, f"home-{username}")
        votes.get_by_role("link", name=title).click()
        expect(h1(page)).to_have_text(title)
        vote_with_htmx(page, button, shown[button], tally)
        if number in (0, 6):
            shot(page, f"voted-{username}")
        page.goto("/")
        expect(page.get_by_test_id("panel-votes")).not_to_contain_text(title)  # voted: off the list
        sign_out(page)
    assert Vote.objects.filter(decision=decision).count() == 7

    sign_in(page, "alliance-manager")
    page.goto(decision.get_absolute_url())
    page.get_by_role("button", name="Close voting now").click()
    expect(page.get_by_test_id("outcome")).to_contain_text("Approved")
    shot(page, "closed")
    sign_out(page)

    for username in ("wsp-rep", "sro"):
        sign_in(page, username)
        menu(page).get_by_role("link", name="Board").click()
        past = page.get_by_test_id("past-decisions")
        expect(past.get_by_role("row").filter(has_text=title)).to_contain_text("Approved")
        past.get_by_role("link", name=title).click()
        expect(page.get_by_test_id("outcome")).to_contain_text("Approved")
        expect(page.get_by_test_id("tally")).to_have_text(tallies[-1])
        expect(page.get_by_test_id("vote-panel").get_by_role("button")).to_have_count(0)
        shot(page, f"outcome-seen-by-{username}")
        sign_out(page)
    decision.refresh_from_db()
    assert (decision.status, decision.outcome) == (DecisionStatus.CLOSED, Outcome.APPROVED)


# --- (b) A client instruction from issue to instruction ------------------------------------------------------


def test_journey_b_the_alliance_manager_takes_an_instruction_from_issue_to_instruction(page: Page, seeded, shot):
    title = "Install variable message signs at J14"

    # The client, through the SRO, issues the proposed instruction (para 20).
    sign_in(page, "sro")
    menu(page).get_by_role("link", name="Instructions").click()
    page.get_by_role("link", name="Issue a proposed instruction").click()
    expect(h1(page)).to_have_text("Issue a proposed instruction")
    page.get_by_label("Title").fill(title)
    page.get_by_label("What the client proposes to instruct").fill("Three signs on the northbound carriageway.")
    page.get_by_label("Issue date").fill(local_today().isoformat())
    page.get_by_role("button", name="Issue the proposed instruction").click()
    expect(h1(page)).to_have_text(title)
    expect(page.get_by_test_id("stage")).to_have_text("Impact assessment due")
    instruction_path = path_of(page)
    shot(page, "issued")
    sign_out(page)

    # The Alliance Manager holds the 28-day clock (para 27): it is on their home page.
    sign_in(page, "alliance-manager")
    shot(page, "home-manager")
    page.get_by_test_id("panel-clocks").get_by_role("link", name="See what's due").click()
    page.goto(path_of(page) + "?kind=impact_assessment")  # the whole alliance's list, narrowed to the clock of para 27
    clock = page.get_by_role("row").filter(has_text=title)
    expect(clock).to_contain_text("28 days left")
    shot(page, "whats-due-manager")
    clock.get_by_role("link").first.click()
    expect(h1(page)).to_contain_text(title)
    page.goto(instruction_path)
    form = page.get_by_test_id("assessment-form")
    form.get_by_label("Impact assessment and recommendation to the Board").fill(
        "Recommend three signs; the work fits the current programme.")
    form.get_by_label("Effect on cost (£) (optional)").fill("185000")
    form.get_by_role("button", name="Submit to the Board").click()
    expect(page.get_by_test_id("stage")).to_have_text("With the Board")
    shot(page, "with-the-board")
    sign_out(page)

    # The Board in between (para 28): the seven voting organisations approve (journey (a) votes in the browser).
    instruction = ClientInstruction.objects.get(title=title)
    for username in VOTERS:
        governance.vote_cast(actor=person(username), decision=instruction.decision, choice="for")

    sign_in(page, "alliance-manager")
    page.goto(instruction.decision.get_absolute_url())
    page.get_by_role("button", name="Close voting now").click()
    expect(page.get_by_test_id("outcome")).to_contain_text("Approved")
    shot(page, "board-approved")
    page.goto(instruction_path)
    expect(page.get_by_test_id("stage")).to_contain_text("With the client")
    sign_out(page)

    # The client accepts the recommendation (para 29) ...
    sign_in(page, "sro")
    page.goto(instruction_path)
    page.get_by_role("button", name="Accept", exact=True).click()
    expect(page.get_by_test_id("stage")).to_contain_text("Accepted: to be instructed")
    shot(page, "accepted-by-the-client")
    sign_out(page)

    # ... and the Alliance Manager instructs the Alliance (para 30).
    sign_in(page, "alliance-manager")
    page.goto(instruction_path)
    page.get_by_label("What the Alliance is instructed to do (para 30)").fill(
        "Costain to install three variable message signs at J14 by the end of the quarter.")
    page.get_by_role("button", name="Instruct the Alliance").click()
    expect(page.get_by_test_id("stage")).to_contain_text("Instructed")
    expect(page.get_by_role("heading", name="The instruction to the Alliance")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_be_visible()
    shot(page, "instructed")
    instruction.refresh_from_db()
    assert instruction.stage == InstructionStage.INSTRUCTED
    assert instruction.decision.outcome == Outcome.APPROVED


# --- (c) A partner nominates a key person and submits its plan ---------------------------------------------


def test_journey_c_a_partner_nominates_a_key_person_with_a_cv_and_submits_its_plan(page: Page, seeded, shot,
                                                                                  tmp_path):
    role, nominee = "Head of Finance", "Harriet Vale"  # pan-alliance (para 51), vacant in the demo
    cv = tmp_path / "Harriet Vale CV.pdf"
    cv.write_bytes(minimal_pdf())

    sign_in(page, "wsp-staff")
    shot(page, "home")
    menu(page).get_by_role("link", name="People").click()
    expect(h1(page)).to_have_text("Alliance key persons")
    page.get_by_role("link", name=f"Nominate for {role}").click()
    page.get_by_label("Name of the person you nominate").fill(nominee)
    page.get_by_label("Why they are right for the role").fill("Chartered accountant; ran the finance of two alliances.")
    page.get_by_label("They are available to work full time within the Alliance (para 55)").check()
    page.get_by_label("CV").set_input_files(str(cv))
    shot(page, "nomination-filled")
    page.get_by_role("button", name="Submit the nomination").click()
    expect(h1(page)).to_have_text(nominee)
    expect(page.get_by_test_id("status")).to_have_text("Submitted")
    shot(page, "nominated")

    # The Supply Chain Management Plan: every item of para 133 written, then submitted.
    menu(page).get_by_role("link", name="Supply chain").click()
    page.get_by_role("link", name="Supply Chain Management Plans").click()
    page.get_by_role("button", name="Start your plan").click()
    expect(h1(page)).to_have_text("Version 1")
    items = page.locator("form textarea")
    for index in range(items.count()):
        items.nth(index).fill(f"How WSP addresses this item ({index + 1}).")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_test_id("addressed")).to_have_text("20 of 20 items addressed")
    shot(page, "plan-written")
    page.get_by_role("button", name="Submit to the Alliance Manager").click()
    expect(page.get_by_test_id("status")).to_have_text("Submitted")
    shot(page, "plan-submitted")

    # Where each stands, on the People and Supply chain pages the partner sees.
    menu(page).get_by_role("link", name="People").click()
    expect(page.get_by_text(nominee).first).to_be_visible()
    nomination = Nomination.objects.get(person_name=nominee)
    assert nomination.status == NominationStatus.SUBMITTED and nomination.organisation.slug == "wsp"
    plan = ManagementPlan.objects.get(organisation__slug="wsp")
    assert plan.status == PlanStatus.SUBMITTED and not plan.missing


# --- (d) The client reviewer accepts the quarter's scorecard -----------------------------------------------


def test_journey_d_the_client_reviewer_drills_into_a_failing_scheme_and_accepts_the_scorecard(page: Page, seeded,
                                                                                               shot):
    # performance/demo.py: the latest frozen quarter; M25-J10-16 slips into underperformance in it.
    frozen = periods.label(*periods.previous(*periods.previous(*periods.containing(local_today()))))
    failing = "M25-J10-16"

    sign_in(page, "client-reviewer")
    scorecards = page.get_by_test_id("panel-scorecards")
    expect(scorecards).to_contain_text(f"Scorecard for {frozen}")
    shot(page, "home")
    scorecards.get_by_role("link", name=f"Scorecard for {frozen}").click()
    expect(h1(page)).to_have_text(f"Scorecard {frozen}")
    grid = page.get_by_test_id("grid")
    row = grid.get_by_test_id("scheme-row").filter(has=page.get_by_role("rowheader", name=failing))
    expect(row.locator("td").last).to_have_attribute("data-tier", "under")
    expect(row.locator("td").last).to_contain_text("under")
    shot(page, "scorecard")

    row.get_by_role("link", name=failing).click()  # the scheme's trend, quarter by quarter
    expect(h1(page)).to_contain_text(failing)
    shot(page, "failing-scheme")
    page.go_back()
    expect(h1(page)).to_have_text(f"Scorecard {frozen}")

    page.get_by_label("Comments (required to return the scorecard)").fill("Accepted; the M25 recovery plan is noted.")
    page.get_by_role("button", name="Accept", exact=True).click()
    expect(page.get_by_text(f"The {frozen} scorecard is accepted by the client.")).to_be_visible()
    shot(page, "accepted")
    page.goto("/")
    expect(page.get_by_test_id("panel-scorecards")).not_to_contain_text(f"Scorecard for {frozen}")
    year, number = periods.parse(frozen)
    assert Quarter.objects.get(year=year, number=number).status == QuarterStatus.ACCEPTED
