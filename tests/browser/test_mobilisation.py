"""Mobilisation in Chromium: a partner's staff rates outcomes of the Code of Practice in the open self-assessment
(once each: a second save changes the rating); the timeline is drawn; and axe on every mobilisation page.

Run with Debian's Chromium installed (apt-get install chromium); see tests/browser/conftest.py.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from mobilisation.models import (
    Assessment,
    CodeOutcome,
    Deliverable,
    MaturityPlan,
    Phase,
    Rating,
    SelfAssessment,
    SelfAssessmentStatus,
)
from tests.browser.test_board import h1, menu, sign_in, sign_out

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_rating_the_code_of_practice_once_and_changing_it(page: Page, seeded, shot):
    assessment = SelfAssessment.objects.get(status=SelfAssessmentStatus.OPEN)
    first, second = CodeOutcome.objects.order_by("order")[:2]
    Rating.objects.filter(assessment=assessment, participant__username="wsp-staff").delete()
    sign_in(page, "wsp-staff")
    menu(page).get_by_role("link", name="Mobilisation").click()
    expect(h1(page)).to_have_text("Mobilisation")
    page.get_by_role("link", name="Self-assessments", exact=False).first.click()
    page.get_by_test_id("open-now").get_by_role("link", name=assessment.title).click()
    expect(h1(page)).to_have_text(assessment.title)
    page.get_by_label(first.text, exact=True).select_option("4")
    page.get_by_label(second.text, exact=True).select_option("2")
    page.get_by_role("button", name="Save your ratings", exact=True).click()
    expect(page.get_by_role("alert").or_(page.get_by_role("status")).first).to_be_visible()
    page.get_by_label(first.text, exact=True).select_option("5")
    page.get_by_role("button", name="Save your ratings", exact=True).click()
    ratings = Rating.objects.filter(assessment=assessment, participant__username="wsp-staff")
    assert dict(ratings.values_list("outcome__code", "score")) == {first.code: 5, second.code: 2}
    assert ratings.get(outcome=first).history.count() == 2  # the change is kept
    shot(page, "rated")


def test_mobilisation_pages_pass_axe(page: Page, seeded, axe, shot):
    deliverable = Deliverable.objects.order_by("reference").first()
    phase = Phase.objects.filter(assessments__isnull=False).first()
    go_no_go = Assessment.objects.first()
    plan = MaturityPlan.objects.first()
    self_assessment = SelfAssessment.objects.first()
    for username, pages in [
        ("alliance-manager", [
            ("/mobilisation/", "Mobilisation"), ("/mobilisation/timeline/", "Timeline"),
            ("/mobilisation/deliverables/", "Deliverables"), (f"/mobilisation/deliverables/{deliverable.pk}/", deliverable.title),
            ("/mobilisation/deliverables/new/", "Add a deliverable"), ("/mobilisation/plan/", "Mobilisation Plan"),
            ("/mobilisation/phases/", "Mobilisation phases"), (f"/mobilisation/phases/{phase.pk}/", str(phase)),
            (f"/mobilisation/phases/assessments/{go_no_go.pk}/", "Go / no-go"),
            ("/mobilisation/maturity/", "maturity plan"), (f"/mobilisation/maturity/{plan.pk}/", "Maturity plan"),
            ("/mobilisation/assessments/", "Self-assessments"),
            (f"/mobilisation/assessments/{self_assessment.pk}/", self_assessment.title),
            ("/mobilisation/assessments/new/", "Open a self-assessment"),
        ]),
        ("costain-staff", [
            ("/mobilisation/", "Mobilisation"), ("/mobilisation/timeline/", "Timeline"),
            ("/mobilisation/plan/", "Mobilisation Plan"), ("/mobilisation/maturity/", "maturity plan"),
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
