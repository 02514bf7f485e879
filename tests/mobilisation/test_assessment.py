"""The self-assessment against the Infrastructure Client Group's Alliancing Code of Practice (seed 003: "It allows
organisations to undertake a gap analysis and identify key areas for improvement")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from mobilisation.code_of_practice import CODE_OF_PRACTICE
from mobilisation.demo import seed_assessment
from mobilisation.models import (
    CodeOutcome,
    FocusArea,
    MaturityAction,
    MaturityPlan,
    MaturityPlanStatus,
    Rating,
    SelfAssessment,
    SelfAssessmentStatus,
)
from mobilisation.selectors import assessment as selectors
from mobilisation.services import assessment as services
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)


def _open(people, title="Self-assessment, November 2026", opens_on=TODAY, closes_on=TODAY + dt.timedelta(days=14)):
    return services.self_assessment_open(actor=people["alliance-manager"], title=title, opens_on=opens_on,
                                         closes_on=closes_on)


def _close(people, assessment):
    return services.self_assessment_close(actor=people["alliance-manager"], assessment=assessment)


def _codes(alliance, theme, phase, n=None):
    codes = list(CodeOutcome.objects.filter(alliance=alliance, theme=theme, phase=phase)
                 .order_by("order").values_list("code", flat=True))
    return codes[:n] if n else codes


# --- The Code's outcomes -----------------------------------------------------------------------------------


def test_the_codes_outcomes_cover_four_themes_across_four_phases_and_seed_once(mob):
    """Seed 003, figure 1.1: Behaviour, Integration, Leadership, Commercial against Deciding, Creating,
    Delivering, Sustaining."""
    assert {(o.theme, o.phase) for o in CODE_OF_PRACTICE} == {
        (t, p) for t in ("behaviour", "integration", "leadership", "commercial")
        for p in ("deciding", "creating", "delivering", "sustaining")}
    assert len({o.code for o in CODE_OF_PRACTICE}) == len(CODE_OF_PRACTICE)
    assert services.code_outcomes_seed(mob) == len(CODE_OF_PRACTICE)
    assert services.code_outcomes_seed(mob) == 0
    assert CodeOutcome.objects.filter(alliance=mob).count() == len(CODE_OF_PRACTICE)
    first = CodeOutcome.objects.get(alliance=mob, code="deciding-behaviour-01")
    assert first.text.startswith("The behaviours required at both organisational and individual level")


# --- Opening and closing -----------------------------------------------------------------------------------


def test_only_the_alliance_manager_opens_and_closes_a_self_assessment(people):
    with pytest.raises(PermissionDenied):
        services.self_assessment_open(actor=people["wsp-rep"], title="X", opens_on=TODAY, closes_on=TODAY)
    assessment = _open(people)
    with pytest.raises(PermissionDenied):
        services.self_assessment_close(actor=people["sro"], assessment=assessment)
    assert _close(people, assessment).status == SelfAssessmentStatus.CLOSED


def test_one_self_assessment_is_open_at_a_time_and_its_previous_is_the_last_closed_one(people):
    first = _open(people, title="First")
    with pytest.raises(ValidationError) as refused:
        _open(people, title="Second")
    assert refused.value.messages == [services.ERR_SELF_ASSESSMENT_OPEN_EXISTS.format(title="First")]
    _close(people, first)
    second = _open(people, title="Second")
    assert first.previous is None and second.previous == first


def test_the_closing_date_follows_the_opening_date(people):
    with pytest.raises(ValidationError) as refused:
        _open(people, opens_on=TODAY, closes_on=TODAY - dt.timedelta(days=1))
    assert refused.value.message_dict == {"closes_on": [services.ERR_SELF_ASSESSMENT_DATES]}


# --- Rating ------------------------------------------------------------------------------------------------


def test_a_participant_rates_an_outcome_once_and_rating_again_changes_it_with_history(people):
    assessment = _open(people)
    staff = people["wsp-staff"]
    assert services.ratings_save(actor=staff, assessment=assessment, scores={"deciding-behaviour-01": 3}) == 1
    assert services.ratings_save(actor=staff, assessment=assessment, scores={"deciding-behaviour-01": 5}) == 1
    ratings = Rating.objects.filter(assessment=assessment, participant=staff)
    assert ratings.count() == 1
    rating = ratings.get()
    assert rating.score == 5
    assert [h.score for h in rating.history.order_by("history_date", "history_id")] == [3, 5]
    assert {h.history_user_id for h in rating.history.all()} == {staff.pk}
    # The same score again changes nothing (no new history row).
    assert services.ratings_save(actor=staff, assessment=assessment, scores={"deciding-behaviour-01": 5}) == 0
    assert rating.history.count() == 2


def test_the_database_holds_one_rating_per_participant_per_outcome(people):
    assessment = _open(people)
    outcome = CodeOutcome.objects.get(alliance=assessment.alliance, code="deciding-behaviour-01")
    Rating.objects.create(assessment=assessment, participant=people["sro"], outcome=outcome, score=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(assessment=assessment, participant=people["sro"], outcome=outcome, score=4)


def test_partial_saves_keep_the_outcomes_left_blank(people):
    assessment = _open(people)
    staff = people["fluor-staff"]
    services.ratings_save(actor=staff, assessment=assessment,
                          scores={"deciding-behaviour-01": 2, "deciding-behaviour-02": 4})
    services.ratings_save(actor=staff, assessment=assessment,
                          scores={"deciding-behaviour-01": None, "deciding-behaviour-03": 1})
    assert selectors.ratings_of(assessment, staff) == {
        "deciding-behaviour-01": 2, "deciding-behaviour-02": 4, "deciding-behaviour-03": 1}


def test_rating_after_the_close_is_refused(people):
    assessment = _open(people)
    _close(people, assessment)
    with pytest.raises(ValidationError) as refused:
        services.ratings_save(actor=people["wsp-staff"], assessment=assessment, scores={"deciding-behaviour-01": 4})
    assert refused.value.messages == [services.ERR_SELF_ASSESSMENT_CLOSED]
    assert not Rating.objects.filter(assessment=assessment).exists()


def test_rating_before_the_opening_day_or_after_the_closing_day_is_refused(people):
    later = _open(people, opens_on=TODAY + dt.timedelta(days=1), closes_on=TODAY + dt.timedelta(days=5))
    with pytest.raises(ValidationError) as refused:
        services.ratings_save(actor=people["sro"], assessment=later, scores={"deciding-behaviour-01": 4})
    assert refused.value.messages == [services.ERR_SELF_ASSESSMENT_NOT_OPEN_YET.format(day=later.opens_on)]
    SelfAssessment.objects.filter(pk=later.pk).update(opens_on=TODAY - dt.timedelta(days=9),
                                                      closes_on=TODAY - dt.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.ratings_save(actor=people["sro"], assessment=later, scores={"deciding-behaviour-01": 4})


@pytest.mark.parametrize("score", [0, 6, -1, True, "4"])
def test_scores_outside_1_to_5_are_refused(people, score):
    assessment = _open(people)
    with pytest.raises(ValidationError) as refused:
        services.ratings_save(actor=people["wsp-staff"], assessment=assessment,
                              scores={"deciding-behaviour-02": 3, "deciding-behaviour-01": score})
    assert refused.value.message_dict == {"deciding-behaviour-01": [services.ERR_SELF_ASSESSMENT_SCORE]}
    assert not Rating.objects.filter(assessment=assessment).exists()  # nothing of the refused save is kept


def test_the_database_refuses_a_score_outside_1_to_5(people):
    assessment = _open(people)
    outcome = CodeOutcome.objects.get(alliance=assessment.alliance, code="deciding-behaviour-01")
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(assessment=assessment, participant=people["sro"], outcome=outcome, score=6)


def test_an_unknown_outcome_is_refused(people):
    assessment = _open(people)
    with pytest.raises(ValidationError) as refused:
        services.ratings_save(actor=people["sro"], assessment=assessment, scores={"made-up": 3})
    assert refused.value.messages == [services.ERR_SELF_ASSESSMENT_UNKNOWN_OUTCOME.format(codes="made-up")]


def test_only_the_alliances_people_taking_part_rate(people, mob):
    assessment = _open(people)
    with pytest.raises(PermissionDenied):
        services.ratings_save(actor=people["admin"], assessment=assessment, scores={"deciding-behaviour-01": 3})
    outsider = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory()))
    with pytest.raises(PermissionDenied):
        services.ratings_save(actor=outsider, assessment=assessment, scores={"deciding-behaviour-01": 3})


# --- Results -----------------------------------------------------------------------------------------------


def test_averages_per_theme_and_phase_and_per_theme_are_exact(people):
    """Seed 003's matrix (figure 1.1): each theme across each phase."""
    assessment = _open(people)
    alliance = assessment.alliance
    b1, b2 = _codes(alliance, "behaviour", "deciding", 2)
    (c1,) = _codes(alliance, "behaviour", "creating", 1)
    (l1,) = _codes(alliance, "leadership", "sustaining", 1)
    services.ratings_save(actor=people["sro"], assessment=assessment, scores={b1: 4, b2: 5, c1: 1, l1: 2})
    services.ratings_save(actor=people["wsp-staff"], assessment=assessment, scores={b1: 5, c1: 2})
    services.ratings_save(actor=people["fluor-rep"], assessment=assessment, scores={b1: 3})
    results = selectors.self_assessment_results(assessment)
    deciding = results.cell("behaviour", "deciding")
    assert (deciding.total, deciding.count) == (17, 4)
    assert deciding.average == Decimal(17) / Decimal(4) == Decimal("4.25")
    assert results.cell("behaviour", "creating").average == Decimal(3) / Decimal(2)
    assert results.theme("behaviour").average == Decimal(20) / Decimal(6)
    assert results.theme("behaviour").average_shown == "3.33"
    assert results.cell("leadership", "sustaining").average == Decimal(2)
    assert results.cell("commercial", "deciding").average is None
    assert results.overall.average == Decimal(22) / Decimal(7)
    assert results.participants == 3
    # Gaps: below our threshold of 3.
    assert [(c.theme, c.phase) for c in results.gaps] == [("behaviour", "creating"), ("leadership", "sustaining")]


def test_results_are_compared_with_the_previous_assessment(people):
    earlier = _open(people, title="Earlier", opens_on=TODAY - dt.timedelta(days=7), closes_on=TODAY)
    alliance = earlier.alliance
    (b,) = _codes(alliance, "behaviour", "deciding", 1)
    (i,) = _codes(alliance, "integration", "deciding", 1)
    (lead,) = _codes(alliance, "leadership", "deciding", 1)
    services.ratings_save(actor=people["sro"], assessment=earlier, scores={b: 2, i: 4, lead: 3})
    services.ratings_save(actor=people["wsp-rep"], assessment=earlier, scores={b: 3})
    _close(people, earlier)
    now = _open(people, title="November")
    assert now.previous == earlier
    services.ratings_save(actor=people["sro"], assessment=now, scores={b: 4, i: 3, lead: 3})
    results = selectors.self_assessment_results(now)
    behaviour = results.cell("behaviour", "deciding")
    assert behaviour.previous_average == Decimal("2.5") and behaviour.average == Decimal(4)
    assert behaviour.difference == Decimal("1.5") and behaviour.direction == "up"
    assert behaviour.change_words == "up 1.50 from 2.50"
    integration = results.cell("integration", "deciding")
    assert integration.direction == "down" and integration.change_words == "down 1.00 from 4.00"
    assert results.cell("leadership", "deciding").direction == "level"
    assert results.cell("commercial", "deciding").direction is None
    assert results.participants == 1 and results.previous_participants == 2


# --- Gaps into the maturity plan ----------------------------------------------------------------------------


def _gap(people):
    assessment = _open(people)
    (code,) = _codes(assessment.alliance, "commercial", "sustaining", 1)
    services.ratings_save(actor=people["sro"], assessment=assessment, scores={code: 2})
    return assessment


def _draft_plan(mob, people, status=MaturityPlanStatus.DRAFT, version=1):
    plan = MaturityPlan.objects.create(alliance=mob, version=version, status=status,
                                       drafted_by=people["alliance-manager"])
    return plan, FocusArea.objects.create(plan=plan, code=f"fa-{version}", group="Commercial", title="Commercial model")


def test_a_gap_becomes_an_action_of_the_current_draft_maturity_plan(mob, people):
    assessment = _gap(people)
    _, area = _draft_plan(mob, people)
    action = services.self_assessment_gap_to_action(
        actor=people["alliance-manager"], assessment=assessment, theme="commercial", phase="sustaining",
        focus_area_id=area.pk)
    assert action.focus_area == area
    assert "Commercial · Sustaining" in action.source and "2.00" in action.source
    assert action.history.count() == 1


def test_a_gap_action_needs_a_draft_plan_and_one_of_its_focus_areas(mob, people):
    assessment = _gap(people)
    am = people["alliance-manager"]
    with pytest.raises(ValidationError) as refused:
        services.self_assessment_gap_to_action(actor=am, assessment=assessment, theme="commercial",
                                               phase="sustaining", focus_area_id=1)
    assert refused.value.messages == [services.ERR_SELF_ASSESSMENT_NO_DRAFT_PLAN]
    _, signed_area = _draft_plan(mob, people, status=MaturityPlanStatus.SIGNED_OFF, version=1)
    _draft_plan(mob, people, version=2)
    with pytest.raises(ValidationError) as refused:
        services.self_assessment_gap_to_action(actor=am, assessment=assessment, theme="commercial",
                                               phase="sustaining", focus_area_id=signed_area.pk)
    assert refused.value.message_dict == {"focus_area": [services.ERR_SELF_ASSESSMENT_FOCUS_AREA]}
    assert not MaturityAction.objects.exists()


def test_only_a_gap_becomes_an_action_and_only_by_the_alliance_manager(mob, people):
    assessment = _gap(people)
    _, area = _draft_plan(mob, people)
    with pytest.raises(ValidationError):
        services.self_assessment_gap_to_action(actor=people["alliance-manager"], assessment=assessment,
                                               theme="behaviour", phase="deciding", focus_area_id=area.pk)
    with pytest.raises(PermissionDenied):
        services.self_assessment_gap_to_action(actor=people["wsp-rep"], assessment=assessment, theme="commercial",
                                               phase="sustaining", focus_area_id=area.pk)
    assert not MaturityAction.objects.exists()


# --- Pages -------------------------------------------------------------------------------------------------


def _other_alliances_assessment():
    other = AllianceFactory()
    person = PersonFactory(organisation=OrganisationFactory(alliance=other))
    return SelfAssessment.objects.create(alliance=other, title="Theirs", opens_on=TODAY, closes_on=TODAY,
                                         created_by=person)


def test_the_list_page_for_members_403_without_an_alliance(people, client_for):
    assessment = _open(people)
    response = client_for(people["wsp-staff"]).get(reverse("mobilisation-assessments"))
    assert response.status_code == 200
    assert assessment.title in response.content.decode()
    assert b'data-testid="open-link"' not in response.content
    assert client_for(PersonFactory(organisation=None)).get(reverse("mobilisation-assessments")).status_code == 403


def test_the_alliance_manager_opens_one_from_its_page(people, client_for):
    url = reverse("mobilisation-assessment-new")
    assert client_for(people["wsp-rep"]).get(url).status_code == 403
    am = client_for(people["alliance-manager"])
    assert am.get(url).status_code == 200
    response = am.post(url, {"title": "Self-assessment, November 2026", "opens_on": "2026-11-23",
                             "closes_on": "2026-12-07"})
    assessment = SelfAssessment.objects.get()
    assert response.status_code == 302 and response.url == reverse("mobilisation-assessment", args=[assessment.pk])
    bad = am.post(url, {"title": "Again", "opens_on": "2026-11-23", "closes_on": "2026-12-07"})
    assert bad.status_code == 400 and "is still open" in bad.content.decode()


def test_the_assessment_page_shows_the_form_to_participants_and_results_only_after_the_close(people, client_for):
    assessment = _open(people)
    url = reverse("mobilisation-assessment", args=[assessment.pk])
    services.ratings_save(actor=people["sro"], assessment=assessment, scores={"deciding-behaviour-01": 2})
    staff = client_for(people["wsp-staff"]).get(url)
    assert staff.status_code == 200
    page = staff.content.decode()
    assert 'data-testid="ratings-form"' in page and 'data-testid="results-later"' in page
    assert 'data-testid="results"' not in page
    assert "1 person has rated" in page
    assert page.count("<select") == len(CODE_OF_PRACTICE)
    manager = client_for(people["alliance-manager"]).get(url).content.decode()
    assert 'data-testid="results"' in manager and 'data-testid="chart"' in manager
    _close(people, assessment)
    after = client_for(people["wsp-staff"]).get(url).content.decode()
    assert 'data-testid="results"' in after and 'data-testid="ratings-form"' not in after
    assert 'data-testid="gap-behaviour-deciding"' in after and "2.00" in after


def test_the_assessment_page_of_another_alliance_is_404(people, client_for):
    theirs = _other_alliances_assessment()
    for name in ("mobilisation-assessment",):
        assert client_for(people["wsp-staff"]).get(reverse(name, args=[theirs.pk])).status_code == 404
    assert client_for(people["wsp-staff"]).post(
        reverse("mobilisation-assessment-rate", args=[theirs.pk]), {}).status_code == 404
    assert client_for(people["alliance-manager"]).post(
        reverse("mobilisation-assessment-close", args=[theirs.pk])).status_code == 404
    assert client_for(people["alliance-manager"]).post(
        reverse("mobilisation-assessment-gap-action", args=[theirs.pk])).status_code == 404


def test_rating_from_the_page(people, client_for):
    assessment = _open(people)
    url = reverse("mobilisation-assessment-rate", args=[assessment.pk])
    staff = client_for(people["wsp-staff"])
    response = staff.post(url, {"deciding-behaviour-01": "4", "deciding-behaviour-02": ""})
    assert response.status_code == 302
    assert selectors.ratings_of(assessment, people["wsp-staff"]) == {"deciding-behaviour-01": 4}
    assert staff.post(url, {"deciding-behaviour-01": "9"}).status_code == 400
    assert selectors.ratings_of(assessment, people["wsp-staff"]) == {"deciding-behaviour-01": 4}
    assert client_for(people["admin"]).post(url, {"deciding-behaviour-01": "4"}).status_code == 403
    _close(people, assessment)
    refused = staff.post(url, {"deciding-behaviour-01": "2"})
    assert refused.status_code == 400 and services.ERR_SELF_ASSESSMENT_CLOSED in refused.content.decode()
    assert selectors.ratings_of(assessment, people["wsp-staff"]) == {"deciding-behaviour-01": 4}


def test_closing_from_the_page_is_for_the_alliance_manager(people, client_for):
    assessment = _open(people)
    url = reverse("mobilisation-assessment-close", args=[assessment.pk])
    assert client_for(people["sro"]).post(url).status_code == 403
    assert client_for(people["alliance-manager"]).post(url).status_code == 302
    assessment.refresh_from_db()
    assert assessment.status == SelfAssessmentStatus.CLOSED
    again = client_for(people["alliance-manager"]).post(url)
    assert again.status_code == 400


def test_a_gap_becomes_an_action_from_the_page(mob, people, client_for):
    assessment = _gap(people)
    _, area = _draft_plan(mob, people)
    page = client_for(people["alliance-manager"]).get(reverse("mobilisation-assessment", args=[assessment.pk]))
    assert 'data-testid="gap-commercial-sustaining"' in page.content.decode()
    url = reverse("mobilisation-assessment-gap-action", args=[assessment.pk])
    data = {"prefix": "gap-commercial-sustaining", "gap-commercial-sustaining-theme": "commercial",
            "gap-commercial-sustaining-phase": "sustaining", "gap-commercial-sustaining-focus_area": area.pk,
            "gap-commercial-sustaining-description": "Review the commercial model with the partners"}
    assert client_for(people["wsp-rep"]).post(url, data).status_code == 403
    assert client_for(people["alliance-manager"]).post(url, data).status_code == 302
    assert MaturityAction.objects.get().description == "Review the commercial model with the partners"
    not_a_gap = {**data, "gap-commercial-sustaining-theme": "behaviour"}
    assert client_for(people["alliance-manager"]).post(url, not_a_gap).status_code == 400
    assert MaturityAction.objects.count() == 1


# --- Demo --------------------------------------------------------------------------------------------------


def test_the_demo_has_a_closed_and_an_open_self_assessment_rated_by_twelve_people(mob):
    seed_assessment(mob)
    seed_assessment(mob)
    closed, open_now = (SelfAssessment.objects.get(alliance=mob, status=s)
                        for s in (SelfAssessmentStatus.CLOSED, SelfAssessmentStatus.OPEN))
    assert open_now.previous == closed
    assert closed.closes_on == dt.date(2026, 9, 23)
    assert selectors.self_assessment_participants(closed) == 12
    assert selectors.self_assessment_participants(open_now) == 12
    assert Rating.objects.filter(assessment=closed).count() == 12 * len(CODE_OF_PRACTICE)
    assert selectors.self_assessment_results(closed).gaps
