"""The audit's raw SQL reads and compares times alike on SQLite (the README's default) and PostgreSQL.

SQLite hands a raw query's datetimes back naive (or as text) and compares them as text: the times the audit
puts into its SQL must be written as Django writes stored ones (UTC, no offset), and the times it reads back
made aware, or the CSV export stops at its header, London days shift by the summer hour and the export's keyset
reads rows twice."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from alliance import services
from alliance.models import Obligation, ObligationKind
from audit.entries import audit_entries, audit_export
from audit.sources import AuditFilters, audit_entry_count

pytestmark = pytest.mark.django_db

AUDIT = reverse("audit")
EXPORT = reverse("audit-export")


@pytest.fixture
def obligation(smp, alliance_manager) -> Obligation:
    return services.obligation_add(
        actor=alliance_manager, alliance=smp, kind=ObligationKind.OTHER, title="Audit test obligation",
        start_date=dt.date(2026, 11, 1), due_date=dt.date(2026, 12, 1),
    )


def _redate(obligation: Obligation, actor, days: int = 1) -> None:
    obligation.refresh_from_db()
    services.obligation_redate(actor=actor, obligation=obligation,
                               due_date=obligation.due_date + dt.timedelta(days=days), reason="Programme slipped")


def test_audit_entries_carry_aware_times_and_the_csv_has_its_rows(obligation, alliance_manager, client_for):
    entries = audit_entries(alliance_manager, AuditFilters(object_id=obligation.pk,
                                                                       model_label="alliance.Obligation"))
    assert entries and all(timezone.is_aware(e.when) for e in entries)
    response = client_for(alliance_manager).get(EXPORT, {"object_type": "alliance.Obligation",
                                                         "object_id": obligation.pk})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows and {(r["action"], r["when"]) for r in rows} == {
        ("created", timezone.localtime(entries[0].when).isoformat(timespec="seconds"))}


def test_the_date_filter_takes_whole_london_days_in_summer(obligation, alliance_manager):
    """A change at 00:30 on 1 July in London is at 23:30 on 30 June in UTC: it is 1 July's."""
    london_half_past_midnight = dt.datetime(2027, 6, 30, 23, 30, tzinfo=dt.UTC)
    with time_machine.travel(london_half_past_midnight, tick=False):
        _redate(obligation, alliance_manager)
    only = {"model_label": "alliance.Obligation", "object_id": obligation.pk}
    first_of_july = AuditFilters(**only, date_from=dt.date(2027, 7, 1), date_to=dt.date(2027, 7, 1))
    assert [(e.action, e.when) for e in audit_entries(alliance_manager, first_of_july)] == [
        ("changed", london_half_past_midnight)]
    assert audit_entry_count(alliance_manager, first_of_july) == 1
    thirtieth_of_june = AuditFilters(**only, date_from=dt.date(2027, 6, 30), date_to=dt.date(2027, 6, 30))
    assert audit_entries(alliance_manager, thirtieth_of_june) == []


def test_the_export_reads_changes_made_at_the_same_instant_once_each(obligation, alliance_manager):
    """The export reads in batches after the last row read (date, then id): rows sharing one instant must
    neither repeat nor be skipped between batches."""
    with time_machine.travel(dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        for _ in range(5):
            _redate(obligation, alliance_manager)
    filters = AuditFilters(model_label="alliance.Obligation", object_id=obligation.pk)
    exported = [e.history_id for e in audit_export(alliance_manager, filters, batch=2)]
    assert exported == sorted(Obligation.history.filter(id=obligation.pk).values_list("history_id", flat=True),
                              reverse=True)
    assert len(exported) == audit_entry_count(alliance_manager, filters) == 6


def test_an_object_id_beyond_the_databases_integers_is_refused_not_a_server_error(smp, client_for, alliance_manager):
    c = client_for(alliance_manager)
    for huge in (2**63, 10**30):
        response = c.get(AUDIT, {"object_type": "alliance.Obligation", "object_id": huge})
        assert response.status_code == 400 and response.context["page"] is None
        assert "object_id" in response.context["form"].errors
    assert c.get(AUDIT, {"object_type": "alliance.Obligation", "object_id": 2**63 - 1}).status_code == 200
