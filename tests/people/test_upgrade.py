"""Upgrading a database from before key persons became an app of their own (alliance/0008, people/0001-0002).

The move is of Django's state only: the tables keep their names (``alliance_<model>``) and rows; the content
types are renamed from ``alliance`` to ``people`` in place, so permissions and generic relations (a Board
decision's subject, an obligation's subject) still resolve. The People demo is seeded, the database taken back to the
state before the move (where the same rows read as the core's models), then forward again.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.apps import apps as live_apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings

from alliance.demo import seed_core
from alliance.models import Obligation
from governance.demo import seed_board
from governance.models import Decision
from people import demo as people_demo

# On PostgreSQL, the production database (CI's second run): a migration back and forth takes a minute on
# SQLite's in-memory copy and checks nothing more there.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

BEFORE = [("alliance", "0007_organisation_membership_dates"), ("people", None)]
MODELS = ["Appointment", "CandidateRequest", "CvAccess", "CvCall", "HubService", "Interview", "KeyPersonRole",
          "Nomination", "PortfolioRecommendation", "ResourcingProposal"]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor


def _moved_tables() -> list[str]:
    """Every table of the moved models: theirs, their many-to-many tables and their history tables."""
    tables = set()
    for model in live_apps.get_app_config("people").get_models(include_auto_created=True):
        tables.add(model._meta.db_table)
    return sorted(tables)


def _counts(tables: list[str]) -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (our table names)
            counts[table] = cursor.fetchone()[0]
    return counts


def _content_types() -> dict[tuple[str, str], int]:
    return {(ct.app_label, ct.model): ct.pk for ct in ContentType.objects.filter(app_label__in=["alliance", "people"])}


def test_the_move_keeps_every_table_row_and_content_type():
    with (
        override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]),
        time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), tick=True),
    ):
        # The core, the Board (its Decision Matrix, and the open resolution the People demo makes a nomination's)
        # and the People demo: the records the move is about; the other apps' demo records it does not touch.
        alliance = seed_core()
        seed_board(alliance)
        people_demo.seed_demo(alliance)
    tables = _moved_tables()
    assert all(table.startswith("alliance_") for table in tables)
    after_seed = _counts(tables)
    assert after_seed["alliance_nomination"] and after_seed["alliance_historicalnomination"]
    assert after_seed["alliance_cvcall_services"] and after_seed["alliance_historicalresourcingproposal_services"]
    people_types = {key: pk for key, pk in _content_types().items() if key[0] == "people"}
    assert {("people", name.lower()) for name in MODELS} <= set(people_types)
    decisions = {d.pk: (d.subject_type.model, d.subject_id) for d in
                 Decision.objects.filter(subject_type__app_label="people").select_related("subject_type")}
    assert decisions, "the demo puts key person appointments and the PMP's proposal to the Board"
    obligations = set(Obligation.objects.filter(subject_type__app_label="people").values_list("pk", flat=True))
    assert obligations
    permissions = set(Permission.objects.filter(content_type__app_label="people").values_list("pk", "codename"))

    # Before the move: the same tables are the core's models, and their content types are the core's.
    before = _migrate(BEFORE)
    old_apps = before.loader.project_state(BEFORE[0]).apps
    with pytest.raises(LookupError):
        old_apps.get_app_config("people")
    for name in MODELS:
        old_model = old_apps.get_model("alliance", name)
        assert old_model._meta.db_table == f"alliance_{name.lower()}"
        assert old_model.objects.count() == after_seed[old_model._meta.db_table]
    assert _counts(tables) == after_seed
    assert {("alliance", model): pk for (_, model), pk in people_types.items()}.items() <= _content_types().items()
    assert not ContentType.objects.filter(app_label="people").exists()

    # Upgrading: nothing is lost, and every content type is the same row under its new label.
    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    assert _counts(tables) == after_seed
    assert {key: pk for key, pk in _content_types().items() if key[0] == "people"} == people_types
    assert not ContentType.objects.filter(app_label="alliance", model__in=[m for _, m in people_types]).exists()
    assert set(Permission.objects.filter(content_type__app_label="people").values_list("pk", "codename")) == permissions
    for decision in Decision.objects.filter(pk__in=decisions).select_related("subject_type"):
        assert (decision.subject_type.model, decision.subject_id) == decisions[decision.pk]
        assert decision.subject is not None and decision.subject._meta.app_label == "people"
    for obligation in Obligation.objects.filter(pk__in=obligations):
        assert obligation.subject is not None and obligation.subject._meta.app_label == "people"
