"""governance's services, selectors, forms, serializers and models are packages re-exporting one module per
workflow with star imports: two modules exporting the same name would silently shadow one another."""

from __future__ import annotations

import importlib

import pytest

WORKFLOWS = ["board", "instructions", "plan", "commitments"]


def _exported(module) -> set[str]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in vars(module) if not n.startswith("_")]
    return {n for n in names if getattr(getattr(module, n), "__module__", module.__name__) == module.__name__
            or (n.isupper() and len(n) > 1)}


@pytest.mark.parametrize("package", ["services", "selectors", "forms", "serializers", "models"])
def test_no_two_workflow_modules_export_the_same_name(package):
    seen: dict[str, str] = {}
    for workflow in WORKFLOWS:
        module = importlib.import_module(f"governance.{package}.{workflow}")
        for name in _exported(module):
            assert name not in seen, f"governance.{package}: {name} is exported by both {seen[name]} and {workflow}"
            seen[name] = workflow
