"""allocation's services, selectors, forms and serializers are packages re-exporting one module per workflow
with star imports: two modules exporting the same name would silently shadow one another."""

from __future__ import annotations

import importlib

import pytest

from tests.governance.test_packages import _exported

WORKFLOWS = ["packages", "optimisation", "membership", "periodic"]


@pytest.mark.parametrize("package", ["services", "selectors", "forms", "serializers"])
def test_no_two_workflow_modules_export_the_same_name(package):
    seen: dict[str, str] = {}
    for workflow in WORKFLOWS:
        module = importlib.import_module(f"allocation.{package}.{workflow}")
        for name in _exported(module):
            assert name not in seen, f"allocation.{package}: {name} is exported by both {seen[name]} and {workflow}"
            seen[name] = workflow
