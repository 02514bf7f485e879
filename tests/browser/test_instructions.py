"""Client instructions in Chromium: the Alliance Manager opens the register, sees the overdue instruction
highlighted, submits its impact assessment, and the Board's clock and decision appear (paras 27, 28)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from governance.models import ClientInstruction
from governance.models.instructions import InstructionStage
from tests.browser.test_board import h1, menu, sign_in

pytestmark = [pytest.mark.django_db(transaction=True)]

OVERDUE = "Add emergency refuge areas between J10 and J13"  # the demo's: issued 35 days ago, 28-day clock


def test_manager_sees_the_overdue_instruction_red_and_submits_its_assessment(page: Page, seeded, axe, shot):
    sign_in(page, "alliance-manager")
    menu(page).get_by_role("link", name="Instructions").click()
    expect(h1(page)).to_have_text("Client instructions")
    first_row = page.get_by_test_id("instruction-row").first
    expect(first_row).to_contain_text(OVERDUE)  # overdue first
    expect(first_row).to_have_attribute("data-overdue", "true")
    expect(first_row.get_by_test_id("overdue")).to_have_text("Overdue by 7 days")
    # The red tag is really red: GOV.UK's red tag colours, not just a class name.
    colour = first_row.get_by_test_id("overdue").evaluate("e => getComputedStyle(e).backgroundColor")
    assert colour == "rgb(244, 205, 198)", colour
    shot(page, "register")
    axe.check_url(page, "register")

    first_row.get_by_role("link").click()
    expect(h1(page)).to_have_text(OVERDUE)
    expect(page.get_by_test_id("clocks").get_by_test_id("overdue")).to_be_visible()
    form = page.get_by_test_id("assessment-form")
    form.get_by_label("Impact assessment and recommendation to the Board").fill(
        "Recommend two refuge areas at chainage 12.4 and 14.1; within the current programme.")
    form.get_by_label("Effect on cost (£) (optional)").fill("310000")
    form.get_by_label("Effect on time (days) (optional)").fill("21")
    shot(page, "assessment-filled")
    form.get_by_role("button", name="Submit to the Board").click()

    expect(page.get_by_test_id("stage")).to_have_text("With the Board")
    expect(page.get_by_text("The impact assessment is submitted and the Board's decision is tabled")).to_be_visible()
    clocks = page.get_by_test_id("clocks")
    expect(clocks).to_contain_text("7 days late")  # recorded late, allowed
    expect(clocks).to_contain_text("Board review of the recommendation")
    expect(page.get_by_test_id("timeline")).to_contain_text("Done 7 days late")
    shot(page, "submitted")
    axe.check_url(page, "instruction with the Board")

    instruction = ClientInstruction.objects.get(title=OVERDUE)
    assert instruction.stage == InstructionStage.BOARD_REVIEW
    assert instruction.decision.decision_type.code == "instruction-recommendation"
    page.get_by_role("link", name=instruction.decision.title).click()
    expect(h1(page)).to_have_text(instruction.decision.title)
