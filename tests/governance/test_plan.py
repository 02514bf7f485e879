"""The Implementation Plan (paras 1-6): versions of numbered sections, proposals to change them, the Alliance
Manager's review, the Board's decision, publication, and the comparison of two versions.

Every refusal asserts that nothing changed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from alliance.models import Obligation, ObligationKind, ObligationStatus, Role
from alliance.services import role_assign
from governance import outcomes
from governance.demo import seed_plan
from governance.models.board import Outcome
from governance.models.plan import ChangeProposal, ChangeProposalStatus, PlanSection, PlanVersion
from governance.selectors import plan as plan_selectors
from governance.services import board as board_services
from governance.services import plan as plan_services
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

S = ChangeProposalStatus
SECTIONS = [
    {"number": "1.1", "heading": "Purpose", "text": "How the Alliance operates and evolves."},
    {"number": "1.3", "heading": "Client reserved matters", "text": "Funding and termination.", "client_reserved": True},
    {"number": "2.4", "heading": "Proposed instruction to the Alliance Manager",
     "text": "The Alliance Manager submits an impact assessment within 28 days."},
    {"number": "3.3", "heading": "Alliance Board voting", "text": "A majority is more than half of all voting members."},
]


@pytest.fixture
def v1(board, people):
    return plan_services.plan_publish_initial(actor=people["alliance-manager"], alliance=board, sections=SECTIONS)


@pytest.fixture
def propose(v1, board, people):
    def make(username: str = "wsp-rep", number: str = "2.4", heading: str = "Proposed instruction to the Alliance Manager",
             text: str = "The Alliance Manager submits an impact assessment within 21 days.", reason: str = "Faster"):
        return plan_services.plan_change_propose(actor=people[username], alliance=board, section_number=number,
                                            section_heading=heading, proposed_text=text, reason=reason)

    return make


@pytest.fixture
def review(people):
    def make(proposal, accept: bool = True, assessment: str = "Low impact on cost; programme unaffected.", **kw):
        return plan_services.plan_change_review(actor=people["alliance-manager"], proposal=proposal, accept=accept,
                                           impact_assessment=assessment, **kw)

    return make


@pytest.fixture
def approve(review, vote, people):
    """Accept the proposal and let the Board approve it: four of seven votes for (para 5)."""

    def make(proposal):
        proposal = review(proposal)
        for username in ["sro", "fluor-rep", "jacobs-rep", "wsp-rep"]:
            vote(proposal.decision, username, "for")
        board_services.decision_close(actor=people["sro"], decision=proposal.decision)
        proposal.refresh_from_db()
        return proposal

    return make


def _obligations(proposal, status=None):
    qs = Obligation.objects.filter(subject_type=ContentType.objects.get_for_model(ChangeProposal),
                                   subject_id=proposal.pk, kind=ObligationKind.PLAN_CHANGE_REVIEW)
    return qs.filter(status=status) if status else qs


def _snapshot(proposal):
    proposal.refresh_from_db()
    return (proposal.status, proposal.impact_assessment, proposal.decision_id, proposal.published_in_id,
            proposal.history.count(), sorted(_obligations(proposal).values_list("pk", "status")),
            PlanVersion.objects.count())


# --- The transitions table -------------------------------------------------------------------------------


def test_every_status_has_a_row_in_the_one_transitions_table():
    assert set(plan_services.PLAN_CHANGE_TRANSITIONS) == set(S.values)
    assert plan_services.PLAN_CHANGE_TRANSITIONS[S.APPROVED] == {S.PUBLISHED}
    for final in (S.REJECTED_BY_MANAGER, S.REJECTED_BY_BOARD, S.PUBLISHED, S.WITHDRAWN):
        assert plan_services.PLAN_CHANGE_TRANSITIONS[final] == set()


def test_the_board_outcome_handler_is_registered_for_implementation_plan_updates():
    """Para 5: the Board's decision type "implementation-plan-update" moves the proposal."""
    assert outcomes.handler_for("implementation-plan-update") is not None
    assert outcomes._OWNERS["implementation-plan-update"] is plan_services.BOARD_OUTCOMES
    assert plan_services.BOARD_OUTCOMES.handlers["implementation-plan-update"] is plan_services._on_board_outcome


# --- The first version -----------------------------------------------------------------------------------


def test_the_first_version_holds_the_numbered_sections_in_order(v1, people):
    assert v1.number == 1 and v1.published_by == people["alliance-manager"]
    sections = plan_selectors.plan_sections(v1)
    assert [s.number for s in sections] == ["1.1", "1.3", "2.4", "3.3"]
    assert [s.client_reserved for s in sections] == [False, True, False, False]
    assert plan_selectors.plan_current_version(v1.alliance_id) == v1


def test_only_the_alliance_manager_publishes_the_first_version(board, people):
    with pytest.raises(PermissionDenied, match="Only the Alliance Manager"):
        plan_services.plan_publish_initial(actor=people["sro"], alliance=board, sections=SECTIONS)
    assert not PlanVersion.objects.exists()


def test_a_second_first_version_is_refused(v1, board, people):
    with pytest.raises(ValidationError) as refusal:
        plan_services.plan_publish_initial(actor=people["alliance-manager"], alliance=board, sections=SECTIONS)
    assert plan_services.ERR_PLAN_ALREADY_PUBLISHED in refusal.value.messages
    assert PlanVersion.objects.count() == 1


@pytest.mark.parametrize("sections, message", [
    ([], plan_services.ERR_PLAN_NO_SECTIONS),
    ([{"number": "1.1", "heading": "A", "text": ""}, {"number": "1.1", "heading": "B", "text": ""}],
     plan_services.ERR_PLAN_DUPLICATE_SECTION.format(number="1.1")),
    ([{"number": "one", "heading": "A", "text": ""}], plan_services.ERR_PLAN_SECTION_NUMBER),
])
def test_a_first_version_with_bad_sections_is_refused(board, people, sections, message):
    with pytest.raises(ValidationError) as refusal:
        plan_services.plan_publish_initial(actor=people["alliance-manager"], alliance=board, sections=sections)
    assert message in refusal.value.messages
    assert not PlanVersion.objects.exists() and not PlanSection.objects.exists()


# --- Proposing (para 3) ----------------------------------------------------------------------------------


def test_a_member_proposes_a_change_and_the_alliance_manager_is_asked_to_review_it(propose, people, frozen_today):
    """Para 3: any member proposes; para 4: the Alliance Manager reviews (within our 28 days)."""
    proposal = propose()
    assert proposal.status == S.PROPOSED and proposal.organisation == people["wsp-rep"].organisation
    assert proposal.base_version.number == 1
    obligation = _obligations(proposal).get()
    assert obligation.status == ObligationStatus.OPEN and obligation.paragraph == "para 4"
    assert obligation.responsible_person == people["alliance-manager"]
    assert obligation.due_date == frozen_today + dt.timedelta(days=28)
    record = proposal.history.get()
    assert record.history_user == people["wsp-rep"] and record.status == S.PROPOSED


@pytest.mark.parametrize("username", ["wsp-staff", "costain-delegate", "client-reviewer", "alliance-manager"])
def test_any_member_of_the_alliance_may_propose(propose, username):
    """Para 3: "Any member of the Alliance may propose an update"."""
    assert propose(username).status == S.PROPOSED


@pytest.mark.parametrize("username", ["wsp-rep", "fluor-staff", "bam-msjv-delegate"])
def test_a_partner_proposing_a_client_reserved_matter_is_refused(propose, username):
    """Para 3: with the exception of the Client reserved matters stated in the conditions of contract."""
    with pytest.raises(ValidationError) as refusal:
        propose(username, number="1.3", heading="Client reserved matters", text="Funding is agreed by the Board.")
    assert refusal.value.message_dict["section_number"] == [plan_services.ERR_PLAN_CLIENT_RESERVED.format(number="1.3")]
    assert "para 3" in refusal.value.message_dict["section_number"][0]
    assert not ChangeProposal.objects.exists() and not Obligation.objects.filter(kind=ObligationKind.PLAN_CHANGE_REVIEW).exists()


@pytest.mark.parametrize("username", ["sro", "alliance-manager", "client-reviewer"])
def test_the_client_may_propose_a_change_to_a_reserved_matter(propose, username):
    """Para 3: the matters are reserved to the Client, so the Client's own people may propose changes."""
    proposal = propose(username, number="1.3", heading="Client reserved matters", text="Funding, allocation and termination.")
    assert proposal.status == S.PROPOSED


def test_a_new_section_may_be_proposed_with_an_unused_number(propose):
    proposal = propose(number="2.5", heading="Ministerial instructions", text="Both periods are 14 days (para 31).")
    assert proposal.status == S.PROPOSED and proposal.section_number == "2.5"


@pytest.mark.parametrize("fields, field, message", [
    ({"text": "The Alliance Manager submits an impact assessment within 28 days."}, "proposed_text",
     plan_services.ERR_PLAN_NO_CHANGE),
    ({"number": "2.4a"}, "section_number", plan_services.ERR_PLAN_SECTION_NUMBER),
    ({"number": ""}, "section_number", plan_services.ERR_PLAN_SECTION_NUMBER),
    ({"text": "  "}, "proposed_text", plan_services.ERR_PLAN_EMPTY_FIELD.format(field="proposed text")),
    ({"reason": ""}, "reason", plan_services.ERR_PLAN_EMPTY_FIELD.format(field="reason")),
    ({"heading": ""}, "section_heading", plan_services.ERR_PLAN_EMPTY_FIELD.format(field="section heading")),
])
def test_a_proposal_that_changes_nothing_or_is_incomplete_is_refused(propose, fields, field, message):
    with pytest.raises(ValidationError) as refusal:
        propose(**fields)
    assert refusal.value.message_dict[field] == [message]
    assert not ChangeProposal.objects.exists()


def test_a_heading_only_change_is_a_change(propose):
    proposal = propose(heading="Client instructions", text="The Alliance Manager submits an impact assessment within 28 days.")
    assert proposal.status == S.PROPOSED


def test_a_proposal_before_any_version_is_refused(board, people):
    with pytest.raises(ValidationError) as refusal:
        plan_services.plan_change_propose(actor=people["wsp-rep"], alliance=board, section_number="1.1",
                                     section_heading="Purpose", proposed_text="x", reason="y")
    assert plan_services.ERR_PLAN_NO_VERSION in refusal.value.messages
    assert not ChangeProposal.objects.exists()


def test_someone_of_another_alliance_cannot_propose(v1, board):
    outsider = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory()))
    with pytest.raises(PermissionDenied):
        plan_services.plan_change_propose(actor=outsider, alliance=board, section_number="1.1", section_heading="Purpose",
                                     proposed_text="Changed.", reason="Because.")
    assert not ChangeProposal.objects.exists()


# --- Withdrawing -----------------------------------------------------------------------------------------


def test_the_proposer_withdraws_and_the_review_is_no_longer_due(propose, people):
    proposal = plan_services.plan_change_withdraw(actor=people["wsp-rep"], proposal=propose())
    assert proposal.status == S.WITHDRAWN
    assert _obligations(proposal).get().status == ObligationStatus.CANCELLED
    assert proposal.history.order_by("-history_id").first().history_user == people["wsp-rep"]


@pytest.mark.parametrize("username", ["wsp-staff", "alliance-manager", "sro"])
def test_only_the_proposer_can_withdraw(propose, people, username):
    proposal = propose()
    before = _snapshot(proposal)
    with pytest.raises(PermissionDenied, match="Only the person who proposed"):
        plan_services.plan_change_withdraw(actor=people[username], proposal=proposal)
    assert _snapshot(proposal) == before


def test_a_proposal_with_the_board_cannot_be_withdrawn(propose, review, people):
    proposal = review(propose())
    before = _snapshot(proposal)
    with pytest.raises(ValidationError) as refusal:
        plan_services.plan_change_withdraw(actor=people["wsp-rep"], proposal=proposal)
    assert refusal.value.messages == [plan_services.ERR_PLAN_STATE.format(status="with the Board", action="withdrawn")]
    assert _snapshot(proposal) == before


# --- The Alliance Manager's review (para 4) and the Board (para 5) --------------------------------------


def test_the_alliance_manager_rejects_following_an_impact_assessment(propose, review, people):
    """Para 4: the Alliance Manager accepts or rejects following an impact assessment."""
    proposal = review(propose(), accept=False, assessment="Conflicts with para 27's 28 days.")
    assert proposal.status == S.REJECTED_BY_MANAGER and proposal.decision is None
    assert proposal.impact_assessment == "Conflicts with para 27's 28 days."
    assert proposal.reviewed_by == people["alliance-manager"]
    assert _obligations(proposal).get().status == ObligationStatus.MET


def test_accepting_takes_the_impact_assessment_to_the_board(propose, review, people):
    """Para 5: the Alliance Manager takes the outcome of the impact assessment to the Board for approval."""
    proposal = review(propose())
    assert proposal.status == S.WITH_BOARD
    decision = proposal.decision
    assert decision.decision_type.code == "implementation-plan-update" and decision.rule_paragraph == "para 5"
    assert decision.subject == proposal and "Low impact on cost" in decision.description
    assert timezone.localtime(decision.closes_at) == dt.datetime(2026, 12, 7, 17, 0, tzinfo=timezone.get_current_timezone())
    assert _obligations(proposal).get().status == ObligationStatus.MET
    assert proposal.history.order_by("-history_id").first().history_user == people["alliance-manager"]


@pytest.mark.parametrize("accept, message", [
    (True, plan_services.ERR_PLAN_ASSESSMENT_REQUIRED), (False, plan_services.ERR_PLAN_REJECT_REASON_REQUIRED)])
def test_a_review_without_an_impact_assessment_is_refused(propose, review, accept, message):
    proposal = propose()
    before = _snapshot(proposal)
    with pytest.raises(ValidationError) as refusal:
        review(proposal, accept=accept, assessment=" ")
    assert refusal.value.message_dict["impact_assessment"] == [message]
    assert _snapshot(proposal) == before


@pytest.mark.parametrize("username", ["sro", "wsp-rep", "admin"])
def test_only_the_alliance_manager_reviews(propose, people, username):
    proposal = propose()
    before = _snapshot(proposal)
    with pytest.raises(PermissionDenied, match="Only the Alliance Manager"):
        plan_services.plan_change_review(actor=people[username], proposal=proposal, accept=True, impact_assessment="ok")
    assert _snapshot(proposal) == before


def test_a_proposal_is_reviewed_once(propose, review):
    proposal = review(propose(), accept=False)
    before = _snapshot(proposal)
    with pytest.raises(ValidationError) as refusal:
        review(proposal)
    assert refusal.value.messages == [plan_services.ERR_PLAN_STATE.format(status="rejected by the Alliance Manager",
                                                                      action="reviewed")]
    assert _snapshot(proposal) == before


def test_a_withdrawn_proposal_cannot_be_reviewed(propose, review, people):
    proposal = plan_services.plan_change_withdraw(actor=people["wsp-rep"], proposal=propose())
    before = _snapshot(proposal)
    with pytest.raises(ValidationError, match="withdrawn: it cannot be reviewed"):
        review(proposal)
    assert _snapshot(proposal) == before


def test_board_approval_asks_the_alliance_manager_to_publish(propose, approve, people, frozen_today):
    """Para 5: the Board approves; para 6: the Alliance Manager then updates the plan."""
    proposal = approve(propose())
    assert proposal.decision.outcome == Outcome.APPROVED and proposal.status == S.APPROVED
    publish = _obligations(proposal, ObligationStatus.OPEN).get()
    assert publish.paragraph == "para 6" and publish.responsible_person == people["alliance-manager"]
    assert publish.due_date == frozen_today + dt.timedelta(days=28)
    assert proposal.history.order_by("-history_id").first().history_user == people["sro"]


def test_board_rejection_closes_the_proposal(propose, review, vote, people):
    proposal = review(propose())
    for username in ["sro", "fluor-rep", "jacobs-rep", "wsp-rep"]:
        vote(proposal.decision, username, "against")
    board_services.decision_close(actor=people["alliance-manager"], decision=proposal.decision)
    proposal.refresh_from_db()
    assert proposal.status == S.REJECTED_BY_BOARD
    assert not _obligations(proposal, ObligationStatus.OPEN).exists()


def test_a_decision_not_taken_returns_the_proposal_to_the_alliance_manager(propose, review, people):
    """The decision's meeting was rearranged (para 36): the Board has not decided; the Alliance Manager takes
    the proposal to the Board again, its impact assessment kept."""
    proposal = review(propose())
    meeting = board_services.meeting_schedule(actor=people["alliance-manager"], alliance=proposal.alliance,
                                        title="Alliance Board", location="Room 4",
                                        starts_at=timezone.now() + dt.timedelta(days=1))
    type(proposal.decision).objects.filter(pk=proposal.decision_id).update(meeting=meeting)
    board_services.meeting_rearrange(actor=people["alliance-manager"], meeting=meeting,
                               starts_at=timezone.now() + dt.timedelta(days=8))
    proposal.refresh_from_db()
    assert proposal.decision.outcome == Outcome.NOT_TAKEN
    assert proposal.status == S.PROPOSED and proposal.impact_assessment
    assert _obligations(proposal, ObligationStatus.OPEN).get().paragraph == "para 4"
    again = review(proposal)
    assert again.status == S.WITH_BOARD and again.decision_id != proposal.decision_id


def test_an_older_decision_about_the_proposal_changes_nothing(propose, review):
    """Only the decision the proposal is waiting on moves it (e.g. not one tabled before a "not taken")."""
    proposal = review(propose())
    before = _snapshot(proposal)
    stray = proposal.decision
    stray.pk, stray.outcome = stray.pk + 1000, Outcome.APPROVED
    outcomes.handler_for("implementation-plan-update")(stray)
    assert _snapshot(proposal) == before


# --- Publishing (para 6) ---------------------------------------------------------------------------------


def test_publishing_creates_the_next_version_with_the_change_and_every_other_section_copied(
        propose, approve, v1, board, people):
    """Para 6: if the Board approves, the Alliance Manager updates the Implementation Plan."""
    proposal = approve(propose())
    v2 = plan_services.plan_version_publish(actor=people["alliance-manager"], alliance=board, proposals=[proposal])
    assert v2.number == 2 and "2.4" in v2.note
    old = {s.number: s for s in plan_selectors.plan_sections(v1)}
    new = {s.number: s for s in plan_selectors.plan_sections(v2)}
    assert list(new) == ["1.1", "1.3", "2.4", "3.3"]
    assert new["2.4"].text == "The Alliance Manager submits an impact assessment within 21 days."
    assert old["2.4"].text.endswith("within 28 days.")  # version 1 is untouched
    for number in ("1.1", "1.3", "3.3"):
        assert (new[number].heading, new[number].text, new[number].client_reserved) == (
            old[number].heading, old[number].text, old[number].client_reserved)
    proposal.refresh_from_db()
    assert proposal.status == S.PUBLISHED and proposal.published_in == v2
    assert not _obligations(proposal, ObligationStatus.OPEN).exists()
    assert plan_selectors.plan_current_version(board.pk) == v2


def test_several_approved_changes_publish_together_and_a_new_section_takes_its_place(
        propose, approve, board, people):
    first = approve(propose())
    added = approve(propose("sro", number="2.5", heading="Ministerial instructions", text="14 days (para 31)."))
    v2 = plan_services.plan_version_publish(actor=people["alliance-manager"], alliance=board, proposals=[first, added],
                                       note="Client instructions")
    assert [s.number for s in plan_selectors.plan_sections(v2)] == ["1.1", "1.3", "2.4", "2.5", "3.3"]
    assert v2.note == "Client instructions"
    assert set(ChangeProposal.objects.values_list("status", flat=True)) == {S.PUBLISHED}


def test_publishing_a_change_the_board_has_not_approved_is_refused(propose, review, board, people):
    proposal = review(propose())
    before = _snapshot(proposal)
    with pytest.raises(ValidationError) as refusal:
        plan_services.plan_version_publish(actor=people["alliance-manager"], alliance=board, proposals=[proposal])
    assert refusal.value.messages == [plan_services.ERR_PLAN_STATE.format(status="with the Board", action="published")]
    assert _snapshot(proposal) == before and PlanVersion.objects.count() == 1


def test_publishing_nothing_is_refused(v1, board, people):
    with pytest.raises(ValidationError) as refusal:
        plan_services.plan_version_publish(actor=people["alliance-manager"], alliance=board, proposals=[])
    assert refusal.value.message_dict["proposals"] == [plan_services.ERR_PLAN_NOTHING_TO_PUBLISH]
    assert PlanVersion.objects.count() == 1


def test_two_changes_to_one_section_are_not_published_together(propose, approve, board, people):
    first = approve(propose())
    second = approve(propose("sro", text="The Alliance Manager submits an impact assessment within 14 days."))
    with pytest.raises(ValidationError) as refusal:
        plan_services.plan_version_publish(actor=people["alliance-manager"], alliance=board, proposals=[first, second])
    assert refusal.value.message_dict["proposals"] == [plan_services.ERR_PLAN_SAME_SECTION_TWICE.format(number="2.4")]
    assert PlanVersion.objects.count() == 1
    assert set(ChangeProposal.objects.values_list("status", flat=True)) == {S.APPROVED}
    # One at a time works, and the second is then marked as made against a section that has changed since.
    plan_services.plan_version_publish(actor=people["alliance-manager"], alliance=board, proposals=[first])
    assert [p.stale for p in plan_selectors.plan_approved_proposals(board.pk)] == [True]


@pytest.mark.parametrize("username", ["sro", "wsp-rep"])
def test_only_the_alliance_manager_publishes(propose, approve, board, people, username):
    proposal = approve(propose())
    before = _snapshot(proposal)
    with pytest.raises(PermissionDenied, match="Only the Alliance Manager"):
        plan_services.plan_version_publish(actor=people[username], alliance=board, proposals=[proposal])
    assert _snapshot(proposal) == before


def test_a_published_change_cannot_be_published_again(propose, approve, board, people):
    proposal = approve(propose())
    plan_services.plan_version_publish(actor=people["alliance-manager"], alliance=board, proposals=[proposal])
    with pytest.raises(ValidationError, match="published: it cannot be published"):
        plan_services.plan_version_publish(actor=people["alliance-manager"], alliance=board, proposals=[proposal])
    assert PlanVersion.objects.count() == 2


def test_another_alliances_manager_cannot_publish_our_changes(propose, approve, board):
    proposal = approve(propose())
    outsider = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory()))
    role_assign(person=outsider, role=Role.ALLIANCE_MANAGER)
    with pytest.raises(PermissionDenied):
        plan_services.plan_version_publish(actor=outsider, alliance=board, proposals=[proposal])
    with pytest.raises(PermissionDenied):
        plan_services.plan_version_publish(actor=outsider, alliance=outsider.organisation.alliance, proposals=[proposal])
    assert PlanVersion.objects.count() == 1


# --- Comparing versions ----------------------------------------------------------------------------------


def test_the_comparison_marks_sections_added_removed_changed_and_unchanged(propose, approve, v1, board, people):
    changed, added = approve(propose()), approve(propose("sro", number="2.5", heading="Ministerial", text="Fourteen days."))
    v2 = plan_services.plan_version_publish(actor=people["alliance-manager"], alliance=board, proposals=[changed, added])
    rows = {r["number"]: r for r in plan_selectors.plan_compare(v1, v2)}
    assert list(rows) == ["1.1", "1.3", "2.4", "2.5", "3.3"]
    assert {n: r["status"] for n, r in rows.items()} == {
        "1.1": "unchanged", "1.3": "unchanged", "2.4": "changed", "2.5": "added", "3.3": "unchanged"}
    assert rows["2.4"]["fragments"] == [
        {"kind": "equal", "text": "The Alliance Manager submits an impact assessment within "},
        {"kind": "delete", "text": "28"}, {"kind": "insert", "text": "21"},
        {"kind": "equal", "text": " days."},
    ]
    assert rows["2.5"]["fragments"] == [{"kind": "insert", "text": "Fourteen days."}]
    assert rows["1.3"]["client_reserved"] is True
    backwards = {r["number"]: r for r in plan_selectors.plan_compare(v2, v1)}
    assert backwards["2.5"]["status"] == "removed"
    assert backwards["2.5"]["fragments"] == [{"kind": "delete", "text": "Fourteen days."}]


def test_the_word_diff_keeps_every_word_and_space():
    old, new = "Board members vote\nonce a month.", "Board members and delegates vote\nonce a quarter."
    fragments = plan_selectors.plan_text_diff(old, new)
    assert "".join(f["text"] for f in fragments if f["kind"] != "insert") == old
    assert "".join(f["text"] for f in fragments if f["kind"] != "delete") == new
    assert {"kind": "insert", "text": " and delegates"} in fragments
    assert {"kind": "delete", "text": "month."} in fragments


def test_a_heading_change_alone_is_a_changed_section(propose, approve, v1, board, people):
    proposal = approve(propose(heading="Client instructions", text="The Alliance Manager submits an impact assessment within 28 days."))
    v2 = plan_services.plan_version_publish(actor=people["alliance-manager"], alliance=board, proposals=[proposal])
    row = next(r for r in plan_selectors.plan_compare(v1, v2) if r["number"] == "2.4")
    assert row["status"] == "changed" and row["heading_changed"] and row["heading_b"] == "Client instructions"


# --- Demo ------------------------------------------------------------------------------------------------


def test_the_demo_plan_is_seeded_once(board):
    seed_plan(board)
    seed_plan(board)
    version = PlanVersion.objects.get()
    assert version.sections.count() == 8 and version.sections.filter(client_reserved=True).count() == 2
    assert ChangeProposal.objects.get().status == S.PROPOSED
