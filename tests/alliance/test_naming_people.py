"""Naming people: who may name whom as an owner, lead, approver or delegate (issue 16, item 8).

A partner hands work only to its own people: ``wsp-staff`` raising a risk owned by ``jacobs-rep`` gave Jacobs'
representative a monthly obligation from another organisation. One rule (alliance.permissions.may_name_person)
for every field through which a user names a person: a partner's people (and the client's people other than
the SRO and the Alliance Manager) name their own organisation's people; the SRO and the Alliance Manager name
anyone in the Alliance (paras 14, 25); the supply chain team (the Alliance Manager and the Production Management
Partner's people, para 116) names anyone in the registers it keeps for the Alliance (risks; supplier
relationships "at an appropriate level within the Alliance", para 136). Nobody names an inactive person, a
person of another alliance or of an organisation that is not a member today (paras 95-98).
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django import forms as django_forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils import timezone
from rest_framework import relations
from rest_framework import serializers as drf_serializers

from alliance import permissions
from alliance import services as alliance_services
from alliance.forms import NamedPersonField, ObligationAddForm
from alliance.models import Obligation, ObligationKind, Organisation, Person
from alliance.permissions import ERR_NAME_OWN_ORGANISATION, ERR_NAME_UNAVAILABLE, may_name_person
from alliance.serializers import NamedPersonField as NamedPersonSerializerField
from governance.demo import seed_matrix
from governance.forms.board import DelegationForm
from governance.models import DecisionType, Delegation
from governance.selectors import board as governance_selectors
from governance.services import board as governance_services
from governance.services.board import ERR_DELEGATE_ROLE
from mobilisation.forms import DeliverableForm
from mobilisation.models import Deliverable, Dimension, DuePeriod
from mobilisation.services import deliverables as mobilisation_services
from supplychain.forms import RiskActionForm, RiskRaiseForm, SupplierForm
from supplychain.models import Risk, RiskAction, Supplier
from supplychain.services import risks as supplychain_risks
from supplychain.services import suppliers as supplychain_suppliers
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

PROJECT_APPS = ("alliance", "audit", "backups", "twofactor", "governance", "people", "allocation", "performance", "supplychain",
                "mobilisation")


@pytest.fixture
def people(smp) -> dict[str, Person]:
    seed_matrix(smp)  # the Decision Matrix: a decision to delegate a vote on
    return {p.username: p for p in Person.objects.select_related("organisation__lot").all()}


# --- Every field that names a person, and how to name one through its service and its form -------------------


def _risk_for(people, actor: Person) -> Risk:
    """A risk the actor may give actions to: their own (a partner), or any (the supply chain team)."""
    return supplychain_risks.risk_raise(actor=actor, title="Steel shortage", owner=actor, likelihood=3,
                                           impact=3, strategy="treat")


def _decision(people, actor: Person):
    return governance_services.decision_table(
        actor=people["alliance-manager"], alliance=people["alliance-manager"].organisation.alliance,
        decision_type=DecisionType.objects.get(code="key-person-appointment"), title="Appoint a key person",
        closes_at=timezone.now() + dt.timedelta(days=3))


def _writes(*models) -> Callable[[], tuple[int, ...]]:
    """What a naming writes: its records, obligations (a named person's reminders) and their history."""
    return lambda: tuple(m.objects.count() for m in models) + (Obligation.objects.count(),
                                                                Obligation.history.count())


@dataclass(frozen=True)
class Naming:
    """A field through which a user names a person: the service that writes it, the form that offers it."""

    field: str  # app_label.Model.field
    name: Callable  # (people, actor, person, subject) -> calls the service
    form: Callable  # (people, actor) -> the page's form
    form_field: str
    written: Callable[[], tuple[int, ...]]
    limited: str | None = None  # someone who names only their own organisation's people here
    own: str | None = None  # a person of the limited user's organisation they may name
    across: str | None = None  # someone who names anyone in the Alliance here
    prepare: Callable = field(default=lambda people, actor: None)


NAMINGS = [
    Naming(
        "supplychain.Risk.owner",
        name=lambda people, actor, person, subject: supplychain_risks.risk_raise(
            actor=actor, title="Utility diversions", owner=person, likelihood=4, impact=5, strategy="transfer"),
        form=lambda people, actor: RiskRaiseForm(actor=actor), form_field="owner",
        written=_writes(Risk), limited="wsp-staff", own="wsp-rep", across="alliance-manager",
    ),
    Naming(
        "supplychain.RiskAction.owner",
        name=lambda people, actor, person, subject: supplychain_risks.risk_action_add(
            actor=actor, risk=subject, description="Second steel supplier", owner=person,
            due_on=dt.date(2026, 12, 31)),
        form=lambda people, actor: RiskActionForm(actor=actor), form_field="owner",
        written=_writes(RiskAction), limited="wsp-staff", own="wsp-rep", across="alliance-manager",
        prepare=_risk_for,
    ),
    Naming(
        "supplychain.Supplier.relationship_owner",
        name=lambda people, actor, person, subject: supplychain_suppliers.supplier_register(
            actor=actor, name="Acme Fencing Ltd", category="Fencing", relationship_owner=person),
        form=lambda people, actor: SupplierForm(actor=actor), form_field="relationship_owner",
        written=_writes(Supplier), across="alliance-manager",  # only the supply chain team keeps the register
    ),
    Naming(
        "mobilisation.Deliverable.approver",
        name=lambda people, actor, person, subject: mobilisation_services.deliverable_add(
            actor=actor, alliance=actor.organisation.alliance, title="Lessons learned log",
            dimension=Dimension.PURE_MOBILISATION, due_period=DuePeriod.THREE_MONTHS, approver=person),
        form=lambda people, actor: DeliverableForm(alliance_id=actor.organisation.alliance_id, actor=actor),
        form_field="approver", written=_writes(Deliverable), across="alliance-manager",  # the AM only
    ),
    Naming(
        "alliance.Obligation.responsible_person",
        name=lambda people, actor, person, subject: alliance_services.obligation_add(
            actor=actor, alliance=actor.organisation.alliance, kind=ObligationKind.OTHER, title="Site visit",
            start_date=dt.date(2026, 11, 23), due_date=dt.date(2026, 12, 23), responsible_person=person),
        form=lambda people, actor: ObligationAddForm(actor=actor), form_field="responsible_person",
        written=_writes(), across="alliance-manager",  # the AM and the SRO only
    ),
    Naming(
        "governance.Delegation.delegate",
        name=lambda people, actor, person, subject: governance_services.delegation_grant(
            actor=actor, delegate=person, decision=subject),
        form=lambda people, actor: DelegationForm(delegates=governance_selectors.delegates_of(actor)),
        form_field="delegate", written=_writes(Delegation), limited="wsp-rep", own="wsp-delegate",
        prepare=_decision,  # nobody names another organisation's delegate, not even the SRO
    ),
]
IDS = [n.field for n in NAMINGS]
LIMITED = [pytest.param(n, id=n.field) for n in NAMINGS if n.limited]
ACROSS = [pytest.param(n, id=n.field) for n in NAMINGS if n.across]
EVERY = [pytest.param(n, id=n.field) for n in NAMINGS]


def _actor(naming: Naming) -> str:
    return naming.limited or naming.across


def _other_organisations_person(naming: Naming) -> str:
    return "jacobs-delegate" if naming.field == "governance.Delegation.delegate" else "jacobs-rep"


def _refused(naming: Naming, people, actor: Person, person: Person, message: str) -> None:
    subject = naming.prepare(people, actor)
    before = naming.written()
    with pytest.raises(ValidationError) as refusal:
        naming.name(people, actor, person, subject)
    assert refusal.value.message_dict == {naming.form_field: [message]}
    assert naming.written() == before  # no record, no obligation, no history


# --- The rule on every field -------------------------------------------------------------------------------------


@pytest.mark.parametrize("naming", LIMITED)
def test_a_partner_naming_another_organisations_person_is_refused_and_nothing_changes(naming, people):
    """The issue's case: wsp-staff made jacobs-rep a risk's owner, with a monthly obligation."""
    _refused(naming, people, people[naming.limited], people[_other_organisations_person(naming)],
             ERR_NAME_OWN_ORGANISATION)


@pytest.mark.parametrize("naming", LIMITED)
def test_a_partner_names_its_own_organisations_person(naming, people):
    actor, person = people[naming.limited], people[naming.own]
    subject = naming.prepare(people, actor)
    before = naming.written()
    named = naming.name(people, actor, person, subject)
    assert getattr(named, naming.field.rsplit(".", 1)[1]) == person
    assert naming.written() != before


@pytest.mark.parametrize("naming", ACROSS)
def test_the_alliance_manager_names_anyone_across_the_alliance(naming, people):
    """Paras 14, 25: the Alliance Manager runs the Alliance for its members."""
    actor, person = people[naming.across], people["jacobs-rep"]
    subject = naming.prepare(people, actor)
    named = naming.name(people, actor, person, subject)
    assert getattr(named, naming.field.rsplit(".", 1)[1]) == person


@pytest.mark.parametrize("naming", EVERY)
def test_naming_an_inactive_person_is_refused(naming, people):
    person = people[naming.own or "jacobs-rep"]
    Person.objects.filter(pk=person.pk).update(is_active=False)
    person.refresh_from_db()
    _refused(naming, people, people[_actor(naming)], person, ERR_NAME_UNAVAILABLE)


@pytest.mark.parametrize("naming", EVERY)
def test_naming_a_person_of_another_alliance_is_refused(naming, people):
    stranger = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory()))
    _refused(naming, people, people[_actor(naming)], stranger, ERR_NAME_UNAVAILABLE)


@pytest.mark.parametrize("naming", ACROSS)
def test_naming_a_person_of_a_terminated_partner_is_refused(naming, people):
    """Paras 95-96: from its termination's effective date a partner is no longer a member of the Alliance."""
    Organisation.objects.filter(slug="jacobs").update(member_until=dt.date(2026, 11, 23))
    _refused(naming, people, people[naming.across], people["jacobs-rep"], ERR_NAME_UNAVAILABLE)


@pytest.mark.parametrize("naming", ACROSS)
def test_naming_a_person_of_a_partner_not_yet_a_member_is_refused(naming, people):
    """Para 98: a newly procured partner is a member from its start date."""
    Organisation.objects.filter(slug="jacobs").update(member_since=dt.date(2026, 12, 1))
    _refused(naming, people, people[naming.across], people["jacobs-rep"], ERR_NAME_UNAVAILABLE)


def _offered(naming: Naming, people, username: str) -> set[str]:
    return {p.username for p in naming.form(people, people[username]).fields[naming.form_field].queryset}


@pytest.mark.parametrize("naming", LIMITED)
def test_a_partners_dropdown_offers_only_its_own_organisations_active_people(naming, people):
    gone = PersonFactory(organisation=people["wsp-rep"].organisation, is_active=False)
    offered = _offered(naming, people, naming.limited)
    assert naming.own in offered and gone.username not in offered
    own = set(Person.objects.filter(organisation__slug="wsp", is_active=True).values_list("username", flat=True))
    assert offered <= own


@pytest.mark.parametrize("naming", ACROSS)
def test_the_alliance_managers_dropdown_offers_every_member_organisations_active_people(naming, people):
    Person.objects.filter(username="costain-staff").update(is_active=False)
    Organisation.objects.filter(slug="jacobs").update(member_until=dt.date(2026, 11, 1))
    offered = _offered(naming, people, naming.across)
    expected = set(Person.objects.filter(organisation__alliance__slug="smp-alliance", is_active=True)
                   .exclude(organisation__slug="jacobs").values_list("username", flat=True))
    assert offered == expected
    assert "wsp-rep" in offered and "costain-staff" not in offered and "jacobs-rep" not in offered


@pytest.mark.parametrize("naming", [pytest.param(n, id=n.field) for n in NAMINGS if n.limited
                                    and n.field != "governance.Delegation.delegate"])
def test_a_form_refuses_a_person_it_does_not_offer_with_the_message(naming, people):
    """Posted by hand, another organisation's person is not a valid choice: the page says why."""
    form_field = naming.form(people, people[naming.limited]).fields[naming.form_field]
    assert isinstance(form_field, NamedPersonField)
    with pytest.raises(ValidationError) as refusal:
        form_field.clean(people["jacobs-rep"].pk)
    assert refusal.value.messages == [ERR_NAME_OWN_ORGANISATION]
    assert form_field.clean(people[naming.own].pk) == people[naming.own]


# --- Who names whom ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "across_alliance", "names_across"), [
    ("sro", False, True),  # the client's SRO runs the Alliance (para 14)
    ("alliance-manager", False, True),  # para 25
    ("client-reviewer", False, False),  # client people only
    ("admin", False, False),  # a platform administrator: client people only
    ("wsp-staff", False, False),
    ("jacobs-rep", False, False),
    ("fluor-staff", False, False),  # the Production Management Partner, outside its supply chain registers
    ("fluor-staff", True, True),  # the supply chain team in the registers it keeps (para 116)
])
def test_who_may_name_whom(people, username, across_alliance, names_across):
    actor = people[username]
    for person in Person.objects.filter(organisation__isnull=False).select_related("organisation"):
        expected = person.organisation_id == actor.organisation_id or names_across
        assert may_name_person(actor, person, across_alliance=across_alliance) is expected, person.username


def test_nobody_names_a_person_without_an_organisation_or_nobody(people):
    loose = PersonFactory(organisation=None)
    assert not may_name_person(people["alliance-manager"], loose)
    assert not may_name_person(people["alliance-manager"], None)
    assert not may_name_person(loose, loose)


def test_the_supply_chain_team_names_a_risks_owner_across_the_alliance(people):
    """Para 116: the Production Management Partner's people keep the risk register for the whole Alliance."""
    risk = supplychain_risks.risk_raise(actor=people["fluor-staff"], title="Steel", owner=people["jacobs-rep"],
                                           likelihood=2, impact=2, strategy="accept")
    action = supplychain_risks.risk_action_add(actor=people["fluor-staff"], risk=risk, description="Hedge",
                                                  owner=people["costain-staff"], due_on=dt.date(2026, 12, 1))
    assert (risk.owner.username, action.owner.username) == ("jacobs-rep", "costain-staff")


def test_the_supply_chain_team_assigns_a_supplier_relationship_across_the_alliance(people):
    """Para 136: "assign ownerships of supplier relationships at an appropriate level within the Alliance"."""
    supplier = supplychain_suppliers.supplier_register(actor=people["fluor-staff"], name="Acme", category="Fencing",
                                                      relationship_owner=people["costain-rep"])
    assert supplier.relationship_owner.username == "costain-rep"


def test_the_sro_names_anyone_but_a_client_reviewer_only_client_people(people):
    risk = supplychain_risks.risk_raise(actor=people["sro"], title="Steel", owner=people["wsp-rep"],
                                           likelihood=2, impact=2, strategy="accept")
    assert risk.owner.username == "wsp-rep"
    with pytest.raises(ValidationError) as refusal:
        supplychain_risks.risk_raise(actor=people["client-reviewer"], title="Steel", owner=people["wsp-rep"],
                                        likelihood=2, impact=2, strategy="accept")
    assert refusal.value.message_dict == {"owner": [ERR_NAME_OWN_ORGANISATION]}
    own = supplychain_risks.risk_raise(actor=people["client-reviewer"], title="Steel", owner=people["sro"],
                                          likelihood=2, impact=2, strategy="accept")
    assert own.owner.username == "sro"


def test_the_sro_still_names_only_the_clients_own_delegate(people):
    """Para 35: a delegate votes for the representative's own organisation, whoever the representative is."""
    decision = _decision(people, people["sro"])
    with pytest.raises(ValidationError) as refusal:
        governance_services.delegation_grant(actor=people["sro"], delegate=people["wsp-delegate"], decision=decision)
    assert refusal.value.message_dict == {"delegate": [ERR_DELEGATE_ROLE]}
    assert not Delegation.objects.exists()


def test_a_record_keeps_the_person_named_before_they_left_until_another_is_named(people):
    """Editing a supplier whose relationship owner has left does not force a new owner; naming one does."""
    supplier = supplychain_suppliers.supplier_register(actor=people["alliance-manager"], name="Acme",
                                                      category="Fencing", relationship_owner=people["wsp-rep"])
    Person.objects.filter(username__in=["wsp-rep", "wsp-staff"]).update(is_active=False)
    left, also_left = Person.objects.get(username="wsp-rep"), Person.objects.get(username="wsp-staff")
    supplychain_suppliers.supplier_update(actor=people["alliance-manager"], supplier=supplier, category="Drainage",
                                         relationship_owner=left)
    with pytest.raises(ValidationError) as refusal:
        supplychain_suppliers.supplier_update(actor=people["alliance-manager"], supplier=supplier,
                                             relationship_owner=also_left)
    assert refusal.value.message_dict == {"relationship_owner": [ERR_NAME_UNAVAILABLE]}
    supplier.refresh_from_db()
    assert (supplier.category, supplier.relationship_owner_id) == ("Drainage", left.pk)
    form = SupplierForm(actor=people["alliance-manager"], initial={"relationship_owner": left.pk})
    assert left in form.fields["relationship_owner"].queryset  # still shown as the current owner
    assert also_left not in form.fields["relationship_owner"].queryset


def test_a_deliverable_keeps_its_approver_who_left_until_another_is_named(people):
    am = people["alliance-manager"]
    deliverable = mobilisation_services.deliverable_add(
        actor=am, alliance=am.organisation.alliance, title="Log", dimension=Dimension.PURE_MOBILISATION,
        due_period=DuePeriod.THREE_MONTHS, approver=people["wsp-rep"])
    Person.objects.filter(username__in=["wsp-rep", "wsp-staff"]).update(is_active=False)
    left, also_left = Person.objects.get(username="wsp-rep"), Person.objects.get(username="wsp-staff")
    mobilisation_services.deliverable_update(actor=am, deliverable=deliverable, title="Lessons log", approver=left)
    with pytest.raises(ValidationError) as refusal:
        mobilisation_services.deliverable_update(actor=am, deliverable=deliverable, approver=also_left)
    assert refusal.value.message_dict == {"approver": [ERR_NAME_UNAVAILABLE]}
    deliverable.refresh_from_db()
    assert (deliverable.title, deliverable.approver_id) == ("Lessons log", left.pk)


# --- Through the pages and the API ----------------------------------------------------------------------------


def test_the_risk_page_refuses_another_organisations_owner_and_offers_only_own_people(people, client_for):
    client = client_for(people["wsp-staff"])
    page = client.get("/supply-chain/risks/new/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f'value="{people["wsp-rep"].pk}"' in html and f'value="{people["jacobs-rep"].pk}"' not in html
    obligations = Obligation.objects.count()
    response = client.post("/supply-chain/risks/new/", {
        "title": "Steel", "owner": people["jacobs-rep"].pk, "likelihood": 3, "impact": 3, "strategy": "treat"})
    assert response.status_code == 400
    assert ERR_NAME_OWN_ORGANISATION in response.content.decode()
    assert not Risk.objects.exists() and Obligation.objects.count() == obligations


def test_the_risk_api_refuses_another_organisations_owner_with_400_and_the_message(people, client_for):
    """The issue's case, through the API: no risk and no monthly obligation for jacobs-rep."""
    obligations = Obligation.objects.count()
    response = client_for(people["wsp-staff"]).post("/api/supplychain/risks/", {
        "title": "Steel", "owner": "jacobs-rep", "likelihood": 3, "impact": 3, "strategy": "treat"},
        content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"owner": [ERR_NAME_OWN_ORGANISATION]}
    assert not Risk.objects.exists() and Obligation.objects.count() == obligations
    assert not Obligation.objects.filter(responsible_person__username="jacobs-rep",
                                         kind=ObligationKind.RISK_UPDATE).exists()


@pytest.mark.parametrize("username", ["nobody-at-all", "", "wsp\x00rep"])
def test_the_api_refuses_an_unknown_or_malformed_username_with_the_same_message(people, client_for, username):
    response = client_for(people["wsp-staff"]).post("/api/supplychain/risks/", {
        "title": "Steel", "owner": username, "likelihood": 3, "impact": 3, "strategy": "treat"},
        content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"]["owner"] == [ERR_NAME_UNAVAILABLE]
    assert not Risk.objects.exists()


def test_the_obligation_api_refuses_an_inactive_person(people, client_for):
    Person.objects.filter(username="wsp-rep").update(is_active=False)
    obligations = Obligation.objects.count()
    response = client_for(people["alliance-manager"]).post("/api/obligations/", {
        "title": "Site visit", "start_date": "2026-11-23", "due_date": "2026-12-23",
        "responsible_person": "wsp-rep"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"responsible_person": [ERR_NAME_UNAVAILABLE]}
    assert Obligation.objects.count() == obligations


# --- Every field that names a person follows the rule ----------------------------------------------------------

# Every other foreign key to a person records who took a step (set by the service from the acting user, never
# chosen in a form or the API) or is kept by the platform itself. A new foreign key to Person must be added to
# NAMINGS above (with the rule in its service and a NamedPersonField in its form and serializer) or here, with
# the reason it names nobody.
NOT_A_NAMING = {
    "alliance.RoleAssignment.person": "roles are given in the Django admin by platform administrators",
    "alliance.Notification.recipient": "the platform's own messages",
    "alliance.CalendarToken.person": "the acting user's own calendar link",
    "people.CvAccess.person": "the acting user, logged opening a CV",
    "governance.Attendance.person": "a record of who came, kept by the SRO or the Alliance Manager; no work",
    "governance.Delegation.representative": "the acting representative",
    "mobilisation.Rating.participant": "the acting user's own rating",
    "supplychain.SupplierReview.reviewer": "the acting user's own review",
}
STAMPS = {  # who took the step: set by the service from the acting user
    "people.ResourcingProposal.requested_by", "people.CvCall.issued_by",
    "people.PortfolioRecommendation.recommended_by", "people.Nomination.submitted_by",
    "people.Interview.recorded_by", "people.CandidateRequest.requested_by", "people.Appointment.appointed_by",
    "governance.Meeting.minutes_approved_by", "governance.Meeting.created_by", "governance.Decision.tabled_by",
    "governance.Decision.closed_by", "governance.Vote.cast_by", "governance.Paper.uploaded_by",
    "governance.CommitmentSelection.selected_by", "governance.CommitmentSelection.deselected_by",
    "governance.PerformanceTable.created_by", "governance.PerformanceTable.agreed_by",
    "governance.PerformanceTableTrigger.recorded_by", "governance.AssuranceReview.recorded_by",
    "governance.ClientInstruction.issued_by", "governance.ClientInstruction.client_decided_by",
    "governance.ClientInstruction.instructed_by", "governance.ImpactAssessment.submitted_by",
    "governance.InstructionDocument.uploaded_by", "governance.PlanVersion.published_by",
    "governance.ChangeProposal.proposed_by", "governance.ChangeProposal.reviewed_by",
    "allocation.Package.created_by", "allocation.AllocationRun.run_by", "allocation.OptimisationBusinessCase.raised_by",
    "allocation.OptimisationBusinessCase.client_decided_by", "allocation.MinorChange.raised_by",
    "allocation.PartnerAgreement.recorded_by", "allocation.MembershipChange.recorded_by",
    "allocation.MembershipChange.applied_by", "allocation.PeriodicInstruction.requested_by",
    "allocation.PeriodicInstruction.profile_by", "allocation.PeriodicInstruction.issued_by",
    "performance.Quarter.client_decided_by", "performance.Score.entered_by", "performance.Incident.reported_by",
    "performance.ImprovementPlan.created_by", "performance.ImprovementPlan.approved_by",
    "performance.PlanQuery.raised_by", "performance.PlanQuery.answered_by", "performance.MonthlyReport.submitted_by",
    "performance.EfficiencyEntry.logged_by", "performance.FrameworkChange.proposed_by",
    "supplychain.StrategyDocument.drafted_by", "supplychain.ManagementPlan.drafted_by",
    "supplychain.ManagementPlan.decided_by", "supplychain.Risk.raised_by", "supplychain.RiskUpdate.updated_by",
    "supplychain.RiskEscalation.escalated_by", "supplychain.Accreditation.recorded_by", "supplychain.Spend.entered_by",
    "supplychain.Opportunity.created_by", "mobilisation.SelfAssessment.created_by",
    "mobilisation.MobilisationPlan.baselined_by", "mobilisation.PlanReview.reviewed_by",
    "mobilisation.DeliverableEvidence.added_by", "mobilisation.MaturityPlan.drafted_by",
    "mobilisation.Assessment.decided_by", "mobilisation.Assessment.created_by",
}


def _person_fields() -> set[str]:
    found = set()
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model.__name__.startswith("Historical"):
            continue
        for f in model._meta.get_fields():
            if f.is_relation and not f.auto_created and f.related_model is Person:
                found.add(f"{model._meta.label}.{f.name}")
    return found


def test_every_foreign_key_to_a_person_is_a_naming_under_the_rule_or_says_why_not():
    named = {n.field for n in NAMINGS}
    assert not named & (set(NOT_A_NAMING) | STAMPS)
    unclassified = _person_fields() - named - set(NOT_A_NAMING) - STAMPS
    assert not unclassified, f"Add to NAMINGS (and apply may_name_person) or say why it names nobody: {unclassified}"
    assert not (named | set(NOT_A_NAMING) | STAMPS) - _person_fields(), "a listed field no longer exists"


def _project_modules(kind: str):
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, f"{app}."):
            if kind in info.name.split("."):
                yield importlib.import_module(info.name)


def _subclasses(base):
    for sub in base.__subclasses__():
        yield sub
        yield from _subclasses(sub)


# Form fields offering people that name nobody (filters). A field whose queryset its form's __init__ sets (the
# attendance and delegation forms', fed by governance selectors) is not seen by the scan: the parametrised tests
# above cover the delegate's.
FORM_FIELDS_NOT_NAMING = {
    "audit.forms.AuditFilterForm.person": "a filter of the audit",
}


def test_every_form_field_offering_people_offers_only_those_the_user_may_name():
    list(_project_modules("forms"))
    found = {}
    for form in _subclasses(django_forms.BaseForm):
        if not form.__module__.startswith(PROJECT_APPS):
            continue
        for name, form_field in form.base_fields.items():
            if (isinstance(form_field, django_forms.ModelChoiceField) and form_field.queryset is not None
                    and form_field.queryset.model is Person):
                found[f"{form.__module__}.{form.__name__}.{name}"] = form_field
    assert found, "the scan found no person fields at all"
    wrong = {label for label, f in found.items()
             if not isinstance(f, NamedPersonField) and label not in FORM_FIELDS_NOT_NAMING}
    assert not wrong, f"Use alliance.forms.NamedPersonField for: {wrong}"


def test_every_api_field_taking_a_person_is_a_named_person_field():
    list(_project_modules("serializers"))
    list(_project_modules("api"))
    found = {}
    for serializer in _subclasses(drf_serializers.BaseSerializer):
        if not serializer.__module__.startswith(PROJECT_APPS) or issubclass(serializer, drf_serializers.ListSerializer):
            continue
        try:
            fields = serializer().fields
        except Exception:  # noqa: BLE001 - a serializer needing arguments declares its fields on the class
            fields = getattr(serializer, "_declared_fields", {})
        for name, api_field in fields.items():
            child = api_field.child_relation if isinstance(api_field, relations.ManyRelatedField) else api_field
            if (isinstance(child, relations.RelatedField) and not child.read_only
                    and child.queryset is not None and child.queryset.model is Person):
                found[f"{serializer.__module__}.{serializer.__name__}.{name}"] = child
    assert found, "the scan found no writable person fields at all"
    wrong = {label for label, f in found.items() if not isinstance(f, NamedPersonSerializerField)}
    assert not wrong, f"Use alliance.serializers.NamedPersonField for: {wrong}"


def test_the_one_rule_is_the_filter_the_forms_offer(people):
    """may_name_person and the forms' choices are the same rule (permissions.nameable_people)."""
    for username in ("sro", "alliance-manager", "client-reviewer", "wsp-staff", "fluor-staff"):
        actor = people[username]
        offered = set(Person.objects.filter(permissions.nameable_people(actor)))
        assert offered == {p for p in Person.objects.all() if may_name_person(actor, p)}, username
