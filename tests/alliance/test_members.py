"""Who is who: one client, a partner in exactly one lot, one board representative per organisation."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from alliance import rules, services
from alliance.models import Lot, Organisation, OrganisationKind, Role, RoleAssignment
from tests.alliance.factories import PersonFactory

pytestmark = pytest.mark.django_db


def test_an_alliance_has_one_client(alliance):
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(alliance=alliance, slug="dft", name="DfT", kind=OrganisationKind.CLIENT)


def test_a_partner_belongs_to_exactly_one_lot(alliance):
    # paras 7-11: every partner sits in one of the three lots.
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(alliance=alliance, slug="nolot", name="No lot", kind=OrganisationKind.PARTNER)
    orphan = Organisation(alliance=alliance, slug="nolot", name="No lot", kind=OrganisationKind.PARTNER)
    with pytest.raises(ValidationError) as error:
        orphan.full_clean()
    assert error.value.message_dict["lot"] == [rules.ERR_PARTNER_NEEDS_LOT]


def test_a_lot_2_partner_holds_north_or_south(alliance):
    lot2 = Lot.objects.get(alliance=alliance, number=2)
    partner = Organisation(alliance=alliance, slug="x", name="X", kind=OrganisationKind.PARTNER, lot=lot2, area="midlands")
    with pytest.raises(ValidationError) as error:
        partner.full_clean()
    assert error.value.message_dict["area"] == ["A Lot 2 partner is awarded one of these areas: North, South."]


def test_one_board_representative_per_organisation(partner_rep):
    partner = partner_rep.organisation
    second = PersonFactory(organisation=partner)
    with pytest.raises(ValidationError) as error:
        services.role_assign(person=second, role=Role.BOARD_REPRESENTATIVE)
    assert error.value.messages == [f"{partner} already has a Board representative: {partner_rep}."]
    # ...and the database holds it too, whatever path a write takes.
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(person=second, organisation=partner, role=Role.BOARD_REPRESENTATIVE)


def test_client_roles_only_for_the_clients_people(partner_staff):
    with pytest.raises(ValidationError) as error:
        services.role_assign(person=partner_staff, role=Role.SRO)
    assert error.value.messages == ["Only a person of the client can hold the role Senior Responsible Owner."]


def test_a_person_may_hold_several_roles_once_each(sro):
    services.role_assign(person=sro, role=Role.SRO)  # idempotent
    assert sorted(sro.role_assignments.values_list("role", flat=True)) == ["board_representative", "sro"]


def test_roles_follow_a_person_who_moves_organisation(core, partner_staff):
    person = partner_staff
    person.organisation = core.partners[0]
    person.save()
    services.person_roles_follow_organisation(person=person)
    assert set(person.role_assignments.values_list("organisation__slug", flat=True)) == {core.partners[0].slug}
