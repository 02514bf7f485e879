"""Mobilisation phases and their go / no-go assessments (paras 205, 208-210)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from alliance.models import Obligation, ObligationKind, ObligationStatus, Organisation
from mobilisation.demo import seed_phases as seed_demo
from mobilisation.models import (
    Assessment,
    AssessmentOutcome,
    CriterionLevel,
    NoGoAction,
    Phase,
    PhaseKind,
    PhaseStatus,
    Stage,
)
from mobilisation.services import phases as services
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

CRITERIA = [(CriterionLevel.SCHEME, "Early Schemes have a delivery team"),
            (CriterionLevel.ALLIANCE, "Senior roles appointed")]


def _phase(alliance, kind=PhaseKind.INTERIM, stage=Stage.ACCELERATED) -> Phase:
    return Phase.objects.get(alliance=alliance, kind=kind, stage=stage)


@pytest.fixture
def phases(mob):
    return services.phases_seed(mob)


@pytest.fixture
def accelerated(phases, mob):
    return _phase(mob)


@pytest.fixture
def assessment(accelerated, people):
    return services.assessment_prepare(actor=people["alliance-manager"], phase=accelerated, criteria=CRITERIA)


def _mark_all(assessment, people, met=True):
    return services.criteria_mark(actor=people["alliance-manager"], assessment=assessment,
                                  marks={c.pk: (met, "Seen at the readiness review") for c in assessment.criteria.all()})


def _action(organisation, due=dt.date(2026, 12, 18)):
    return {"description": "Appoint the commercial lead", "owner": organisation, "due_on": due}


def _outsider():
    return PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory()))


# --- phases_seed (paras 205, 208) -------------------------------------------------------------------------------


def test_phases_follow_the_start_date_para_208(mob, phases):
    """Para 208: transition before the start (closed); interim three months (accelerated) and six (full);
    para 205: the enduring phase of the full mobilisation starts six months after the start."""
    start = mob.start_date  # 23 Jul 2026
    transition = _phase(mob, PhaseKind.TRANSITION, "")
    assert transition.ends_on == dt.date(2026, 7, 22) and transition.starts_on < start
    assert transition.status == PhaseStatus.CLOSED
    accelerated, full = _phase(mob), _phase(mob, PhaseKind.INTERIM, Stage.FULL)
    assert (accelerated.starts_on, accelerated.ends_on) == (start, dt.date(2026, 10, 23))
    assert (full.starts_on, full.ends_on) == (start, dt.date(2027, 1, 23))
    enduring = _phase(mob, PhaseKind.ENDURING, Stage.FULL)
    assert (enduring.starts_on, enduring.ends_on) == (dt.date(2027, 1, 23), None)
    assert {accelerated.status, full.status, enduring.status} == {PhaseStatus.OPEN}


def test_phases_seed_twice_changes_nothing(mob, phases):
    services.phases_seed(mob)
    assert Phase.objects.filter(alliance=mob).count() == 4
    assert Phase.history.filter(alliance_id=mob.pk).count() == 4


def test_only_the_alliance_manager_lays_out_the_phases(mob, people):
    with pytest.raises(PermissionDenied, match="Only the Alliance Manager"):
        services.phases_seed(mob, actor=people["sro"])
    assert not Phase.objects.filter(alliance=mob).exists()


# --- preparing and marking (para 209) ------------------------------------------------------------------------------


def test_assessment_needs_scheme_and_alliance_level_criteria_para_209(accelerated, people):
    """Para 209: the criteria are formed of Scheme-level and Alliance-level criteria; the refusal names the
    missing level."""
    manager = people["alliance-manager"]
    with pytest.raises(ValidationError) as refusal:
        services.assessment_prepare(actor=manager, phase=accelerated, criteria=[CRITERIA[0]])
    assert refusal.value.message_dict["criteria"] == [
        services.ERR_ASSESSMENT_LEVEL_MISSING.format(levels="Alliance level")]
    with pytest.raises(ValidationError, match="missing: Scheme level"):
        services.assessment_prepare(actor=manager, phase=accelerated, criteria=[CRITERIA[1], (CriterionLevel.SCHEME, " ")])
    assert not Assessment.objects.exists()


def test_only_the_alliance_manager_prepares_an_assessment_para_209(accelerated, people):
    for username in ("sro", "wsp-rep", "fluor-staff"):
        with pytest.raises(PermissionDenied, match=re.escape(services.ERR_ASSESSMENT_NOT_AM)):
            services.assessment_prepare(actor=people[username], phase=accelerated, criteria=CRITERIA)
    assert not Assessment.objects.exists()


def test_one_assessment_in_preparation_at_a_time(assessment, accelerated, people):
    with pytest.raises(ValidationError, match="already has an assessment in preparation"):
        services.assessment_prepare(actor=people["alliance-manager"], phase=accelerated, criteria=CRITERIA)


def test_the_closed_transition_phase_is_not_assessed(mob, phases, people):
    with pytest.raises(ValidationError, match="closed after a go"):
        services.assessment_prepare(actor=people["alliance-manager"], phase=_phase(mob, PhaseKind.TRANSITION, ""),
                                    criteria=CRITERIA)


def test_marking_needs_evidence_para_209(assessment, people):
    """Para 209: each criterion is marked met or not met, with its evidence."""
    criterion = assessment.criteria.first()
    with pytest.raises(ValidationError) as refusal:
        services.criteria_mark(actor=people["alliance-manager"], assessment=assessment, marks={criterion.pk: (True, " ")})
    assert refusal.value.message_dict[f"evidence_{criterion.pk}"] == [
        services.ERR_ASSESSMENT_EVIDENCE.format(criterion=criterion.text)]
    criterion.refresh_from_db()
    assert criterion.met is None


def test_marking_is_recorded_with_history(assessment, people):
    assert _mark_all(assessment, people, met=False) == 2
    assert set(assessment.criteria.values_list("met", flat=True)) == {False}
    assert assessment.criteria.first().history.first().history_change_reason == "Marked: Not met"
    assert _mark_all(assessment, people, met=False) == 0  # nothing changed, nothing recorded


def test_only_the_alliance_manager_marks_criteria(assessment, people):
    with pytest.raises(PermissionDenied):
        services.criteria_mark(actor=people["sro"], assessment=assessment,
                               marks={c.pk: (True, "x") for c in assessment.criteria.all()})


def test_a_criterion_can_be_added_while_in_preparation(assessment, people):
    services.assessment_criterion_add(actor=people["alliance-manager"], assessment=assessment,
                                      level=CriterionLevel.SCHEME, text="Traffic management booked")
    assert assessment.criteria.count() == 3
    with pytest.raises(ValidationError, match=re.escape(services.ERR_ASSESSMENT_CRITERION_TEXT)):
        services.assessment_criterion_add(actor=people["alliance-manager"], assessment=assessment,
                                          level=CriterionLevel.SCHEME, text="  ")


# --- the SRO's outcome (para 209) --------------------------------------------------------------------------------


def test_go_needs_every_criterion_met_and_names_the_unmet_para_209(assessment, people):
    manager, sro = people["alliance-manager"], people["sro"]
    first, second = assessment.criteria.order_by("id")
    services.criteria_mark(actor=manager, assessment=assessment, marks={first.pk: (True, "Seen")})
    with pytest.raises(ValidationError) as refusal:
        services.assessment_outcome_record(actor=sro, assessment=assessment, outcome=AssessmentOutcome.GO)
    assert refusal.value.message_dict["outcome"] == [services.ERR_ASSESSMENT_NOT_MET.format(criteria=second.text)]
    services.criteria_mark(actor=manager, assessment=assessment, marks={second.pk: (False, "Not yet")})
    with pytest.raises(ValidationError, match="not met: Senior roles appointed"):
        services.assessment_outcome_record(actor=sro, assessment=assessment, outcome=AssessmentOutcome.GO)
    assessment.refresh_from_db()
    assert assessment.outcome == "" and assessment.phase.status == PhaseStatus.OPEN


def test_go_closes_the_phase_para_209(assessment, accelerated, people):
    _mark_all(assessment, people)
    services.assessment_outcome_record(actor=people["sro"], assessment=assessment, outcome=AssessmentOutcome.GO)
    assessment.refresh_from_db()
    accelerated.refresh_from_db()
    assert assessment.outcome == AssessmentOutcome.GO and assessment.decided_by == people["sro"]
    assert accelerated.status == PhaseStatus.CLOSED
    with pytest.raises(ValidationError, match="recorded \\(go\\)"):
        services.criteria_mark(actor=people["alliance-manager"], assessment=assessment,
                               marks={c.pk: (False, "x") for c in assessment.criteria.all()})
    with pytest.raises(ValidationError, match="closed after a go"):
        services.assessment_prepare(actor=people["alliance-manager"], phase=accelerated, criteria=CRITERIA)


def test_only_the_sro_records_the_outcome_para_209(assessment, people):
    _mark_all(assessment, people)
    for username in ("alliance-manager", "wsp-rep"):
        with pytest.raises(PermissionDenied, match=re.escape(services.ERR_ASSESSMENT_NOT_SRO)):
            services.assessment_outcome_record(actor=people[username], assessment=assessment,
                                               outcome=AssessmentOutcome.GO)


def test_no_go_needs_reasons_and_an_action_para_209(assessment, people):
    sro, wsp = people["sro"], people["wsp-rep"].organisation
    with pytest.raises(ValidationError) as refusal:
        services.assessment_outcome_record(actor=sro, assessment=assessment, outcome=AssessmentOutcome.NO_GO,
                                           actions=[_action(wsp)])
    assert refusal.value.message_dict["notes"] == [services.ERR_ASSESSMENT_NO_GO_REASONS]
    with pytest.raises(ValidationError) as refusal:
        services.assessment_outcome_record(actor=sro, assessment=assessment, outcome=AssessmentOutcome.NO_GO,
                                           notes="Roles not filled", actions=[])
    assert refusal.value.message_dict["actions"] == [services.ERR_ASSESSMENT_NO_GO_ACTIONS]
    with pytest.raises(ValidationError, match=re.escape(services.ERR_ASSESSMENT_ACTION_FIELDS)):
        services.assessment_outcome_record(actor=sro, assessment=assessment, outcome=AssessmentOutcome.NO_GO,
                                           notes="Roles not filled", actions=[{**_action(wsp), "owner": None}])
    with pytest.raises(ValidationError, match=re.escape(services.ERR_ASSESSMENT_ACTION_OWNER)):
        services.assessment_outcome_record(actor=sro, assessment=assessment, outcome=AssessmentOutcome.NO_GO,
                                           notes="Roles not filled", actions=[_action(OrganisationFactory())])
    with pytest.raises(ValidationError, match=re.escape(services.ERR_ASSESSMENT_ACTION_DUE)):
        services.assessment_outcome_record(actor=sro, assessment=assessment, outcome=AssessmentOutcome.NO_GO,
                                           notes="Roles not filled", actions=[_action(wsp, dt.date(2026, 11, 1))])
    assessment.refresh_from_db()
    assert assessment.outcome == "" and not NoGoAction.objects.exists() and not Obligation.objects.filter(
        kind=ObligationKind.NO_GO_ACTION).exists()


def test_no_go_keeps_the_phase_open_and_opens_an_obligation_per_action_para_209(assessment, accelerated, people):
    sro, wsp, costain = people["sro"], people["wsp-rep"].organisation, people["costain-rep"].organisation
    services.assessment_outcome_record(
        actor=sro, assessment=assessment, outcome=AssessmentOutcome.NO_GO, notes="Senior roles not filled",
        actions=[_action(wsp), _action(costain, dt.date(2027, 1, 8))])
    accelerated.refresh_from_db()
    assert accelerated.status == PhaseStatus.OPEN
    obligations = Obligation.objects.filter(kind=ObligationKind.NO_GO_ACTION).order_by("due_date")
    assert [(o.responsible_organisation, o.due_date, o.status) for o in obligations] == [
        (wsp, dt.date(2026, 12, 18), ObligationStatus.OPEN), (costain, dt.date(2027, 1, 8), ObligationStatus.OPEN)]
    assert obligations[0].paragraph == "para 209"
    # A later assessment can follow on the open phase.
    later = services.assessment_prepare(actor=people["alliance-manager"], phase=accelerated, criteria=CRITERIA)
    assert later.phase_id == accelerated.pk and accelerated.assessments.count() == 2


def test_a_no_go_action_done_meets_its_obligation(assessment, people):
    wsp = people["wsp-rep"].organisation
    services.assessment_outcome_record(actor=people["sro"], assessment=assessment, outcome=AssessmentOutcome.NO_GO,
                                       notes="Not ready", actions=[_action(wsp)])
    action = NoGoAction.objects.get()
    with pytest.raises(PermissionDenied, match=re.escape(services.ERR_ASSESSMENT_NOT_ACTION_OWNER)):
        services.no_go_action_done(actor=people["costain-staff"], action=action)
    services.no_go_action_done(actor=people["wsp-staff"], action=action)
    action.refresh_from_db()
    assert action.done_on == dt.date(2026, 11, 23)
    obligation = Obligation.objects.get(kind=ObligationKind.NO_GO_ACTION)
    assert (obligation.status, obligation.closed_on) == (ObligationStatus.MET, dt.date(2026, 11, 23))
    with pytest.raises(ValidationError, match=re.escape(services.ERR_ASSESSMENT_ACTION_DONE)):
        services.no_go_action_done(actor=people["alliance-manager"], action=action)


# --- demo ------------------------------------------------------------------------------------------------------


def test_demo_is_idempotent_and_tells_the_story(mob):
    seed_demo(mob)
    seed_demo(mob)
    accelerated, full = _phase(mob), _phase(mob, PhaseKind.INTERIM, Stage.FULL)
    go = accelerated.assessments.get()
    assert go.outcome == AssessmentOutcome.GO and go.held_on == dt.date(2026, 10, 23)
    assert accelerated.status == PhaseStatus.CLOSED
    preparing = full.assessments.get()
    assert preparing.outcome == "" and full.status == PhaseStatus.OPEN
    marks = list(preparing.criteria.values_list("met", flat=True))
    assert None in marks and True in marks
    assert Phase.objects.filter(alliance=mob).count() == 4


# --- pages -------------------------------------------------------------------------------------------------------


def test_phases_page_lists_phases_with_dates_status_and_assessments(assessment, people, client_for):
    response = client_for(people["fluor-staff"]).get(reverse("mobilisation-phases"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Interim phase (Accelerated mobilisation)" in text and "23 Oct 2026" in text
    assert "Closed" in text and "Open" in text and "in preparation (0 of 2 criteria met)" in text


def test_phases_page_forbids_a_person_of_no_alliance(mob, client_for):
    assert client_for(PersonFactory(organisation=None)).get(reverse("mobilisation-phases")).status_code == 403


def test_phases_page_shows_only_the_own_alliance(phases, client_for):
    response = client_for(_outsider()).get(reverse("mobilisation-phases"))
    assert response.status_code == 200 and "Interim phase" not in response.content.decode()


def test_alliance_manager_lays_out_the_phases_from_the_page(mob, people, client_for):
    assert client_for(people["wsp-rep"]).post(reverse("mobilisation-phases-seed")).status_code == 403
    response = client_for(people["alliance-manager"]).post(reverse("mobilisation-phases-seed"))
    assert response.status_code == 302 and Phase.objects.filter(alliance=mob).count() == 4


def test_phase_page_allowed_403_404(accelerated, people, client_for):
    url = reverse("mobilisation-phase", args=[accelerated.pk])
    response = client_for(people["wsp-staff"]).get(url)
    assert response.status_code == 200 and "prepare-form" not in response.content.decode()
    manager_page = client_for(people["alliance-manager"]).get(url).content.decode()
    assert "prepare-form" in manager_page
    assert client_for(PersonFactory(organisation=None)).get(url).status_code == 403
    assert client_for(_outsider()).get(url).status_code == 404


def test_preparing_from_the_page(accelerated, people, client_for):
    url = reverse("mobilisation-phase-assess", args=[accelerated.pk])
    data = {"held_on": "2026-10-23", "scheme_criteria": "Delivery team named\nPlans accepted", "alliance_criteria": ""}
    response = client_for(people["alliance-manager"]).post(url, data)
    assert response.status_code == 400
    assert "missing: Alliance level" in response.content.decode() and not Assessment.objects.exists()
    assert client_for(people["wsp-rep"]).post(url, {**data, "alliance_criteria": "Roles"}).status_code == 403
    assert client_for(_outsider()).post(url, {**data, "alliance_criteria": "Roles"}).status_code == 404
    response = client_for(people["alliance-manager"]).post(url, {**data, "alliance_criteria": "Roles appointed"})
    assessment = Assessment.objects.get()
    assert response.status_code == 302 and response.url == reverse("mobilisation-phase-assessment", args=[assessment.pk])
    assert assessment.held_on == dt.date(2026, 10, 23) and assessment.criteria.count() == 3


def test_assessment_page_allowed_403_404(assessment, people, client_for):
    url = reverse("mobilisation-phase-assessment", args=[assessment.pk])
    response = client_for(people["bam-msjv-staff"]).get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Scheme level criteria" in page and "Alliance level criteria" in page and "Not assessed" in page
    assert "mark-form" not in page and "outcome-form" not in page
    assert "mark-form" in client_for(people["alliance-manager"]).get(url).content.decode()
    assert "outcome-form" in client_for(people["sro"]).get(url).content.decode()
    assert client_for(PersonFactory(organisation=None)).get(url).status_code == 403
    assert client_for(_outsider()).get(url).status_code == 404


def test_marking_from_the_page(assessment, people, client_for):
    first, second = assessment.criteria.order_by("id")
    url = reverse("mobilisation-phase-assessment-mark", args=[assessment.pk])
    data = {f"met_{first.pk}": "met", f"evidence_{first.pk}": "", f"met_{second.pk}": "not_met",
            f"evidence_{second.pk}": "Lead not in post"}
    response = client_for(people["alliance-manager"]).post(url, data)
    assert response.status_code == 400 and "Give the evidence" in response.content.decode()
    assert client_for(people["sro"]).post(url, {**data, f"evidence_{first.pk}": "Seen"}).status_code == 403
    assert client_for(_outsider()).post(url, data).status_code == 404
    response = client_for(people["alliance-manager"]).post(url, {**data, f"evidence_{first.pk}": "Seen"})
    assert response.status_code == 302
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.met, second.met, second.evidence) == (True, False, "Lead not in post")
    page = client_for(people["wsp-staff"]).get(reverse("mobilisation-phase-assessment", args=[assessment.pk]))
    assert "Not met" in page.content.decode() and "Lead not in post" in page.content.decode()


def test_adding_a_criterion_from_the_page(assessment, people, client_for):
    url = reverse("mobilisation-phase-assessment-criterion", args=[assessment.pk])
    data = {"level": "alliance", "text": "BRIG meeting monthly"}
    assert client_for(people["wsp-rep"]).post(url, data).status_code == 403
    assert client_for(_outsider()).post(url, data).status_code == 404
    assert client_for(people["alliance-manager"]).post(url, data).status_code == 302
    assert assessment.criteria.filter(text="BRIG meeting monthly").exists()


def test_recording_a_no_go_from_the_page_and_marking_its_action_done(assessment, people, client_for):
    wsp = Organisation.objects.get(pk=people["wsp-rep"].organisation_id)
    url = reverse("mobilisation-phase-assessment-outcome", args=[assessment.pk])
    data = {"outcome": "no_go", "notes": "Roles not filled", "action_1_description": "Appoint the lead",
            "action_1_owner": wsp.pk, "action_1_due_on": "2026-12-18"}
    response = client_for(people["sro"]).post(url, {"outcome": "go"})
    assert response.status_code == 400 and "not met: " in response.content.decode()
    assert client_for(people["alliance-manager"]).post(url, data).status_code == 403
    assert client_for(_outsider()).post(url, data).status_code == 404
    assert client_for(people["sro"]).post(url, data).status_code == 302
    assessment.refresh_from_db()
    assert assessment.outcome == AssessmentOutcome.NO_GO
    action = NoGoAction.objects.get()
    page = client_for(people["wsp-staff"]).get(reverse("mobilisation-phase-assessment", args=[assessment.pk]))
    assert "Appoint the lead" in page.content.decode() and "Mark done" in page.content.decode()
    done = reverse("mobilisation-no-go-action-done", args=[action.pk])
    assert client_for(people["costain-staff"]).post(done).status_code == 403
    assert client_for(_outsider()).post(done).status_code == 404
    assert client_for(people["wsp-staff"]).post(done).status_code == 302
    action.refresh_from_db()
    assert action.done_on == dt.date(2026, 11, 23)


def test_recording_a_go_from_the_page_closes_the_phase(assessment, accelerated, people, client_for):
    _mark_all(assessment, people)
    url = reverse("mobilisation-phase-assessment-outcome", args=[assessment.pk])
    assert client_for(people["sro"]).post(url, {"outcome": "go"}).status_code == 302
    accelerated.refresh_from_db()
    assert accelerated.status == PhaseStatus.CLOSED
    page = client_for(people["wsp-staff"]).get(reverse("mobilisation-phase", args=[accelerated.pk])).content.decode()
    assert "after a go" in page
