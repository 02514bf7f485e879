"""seed_demo: the SMP Alliance, idempotent, and never on a production server by accident."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from alliance.models import Alliance, Obligation, ObligationStatus, Organisation, Person, RoleAssignment

pytestmark = pytest.mark.django_db


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (Alliance, Organisation, Person, RoleAssignment, Obligation)
    } | {"history": Obligation.history.count() + Person.history.count()}


def test_seed_demo_twice_changes_nothing(frozen_today, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = _counts()
    call_command("seed_demo")
    assert _counts() == first
    assert first["Organisation"] == 7
    assert first["Person"] == 22


def test_seed_demo_refuses_with_debug_off_unless_forced(frozen_today, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run with DEBUG off"):
        call_command("seed_demo")
    assert Alliance.objects.count() == 0
    call_command("seed_demo", "--force")
    assert Alliance.objects.count() == 1


def test_demo_alliance_started_four_months_ago_with_met_due_soon_and_overdue_obligations(smp, frozen_today):
    assert str(smp.start_date) == "2026-07-23"
    statuses = {o.status for o in Obligation.objects.filter(alliance=smp)}
    assert statuses == {ObligationStatus.MET, ObligationStatus.OPEN}
    open_ = Obligation.objects.filter(alliance=smp, status=ObligationStatus.OPEN)
    assert open_.filter(due_date__lt=frozen_today).count() == 2
    assert open_.filter(due_date__gte=frozen_today, due_date__lte="2026-11-30").count() == 6


def test_demo_organisations_match_the_public_award(smp):
    # docs/domain.md section 1: Lot 1 Fluor; Lot 2 Jacobs (North) and WSP (South); Lot 3 Costain (North),
    # BAM Nuttall/Morgan Sindall JV (Midlands), Balfour Beatty (South).
    rows = set(Organisation.objects.values_list("slug", "kind", "lot__number", "area", "is_joint_venture"))
    assert rows == {
        ("national-highways", "client", None, "", False),
        ("fluor", "partner", 1, "", False),
        ("jacobs", "partner", 2, "north", False),
        ("wsp", "partner", 2, "south", False),
        ("costain", "partner", 3, "north", False),
        ("bam-msjv", "partner", 3, "midlands", True),
        ("balfour-beatty", "partner", 3, "south", False),
    }
    # Table 2: one board representative for each of the seven organisations (the SRO for the client).
    reps = RoleAssignment.objects.filter(role="board_representative").values_list("person__username", flat=True)
    assert sorted(reps) == sorted(["sro"] + [f"{p}-rep" for p in
                                             ["fluor", "jacobs", "wsp", "costain", "bam-msjv", "balfour-beatty"]])


def test_demo_regions_follow_domain_decision(smp):
    rows = set(smp.regions.values_list("slug", "lot2_area", "lot3_area"))
    assert rows == {
        ("north-west", "north", "north"), ("north-east", "north", "north"), ("midlands", "north", "midlands"),
        ("east", "south", "midlands"), ("south-east", "south", "south"), ("south-west", "south", "south"),
    }


def test_every_app_with_demo_records_is_seeded_whether_demo_is_a_module_or_a_package():
    from portal.demo import app_demo_steps

    modules = {step.__module__ for step in app_demo_steps()}
    assert "governance.demo" in modules  # governance/demo/ is a package
