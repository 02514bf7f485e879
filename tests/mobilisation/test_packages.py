"""mobilisation's services, selectors and models are packages re-exporting one module per workflow with star
imports: two modules exporting the same name would silently shadow one another (as in governance and supplychain)."""

from __future__ import annotations

import importlib

import pytest

from tests.governance.test_packages import _exported

WORKFLOWS = ["deliverables", "phases", "maturity", "assessment"]


@pytest.mark.parametrize("package", ["services", "selectors", "models"])
def test_no_two_workflow_modules_export_the_same_name(package):
    seen: dict[str, str] = {}
    for workflow in WORKFLOWS:
        module = importlib.import_module(f"mobilisation.{package}.{workflow}")
        for name in _exported(module):
            assert name not in seen, f"mobilisation.{package}: {name} is exported by both {seen[name]} and {workflow}"
            seen[name] = workflow
