"""Every factory of tests/supplychain/factories.py builds a valid saved record: the model's own checks pass."""

from __future__ import annotations

import pytest

from tests.supplychain import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("factory_class", [
    factories.StrategyDocumentFactory,
    factories.SupplierFactory,
    factories.RiskFactory,
], ids=lambda f: f.__name__)
def test_the_factory_builds_a_valid_saved_record(factory_class):
    record = factory_class()
    assert record.pk is not None
    record.full_clean()
