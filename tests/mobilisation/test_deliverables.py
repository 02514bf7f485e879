"""The mobilisation plan (section 10): Table 7's deliverables, their approval, the partners' review and the
baseline (paras 212-214), the pages and the API."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliance.models import Obligation, ObligationKind, ObligationStatus, Organisation
from mobilisation.catalogue import TABLE_7
from mobilisation.demo import seed_deliverables as seed_demo
from mobilisation.models import (
    Deliverable,
    DeliverableEvidence,
    DeliverableStatus,
    Dimension,
    DuePeriod,
    MobilisationPlan,
    MobilisationPlanStatus,
    PlanReviewVerdict,
)
from mobilisation.selectors.deliverables import slippage_days
from mobilisation.services import deliverables as services
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory
from tests.pdf_samples import minimal_pdf

pytestmark = pytest.mark.django_db

PARTNER_REPS = ["fluor-rep", "jacobs-rep", "wsp-rep", "costain-rep", "bam-msjv-rep", "balfour-beatty-rep"]


@pytest.fixture
def seeded(mob):
    services.deliverables_seed(mob)
    return mob


def _d(alliance, reference: str) -> Deliverable:
    return Deliverable.objects.get(alliance=alliance, reference=reference)


def _other_alliance_deliverable() -> Deliverable:
    other = AllianceFactory()
    services.deliverables_seed(other)
    return Deliverable.objects.filter(alliance=other).first()


# --- Table 7 ------------------------------------------------------------------------------------------------
def test_table_7_has_28_products_in_order():
    """Para 212, Table 7: 28 documents/actions, two due in four weeks, eight in three months, 18 in six."""
    assert len(TABLE_7) == 28
    periods = [item.period for item in TABLE_7]
    assert periods.count(DuePeriod.FOUR_WEEKS) == 2
    assert periods.count(DuePeriod.THREE_MONTHS) == 8
    assert periods.count(DuePeriod.SIX_MONTHS) == 18
    assert TABLE_7[0].source == "Performance Table"
    assert TABLE_7[-1].title == "Alliance Master Information Delivery Plan (MIDP)"


def test_seed_makes_28_deliverables_due_from_the_start_date(mob):
    """Para 212: start 23 Jul 2026 → four weeks 20 Aug 2026, three months 23 Oct 2026, six months 23 Jan 2027."""
    assert mob.start_date == dt.date(2026, 7, 23)
    created = services.deliverables_seed(mob)
    assert len(created) == 28
    rows = list(Deliverable.objects.filter(alliance=mob).order_by("order"))
    assert [d.reference for d in rows] == [f"MOB-{n:02d}" for n in range(1, 29)]
    assert all(d.owner_id is None and d.from_table_7 for d in rows)
    expected = {DuePeriod.FOUR_WEEKS: dt.date(2026, 8, 20), DuePeriod.THREE_MONTHS: dt.date(2026, 10, 23),
                DuePeriod.SIX_MONTHS: dt.date(2027, 1, 23)}
    for d in rows:
        assert d.due_on == expected[d.due_period], d.reference
    assert _d(mob, "MOB-19").title == "Alliance Quality Register"
    assert _d(mob, "MOB-19").due_on == dt.date(2026, 8, 20)


def test_seed_is_idempotent_and_opens_one_obligation_each(mob, people):
    services.deliverables_seed(mob)
    assert services.deliverables_seed(mob) == []
    assert Deliverable.objects.filter(alliance=mob).count() == 28
    obligations = Obligation.objects.filter(alliance=mob, kind=ObligationKind.MOBILISATION_DELIVERABLE)
    assert obligations.count() == 28
    first = obligations.get(title__startswith="MOB-01 ")
    # No owner yet: the Alliance Manager answers for it.
    assert first.responsible_person == people["alliance-manager"]
    assert first.due_date == dt.date(2026, 10, 23)
    assert first.subject == _d(mob, "MOB-01")


def test_only_the_alliance_manager_seeds_adds_and_assigns(seeded, people):
    with pytest.raises(PermissionDenied):
        services.deliverables_seed(seeded, actor=people["wsp-rep"])
    with pytest.raises(PermissionDenied):
        services.deliverable_add(actor=people["sro"], alliance=seeded, title="X", dimension=Dimension.PERFORMANCE,
                                 due_period=DuePeriod.THREE_MONTHS)
    with pytest.raises(PermissionDenied):
        services.deliverable_update(actor=people["wsp-rep"], deliverable=_d(seeded, "MOB-01"),
                                    owner=people["wsp-rep"].organisation)


def test_added_deliverable_takes_the_next_reference_and_a_set_date(seeded, people):
    d = services.deliverable_add(actor=people["alliance-manager"], alliance=seeded, title="Lessons learned log",
                                 dimension=Dimension.PURE_MOBILISATION, due_period=DuePeriod.DATE,
                                 due_on=dt.date(2027, 2, 1))
    assert d.reference == "MOB-29" and d.due_on == dt.date(2027, 2, 1) and not d.from_table_7
    with pytest.raises(ValidationError) as refusal:
        services.deliverable_add(actor=people["alliance-manager"], alliance=seeded, title="Too early",
                                 dimension=Dimension.PURE_MOBILISATION, due_period=DuePeriod.DATE,
                                 due_on=dt.date(2026, 7, 1))
    assert "before the Alliance Start Date" in str(refusal.value)
    by_period = services.deliverable_add(actor=people["alliance-manager"], alliance=seeded, title="Onboarding pack",
                                         dimension=Dimension.PEOPLE_STRUCTURE_LOCATION,
                                         due_period=DuePeriod.FOUR_WEEKS)
    assert by_period.reference == "MOB-30" and by_period.due_on == dt.date(2026, 8, 20)


def test_a_changed_due_date_redates_the_obligation_and_a_new_owner_takes_it(seeded, people):
    manager = people["alliance-manager"]
    d = _d(seeded, "MOB-02")
    services.deliverable_update(actor=manager, deliverable=d, due_period=DuePeriod.DATE, due_on=dt.date(2027, 2, 6),
                                reason="Board meeting moved")
    obligation = Obligation.objects.get(kind=ObligationKind.MOBILISATION_DELIVERABLE, title__startswith="MOB-02 ",
                                        status=ObligationStatus.OPEN)
    assert obligation.due_date == dt.date(2027, 2, 6)
    wsp = people["wsp-rep"].organisation
    services.deliverable_update(actor=manager, deliverable=d, owner=wsp)
    open_ones = Obligation.objects.filter(kind=ObligationKind.MOBILISATION_DELIVERABLE, title__startswith="MOB-02 ",
                                          status=ObligationStatus.OPEN)
    assert [(o.responsible_organisation, o.due_date) for o in open_ones] == [(wsp, dt.date(2027, 2, 6))]


# --- The status flow ----------------------------------------------------------------------------------------
def test_owner_submits_and_approver_approves_on_time(seeded, people):
    manager, staff = people["alliance-manager"], people["wsp-staff"]
    d = services.deliverable_update(actor=manager, deliverable=_d(seeded, "MOB-02"), owner=staff.organisation,
                                    approver=people["sro"])
    with pytest.raises(PermissionDenied):
        services.deliverable_start(actor=people["costain-staff"], deliverable=d)
    services.deliverable_start(actor=staff, deliverable=d)
    services.deliverable_submit(actor=staff, deliverable=d)
    with pytest.raises(PermissionDenied):  # the named approver, not the Alliance Manager
        services.deliverable_approve(actor=manager, deliverable=d)
    d = services.deliverable_approve(actor=people["sro"], deliverable=d)
    assert d.status == DeliverableStatus.APPROVED and d.approved_on == dt.date(2026, 11, 23)
    assert d.late_by_days is None  # due 23 Jan 2027
    obligation = Obligation.objects.get(title__startswith="MOB-02 ", status=ObligationStatus.MET)
    assert obligation.closed_on == dt.date(2026, 11, 23)


def test_approval_after_the_due_date_is_recorded_late(seeded, people, client_for):
    """Table 7's footnote: "no later than the timeframe"; a late approval is allowed and recorded late."""
    manager = people["alliance-manager"]
    d = _d(seeded, "MOB-19")  # due 20 Aug 2026
    services.deliverable_submit(actor=manager, deliverable=d)
    with time_machine.travel(dt.datetime(2026, 8, 25, 9, tzinfo=dt.UTC)):
        d = services.deliverable_approve(actor=manager, deliverable=d)
    assert d.approved_on == dt.date(2026, 8, 25) and d.late_by_days == 5
    page = client_for(manager).get(reverse("mobilisation-deliverable", args=[d.pk]))
    assert "Approved 5 days late" in page.content.decode()


def test_an_illegal_step_is_refused(seeded, people):
    manager = people["alliance-manager"]
    with pytest.raises(ValidationError) as refusal:
        services.deliverable_approve(actor=manager, deliverable=_d(seeded, "MOB-03"))
    assert "not started: it cannot be approved" in str(refusal.value)


def test_evidence_file_is_checked_by_content_and_downloaded_with_permission(seeded, people, client_for):
    manager = people["alliance-manager"]
    d = _d(seeded, "MOB-05")
    text = SimpleUploadedFile("plan.pdf", b"just text, not a PDF", content_type="application/pdf")
    with pytest.raises(ValidationError):
        services.evidence_add(actor=manager, deliverable=d, title="Fake", file=text)
    assert not DeliverableEvidence.objects.exists()
    with pytest.raises(PermissionDenied):
        services.evidence_add(actor=people["wsp-staff"], deliverable=d, title="Link", link="https://example.org/")
    pdf = SimpleUploadedFile("plan.pdf", minimal_pdf(), content_type="application/pdf")
    evidence = services.evidence_add(actor=manager, deliverable=d, title="Core resources list", file=pdf)
    url = reverse("mobilisation-evidence", args=[evidence.pk])
    answer = client_for(people["costain-staff"]).get(url)
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/pdf" and answer["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in answer["Content-Disposition"]
    assert b"".join(answer.streaming_content).startswith(b"%PDF-")
    assert client_for(PersonFactory(organisation=None)).get(url).status_code == 403
    outsider = PersonFactory(organisation=OrganisationFactory())
    assert client_for(outsider).get(url).status_code == 404


# --- The plan: review and baseline (paras 213-214) ------------------------------------------------------
def _send(alliance, people):
    return services.mobilisation_plan_send(actor=people["alliance-manager"], alliance=alliance)


def test_baseline_is_refused_until_every_partner_approved(seeded, people):
    """Para 214: the partners review, comment and approve; then the Alliance Manager baselines."""
    manager = people["alliance-manager"]
    _send(seeded, people)
    for username in PARTNER_REPS[:4]:
        services.mobilisation_plan_review(actor=people[username], alliance=seeded, verdict=PlanReviewVerdict.APPROVED)
    services.mobilisation_plan_review(actor=people["bam-msjv-staff"], alliance=seeded,
                                      verdict=PlanReviewVerdict.COMMENTED, comments="Move the co-location plan")
    with pytest.raises(ValidationError) as refusal:
        services.mobilisation_plan_baseline(actor=manager, alliance=seeded)
    message = str(refusal.value)
    assert "BAM Nuttall / Morgan Sindall JV" in message and "Balfour Beatty" in message and "WSP" not in message
    # A partner changes its review; the last one approves.
    services.mobilisation_plan_review(actor=people["bam-msjv-rep"], alliance=seeded,
                                      verdict=PlanReviewVerdict.APPROVED)
    services.mobilisation_plan_review(actor=people["balfour-beatty-delegate"], alliance=seeded,
                                      verdict=PlanReviewVerdict.APPROVED)
    plan = services.mobilisation_plan_baseline(actor=manager, alliance=seeded)
    assert plan.status == MobilisationPlanStatus.BASELINED
    assert not Deliverable.objects.filter(alliance=seeded, baseline_due_on__isnull=True).exists()
    with pytest.raises(ValidationError):
        services.mobilisation_plan_review(actor=people["wsp-rep"], alliance=seeded, verdict=PlanReviewVerdict.APPROVED)


def test_only_partners_review_and_comments_need_text(seeded, people):
    _send(seeded, people)
    with pytest.raises(PermissionDenied):
        services.mobilisation_plan_review(actor=people["client-reviewer"], alliance=seeded,
                                          verdict=PlanReviewVerdict.APPROVED)
    with pytest.raises(ValidationError):
        services.mobilisation_plan_review(actor=people["wsp-rep"], alliance=seeded,
                                          verdict=PlanReviewVerdict.COMMENTED, comments=" ")
    with pytest.raises(PermissionDenied):
        services.mobilisation_plan_baseline(actor=people["wsp-rep"], alliance=seeded)


def test_slippage_against_the_baseline(seeded, people, client_for):
    """After the baseline (para 214), a moved due date shows planned vs current and the slippage in days."""
    manager = people["alliance-manager"]
    _send(seeded, people)
    for username in PARTNER_REPS:
        services.mobilisation_plan_review(actor=people[username], alliance=seeded, verdict=PlanReviewVerdict.APPROVED)
    services.mobilisation_plan_baseline(actor=manager, alliance=seeded)
    d = services.deliverable_update(actor=manager, deliverable=_d(seeded, "MOB-09"), due_period=DuePeriod.DATE,
                                    due_on=dt.date(2027, 2, 6), reason="Strategy needs the Board")
    assert d.baseline_due_on == dt.date(2027, 1, 23)
    assert slippage_days(d) == 14
    page = client_for(people["wsp-staff"]).get(reverse("mobilisation-deliverable", args=[d.pk])).content.decode()
    assert "23 Jan 2027" in page and "6 Feb 2027" in page and "14 days later than planned" in page


# --- Pages ----------------------------------------------------------------------------------------------
PAGES = ["mobilisation", "mobilisation-timeline", "mobilisation-deliverables", "mobilisation-deliverables-csv",
         "mobilisation-plan"]


@pytest.mark.parametrize("name", PAGES)
def test_every_member_reads_the_pages_and_an_outsider_is_refused(seeded, people, client_for, name):
    assert client_for(people["costain-staff"]).get(reverse(name)).status_code == 200
    assert client_for(people["client-reviewer"]).get(reverse(name)).status_code == 200
    assert client_for(PersonFactory(organisation=None)).get(reverse(name)).status_code == 403


def test_deliverable_page_allowed_403_404(seeded, people, client_for):
    d = _d(seeded, "MOB-01")
    url = reverse("mobilisation-deliverable", args=[d.pk])
    assert client_for(people["wsp-staff"]).get(url).status_code == 200
    assert client_for(PersonFactory(organisation=None)).get(url).status_code == 403
    other = _other_alliance_deliverable()
    assert client_for(people["wsp-staff"]).get(
        reverse("mobilisation-deliverable", args=[other.pk])).status_code == 404
    assert client_for(people["alliance-manager"]).post(
        reverse("mobilisation-deliverable-submit", args=[other.pk])).status_code == 404


def test_steps_from_the_page(seeded, people, client_for):
    manager = client_for(people["alliance-manager"])
    d = _d(seeded, "MOB-03")
    staff = client_for(people["wsp-staff"])
    assert staff.post(reverse("mobilisation-deliverable-start", args=[d.pk])).status_code == 403
    assert manager.post(reverse("mobilisation-deliverable-edit", args=[d.pk]), {
        "title": d.title, "source": d.source, "due_period": d.due_period, "owner": people["wsp-staff"].organisation_id,
        "dimension": d.dimension, "stage": d.stage, "phase": d.phase, "reason": "WSP leads"}).status_code == 302
    assert staff.post(reverse("mobilisation-deliverable-submit", args=[d.pk])).status_code == 302
    assert staff.post(reverse("mobilisation-deliverable-approve", args=[d.pk])).status_code == 403
    response = manager.post(reverse("mobilisation-deliverable-approve", args=[d.pk]), follow=True)
    assert "Approved 31 days late." in response.content.decode()  # due 23 Oct 2026, approved 23 Nov 2026
    assert _d(seeded, "MOB-03").status == DeliverableStatus.APPROVED


def test_new_deliverable_page_is_for_the_alliance_manager(seeded, people, client_for):
    url = reverse("mobilisation-deliverable-new")
    assert client_for(people["client-reviewer"]).get(url).status_code == 403
    manager = client_for(people["alliance-manager"])
    assert manager.get(url).status_code == 200
    bad = manager.post(url, {"title": "X", "due_period": DuePeriod.DATE, "dimension": Dimension.PERFORMANCE,
                             "stage": "full", "phase": "interim"})
    assert bad.status_code == 400 and "Give the due date" in bad.content.decode()
    assert not Deliverable.objects.filter(alliance=seeded, title="X").exists()


def test_plan_page_review_and_baseline(seeded, people, client_for):
    manager = client_for(people["alliance-manager"])
    assert client_for(people["wsp-staff"]).post(reverse("mobilisation-plan-send")).status_code == 403
    assert manager.post(reverse("mobilisation-plan-send")).status_code == 302
    rep = client_for(people["wsp-rep"])
    assert rep.post(reverse("mobilisation-plan-review"), {"verdict": "approved"}).status_code == 302
    refused = manager.post(reverse("mobilisation-plan-baseline"))
    assert refused.status_code == 400 and "not yet approved by" in refused.content.decode()
    assert client_for(people["client-reviewer"]).post(
        reverse("mobilisation-plan-review"), {"verdict": "approved"}).status_code == 403


def test_table_filters_sort_and_csv(seeded, people, client_for):
    manager = people["alliance-manager"]
    services.deliverable_submit(actor=manager, deliverable=_d(seeded, "MOB-20"))
    c = client_for(people["jacobs-staff"])
    page = c.get(reverse("mobilisation-deliverables"), {"overdue": "on"}).content.decode()
    # Today 23 Nov 2026: the two four-week and eight three-month products are overdue.
    assert page.count('data-testid="row"') == 10
    page = c.get(reverse("mobilisation-deliverables"), {"dimension": Dimension.DIGITAL_INNOVATION,
                                                         "sort": "-due_on"}).content.decode()
    assert page.index("MOB-28") < page.index("MOB-20")
    answer = c.get(reverse("mobilisation-deliverables-csv"), {"status": DeliverableStatus.SUBMITTED})
    assert answer["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.content.decode())))
    assert rows[0][:3] == ["Reference", "Title", "Table 7 reference"]
    assert [r[0] for r in rows[1:]] == ["MOB-20"] and rows[1][-1] == "yes"


def test_timeline_draws_a_bar_per_deliverable_with_status_in_words(seeded, people, client_for):
    page = client_for(people["fluor-staff"]).get(reverse("mobilisation-timeline")).content.decode()
    assert page.count('data-testid="bar"') == 28
    assert "status: Not started; due 20 Aug 2026; overdue" in page
    assert 'data-testid="today"' in page and 'data-testid="timeline-table"' in page
    assert "<script" not in page.split('data-testid="timeline"')[1].split("</svg>")[0]


def test_timeline_labels_are_those_of_the_template_filters():
    """The bar's labels are worked out in Python (bench/mobilisation.py); they read as truncatechars:40,
    date:"j M Y" and default:"—" did."""
    from django.template.defaultfilters import date as date_filter
    from django.template.defaultfilters import truncatechars

    from mobilisation.selectors.deliverables import Bar

    def bar(title, due, baseline):
        deliverable = Deliverable(reference="MOB-99", title=title, due_on=due, baseline_due_on=baseline)
        return Bar(deliverable, 40, 1.0, 2.0, None, False, None, "", "#b1b4b6")

    long_title = "Supply chain management plan for every lot, region and framework"
    short, long = bar("Alliance charter", dt.date(2026, 11, 5), None), bar(long_title, dt.date(2027, 1, 31),
                                                                          dt.date(2026, 12, 1))
    assert (short.short_title, short.due_label, short.baseline_label) == ("Alliance charter", "5 Nov 2026", "—")
    assert long.short_title == truncatechars(long_title, 40) and long.short_title.endswith("…")
    assert (long.due_label, long.baseline_label) == (date_filter(dt.date(2027, 1, 31), "j M Y"), "1 Dec 2026")
    assert (short.label_y, short.rect_y, short.mark_top, short.mark_bottom) == (56, 45, 42, 62)


# --- API ------------------------------------------------------------------------------------------------
def test_api_lists_deliverables_with_the_contract(seeded, people, client_for):
    manager = people["alliance-manager"]
    services.deliverable_update(actor=manager, deliverable=_d(seeded, "MOB-05"),
                                owner=Organisation.objects.get(slug="fluor"))
    answer = client_for(people["wsp-staff"]).get("/api/mobilisation/deliverables/")
    assert answer.status_code == 200
    results = answer.json()["results"]
    assert len(results) == 28
    first = results[0]
    assert {"id", "title", "reference", "due_on", "status", "owner"} <= set(first)
    by_ref = {r["reference"]: r for r in results}
    assert by_ref["MOB-05"]["owner"] == "fluor" and by_ref["MOB-01"]["owner"] is None
    assert by_ref["MOB-19"]["due_on"] == "2026-08-20" and by_ref["MOB-28"]["due_on"] == "2027-01-23"
    assert by_ref["MOB-01"]["status"] == "not_started"


def test_api_refuses_outsiders_and_hides_other_alliances(seeded, people, client_for):
    assert client_for(PersonFactory(organisation=None)).get("/api/mobilisation/deliverables/").status_code == 403
    other = _other_alliance_deliverable()
    assert client_for(people["wsp-staff"]).get(f"/api/mobilisation/deliverables/{other.pk}/").status_code == 404
    assert client_for(people["wsp-staff"]).get(
        f"/api/mobilisation/deliverables/{_d(seeded, 'MOB-01').pk}/").status_code == 200


# --- Demo -----------------------------------------------------------------------------------------------
def test_demo_is_idempotent_and_baselined(mob):
    seed_demo(mob)
    seed_demo(mob)
    assert Deliverable.objects.filter(alliance=mob).count() == 28
    assert MobilisationPlan.objects.get(alliance=mob).status == MobilisationPlanStatus.BASELINED
    assert Deliverable.objects.filter(alliance=mob, owner__slug="fluor").count() == 5
    late = {d.reference: d.late_by_days for d in Deliverable.objects.filter(alliance=mob, status="approved")}
    assert late["MOB-19"] == 5 and late["MOB-01"] == 3
    assert slippage_days(_d(mob, "MOB-02")) == 14
    assert Obligation.objects.filter(alliance=mob, kind=ObligationKind.MOBILISATION_DELIVERABLE,
                                     status=ObligationStatus.OPEN).count() == 28 - len(late)
