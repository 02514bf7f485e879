"""governance's services, selectors, forms, serializers and models are packages re-exporting one module per
workflow with star imports: two modules exporting the same name would silently shadow one another."""

from __future__ import annotations

import importlib
import inspect

import pytest

WORKFLOWS = ["board", "instructions", "plan", "commitments", "performance_table", "assurance"]
# Small enough to stay whole: models/commitments.py and serializers/commitments.py also hold the Performance Table's
# and assurance's.
NOT_SPLIT = {"models": {"performance_table", "assurance"}, "serializers": {"performance_table", "assurance"}}


def _exported(module) -> set[str]:
    names = getattr(module, "__all__", None)
    if names is None:
        names = [n for n in vars(module) if not n.startswith("_")]
    own = set()
    for name in names:
        value = getattr(module, name)
        if inspect.ismodule(value):
            continue
        if getattr(value, "__module__", None) == module.__name__ or (name.isupper() and len(name) > 1):
            own.add(name)
    return own


@pytest.mark.parametrize("package", ["services", "selectors", "forms", "serializers", "models"])
def test_no_two_workflow_modules_export_the_same_name(package):
    seen: dict[str, str] = {}
    for workflow in WORKFLOWS:
        if workflow in NOT_SPLIT.get(package, ()):
            continue
        module = importlib.import_module(f"governance.{package}.{workflow}")
        for name in _exported(module):
            assert name not in seen, f"governance.{package}: {name} is exported by both {seen[name]} and {workflow}"
            seen[name] = workflow
