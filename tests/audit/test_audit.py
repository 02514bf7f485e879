"""The audit page: one history across every app, who may read it, its filters, its CSV and its query count."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from alliance import services
from alliance.models import Obligation, ObligationKind, Organisation, Person
from audit.entries import AuditEntry, audit_export
from audit.sources import ERR_AUDIT_DATE_ORDER, AuditFilters, audit_entry_count, source_for
from governance.demo import seed_matrix
from governance.models import DecisionType, Vote
from governance.services import board as governance_services
from tests.alliance.factories import AllianceFactory, ObligationFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

AUDIT = reverse("audit")
EXPORT = reverse("audit-export")


def _redate(obligation: Obligation, actor: Person, days: int, reason: str = "Programme slipped") -> Obligation:
    obligation.refresh_from_db()
    return services.obligation_redate(actor=actor, obligation=obligation, due_date=obligation.due_date
                                      + dt.timedelta(days=days), reason=reason)


@pytest.fixture
def obligation(smp, alliance_manager) -> Obligation:
    return services.obligation_add(
        actor=alliance_manager, alliance=smp, kind=ObligationKind.OTHER, title="Audit test obligation",
        start_date=dt.date(2026, 11, 1), due_date=dt.date(2026, 12, 1),
    )


def _entries(response) -> list[AuditEntry]:
    assert response.status_code == 200, response.content.decode()[:500]
    return list(response.context["page"].object_list)


def _csv(response) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


# --- Who may read it ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["alliance-manager", "sro", "admin"])
def test_alliance_manager_sro_and_administrators_read_the_audit(smp, client_for, username):
    c = client_for(Person.objects.get(username=username))
    response = c.get(AUDIT)
    assert response.status_code == 200
    assert "Audit" in [i["label"] for i in response.context["nav_items"]]
    assert response.context["page"].paginator.count > 0  # the demo's own records
    assert c.get(EXPORT).status_code == 200


def test_a_platform_administrator_without_an_organisation_reads_the_audit(smp, client_for):
    admin = PersonFactory(organisation=None, is_staff=True, is_superuser=True)
    assert client_for(admin).get(AUDIT).status_code == 200


@pytest.mark.parametrize("persona", ["partner_rep", "partner_staff", "client_reviewer"])
def test_partners_and_the_client_reviewer_are_refused(request, client_for, persona):
    person = request.getfixturevalue(persona)
    c = client_for(person)
    assert c.get(AUDIT).status_code == 403
    assert c.get(EXPORT).status_code == 403
    assert "Audit" not in [i["label"] for i in c.get("/").context["nav_items"]]


@pytest.mark.parametrize("path", [AUDIT, EXPORT])
def test_the_audit_requires_sign_in(smp, client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- What it shows ------------------------------------------------------------------------------------------


def test_a_redated_obligation_shows_who_and_the_due_date_from_and_to(obligation, client_for, alliance_manager):
    _redate(obligation, alliance_manager, 14, reason="Programme slipped two weeks")
    c = client_for(alliance_manager)
    entry = _entries(c.get(AUDIT, {"object_type": "alliance.Obligation"}))[0]
    assert (entry.source.label, entry.object_id, entry.action) == ("alliance.Obligation", str(obligation.pk), "changed")
    assert entry.person == alliance_manager
    assert entry.who == "Tom Ashworth" and entry.organisation == "National Highways"
    assert entry.reason == "Programme slipped two weeks"
    assert [(c.label, c.old, c.new) for c in entry.changes] == [("Due date", "1 Dec 2026", "15 Dec 2026")]
    page = c.get(AUDIT, {"object_type": "alliance.Obligation"}).content.decode()
    assert "Audit test obligation" in page and "15 Dec 2026" in page and "Programme slipped two weeks" in page


def test_a_changed_vote_shows_its_choice_from_and_to_by_choice_label(smp, client_for, alliance_manager):
    seed_matrix(smp)
    rep = Person.objects.get(username="wsp-rep")
    decision = governance_services.decision_table(
        actor=alliance_manager, alliance=smp, title="Appoint the audit lead",
        decision_type=DecisionType.objects.get(alliance=smp, code="key-person-appointment"),
        closes_at=timezone.now() + dt.timedelta(days=3),
    )
    governance_services.vote_cast(actor=rep, decision=decision, choice="for")
    governance_services.vote_cast(actor=rep, decision=decision, choice="against")
    vote = Vote.objects.get(decision=decision, organisation=rep.organisation)
    response = client_for(alliance_manager).get(AUDIT, {"object_type": "governance.Vote", "object_id": vote.pk})
    changed, created = _entries(response)
    assert changed.person == rep and changed.organisation == "WSP"
    assert [(c.name, c.old, c.new) for c in changed.changes if c.name == "choice"] == [("choice", "For", "Against")]
    assert created.action == "created"
    assert ("Organisation", "WSP") in [(c.label, c.new) for c in created.changes]  # a foreign key by its name
    # The decision has a page; the Alliance Manager may open the Board, so the entry links there.
    tabled = _entries(client_for(alliance_manager).get(AUDIT, {"object_type": "governance.Decision",
                                                                "object_id": decision.pk}))
    assert tabled[-1].url == decision.get_absolute_url()


def test_created_and_deleted_records_say_so(smp, client_for, alliance_manager):
    obligation = ObligationFactory(alliance=smp, title="Short-lived")
    pk = obligation.pk
    obligation.delete()
    deleted, created = _entries(client_for(alliance_manager).get(
        AUDIT, {"object_type": "alliance.Obligation", "object_id": pk}))
    assert (deleted.action, deleted.changes) == ("deleted", [])
    assert deleted.object_label == f"Obligation #{pk} (deleted)"
    assert created.action == "created" and ("Title", "Short-lived") in [(c.label, c.new) for c in created.changes]
    assert created.who == "The system"


def test_another_alliances_changes_are_not_shown(smp, client_for, alliance_manager):
    elsewhere = AllianceFactory()
    stranger = PersonFactory(organisation=OrganisationFactory(alliance=elsewhere))
    theirs = ObligationFactory(alliance=elsewhere)
    theirs.title, theirs._history_user = "Changed elsewhere", stranger
    theirs.save()
    entries = _entries(client_for(alliance_manager).get(AUDIT, {"object_type": "alliance.Obligation",
                                                                 "object_id": theirs.pk}))
    # Another alliance's record is not one the Alliance Manager may open, so none of its history shows, not even
    # its creation by nobody (a factory) (alliance/visibility.py).
    assert entries == []
    form = client_for(alliance_manager).get(AUDIT).context["form"]
    assert stranger not in form.fields["person"].queryset


# --- Filters ------------------------------------------------------------------------------------------------


def test_each_filter_narrows_the_list(obligation, client_for, alliance_manager, sro):
    with time_machine.travel(dt.datetime(2026, 12, 2, 10, 0, tzinfo=dt.UTC), tick=False):
        _redate(obligation, sro, 7)
    c = client_for(alliance_manager)
    everything = _entries(c.get(AUDIT))
    assert {e.source.app_label for e in c.get(AUDIT).context["page"].object_list} >= {"alliance"}

    by_person = _entries(c.get(AUDIT, {"person": sro.pk}))
    assert by_person and {e.person_id for e in by_person} == {sro.pk}
    assert _entries(c.get(AUDIT, {"person": alliance_manager.pk}))[0].action == "created"

    national_highways = Organisation.objects.get(slug="national-highways")
    wsp = Organisation.objects.get(slug="wsp")
    by_organisation = _entries(c.get(AUDIT, {"organisation": national_highways.pk}))
    assert {e.person.organisation_id for e in by_organisation} == {national_highways.pk}
    assert _entries(c.get(AUDIT, {"organisation": wsp.pk})) == []

    by_app = _entries(c.get(AUDIT, {"app": "alliance"}))
    assert by_app and {e.app_label for e in by_app} == {"alliance"}
    assert _entries(c.get(AUDIT, {"app": "governance"})) == []  # nothing of governance in the core's demo

    by_type = c.get(AUDIT, {"object_type": "alliance.Person"})
    assert {e.source.label for e in _entries(by_type)} == {"alliance.Person"}
    assert by_type.context["page"].paginator.count == Person.history.count()  # sign-ins save a person too

    by_object = _entries(c.get(AUDIT, {"object_type": "alliance.Obligation", "object_id": obligation.pk}))
    assert [e.action for e in by_object] == ["changed", "created"]

    on_the_day = _entries(c.get(AUDIT, {"date_from": "2026-12-02", "date_to": "2026-12-02"}))
    assert [(e.object_id, e.person_id) for e in on_the_day] == [(str(obligation.pk), sro.pk)]
    assert _entries(c.get(AUDIT, {"date_to": "2026-12-01"}))[0].person_id != sro.pk
    assert _entries(c.get(AUDIT, {"date_from": "2026-12-03"})) == []
    assert len(everything) == 50  # the first page


def test_a_to_date_before_the_from_date_is_refused_and_nothing_shown(smp, client_for, alliance_manager):
    response = client_for(alliance_manager).get(AUDIT, {"date_from": "2026-11-20", "date_to": "2026-11-01"})
    assert response.status_code == 400
    assert response.context["page"] is None
    page = response.content.decode()
    assert ERR_AUDIT_DATE_ORDER in page and "There is a problem" in page
    assert 'data-testid="audit"' not in page
    export = client_for(alliance_manager).get(EXPORT, {"date_from": "2026-11-20", "date_to": "2026-11-01"})
    assert export.status_code == 302 and export["Location"].startswith(AUDIT)


def test_a_person_of_another_alliance_cannot_be_picked(smp, client_for, alliance_manager):
    stranger = PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory()))
    response = client_for(alliance_manager).get(AUDIT, {"person": stranger.pk})
    assert response.status_code == 400 and response.context["page"] is None


# --- CSV ----------------------------------------------------------------------------------------------------


def test_csv_has_one_row_per_changed_field_and_escapes_formulas(obligation, client_for, alliance_manager):
    services.obligation_meet(actor=alliance_manager, obligation=obligation, on=dt.date(2026, 11, 20),
                             reason='=HYPERLINK("http://evil.example", "Click")')
    rows = _csv(client_for(alliance_manager).get(EXPORT, {"object_type": "alliance.Obligation",
                                                          "object_id": obligation.pk}))
    assert list(rows[0]) == ["when", "who", "organisation", "app", "object type", "object id", "object", "action",
                             "field", "from", "to", "reason"]
    met = [r for r in rows if r["action"] == "changed"]
    assert {(r["field"], r["from"], r["to"]) for r in met} >= {("Status", "Open", "Met"), ("Closed on", "", "20 Nov 2026")}
    assert len(met) == len(Obligation.history.filter(id=obligation.pk).latest().diff_against(
        Obligation.history.filter(id=obligation.pk).earliest(), included_fields=source_for(
            "alliance.Obligation").diff_fields).changes)
    assert {r["reason"] for r in met} == {'\'=HYPERLINK("http://evil.example", "Click")'}
    assert {(r["who"], r["organisation"], r["object"]) for r in met} == {
        ("Tom Ashworth", "National Highways", "Audit test obligation")}
    assert met[0]["when"].startswith("2026-11-23T")


def test_csv_follows_the_filters_across_batches(obligation, client_for, alliance_manager):
    for _ in range(7):
        _redate(obligation, alliance_manager, 1)
    rows = _csv(client_for(alliance_manager).get(EXPORT, {"person": alliance_manager.pk}))
    assert {r["who"] for r in rows} == {"Tom Ashworth"}
    entries = list(audit_export(alliance_manager, AuditFilters(person_id=alliance_manager.pk), batch=3))
    assert [e.history_id for e in entries if e.action == "changed"] == sorted(
        Obligation.history.filter(id=obligation.pk, history_type="~").values_list("history_id", flat=True),
        reverse=True)
    assert len(entries) == audit_entry_count(alliance_manager, AuditFilters(person_id=alliance_manager.pk))


# --- Queries ------------------------------------------------------------------------------------------------


def _page_queries(c, params=None) -> int:
    c.get(AUDIT, params)
    with CaptureQueriesContext(connection) as captured:
        assert c.get(AUDIT, params).status_code == 200
    return len(captured)


def test_the_page_does_not_query_more_for_more_rows(smp, client_for, alliance_manager, django_assert_max_num_queries):
    seed_matrix(smp)
    c = client_for(alliance_manager)
    filters = {"person": alliance_manager.pk}
    few = ObligationFactory.create_batch(2, alliance=smp)
    for o in few:
        _redate(o, alliance_manager, 1)
    small = _page_queries(c, filters)
    assert len(c.get(AUDIT, filters).context["page"].object_list) == 2
    for o in ObligationFactory.create_batch(60, alliance=smp, responsible_person=alliance_manager):
        _redate(o, alliance_manager, 1)
    with django_assert_max_num_queries(small):
        response = c.get(AUDIT, filters)
    assert len(response.context["page"].object_list) == 50
    # The whole list, several models on one page: a few queries per model (its records, the records before
    # them, the live objects, the objects its foreign keys name), never one per row.
    last = {"page": c.get(AUDIT).context["page"].paginator.num_pages - 1}  # the demo's records, of many models
    response = c.get(AUDIT, last)
    models = {e.source.label for e in response.context["page"].object_list}
    assert len(response.context["page"].object_list) == 50 and len(models) > 3
    assert _page_queries(c, last) <= small + 4 * len(models)


def test_signing_in_records_the_time_without_a_history_row(smp, partner_staff):
    from django.test import Client

    before = partner_staff.history.count()
    Client().force_login(partner_staff)  # sends user_logged_in, as the sign-in form does
    partner_staff.refresh_from_db()
    assert partner_staff.last_login is not None
    assert partner_staff.history.count() == before
