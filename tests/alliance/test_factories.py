"""Every factory of tests/alliance/factories.py builds a valid saved record: the model's own checks pass."""

from __future__ import annotations

import pytest

from tests.alliance import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("factory_class", [
    factories.AllianceFactory,
    factories.LotFactory,
    factories.OrganisationFactory,
    factories.PartnerFactory,
    factories.PersonFactory,
    factories.ObligationFactory,
], ids=lambda f: f.__name__)
def test_the_factory_builds_a_valid_saved_record(factory_class):
    record = factory_class()
    assert record.pk is not None
    record.full_clean()


def test_an_alliance_is_complete_and_valid():
    """The client with its SRO and Alliance Manager, a partner in each lot with its board representative
    (paras 7-11, 14, 25, 35): every organisation passes the lot and area rules (alliance/rules.py)."""
    from alliance.models import Role

    built = factories.an_alliance()
    assert sorted(built.lots) == [1, 2, 3]
    for organisation in [built.client, *built.partners]:
        organisation.full_clean()
    assert [p.lot.number for p in built.partners] == [1, 2, 3]
    assert set(built.sro.role_assignments.values_list("role", flat=True)) == {Role.SRO, Role.BOARD_REPRESENTATIVE}
    assert built.alliance_manager.role_assignments.get().role == Role.ALLIANCE_MANAGER
    for partner in built.partners:
        assert built.rep(partner).role_assignments.get().role == Role.BOARD_REPRESENTATIVE
        assert built.rep(partner).organisation == partner
    # Two alliances side by side do not clash.
    assert factories.an_alliance().alliance != built.alliance
