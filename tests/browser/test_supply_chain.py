"""The supply chain in Chromium: a partner drafts and submits its Supply Chain Management Plan; the Alliance
Manager's acceptance is refused naming the missing items of para 133, and the plan is returned naming them;
and axe on every supply chain page.

Run with Debian's Chromium installed (apt-get install chromium); see tests/browser/conftest.py.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from supplychain.models import ManagementPlan, PlanStatus, Risk, StrategyDocument, Supplier
from tests.browser.test_board import h1, menu, sign_in, sign_out

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_plan_submitted_refused_for_missing_items_and_returned(page: Page, seeded, browser_watch, shot):
    sign_in(page, "wsp-staff")  # WSP has no plan in the demo
    menu(page).get_by_role("link", name="Supply chain").click()
    expect(h1(page)).to_have_text("Supply chain")
    page.get_by_role("link", name="Supply Chain Management Plans").click()
    page.get_by_role("button", name="Start your plan").click()
    expect(h1(page)).to_have_text("Version 1")
    page.get_by_label("Client-led procurement activities").fill("We call off the client's frameworks first.")
    page.get_by_label("Alliance-led procurement activities").fill("Category plans run by the hub.")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_test_id("addressed")).to_have_text("2 of 20 items addressed")
    page.get_by_role("button", name="Submit to the Alliance Manager").click()
    expect(page.get_by_test_id("status")).to_have_text("Submitted")
    plan_path = re.sub(r"^https?://[^/]+", "", page.url)
    shot(page, "submitted")
    sign_out(page)

    sign_in(page, "alliance-manager")
    page.goto(plan_path)
    browser_watch.expect_status(400, plan_path + "accept/")
    page.get_by_role("button", name="Accept the plan").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("does not address every requirement of para 133")
    expect(summary).to_contain_text("Project Bank Account details")
    assert ManagementPlan.objects.get(organisation__slug="wsp").status == PlanStatus.SUBMITTED
    shot(page, "refused")
    page.goto(plan_path)
    expect(page.get_by_label("Project Bank Account details")).to_be_checked()  # the blank items, ticked for you
    page.get_by_label("Comments for the partner").fill("Please complete every item of para 133.")
    page.get_by_role("button", name="Return the plan").click()
    expect(page.get_by_test_id("status")).to_have_text("Returned")
    expect(page.get_by_test_id("item-project-bank-account")).to_contain_text("Named when returned")
    plan = ManagementPlan.objects.get(organisation__slug="wsp")
    assert plan.status == PlanStatus.RETURNED and len(plan.missing) == 18
    shot(page, "returned")


def test_supply_chain_pages_pass_axe(page: Page, seeded, axe, shot):
    plan = ManagementPlan.objects.filter(status=PlanStatus.ACCEPTED).first()
    document = StrategyDocument.objects.first()
    supplier = Supplier.objects.first()
    risk = Risk.objects.first()
    for username, pages in [
        ("alliance-manager", [
            ("/supply-chain/", "Supply chain"), ("/supply-chain/documents/strategy/", "Supply Chain Strategy"),
            (f"/supply-chain/documents/{document.pk}/", document.title),
            ("/supply-chain/plans/", "Supply Chain Management Plans"), (f"/supply-chain/plans/{plan.pk}/", "Version"),
            ("/supply-chain/plans/significant-change/", "A significant change"),
            ("/supply-chain/suppliers/", "Supplier register"), (f"/supply-chain/suppliers/{supplier.pk}/", supplier.name),
            ("/supply-chain/suppliers/new/", "Add a supplier"), ("/supply-chain/suppliers/spend/", "Spend"),
            ("/supply-chain/pipeline/", "Procurement pipeline"), ("/supply-chain/risks/", "Risk register"),
            (f"/supply-chain/risks/{risk.pk}/", risk.title), ("/supply-chain/risks/new/", "Raise a risk"),
            ("/supply-chain/report/", "Supply chain report"),
        ]),
        ("costain-staff", [
            ("/supply-chain/", "Supply chain"), ("/supply-chain/plans/", "Supply Chain Management Plans"),
            ("/supply-chain/risks/", "Risk register"), (f"/supply-chain/suppliers/{supplier.pk}/", supplier.name),
        ]),
    ]:
        sign_in(page, username)
        for path, heading in pages:
            page.goto(path)
            expect(h1(page)).to_contain_text(heading)
            label = f"{username}-{path.strip('/').replace('/', '-')}"
            shot(page, label)
            axe.check_url(page, label)
        sign_out(page)
