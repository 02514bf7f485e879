"""Mass assignment: no serializer or ModelForm exposes every field of a model by default.

A ``fields = "__all__"`` (or a form's ``exclude``) silently publishes or accepts a field added later (a status,
an owner, a CV path). Checked twice: on the classes (imported from every app's serializers, api, forms and
views modules) and on the source text, which also catches a class that nothing imports.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest
from django import forms
from rest_framework import serializers

ROOT = Path(__file__).resolve().parents[2]
APPS = ["alliance", "people", "governance", "allocation", "performance", "supplychain", "mobilisation"]
MODULES = ("serializers", "api", "forms", "views", "admin")


def _import_all() -> None:
    for app in APPS:
        for name in MODULES:
            try:
                module = importlib.import_module(f"{app}.{name}")
            except ModuleNotFoundError as error:
                if error.name == f"{app}.{name}":
                    continue
                raise
            if hasattr(module, "__path__"):  # a package: import its modules too
                for info in pkgutil.walk_packages(module.__path__, prefix=f"{module.__name__}."):
                    importlib.import_module(info.name)


def _subclasses(cls) -> set[type]:
    found = set()
    for sub in cls.__subclasses__():
        found.add(sub)
        found |= _subclasses(sub)
    return found


def _project(cls) -> bool:
    return cls.__module__.split(".")[0] in {a.split(".")[0] for a in APPS}


def test_no_serializer_uses_all_fields():
    _import_all()
    found = [c for c in _subclasses(serializers.Serializer) if _project(c)]
    assert found, "no serializer was found: the import walk is broken"
    offenders = [f"{c.__module__}.{c.__qualname__}" for c in found
                 if getattr(getattr(c, "Meta", None), "fields", None) == serializers.ALL_FIELDS
                 or getattr(getattr(c, "Meta", None), "exclude", None) is not None]
    assert offenders == []


def test_no_model_form_uses_all_fields_or_exclude():
    _import_all()
    found = [c for c in _subclasses(forms.ModelForm) if _project(c)]
    offenders = [f"{c.__module__}.{c.__qualname__}" for c in found
                 if getattr(c._meta, "fields", None) == forms.ALL_FIELDS or c._meta.exclude is not None]
    assert offenders == []


@pytest.mark.parametrize("pattern", [r"fields\s*=\s*['\"]__all__['\"]", r"^\s*exclude\s*=\s*[\[(]"])
def test_no_source_file_declares_all_fields_or_exclude(pattern):
    offenders = []
    for app in {a.split(".")[0] for a in APPS}:
        for path in (ROOT / app).rglob("*.py"):
            # ModelAdmin.exclude hides a field from the admin (e.g. a calendar token's secret): not a form's Meta.
            if "migrations" in path.parts or path.name == "admin.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if re.search(pattern, line):
                    offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []
