"""The demo's key persons and Production Hub resourcing: coherent with the core's demo obligations, idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from alliance.models import Obligation, ObligationKind
from governance.models import Decision
from people import selectors
from people.models import (
    Appointment,
    CvCall,
    HubService,
    KeyPersonRole,
    Nomination,
    NominationStatus,
    ResourcingProposal,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(frozen_today, settings):
    settings.DEBUG = True
    call_command("seed_demo")


def test_demo_seeds_the_catalogues_of_paras_49_51_and_table_3(demo):
    assert KeyPersonRole.objects.count() == 18
    assert HubService.objects.filter(client_presence=True).count() == 10  # para 46's Production Hub services


def test_demo_attaches_the_cores_people_obligations_to_their_records(demo):
    """The core's demo clocks for the PMP's core resources (para 66), the call for CVs (para 67) and the
    handover (para 60) belong to real records, so their pages link somewhere."""
    for kind, model in [(ObligationKind.PMP_CORE_RESOURCES, ResourcingProposal), (ObligationKind.CV_CALL, CvCall),
                        (ObligationKind.KEY_PERSON_HANDOVER, Appointment)]:
        obligations = Obligation.objects.filter(kind=kind)
        assert obligations.exists()
        assert all(isinstance(o.subject, model) for o in obligations), kind


def test_demo_shows_every_stage_of_selection(demo):
    statuses = set(Nomination.objects.values_list("status", flat=True))
    assert {NominationStatus.SUBMITTED, NominationStatus.SHORTLISTED, NominationStatus.REJECTED,
            NominationStatus.PROPOSED, NominationStatus.APPOINTED} <= statuses
    proposed = Nomination.objects.get(status=NominationStatus.PROPOSED)
    assert Decision.objects.get(pk=proposed.decision_id).subject == proposed
    posts, hub_rows = selectors.organisation_chart(proposed.alliance_id)
    assert any(p.vacant for p in posts) and any(not p.vacant for p in posts)
    costain_head = next(p for p in posts if p.role.code == "head-of-osad" and p.organisation.slug == "costain")
    assert costain_head.holder.person_name == "Farah Iqbal"
    assert costain_head.holder.predecessor.person_name == "Edward Pike"
    assert any(row.people for row in hub_rows)


def test_demo_people_twice_changes_nothing(demo):
    counts = (Nomination.objects.count(), Appointment.objects.count(), CvCall.objects.count())
    call_command("seed_demo")
    assert (Nomination.objects.count(), Appointment.objects.count(), CvCall.objects.count()) == counts
