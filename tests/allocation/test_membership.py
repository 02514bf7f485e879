"""Membership change (paras 95-98) and the transition plan (para 83): a partner's termination with the proposed
reallocation of its work, reviewed then applied; a newly procured partner resetting the tolerance base and
restoring the regions."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from alliance.models import (
    Lot,
    Obligation,
    ObligationKind,
    ObligationStatus,
    Organisation,
    OrganisationKind,
    Person,
    Region,
)
from allocation.models import (
    MembershipChange,
    MembershipChangeKind,
    MembershipChangeStatus,
    Package,
    Reallocation,
    Scheme,
    SchemeAllocation,
    SchemeStatus,
)
from allocation.selectors.membership import membership_lot_shares
from allocation.selectors.packages import (
    awarded_allocations,
    routing,
    terminated_partner_ids,
    tolerance_base_date,
)
from allocation.services import membership as services
from governance.demo import seed_matrix
from governance.models import PerformanceTableTrigger
from governance.models.commitments import PerformanceTableReason
from tests.alliance.factories import AllianceFactory, OrganisationFactory
from tests.conftest import TODAY

pytestmark = pytest.mark.django_db

LOT2_BY_AREA = {"north": "jacobs", "south": "wsp"}
LOT3_BY_AREA = {"north": "costain", "midlands": "bam-msjv", "south": "balfour-beatty"}


@pytest.fixture
def board(smp):
    """The demo alliance with its Decision Matrix (the fixtures are this file's own, not a conftest's)."""
    seed_matrix(smp)
    return smp


@pytest.fixture
def people(board) -> dict[str, Person]:
    return {p.username: p for p in Person.objects.select_related("organisation").all()}


def org(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


def make_package(alliance, people, code: str = "RIS2", notified_on: dt.date = dt.date(2026, 9, 1)) -> Package:
    return Package.objects.create(alliance=alliance, code=code, name=f"Package {code}", notified_on=notified_on,
                                  created_by=people["sro"])


def make_scheme(package: Package, code: str, region: str, *, design: str = "1000000", construction: str = "1000000",
                status: str = SchemeStatus.PROPOSED, lot3: str | None = None) -> Scheme:
    """A scheme with its default allocation (para 86): Lot 1 the PMP, Lots 2 and 3 by the region's areas."""
    region_row = Region.objects.get(alliance=package.alliance, slug=region)
    scheme = Scheme.objects.create(
        alliance=package.alliance, package=package, code=code, name=f"Scheme {code}", scheme_type="smart_motorway",
        region=region_row, pcf_stage=3, design_value=Decimal(design),
        construction_value=Decimal(construction), alliance_budget=Decimal(design) + Decimal(construction),
        status=status, awarded_on=dt.date(2026, 10, 1) if status == SchemeStatus.AWARDED else None,
    )
    partners = {1: "fluor", 2: LOT2_BY_AREA[region_row.lot2_area], 3: lot3 or LOT3_BY_AREA[region_row.lot3_area]}
    for lot, slug in partners.items():
        partner = org(slug)
        SchemeAllocation.objects.create(scheme=scheme, lot=lot, initial_partner=partner, current_partner=partner)
    return scheme


def allocation(scheme: Scheme, lot: int) -> SchemeAllocation:
    return SchemeAllocation.objects.select_related("initial_partner", "current_partner").get(scheme=scheme, lot=lot)


def moves(change: MembershipChange) -> dict[tuple[str, int], tuple[str, str]]:
    return {(r.scheme.code, r.lot): (r.from_partner.slug, r.to_partner.slug)
            for r in Reallocation.objects.filter(membership_change=change).select_related(
                "scheme", "from_partner", "to_partner")}


@pytest.fixture
def on_site(board, people):
    """BAM's work (Lot 3 Midlands) and the other on-site partners' counted work, values in £m:

    costain N1 awarded 5; balfour S1 awarded 10 (S2 proposed 50 does not count: not awarded);
    bam M1 midlands awarded 10, M2 midlands proposed 4, M3 midlands proposed 3, E1 east proposed 2;
    bam X1 cancelled (not reallocated).
    """
    package = make_package(board, people)
    schemes = {
        "N1": make_scheme(package, "N1", "north-west", construction="5000000", status=SchemeStatus.AWARDED),
        "S1": make_scheme(package, "S1", "south-east", construction="10000000", status=SchemeStatus.AWARDED),
        "S2": make_scheme(package, "S2", "south-west", construction="50000000"),
        "M1": make_scheme(package, "M1", "midlands", construction="10000000", status=SchemeStatus.AWARDED),
        "M2": make_scheme(package, "M2", "midlands", construction="4000000"),
        "M3": make_scheme(package, "M3", "midlands", construction="3000000"),
        "E1": make_scheme(package, "E1", "east", construction="2000000"),
        "X1": make_scheme(package, "X1", "east", construction="9000000", status=SchemeStatus.CANCELLED),
    }
    return schemes


def terminate(people, slug: str, *, actor: str = "sro", effective_on: dt.date = TODAY) -> MembershipChange:
    return services.membership_termination_record(actor=people[actor], organisation=org(slug),
                                                  effective_on=effective_on, reason="Terminated under the contract")


# --- Proposing the reallocation (para 96) ------------------------------------------------------------------


def test_a_terminated_design_partners_work_all_goes_to_the_other_design_partner(board, people):
    """Para 96: the remaining Digitally Enabled Design Partner becomes the Responsible Partner."""
    package = make_package(board, people)
    make_scheme(package, "A", "north-west", design="3000000")
    make_scheme(package, "B", "midlands", design="9000000", status=SchemeStatus.AWARDED)
    make_scheme(package, "C", "south-east", design="1000000")  # WSP's already: unchanged
    change = terminate(people, "jacobs", actor="alliance-manager")
    assert change.status == MembershipChangeStatus.PROPOSED and change.kind == MembershipChangeKind.TERMINATION
    assert moves(change) == {("A", 2): ("jacobs", "wsp"), ("B", 2): ("jacobs", "wsp")}
    # Proposed only: nothing has moved and Jacobs still takes work.
    assert allocation(Scheme.objects.get(code="A"), 2).current_partner.slug == "jacobs"
    assert org("jacobs").pk not in terminated_partner_ids(board.pk)


def test_a_terminated_pmps_work_goes_to_the_client(board, people):
    """Para 96: if the Production Management Partner is terminated, the Client covers its role."""
    package = make_package(board, people)
    make_scheme(package, "A", "north-west")
    make_scheme(package, "B", "south-west", status=SchemeStatus.AWARDED)
    change = terminate(people, "fluor")
    assert moves(change) == {("A", 1): ("fluor", "national-highways"), ("B", 1): ("fluor", "national-highways")}


def test_a_terminated_on_site_partners_work_is_split_north_south_then_balanced_40_60(board, people, on_site):
    """Para 96: BAM's work goes to Costain and Balfour Beatty by Lot 2's North/South split (Costain, the more
    northern, takes North) and the 40-60% tolerance.

    Routed by Lot 2 areas: M1 10, M2 4, M3 3 (midlands: Lot 2 North) → Costain; E1 2 (east: South) → Balfour.
    Costain 5 + 17 = 22 of 34 (64.7%) is above 60%; Balfour 10 + 2 = 12 (35.3%). Balancing moves Costain's
    lowest proposed scheme smaller than the gap of 10: M3 (3). Costain 19 (55.9%), Balfour 15 (44.1%): within.
    Awarded M1 may move (it is the terminated partner's) but need not; S2 (proposed) does not count; X1
    (cancelled) is not reallocated.
    """
    change = terminate(people, "bam-msjv")
    assert moves(change) == {
        ("M1", 3): ("bam-msjv", "costain"),
        ("M2", 3): ("bam-msjv", "costain"),
        ("M3", 3): ("bam-msjv", "balfour-beatty"),
        ("E1", 3): ("bam-msjv", "balfour-beatty"),
    }
    [lot3] = membership_lot_shares(change)
    shares = {s["partner"].slug: (s["value_before"], s["percent_before"], s["value_after"], s["percent_after"])
              for s in lot3["shares"]}
    assert lot3["total"] == Decimal("34000000") and lot3["within"] and (lot3["lower"], lot3["upper"]) == (
        Decimal("0.40"), Decimal("0.60"))
    assert shares == {
        "bam-msjv": (Decimal("19000000"), Decimal("55.9"), Decimal(0), Decimal("0.0")),
        "costain": (Decimal("5000000"), Decimal("14.7"), Decimal("19000000"), Decimal("55.9")),
        "balfour-beatty": (Decimal("10000000"), Decimal("29.4"), Decimal("15000000"), Decimal("44.1")),
    }


def test_without_balancing_the_north_south_split_alone_stands_when_within_tolerance(board, people):
    """Para 96: when the routed split is already within 40-60%, no scheme moves from its North/South partner."""
    package = make_package(board, people)
    make_scheme(package, "M1", "midlands", construction="5000000")   # Lot 2 North → Costain
    make_scheme(package, "E1", "east", construction="5000000")       # Lot 2 South → Balfour
    change = terminate(people, "bam-msjv")
    assert moves(change) == {("M1", 3): ("bam-msjv", "costain"), ("E1", 3): ("bam-msjv", "balfour-beatty")}


def test_proposing_again_recomputes_the_same_change(board, people, on_site):
    change = terminate(people, "bam-msjv")
    make_scheme(on_site["M1"].package, "E2", "east", construction="1000000")
    again = terminate(people, "bam-msjv", effective_on=TODAY - dt.timedelta(days=1))
    assert again.pk == change.pk and again.effective_on == TODAY - dt.timedelta(days=1)
    assert ("E2", 3) in moves(again) and len(moves(again)) == 5
    assert MembershipChange.objects.count() == 1


# --- Applying ---------------------------------------------------------------------------------------------


def test_applying_sets_both_initial_and_current_partner_and_raises_the_performance_table_update(board, people,
                                                                                                on_site):
    """Para 96: the work goes through the initial allocation mechanism again, so the new partner is the initial
    one too (para 87); para 224: a termination starts the Performance Table update."""
    change = terminate(people, "bam-msjv")
    applied = services.membership_change_apply(actor=people["sro"], change=change)
    assert applied.status == MembershipChangeStatus.APPLIED and applied.applied_by == people["sro"]
    for code, slug in [("M1", "costain"), ("M2", "costain"), ("M3", "balfour-beatty"), ("E1", "balfour-beatty")]:
        a = allocation(on_site[code], 3)
        assert (a.initial_partner.slug, a.current_partner.slug) == (slug, slug), code
        assert a.history.first().history_user == people["sro"]
    assert allocation(on_site["X1"], 3).current_partner.slug == "bam-msjv"  # cancelled: untouched
    assert list(applied.history.values_list("status", flat=True)) == ["applied", "proposed"]
    trigger = PerformanceTableTrigger.objects.get(alliance=board)
    assert trigger.reason == PerformanceTableReason.TERMINATION and trigger.occurred_on == TODAY
    assert Obligation.objects.filter(kind=ObligationKind.PERFORMANCE_TABLE, subject_id=trigger.pk,
                                     due_date=dt.date(2027, 2, 23)).exists()
    # The allocation mechanism now reads it: two on-site partners, Lot 2's North/South split.
    route = routing(board.pk)
    assert [p.slug for p in route.lot3] == ["costain", "balfour-beatty"]
    midlands, east = Region.objects.get(alliance=board, slug="midlands"), Region.objects.get(alliance=board, slug="east")
    assert route.partner_for(3, midlands).slug == "costain" and route.partner_for(3, east).slug == "balfour-beatty"


def test_a_new_partner_resets_the_tolerance_base_and_restores_three_area_lot_3(board, people, on_site):
    """Para 98: tolerances re-set (earlier packages not counted) and the regional splits revert."""
    services.membership_change_apply(actor=people["sro"], change=terminate(people, "bam-msjv"))
    assert tolerance_base_date(board.pk) is None
    assert awarded_allocations(board.pk, 3).count() == 3  # N1, S1, M1: all count before the reset
    kier = OrganisationFactory(alliance=board, slug="kier", name="Kier", kind=OrganisationKind.PARTNER,
                               lot=Lot.objects.get(alliance=board, number=3), area="midlands")
    change = services.membership_new_partner_record(actor=people["alliance-manager"], organisation=kier,
                                                    effective_on=TODAY - dt.timedelta(days=2))
    assert (change.kind, change.status) == (MembershipChangeKind.NEW_PARTNER, MembershipChangeStatus.APPLIED)
    assert tolerance_base_date(board.pk) == TODAY - dt.timedelta(days=2)
    assert awarded_allocations(board.pk, 3).count() == 0  # RIS2 was notified before: no longer counted
    route = routing(board.pk)
    assert [p.slug for p in route.lot3] == ["costain", "kier", "balfour-beatty"]
    midlands, east = Region.objects.get(alliance=board, slug="midlands"), Region.objects.get(alliance=board, slug="east")
    assert route.partner_for(3, midlands) == kier and route.partner_for(3, east) == kier
    trigger = PerformanceTableTrigger.objects.get(alliance=board, reason=PerformanceTableReason.MEMBERSHIP_CHANGE)
    assert trigger.occurred_on == TODAY - dt.timedelta(days=2)


# --- Refusals change nothing ------------------------------------------------------------------------------


def _snapshot():
    return (list(MembershipChange.objects.values_list("pk", "status")),
            list(Reallocation.objects.values_list("pk", flat=True)),
            list(SchemeAllocation.objects.values_list("pk", "initial_partner_id", "current_partner_id")),
            PerformanceTableTrigger.objects.count())


@pytest.mark.parametrize("username", ["wsp-rep", "wsp-staff", "client-reviewer", "costain-delegate"])
def test_only_the_sro_or_alliance_manager_records_a_termination(board, people, on_site, username):
    before = _snapshot()
    with pytest.raises(PermissionDenied, match="Only the SRO or the Alliance Manager"):
        terminate(people, "bam-msjv", actor=username)
    assert _snapshot() == before


def test_only_the_sro_applies(board, people, on_site):
    change = terminate(people, "bam-msjv", actor="alliance-manager")
    before = _snapshot()
    with pytest.raises(PermissionDenied, match=re.escape(services.ERR_MEMBERSHIP_NOT_SRO)):
        services.membership_change_apply(actor=people["alliance-manager"], change=change)
    assert _snapshot() == before


def test_a_termination_is_applied_from_its_effective_date(board, people, on_site):
    change = terminate(people, "bam-msjv", effective_on=TODAY + dt.timedelta(days=7))
    before = _snapshot()
    with pytest.raises(ValidationError, match="takes effect on 30 November 2026"):
        services.membership_change_apply(actor=people["sro"], change=change)
    assert _snapshot() == before


def test_a_stale_proposal_is_refused_when_the_allocation_changed(board, people, on_site):
    change = terminate(people, "bam-msjv")
    make_scheme(on_site["M1"].package, "E2", "east", construction="1000000")  # BAM took more work since
    before = _snapshot()
    with pytest.raises(ValidationError, match="The allocation has changed"):
        services.membership_change_apply(actor=people["sro"], change=change)
    assert _snapshot() == before


def test_a_partner_already_terminated_or_not_a_partner_is_refused(board, people, on_site):
    services.membership_change_apply(actor=people["sro"], change=terminate(people, "bam-msjv"))
    before = _snapshot()
    with pytest.raises(ValidationError, match="has already been terminated"):
        terminate(people, "bam-msjv")
    with pytest.raises(ValidationError, match=re.escape(services.ERR_MEMBERSHIP_NOT_A_PARTNER)):
        terminate(people, "national-highways")
    outsider = OrganisationFactory(alliance=AllianceFactory(), kind=OrganisationKind.CLIENT)
    with pytest.raises(PermissionDenied, match=re.escape(services.ERR_MEMBERSHIP_OTHER_ALLIANCE)):
        services.membership_termination_record(actor=people["sro"], organisation=outsider, effective_on=TODAY)
    assert _snapshot() == before


def test_the_last_design_partner_with_work_cannot_be_terminated_without_a_replacement(board, people):
    """Para 95: the remaining partners complete the work; with none left in the lot there is nobody."""
    package = make_package(board, people)
    make_scheme(package, "A", "north-west")
    make_scheme(package, "B", "south-west")
    services.membership_change_apply(actor=people["sro"], change=terminate(people, "jacobs"))
    before = _snapshot()
    with pytest.raises(ValidationError, match="No other partner of Lot 2 remains"):
        terminate(people, "wsp")
    assert _snapshot() == before


def test_withdrawing_reallocates_nothing_and_closes_the_change(board, people, on_site):
    change = terminate(people, "bam-msjv")
    with pytest.raises(ValidationError, match=re.escape(services.ERR_MEMBERSHIP_REASON_REQUIRED)):
        services.membership_change_withdraw(actor=people["sro"], change=change, reason=" ")
    withdrawn = services.membership_change_withdraw(actor=people["alliance-manager"], change=change,
                                                    reason="Settled")
    assert withdrawn.status == MembershipChangeStatus.WITHDRAWN
    before = _snapshot()
    with pytest.raises(ValidationError, match="is withdrawn: it cannot be applied"):
        services.membership_change_apply(actor=people["sro"], change=withdrawn)
    assert _snapshot() == before
    assert allocation(on_site["M2"], 3).current_partner.slug == "bam-msjv"


def test_a_new_partner_needs_a_vacancy_and_cannot_be_recorded_twice(board, people):
    """Para 98: a newly procured partner replaces a terminated one."""
    kier = OrganisationFactory(alliance=board, slug="kier", name="Kier", kind=OrganisationKind.PARTNER,
                               lot=Lot.objects.get(alliance=board, number=3), area="midlands")
    with pytest.raises(ValidationError, match="BAM Nuttall / Morgan Sindall JV still holds Lot 3 Midlands"):
        services.membership_new_partner_record(actor=people["sro"], organisation=kier, effective_on=TODAY)
    with pytest.raises(ValidationError, match=re.escape(services.ERR_MEMBERSHIP_DATE_IN_FUTURE)):
        services.membership_new_partner_record(actor=people["sro"], organisation=kier,
                                               effective_on=TODAY + dt.timedelta(days=1))
    with pytest.raises(PermissionDenied):
        services.membership_new_partner_record(actor=people["wsp-rep"], organisation=kier, effective_on=TODAY)
    assert not MembershipChange.objects.exists() and tolerance_base_date(board.pk) is None
    services.membership_change_apply(actor=people["sro"], change=terminate(people, "bam-msjv"))
    services.membership_new_partner_record(actor=people["sro"], organisation=kier, effective_on=TODAY)
    with pytest.raises(ValidationError, match="already recorded as a newly procured partner"):
        services.membership_new_partner_record(actor=people["sro"], organisation=kier, effective_on=TODAY)
    with pytest.raises(ValidationError, match="was terminated"):
        services.membership_new_partner_record(actor=people["sro"], organisation=org("bam-msjv"), effective_on=TODAY)


# --- The transition plan (para 83) ------------------------------------------------------------------------


def test_the_transition_plan_obligation_reuses_the_seeded_one(board):
    """Para 83: the core demo already opens the transition plan's obligation; opening again reuses it."""
    seeded = Obligation.objects.get(alliance=board, kind=ObligationKind.TRANSITION_PLAN)
    assert services.transition_plan_obligation_open(board) == seeded
    assert Obligation.objects.filter(alliance=board, kind=ObligationKind.TRANSITION_PLAN).count() == 1


def test_the_transition_plan_is_due_three_months_after_the_alliance_start_date(db):
    """Para 83: within three months of the Alliance Start Date."""
    alliance = AllianceFactory(start_date=dt.date(2026, 11, 30))
    obligation = services.transition_plan_obligation_open(alliance)
    assert (obligation.start_date, obligation.due_date, obligation.paragraph) == (
        dt.date(2026, 11, 30), dt.date(2027, 2, 28), "para 83")
    assert services.transition_plan_obligation_open(alliance) == obligation


def test_the_alliance_manager_records_the_transition_plan_delivered(board, people):
    Obligation.objects.filter(alliance=board, kind=ObligationKind.TRANSITION_PLAN).delete()
    with pytest.raises(PermissionDenied, match=re.escape(services.ERR_MEMBERSHIP_NOT_AM)):
        services.transition_plan_deliver(actor=people["sro"])
    met = services.transition_plan_deliver(actor=people["alliance-manager"], on=dt.date(2026, 10, 20))
    assert (met.status, met.closed_on, met.due_date) == (ObligationStatus.MET, dt.date(2026, 10, 20),
                                                         dt.date(2026, 10, 23))
    with pytest.raises(ValidationError, match=re.escape(services.ERR_MEMBERSHIP_TRANSITION_PLAN_MET)):
        services.transition_plan_deliver(actor=people["alliance-manager"])


def test_the_demo_seeds_only_the_transition_plan(board):
    from allocation.demo import seed_membership

    seed_membership(board)
    seed_membership(board)
    assert Obligation.objects.filter(alliance=board, kind=ObligationKind.TRANSITION_PLAN).count() == 1
    assert not MembershipChange.objects.exists()
