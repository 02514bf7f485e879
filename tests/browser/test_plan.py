"""The Implementation Plan in Chromium: the Alliance Manager reviews a partner's proposal and takes it to the
Board (paras 4, 5), publishes version 2 once the Board approves (para 6), and the comparison of the two
versions highlights the changed words; axe on each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from alliance.models import Person
from governance.models import ChangeProposal
from governance.models.plan import ChangeProposalStatus
from governance.services import board as services
from tests.browser.test_board import h1, menu, sign_in

pytestmark = [pytest.mark.django_db(transaction=True)]

VOTERS = ["sro", "fluor-rep", "jacobs-rep", "wsp-rep", "costain-rep", "bam-msjv-rep", "balfour-beatty-rep"]


def test_a_proposal_reviewed_approved_published_and_compared(page: Page, seeded, axe, shot):
    sign_in(page, "alliance-manager")
    menu(page).get_by_role("link", name="Implementation Plan").click()
    expect(h1(page)).to_contain_text("Implementation Plan")
    shot(page, "plan")
    axe.check_url(page, "plan")

    proposal = ChangeProposal.objects.get(status=ChangeProposalStatus.PROPOSED)
    page.goto(f"/plan/proposals/{proposal.pk}/")
    page.get_by_role("link", name="Review it (para 4)").click()
    page.get_by_label("Accept it and take it to the Board (para 5)").check()
    page.get_by_label("Impact assessment").fill("No cost; a monthly dashboard is already produced for the client.")
    shot(page, "review-filled")
    axe.check_url(page, "review")
    page.get_by_role("button", name="Record my review").click()
    proposal.refresh_from_db()
    assert proposal.status == ChangeProposalStatus.WITH_BOARD and proposal.decision is not None

    for username in VOTERS:  # the Board approves (its own pages are tested in test_board.py)
        services.vote_cast(actor=Person.objects.get(username=username), decision=proposal.decision, choice="for")
    services.decision_close(actor=Person.objects.get(username="sro"), decision=proposal.decision)
    proposal.refresh_from_db()
    assert proposal.status == ChangeProposalStatus.APPROVED

    page.goto("/plan/publish/")
    axe.check_url(page, "publish")
    page.get_by_role("button", name="Publish version 2").click()
    proposal.refresh_from_db()
    assert proposal.status == ChangeProposalStatus.PUBLISHED and proposal.published_in.number == 2

    page.goto("/plan/compare/?a=1&b=2")
    inserted = page.get_by_test_id("diff-b").locator("ins")
    expect(inserted.first).to_contain_text("monthly")
    assert inserted.first.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(204, 226, 216)"
    shot(page, "compare")
    axe.check_url(page, "compare")
