"""The whole demo: the core's SMP Alliance (alliance/demo.py), then every app's demo records on it.

Running it twice changes nothing (each part looks its records up before making them). ``seed_demo`` (the
management command) and the tests' and benches' seeded worlds run this.
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.db import transaction

from alliance.demo import DEMO_PASSWORD, seed_core
from alliance.models import Obligation, ObligationStatus, Organisation, Person


def app_demo_steps() -> list:
    """Each installed app of the project may have ``<app>/demo.py`` (or a ``demo/`` package) with
    ``seed_demo(alliance)``; they run in INSTALLED_APPS order after the core. A demo module with
    ``SEED_LAST = True`` runs after the others (the People demo: it was seeded last before it became an app of
    its own, and the demo's records keep their order)."""
    modules = []
    for config in apps.get_app_configs():
        here = Path(config.path)
        if config.name in ("alliance", "portal") or not (
            (here / "demo.py").exists() or (here / "demo" / "__init__.py").exists()
        ):
            continue
        modules.append(import_module(f"{config.name}.demo"))
    modules.sort(key=lambda module: getattr(module, "SEED_LAST", False))  # a stable sort: otherwise app order
    return [module.seed_demo for module in modules]


@transaction.atomic
def seed() -> str:
    alliance = seed_core()
    for step in app_demo_steps():
        step(alliance)
    open_count = Obligation.objects.filter(alliance=alliance, status=ObligationStatus.OPEN).count()
    return (
        f"{alliance.name}: started {alliance.start_date:%-d %b %Y}; "
        f"{Organisation.objects.filter(alliance=alliance).count()} organisations, "
        f"{Person.objects.filter(organisation__alliance=alliance).count()} people, "
        f"{open_count} open obligations. Demo password: {DEMO_PASSWORD}"
    )
