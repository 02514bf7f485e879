"""Commitments, the Performance Table and assurance in Chromium: the Alliance Manager selects a commitment the
lead partner delivers alone (no approval) and one that conflicts with a selected one (a Board decision,
majority with client veto, Table 8); the
client reviewer records a PCF milestone review (paras 22-24); axe on every page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from alliance.dates import local_today
from governance.models import AssuranceReview, Commitment
from governance.models.commitments import AssuranceKind, AssuranceStatus, SelectionStatus
from tests.browser.test_board import h1, menu, sign_in, sign_out

pytestmark = [pytest.mark.django_db(transaction=True)]


def _unselected_alone() -> Commitment:
    """A commitment not yet selected that its lead partner delivers alone, with no conflict."""
    for c in Commitment.objects.filter(selections__isnull=True).order_by("reference"):
        if not c.dependent_partners.exists() and not c.conflicts_with.exists():
            return c
    raise AssertionError("the demo has no such commitment")


def test_selection_under_table_8_and_an_assurance_review(page: Page, seeded, axe, shot, browser_watch):
    sign_in(page, "alliance-manager")
    menu(page).get_by_role("link", name="Commitments").click()
    expect(h1(page)).to_have_text("Commitment SLA Register")
    axe.check_url(page, "register")

    alone = _unselected_alone()
    first, conflicting = Commitment.objects.get(reference="C-05"), Commitment.objects.get(reference="C-06")
    assert first.conflicts_with.filter(pk=conflicting.pk).exists()
    page.goto(f"/commitments/{alone.pk}/select/")
    axe.check_url(page, "select")
    page.get_by_role("button", name="Select").click()
    expect(h1(page)).to_have_text("Commitment SLA Register")
    assert alone.selections.get().status == SelectionStatus.SELECTED  # no approval needed (Table 8)

    page.goto(f"/commitments/{first.pk}/select/")
    page.get_by_role("button", name="Select").click()
    expect(h1(page)).to_have_text("Commitment SLA Register")
    assert first.selections.get().status == SelectionStatus.SELECTED  # its rival is not selected yet
    page.goto(f"/commitments/{conflicting.pk}/select/")
    expect(page.get_by_test_id("needs-board")).to_be_visible()
    page.get_by_role("button", name="Select").click()
    expect(h1(page)).to_have_text("Commitment SLA Register")
    selection = conflicting.selections.get()  # conflicts with a selected one: the Board decides (Table 8)
    assert selection.status == SelectionStatus.AWAITING_BOARD
    assert selection.decision.authority == "majority_client_veto"
    shot(page, "register-after-selection")

    menu(page).get_by_role("link", name="Performance Table").click()
    axe.check_url(page, "performance table")
    sign_out(page)

    sign_in(page, "client-reviewer")
    menu(page).get_by_role("link", name="Assurance").click()
    axe.check_url(page, "assurance")
    review = AssuranceReview.objects.filter(kind=AssuranceKind.PCF_MILESTONES, status=AssuranceStatus.DUE).get()
    page.goto(f"/assurance/{review.pk}/")
    axe.check_url(page, "record")
    page.get_by_label("Held on").fill(local_today().isoformat())
    page.get_by_label("Findings").fill("Two schemes behind their PCF stage 5 milestone by a month.")
    page.get_by_label("The MPPH initiated an audit (para 22)").check()
    browser_watch.expect_status(400, f"/assurance/{review.pk}/")
    page.get_by_role("button", name="Record the review").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()  # an audit needs a missed milestone
    review.refresh_from_db()
    assert review.status == AssuranceStatus.DUE
    page.get_by_label("A PCF milestone was missed (para 22)").check()
    page.get_by_role("button", name="Record the review").click()
    expect(page.get_by_test_id("assurance-held")).to_be_visible()
    review.refresh_from_db()
    assert review.status == AssuranceStatus.HELD and review.audit_initiated
    assert AssuranceReview.objects.filter(kind=AssuranceKind.PCF_MILESTONES, status=AssuranceStatus.DUE).exists()
    shot(page, "assurance-recorded")
