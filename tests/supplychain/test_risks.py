"""The risk register (the Production Hub's risk management service; seed 002, finding 1: "Each risk should be
accompanied by a strategic plan ... accept, tolerate or transfer ... clear actions against each which are tracked
and updated each month (even if no progress)")."""

from __future__ import annotations

import csv
import datetime as dt
import io
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from alliance.models import Notification, Obligation, ObligationKind
from alliance.permissions import ERR_NAME_UNAVAILABLE
from supplychain.demo import seed_risks as seed_demo
from supplychain.models import Risk, RiskAction, RiskEscalation, RiskUpdate
from supplychain.permissions import ERR_RISK_NOT_UPDATER
from supplychain.selectors import risks as selectors
from supplychain.services import risks as services
from tests.alliance.factories import AllianceFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)
API = "/api/supplychain/risks/"


def raise_risk(people, actor="wsp-staff", owner="wsp-rep", likelihood=3, impact=4, strategy="treat", **extra):
    return services.risk_raise(actor=people[actor], title=extra.pop("title", "Steel shortage"), owner=people[owner],
                               likelihood=likelihood, impact=impact, strategy=strategy, **extra)


def backdate(risk, days: int) -> None:
    Risk.objects.filter(pk=risk.pk).update(last_updated_on=TODAY - dt.timedelta(days=days))


def risk_obligations(risk, status=None):
    qs = Obligation.objects.filter(kind=ObligationKind.RISK_UPDATE, subject_id=risk.pk,
                                   subject_type__model="risk").order_by("id")
    return list(qs.filter(status=status) if status else qs)


@pytest.fixture
def stranger():
    """A person of another alliance."""
    return PersonFactory(organisation=OrganisationFactory(alliance=AllianceFactory()))


# --- Raising a risk ----------------------------------------------------------------------------------------------


def test_any_member_raises_a_risk_through_the_api_with_score_likelihood_times_impact(people, client_for):
    """Seed 002: every risk has an owner, likelihood, impact and a strategy; score = likelihood × impact. A
    partner names an owner of its own organisation (tests/alliance/test_naming_people.py)."""
    response = client_for(people["costain-staff"]).post(API, {
        "title": "Utility diversions", "owner": "costain-rep", "likelihood": 4, "impact": 5, "strategy": "transfer",
        "cause": "Old records", "financial_exposure": "250000.00"}, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["score"] == 20 and body["reference"] == "R-001" and body["owner"] == "costain-rep"
    assert body["strategy"] == "transfer" and body["stale"] is False
    risk = Risk.objects.get(pk=body["id"])
    assert (risk.raised_by.username, risk.raised_on, risk.last_updated_on) == ("costain-staff", TODAY, TODAY)


def test_raising_a_risk_opens_the_owners_monthly_update_obligation(people):
    """Seed 002 ("updated each month"): the owner is due an update a month after the risk is raised."""
    risk = raise_risk(people)
    [obligation] = risk_obligations(risk)
    assert obligation.title == f"Monthly update of {risk.reference}"
    assert obligation.responsible_person == people["wsp-rep"]
    assert (obligation.start_date, obligation.due_date, obligation.status) == (TODAY, dt.date(2026, 12, 23), "open")


@pytest.mark.parametrize(("change", "field"), [
    ({"likelihood": 0}, "likelihood"),
    ({"likelihood": 6}, "likelihood"),
    ({"impact": 0}, "impact"),
    ({"impact": 6}, "impact"),
    ({"likelihood": "high"}, "likelihood"),
    ({"strategy": "ignore"}, "strategy"),
    ({"owner": "nobody-at-all"}, "owner"),
    ({"title": ""}, "title"),
])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_saved(people, client_for, change, field):
    payload = {"title": "Steel", "owner": "wsp-rep", "likelihood": 3, "impact": 3, "strategy": "treat"} | change
    obligations = Obligation.objects.count()
    response = client_for(people["wsp-staff"]).post(API, payload, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400 and body["code"] == "invalid" and field in body["errors"]
    assert Risk.objects.count() == 0 and Obligation.objects.count() == obligations


def test_an_owner_of_another_alliance_is_refused_and_nothing_is_saved(people, client_for, stranger):
    response = client_for(people["wsp-staff"]).post(API, {
        "title": "Steel", "owner": stranger.username, "likelihood": 3, "impact": 3, "strategy": "treat"},
        content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"owner": [ERR_NAME_UNAVAILABLE]}
    assert Risk.objects.count() == 0


def test_the_strategy_is_one_of_accept_tolerate_transfer_or_treat(people):
    """Seed 002: "a strategic plan, which is either to accept, tolerate or transfer the risk" (and treat)."""
    for strategy in ("accept", "tolerate", "transfer", "treat"):
        raise_risk(people, strategy=strategy)
    with pytest.raises(ValidationError) as refused:
        raise_risk(people, strategy="ignore")
    assert refused.value.message_dict == {"strategy": [services.ERR_RISK_STRATEGY]}


def test_references_run_r001_r002_per_alliance(people, stranger):
    first, second = raise_risk(people), raise_risk(people)
    assert (first.reference, second.reference) == ("R-001", "R-002")
    theirs = services.risk_raise(actor=stranger, title="Theirs", owner=stranger, likelihood=1, impact=1,
                                 strategy="accept")
    assert theirs.reference == "R-001"


def test_a_person_outside_any_alliance_cannot_raise_a_risk(people):
    nobody = PersonFactory(organisation=None)
    with pytest.raises(PermissionDenied):
        services.risk_raise(actor=nobody, title="x", owner=people["wsp-rep"], likelihood=1, impact=1,
                            strategy="accept")


# --- Reading the register (open book) -----------------------------------------------------------------------------


def test_every_member_reads_the_register_sorted_by_score_then_reference(people, client_for):
    raise_risk(people, likelihood=2, impact=2, title="Low")
    raise_risk(people, likelihood=5, impact=5, title="High")
    raise_risk(people, likelihood=2, impact=2, title="Low again")
    for username in ("client-reviewer", "costain-staff", "sro"):
        response = client_for(people[username]).get(API)
        assert response.status_code == 200
        body = response.json()
        assert body["count"] == 3
        assert [r["reference"] for r in body["results"]] == ["R-002", "R-001", "R-003"]


def test_stale_means_open_and_no_update_for_more_than_a_month(people, client_for):
    """Seed 002: stale risks are flagged; stale = open and last updated before add_months(today, -1)."""
    fresh = raise_risk(people, title="fresh")
    boundary = raise_risk(people, title="exactly a month")
    stale = raise_risk(people, title="stale")
    closed = raise_risk(people, title="closed and old")
    Risk.objects.filter(pk=boundary.pk).update(last_updated_on=dt.date(2026, 10, 23))
    Risk.objects.filter(pk=stale.pk).update(last_updated_on=dt.date(2026, 10, 22))
    services.risk_close(actor=people["wsp-rep"], risk=closed, reason="Passed")
    backdate(closed, 90)
    response = client_for(people["jacobs-staff"]).get(API + "?stale=true")
    assert response.status_code == 200
    assert [r["reference"] for r in response.json()["results"]] == [stale.reference]
    assert response.json()["results"][0]["stale"] is True
    everything = {r["reference"]: r["stale"] for r in client_for(people["jacobs-staff"]).get(API).json()["results"]}
    assert everything == {fresh.reference: False, boundary.reference: False, stale.reference: True,
                          closed.reference: False}


def test_the_register_api_is_paginated(people, client_for):
    for _ in range(3):
        raise_risk(people)
    body = client_for(people["wsp-staff"]).get(API + "?page_size=2").json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]


def test_the_api_needs_sign_in(people, client):
    assert client.get(API).status_code == 401


def test_a_risk_of_another_alliance_is_404(people, client_for, stranger):
    theirs = services.risk_raise(actor=stranger, title="Theirs", owner=stranger, likelihood=1, impact=1,
                                 strategy="accept")
    c = client_for(people["alliance-manager"])
    assert c.get(f"{API}{theirs.pk}/").status_code == 404
    assert c.post(f"{API}{theirs.pk}/updates/", {"note": "x", "likelihood": 1, "impact": 1},
                  content_type="application/json").status_code == 404
    assert c.get(f"/supply-chain/risks/{theirs.pk}/").status_code == 404
    assert c.post(f"/supply-chain/risks/{theirs.pk}/update/", {"note": "x", "no_change": "on"}).status_code == 404
    assert RiskUpdate.objects.count() == 0
    assert theirs.reference not in c.get(API).content.decode()


def test_the_risk_api_shows_updates_actions_and_escalations(people, client_for):
    risk = raise_risk(people)
    services.risk_update(actor=people["wsp-rep"], risk=risk, note="Worse", likelihood=4, impact=4)
    services.risk_action_add(actor=people["wsp-rep"], risk=risk, description="Second supplier",
                             owner=people["wsp-staff"], due_on=dt.date(2026, 12, 31))
    services.risk_escalate(actor=people["sro"], risk=risk, target="client_register", reason="Above £1m")
    body = client_for(people["costain-staff"]).get(f"{API}{risk.pk}/").json()
    assert body["score"] == 16
    assert [u["note"] for u in body["updates"]] == ["Worse"]
    assert body["actions"][0]["owner"] == "wsp-staff"
    assert body["escalations"][0]["target"] == "client_register"


# --- The monthly update ------------------------------------------------------------------------------------------


def test_the_monthly_update_snapshots_likelihood_and_impact_and_moves_the_obligation(people, client_for):
    """Seed 002: "tracked and updated each month"; the update meets this month's obligation, opens the next."""
    risk = raise_risk(people)
    backdate(risk, 40)
    response = client_for(people["wsp-rep"]).post(f"{API}{risk.pk}/updates/", {
        "note": "Second supplier found", "likelihood": 2, "impact": 4}, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["score"] == 8 and response.json()["no_change"] is False
    risk.refresh_from_db()
    assert (risk.likelihood, risk.impact, risk.score, risk.last_updated_on) == (2, 4, 8, TODAY)
    update = RiskUpdate.objects.get(risk=risk)
    assert (update.likelihood, update.impact, update.updated_by.username) == (2, 4, "wsp-rep")
    old, new = risk_obligations(risk)
    assert (old.status, old.closed_on) == ("met", TODAY)
    assert (new.status, new.due_date, new.responsible_person.username) == ("open", dt.date(2026, 12, 23), "wsp-rep")


def test_no_change_this_month_still_records_an_update(people, client_for):
    """Seed 002: updated each month "(even if no progress)"."""
    risk = raise_risk(people)
    backdate(risk, 35)
    response = client_for(people["wsp-rep"]).post(f"{API}{risk.pk}/updates/", {"no_change": True, "note": ""},
                                                  content_type="application/json")
    assert response.status_code == 201, response.content
    update = RiskUpdate.objects.get(risk=risk)
    assert update.no_change and update.note == services.RISK_NO_CHANGE_NOTE
    assert (update.likelihood, update.impact) == (3, 4)
    risk.refresh_from_db()
    assert risk.last_updated_on == TODAY
    assert [o.status for o in risk_obligations(risk)] == ["met", "open"]
    assert risk.pk not in [r.pk for r in selectors.risks_register(risk.alliance_id, today=TODAY, stale=True)]


def test_no_change_with_other_scores_is_refused(people):
    risk = raise_risk(people)
    with pytest.raises(ValidationError) as refused:
        services.risk_update(actor=people["wsp-rep"], risk=risk, note="", likelihood=5, impact=5, no_change=True)
    assert refused.value.messages == [services.ERR_RISK_NO_CHANGE_DIFFERS]
    assert RiskUpdate.objects.count() == 0


def test_an_update_needs_a_note(people, client_for):
    """Seed 002: the update is recorded every month, with what happened, even if nothing did."""
    risk = raise_risk(people)
    response = client_for(people["wsp-rep"]).post(f"{API}{risk.pk}/updates/", {
        "note": "  ", "likelihood": 3, "impact": 4}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"note": [services.ERR_RISK_NOTE_REQUIRED]}
    assert RiskUpdate.objects.count() == 0 and len(risk_obligations(risk, "open")) == 1


@pytest.mark.parametrize("payload", [{"note": "x", "likelihood": 0, "impact": 3},
                                     {"note": "x", "likelihood": 3, "impact": 6}, {"note": "x"}])
def test_an_update_with_bad_scores_is_refused_and_nothing_saved(people, client_for, payload):
    risk = raise_risk(people)
    response = client_for(people["wsp-rep"]).post(f"{API}{risk.pk}/updates/", payload,
                                                  content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) & {"likelihood", "impact"}
    assert RiskUpdate.objects.count() == 0
    risk.refresh_from_db()
    assert risk.score == 12


def test_a_partner_who_is_neither_owner_nor_team_cannot_update_someone_elses_risk(people, client_for):
    risk = raise_risk(people)
    response = client_for(people["costain-staff"]).post(f"{API}{risk.pk}/updates/", {
        "note": "x", "likelihood": 1, "impact": 1}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["detail"] == ERR_RISK_NOT_UPDATER
    page = client_for(people["costain-staff"]).post(f"/supply-chain/risks/{risk.pk}/update/", {"note": "x",
                                                                                              "no_change": "on"})
    assert page.status_code == 403
    assert RiskUpdate.objects.count() == 0


@pytest.mark.parametrize("username", ["wsp-rep", "fluor-staff", "fluor-rep", "alliance-manager"])
def test_the_owner_and_the_supply_chain_team_update_a_risk(people, client_for, username):
    """The owner, or the supply chain team (the Alliance Manager and Lot 1's people, para 116)."""
    risk = raise_risk(people)
    response = client_for(people[username]).post(f"{API}{risk.pk}/updates/", {
        "note": "Reviewed", "likelihood": 2, "impact": 2}, content_type="application/json")
    assert response.status_code == 201


def test_a_closed_risk_is_not_updated_and_its_obligation_is_cancelled(people):
    risk = raise_risk(people)
    services.risk_close(actor=people["wsp-rep"], risk=risk, reason="The steel arrived")
    risk.refresh_from_db()
    assert risk.status == "closed"
    assert [o.status for o in risk_obligations(risk)] == ["cancelled"]
    with pytest.raises(ValidationError) as refused:
        services.risk_update(actor=people["wsp-rep"], risk=risk, note="x", likelihood=1, impact=1)
    assert refused.value.messages == [services.ERR_RISK_CLOSED.format(status="closed", action="updated")]
    with pytest.raises(ValidationError):
        services.risk_close(actor=people["wsp-rep"], risk=risk, reason="again")


def test_closing_needs_a_reason_and_the_owner_or_team(people):
    risk = raise_risk(people)
    with pytest.raises(ValidationError):
        services.risk_close(actor=people["wsp-rep"], risk=risk, reason=" ")
    with pytest.raises(PermissionDenied):
        services.risk_close(actor=people["jacobs-rep"], risk=risk, reason="Not mine")
    assert Risk.objects.get(pk=risk.pk).status == "open"


# --- Actions ------------------------------------------------------------------------------------------------------


def test_actions_have_an_owner_and_a_due_date_and_are_tracked_to_done(people):
    """Seed 002: "clear actions against each which are tracked and updated each month"."""
    risk = raise_risk(people)
    action = services.risk_action_add(actor=people["wsp-rep"], risk=risk, description="Find a second supplier",
                                      owner=people["wsp-staff"], due_on=dt.date(2026, 12, 18))
    services.risk_action_progress(actor=people["wsp-rep"], action=action, progress="Two quotes in")
    action.refresh_from_db()
    assert (action.progress, action.done_on) == ("Two quotes in", None)
    services.risk_action_progress(actor=people["fluor-staff"], action=action, progress="Contract signed", done=True)
    action.refresh_from_db()
    assert action.done_on == TODAY
    with pytest.raises(ValidationError):
        services.risk_action_progress(actor=people["wsp-rep"], action=action, progress="again")


def test_an_action_owner_of_another_alliance_or_a_past_date_is_refused(people, stranger):
    risk = raise_risk(people)
    with pytest.raises(ValidationError) as refused:
        services.risk_action_add(actor=people["wsp-rep"], risk=risk, description="x", owner=stranger,
                                 due_on=dt.date(2026, 11, 1))
    assert set(refused.value.message_dict) == {"owner", "due_on"}
    assert RiskAction.objects.count() == 0


def test_a_partner_not_owner_cannot_add_actions(people, client_for):
    risk = raise_risk(people)
    response = client_for(people["jacobs-rep"]).post(f"/supply-chain/risks/{risk.pk}/actions/", {
        "description": "x", "owner": people["jacobs-rep"].pk, "due_on": "2026-12-01"})
    assert response.status_code == 403
    assert RiskAction.objects.count() == 0


def test_actions_are_added_and_progressed_from_the_risk_page(people, client_for):
    risk = raise_risk(people)
    c = client_for(people["wsp-rep"])
    response = c.post(f"/supply-chain/risks/{risk.pk}/actions/", {
        "description": "Second supplier", "owner": people["wsp-staff"].pk, "due_on": "2026-12-01"})
    assert response.status_code == 302
    action = RiskAction.objects.get(risk=risk)
    response = c.post(f"/supply-chain/risks/{risk.pk}/actions/progress/", {"action": action.pk, "progress": "Done",
                                                                           "done": "on"})
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.done_on == TODAY
    bad = c.post(f"/supply-chain/risks/{risk.pk}/actions/", {"description": "x", "owner": people["wsp-staff"].pk,
                                                             "due_on": "2026-01-01"})
    assert bad.status_code == 400 and escape(services.ERR_RISK_ACTION_DUE_PAST) in bad.content.decode()


# --- Escalation ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("username", "target"), [("alliance-manager", "board"), ("sro", "client_register")])
def test_the_alliance_manager_or_sro_escalates_with_a_reason_recorded_and_shown(people, client_for, username,
                                                                                 target):
    """Seed 002: risks are transferred, as appropriate, to the Board's or the client's registers."""
    risk = raise_risk(people)
    c = client_for(people[username])
    response = c.post(f"/supply-chain/risks/{risk.pk}/escalate/", {"target": target, "reason": "Exposure above £1m"})
    assert response.status_code == 302
    escalation = RiskEscalation.objects.get(risk=risk)
    assert (escalation.target, escalation.escalated_by.username, escalation.escalated_on) == (target, username, TODAY)
    assert Notification.objects.filter(recipient=people["wsp-rep"], title__contains="escalated").exists()
    page = c.get(f"/supply-chain/risks/{risk.pk}/").content.decode()
    assert "Exposure above £1m" in page


def test_a_partner_cannot_escalate(people, client_for):
    risk = raise_risk(people)
    response = client_for(people["wsp-rep"]).post(f"/supply-chain/risks/{risk.pk}/escalate/", {
        "target": "board", "reason": "x"})
    assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.risk_escalate(actor=people["fluor-rep"], risk=risk, target="board", reason="x")
    assert RiskEscalation.objects.count() == 0


def test_an_escalation_needs_a_reason_and_a_known_target(people):
    risk = raise_risk(people)
    with pytest.raises(ValidationError) as refused:
        services.risk_escalate(actor=people["sro"], risk=risk, target="press", reason="")
    assert set(refused.value.message_dict) == {"target", "reason"}


# --- Pages --------------------------------------------------------------------------------------------------------


def test_the_register_page_with_heat_map_filters_and_stale_flag(people, client_for):
    a = raise_risk(people, likelihood=5, impact=5, title="Top", strategy="treat")
    b = raise_risk(people, likelihood=5, impact=5, title="Top too", strategy="accept")
    c = raise_risk(people, actor="jacobs-staff", likelihood=1, impact=2, title="Low", owner="jacobs-rep",
                   strategy="accept")
    backdate(c, 40)
    client = client_for(people["client-reviewer"])
    response = client.get("/supply-chain/risks/")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(a.reference) < page.index(b.reference) < page.index(c.reference)
    heat = response.context["heat"]
    cells = {(cell["likelihood"], cell["impact"]): cell for row in heat.rows for cell in row["cells"]}
    assert cells[(5, 5)]["count"] == 2 and cells[(1, 2)]["count"] == 1 and heat.total == 3
    assert cells[(5, 5)]["word"] == "High" and cells[(1, 2)]["word"] == "Low"
    assert 'data-testid="stale"' in page
    only_stale = client.get("/supply-chain/risks/?stale=on")
    assert [r["risk"].reference for r in only_stale.context["rows"]] == [c.reference]
    accepted = client.get(f"/supply-chain/risks/?strategy=accept&owner={people['jacobs-rep'].pk}")
    assert [r["risk"].reference for r in accepted.context["rows"]] == [c.reference]
    closed = client.get("/supply-chain/risks/?status=closed")
    assert closed.context["rows"] == []


def test_the_register_is_paginated_fifty_a_page(people, client_for):
    Risk.objects.bulk_create([
        Risk(alliance=people["wsp-rep"].organisation.alliance, reference=f"R-{i:03d}", title=f"Risk {i}",
             owner=people["wsp-rep"], likelihood=2, impact=2, score=4, strategy="accept", raised_by=people["wsp-rep"],
             raised_on=TODAY, last_updated_on=TODAY) for i in range(1, 56)])
    response = client_for(people["wsp-staff"]).get("/supply-chain/risks/?page=2")
    assert len(response.context["rows"]) == 5


def test_pages_need_a_member_of_the_alliance(people, client_for):
    outsider = PersonFactory(organisation=None)
    risk = raise_risk(people)
    c = client_for(outsider)
    for path in ("/supply-chain/risks/", "/supply-chain/risks/new/", f"/supply-chain/risks/{risk.pk}/",
                 "/supply-chain/risks/export.csv"):
        assert c.get(path).status_code == 403, path
    assert c.get(API).status_code == 403


def test_the_risk_page_shows_updates_actions_escalations_history_and_the_forms(people, client_for):
    risk = raise_risk(people)
    services.risk_update(actor=people["wsp-rep"], risk=risk, note="Quotes requested", likelihood=3, impact=3)
    services.risk_action_add(actor=people["wsp-rep"], risk=risk, description="Call suppliers",
                             owner=people["wsp-staff"], due_on=dt.date(2026, 12, 1))
    owner_page = client_for(people["wsp-rep"]).get(f"/supply-chain/risks/{risk.pk}/").content.decode()
    for text in ("Quotes requested", "Call suppliers", 'data-testid="update-form"', 'data-testid="close-form"',
                 "Raised", "Monthly update"):
        assert text in owner_page
    assert 'data-testid="escalate-form"' not in owner_page
    reader = client_for(people["costain-staff"]).get(f"/supply-chain/risks/{risk.pk}/")
    assert reader.status_code == 200
    assert 'data-testid="update-form"' not in reader.content.decode()
    assert 'data-testid="escalate-form"' in client_for(people["sro"]).get(
        f"/supply-chain/risks/{risk.pk}/").content.decode()


def test_raise_a_risk_page(people, client_for):
    c = client_for(people["bam-msjv-staff"])
    assert c.get("/supply-chain/risks/new/").status_code == 200
    response = c.post("/supply-chain/risks/new/", {"title": "Flooding", "owner": people["bam-msjv-rep"].pk,
                                                   "likelihood": "2", "impact": "5", "strategy": "tolerate"})
    assert response.status_code == 302
    risk = Risk.objects.get()
    assert (risk.score, risk.owner.username) == (10, "bam-msjv-rep")
    bad = c.post("/supply-chain/risks/new/", {"title": "x", "owner": people["bam-msjv-rep"].pk, "likelihood": "6",
                                              "impact": "1", "strategy": "ignore"})
    assert bad.status_code == 400 and Risk.objects.count() == 1
    assert "There is a problem" in bad.content.decode()


def test_no_change_this_month_from_the_risk_page(people, client_for):
    """Seed 002 ("even if no progress"): the option still records an update."""
    risk = raise_risk(people)
    response = client_for(people["wsp-rep"]).post(f"/supply-chain/risks/{risk.pk}/update/", {"no_change": "on",
                                                                                               "note": ""})
    assert response.status_code == 302
    assert RiskUpdate.objects.get(risk=risk).no_change
    empty = client_for(people["wsp-rep"]).post(f"/supply-chain/risks/{risk.pk}/update/", {"note": ""})
    assert empty.status_code == 400 and RiskUpdate.objects.count() == 1


def test_the_register_exports_as_csv_and_xlsx_with_the_filters(people, client_for):
    from openpyxl import load_workbook

    raise_risk(people, strategy="accept", title="Accepted one")
    raise_risk(people, strategy="treat", title="Treated one")
    c = client_for(people["jacobs-staff"])
    response = c.get("/supply-chain/risks/export.csv?strategy=accept")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:3] == ["reference", "title", "owner"] and len(rows) == 2 and rows[1][1] == "Accepted one"
    response = c.get("/supply-chain/risks/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.max_row == 3 and sheet.cell(1, 1).value == "reference"


# --- Query counts --------------------------------------------------------------------------------------------------


def _queries(client, path):
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured)


def test_queries_do_not_grow_with_risks_or_updates(people, client_for):
    c = client_for(people["wsp-staff"])
    first = raise_risk(people)
    services.risk_update(actor=people["wsp-rep"], risk=first, note="x", likelihood=2, impact=2)
    paths = ["/supply-chain/risks/", API, API + "?stale=true", "/supply-chain/risks/export.csv",
             f"/supply-chain/risks/{first.pk}/", f"{API}{first.pk}/"]
    before = {p: _queries(c, p) for p in paths}
    for i in range(12):
        risk = raise_risk(people, actor="alliance-manager", owner=["wsp-rep", "jacobs-rep", "fluor-staff"][i % 3])
        services.risk_action_add(actor=people["alliance-manager"], risk=risk, description="x",
                                 owner=people["wsp-rep"], due_on=dt.date(2026, 12, 1))
    for _ in range(5):
        services.risk_update(actor=people["wsp-rep"], risk=first, note="y", likelihood=3, impact=3)
        services.risk_action_add(actor=people["wsp-rep"], risk=first, description="z", owner=people["wsp-rep"],
                                 due_on=dt.date(2026, 12, 1))
    services.risk_escalate(actor=people["sro"], risk=first, target="board", reason="r")
    after = {p: _queries(c, p) for p in paths}
    assert after == before


# --- Concurrency and demo ------------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_references_are_unique_when_members_raise_risks_at_once(sc):
    """The alliance's row lock: eight members raising at the same moment get R-001 to R-008."""
    from alliance.models import Person

    people = {p.username: p for p in Person.objects.select_related("organisation").all()}
    usernames = ["wsp-staff", "jacobs-staff", "costain-staff", "fluor-staff", "bam-msjv-staff",
                 "balfour-beatty-staff", "wsp-rep", "jacobs-rep"]
    barrier = threading.Barrier(len(usernames))
    errors = []

    def run(username):
        try:
            barrier.wait()
            raise_risk(people, actor=username, owner=username)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(u,)) for u in usernames]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(Risk.objects.values_list("reference", flat=True)) == [f"R-{i:03d}" for i in range(1, 9)]


def test_the_demo_register_is_idempotent_with_two_stale_risks_and_one_escalation(sc):
    seed_demo(sc)
    seed_demo(sc)
    risks = Risk.objects.filter(alliance=sc)
    assert risks.count() == 15
    assert selectors.risks_register(sc.pk, today=TODAY, stale=True).count() == 2
    assert RiskEscalation.objects.filter(risk__alliance=sc).count() == 1
    assert RiskUpdate.objects.filter(risk__alliance=sc).count() >= 30
    assert RiskAction.objects.filter(risk__alliance=sc).count() >= 6
    assert Obligation.objects.filter(kind=ObligationKind.RISK_UPDATE, status="open").count() == 15
    cells = {(r.likelihood, r.impact) for r in risks}
    assert len(cells) >= 12


def test_the_openapi_schema_documents_the_risk_endpoints(people, client_for):
    response = client_for(people["wsp-staff"]).get("/api/schema/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    text = response.content.decode()
    for path in ("/api/supplychain/risks/", "/api/supplychain/risks/{id}/", "/api/supplychain/risks/{id}/updates/"):
        assert path in text
