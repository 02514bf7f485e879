"""Administrators manage organisations, people, roles and reference data; every change is in history."""

from __future__ import annotations

import pytest
from django.urls import reverse

from alliance import services
from alliance.models import Person, Role
from tests.alliance.factories import ObligationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(core) -> Person:
    """The platform administrator, a person of the client (as in the demo)."""
    person = PersonFactory(username="admin", organisation=core.client, is_staff=True, is_superuser=True)
    services.role_assign(person=person, role=Role.ADMINISTRATOR)
    return person


@pytest.fixture
def admin_client_(admin, client_for):
    return client_for(admin)


def test_admin_changes_an_organisation_and_sees_it_in_history(core, admin_client_):
    wsp = core.partners[1]
    response = admin_client_.post(reverse("admin:alliance_organisation_change", args=[wsp.pk]), {
        "alliance": wsp.alliance_id, "slug": wsp.slug, "name": "WSP UK", "kind": "partner", "lot": wsp.lot_id,
        "area": "south"})
    assert response.status_code == 302, response.content.decode()[:2000]
    history = admin_client_.get(reverse("admin:alliance_organisation_history", args=[wsp.pk]))
    page = history.content.decode()
    assert history.status_code == 200
    assert "WSP UK" in page
    assert wsp.history.first().history_user.username == "admin"


def _with_a_second_role(person: Person, role: str) -> dict:
    """The admin's person form, posted with the person's one existing role plus a new one."""
    return {
        "username": person.username, "first_name": person.first_name, "last_name": person.last_name,
        "email": person.email, "organisation": person.organisation_id, "is_active": "on",
        "date_joined_0": "2026-11-23", "date_joined_1": "09:00:00",
        "role_assignments-TOTAL_FORMS": "2", "role_assignments-INITIAL_FORMS": "1",
        "role_assignments-MIN_NUM_FORMS": "0", "role_assignments-MAX_NUM_FORMS": "1000",
        "role_assignments-0-id": person.role_assignments.get().pk, "role_assignments-0-person": person.pk,
        "role_assignments-0-role": person.role_assignments.get().role,
        "role_assignments-1-person": person.pk, "role_assignments-1-role": role,
    }


def test_admin_refuses_a_second_board_representative(admin_client_, partner_staff, partner_rep):
    staff = partner_staff
    data = _with_a_second_role(staff, "board_representative")
    response = admin_client_.post(reverse("admin:alliance_person_change", args=[staff.pk]), data)
    assert response.status_code == 200
    message = f"{staff.organisation} already has a Board representative: {partner_rep}."
    assert message in response.content.decode()
    assert list(staff.role_assignments.values_list("role", flat=True)) == ["staff"]


def test_admin_gives_a_person_a_role(admin_client_, other_partner_staff):
    staff = other_partner_staff
    data = _with_a_second_role(staff, "subject_matter_resource")
    response = admin_client_.post(reverse("admin:alliance_person_change", args=[staff.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    slug = staff.organisation.slug
    assert sorted(staff.role_assignments.values_list("role", "organisation__slug")) == [
        ("staff", slug), ("subject_matter_resource", slug)]


def test_obligations_are_read_only_in_the_admin(alliance, admin_client_):
    obligation = ObligationFactory(alliance=alliance)
    page = admin_client_.get(reverse("admin:alliance_obligation_change", args=[obligation.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()


def test_admin_is_forbidden_to_other_roles(client_for, alliance_manager):
    response = client_for(alliance_manager).get(reverse("admin:index"))
    assert response.status_code == 302  # the admin sends non-staff to its own sign-in
