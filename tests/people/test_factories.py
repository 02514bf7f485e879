"""Every factory of tests/people/factories.py builds a valid saved record: the model's own checks pass."""

from __future__ import annotations

import pytest

from tests.people import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("factory_class", [
    factories.KeyPersonRoleFactory,
    factories.NominationFactory,
], ids=lambda f: f.__name__)
def test_the_factory_builds_a_valid_saved_record(factory_class):
    record = factory_class()
    assert record.pk is not None
    record.full_clean()
