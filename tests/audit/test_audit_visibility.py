"""No one reads in the audit what the record's own page would refuse them (per-record authorisation, OWASP ASVS
8.2.2; alliance/visibility.py).

Generated over every model django-simple-history tracks (found from the app registry, so a new model is covered
the day it lands) and every person of the demo alliance (the personas of tests/conftest.py are among them:
the SRO, the Alliance Manager, the client reviewer, each partner's representative, delegate and staff, the
administrator) plus a platform administrator outside any organisation: each row the audit shows them, on the
page and in the CSV, is of a record they may open now (its page, the Django admin or the app's predicate), or of
a deleted record whose last version they could read; and no version of a Supply Chain Management Plan they
could never see (another organisation's draft).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse

from alliance import demo, permissions, visibility
from alliance.models import Obligation, ObligationKind, Person
from audit.entries import audit_entries
from audit.sources import AuditFilters, Source, source_for
from audit.sources import sources as all_sources
from people.models import Nomination, NominationStatus, ResourcingProposal
from portal.demo import seed as seed_whole_demo
from supplychain.models import ManagementPlan, PlanStatus
from supplychain.services import plans as supplychain_services
from tests.alliance.factories import PersonFactory
from tests.conftest import second_factor_pass

pytestmark = pytest.mark.django_db

AUDIT = reverse("audit")
EXPORT = reverse("audit-export")
DRAFT_TEXT = "Our draft: supply chain secrets nobody else should read"
PLATFORM_ADMIN = "platform-admin"
USERNAMES = ([username for username, *_ in demo.CLIENT_PEOPLE]
             + [f"{p.slug}-{suffix}" for p in demo.PARTNERS for suffix, *_ in demo.PARTNER_ROLES] + [PLATFORM_ADMIN])
# Records whose own page answers for them: the oracle for "may open" (200 or 404) where a page exists.
DETAIL_PAGES = {
    ManagementPlan: "supplychain-plan", Nomination: "people-nomination", ResourcingProposal: "people-proposal",
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo once for the module (rolled back afterwards), with the states the audit must hide: a
    partner's draft plan with its own texts, a plan returned and drafted again before it was resubmitted, and a
    deleted obligation."""
    files = tmp_path_factory.mktemp("audit-visibility")
    with (django_db_blocker.unblock(),
          time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), tick=True),
          override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                            PRIVATE_FILES_ROOT=files / "private")):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            seed_whole_demo()
            people = {p.username: p for p in Person.objects.select_related("organisation")}
            manager = people["alliance-manager"]
            wsp = supplychain_services.plan_draft(actor=people["wsp-staff"], sections={"category-planning": DRAFT_TEXT})
            costain = ManagementPlan.objects.get(organisation__slug="costain", status=PlanStatus.RETURNED)
            supplychain_services.plan_sections_save(actor=people["costain-staff"], plan=costain,
                                                    sections={**costain.sections, "category-planning": "Costain's redraft"})
            supplychain_services.plan_submit(actor=people["costain-staff"], plan=costain)
            gone = Obligation.objects.create(alliance=manager.organisation.alliance, kind=ObligationKind.OTHER,
                                             title="Recorded in error", start_date=dt.date(2026, 11, 1),
                                             due_date=dt.date(2026, 12, 1))
            gone_pk, gone._history_user = gone.pk, manager
            gone.delete()
            PersonFactory(username=PLATFORM_ADMIN, organisation=None, is_staff=True, is_superuser=True)
            connection.check_constraints()  # the demo's deferred checks now, not in every test's savepoint
            yield {"wsp_draft": wsp, "costain_plan": costain, "deleted_obligation": gone_pk}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    second_factor_pass(client, person)
    return client


def _person(username: str) -> Person:
    return Person.objects.select_related("organisation").get(username=username)


def _opens(person: Person, client: Client, record, admin_checked: set) -> bool:
    """Whether the person may open the record: in the Django admin where it shows the model to them (its change
    page, opened for one record of each model: the admin shows them all alike), the record's own page where it
    has one, else the app's predicate (or its selector)."""
    model = type(record)
    if visibility.admin_may_view(person, model):
        if model not in admin_checked:
            meta = model._meta
            url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[record.pk])
            assert client.get(url).status_code == 200
            admin_checked.add(model)
        return True
    if model in DETAIL_PAGES:
        return client.get(reverse(DETAIL_PAGES[model], args=[record.pk])).status_code == 200
    return visibility.may_open(person, record)


def _type_name(model) -> str:
    return source_for(model._meta.label).type_name


def _csv_rows(client: Client) -> list[dict[str, str]]:
    response = client.get(EXPORT)
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_every_tracked_model_says_who_may_open_it():
    """A model with history and no visibility rule would show to nobody: each app registers its own."""
    assert [m._meta.label for m in visibility.unregistered()] == []
    assert {s.model for s in all_sources()} == set(visibility.tracked_models())


@pytest.mark.parametrize("username", USERNAMES)
def test_no_one_reads_in_the_audit_a_record_they_cannot_open(world, username):
    """Every tracked model × every person: each row of the page (per object type) and of the CSV is of a record
    the person may open now, or of a deleted one whose last version they could read."""
    person = _person(username)
    client = _client(person)
    if not permissions.can_view_audit(person):
        assert client.get(AUDIT).status_code == 403
        assert client.get(EXPORT).status_code == 403
        return
    sources = {s.type_name: s for s in all_sources()}
    shown: dict[Source, set[str]] = defaultdict(set)
    for row in _csv_rows(client):
        shown[sources[row["object type"]]].add(row["object id"])
    for source in all_sources():
        response = client.get(AUDIT, {"object_type": source.label})
        assert response.status_code == 200
        shown[source].update(e.object_id for e in response.context["page"].object_list)
    refused, admin_checked = [], set()
    for source, ids in shown.items():
        live = source.model._default_manager.in_bulk([int(i) for i in ids])
        for object_id in ids:
            record = live.get(int(object_id))
            if record is not None:
                if not _opens(person, client, record, admin_checked):
                    refused.append(f"{source.label} #{object_id}")
                continue
            rule = visibility.rule_for(source.model)
            versions = rule.history(person) if rule and rule.history else None
            readable = visibility.admin_may_view(person, source.model) or (
                versions is not None and source.history_model._default_manager.filter(
                    versions, history_type="-", **{source.pk_name: object_id}).exists())
            if not readable:
                refused.append(f"{source.label} #{object_id} (deleted)")
    assert refused == [], f"{username} reads in the audit what they cannot open"


@pytest.mark.parametrize("username", USERNAMES)
def test_each_models_selector_agrees_with_its_predicate(world, username):
    """The registry's querysets (what the audit filters by, in SQL) and the apps' predicates (what the pages
    check, in Python) say the same thing for every record of the demo."""
    person = _person(username)
    disagree = []
    for model in visibility.tracked_models():
        rule = visibility.rule_for(model)
        if rule is None or rule.can_open is None:
            continue
        visible = set(rule.records(person).values_list("pk", flat=True))
        for record in model._default_manager.all():
            if rule.can_open(person, record) != (record.pk in visible):
                disagree.append(f"{model._meta.label} #{record.pk}")
    assert disagree == []


@pytest.mark.parametrize("username", ["alliance-manager", "sro", "admin"])
def test_another_partners_draft_plan_is_not_in_the_audit(world, username):
    """The Alliance Manager, the SRO and the administrator read neither WSP's draft Supply Chain Management Plan
    nor a draft's texts of any other (paras 132-134: the plan is the partner's until submitted), though the
    history of the plans they may open (from submission on) is there."""
    person = _person(username)
    client = _client(person)
    draft = world["wsp_draft"]
    assert client.get(reverse("supplychain-plan", args=[draft.pk])).status_code == 404
    rows = _csv_rows(client)
    assert not [r for r in rows if DRAFT_TEXT in " ".join(r.values())]
    plans = [r for r in rows if r["object type"] == _type_name(ManagementPlan)]
    assert str(draft.pk) not in {r["object id"] for r in plans}
    assert plans, "the submitted plans' history is shown"
    assert "Costain's redraft" in " ".join(r["to"] for r in plans)  # as resubmitted, not as drafted
    entries = client.get(AUDIT, {"object_type": "supplychain.ManagementPlan"}).context["page"].object_list
    assert {e.object_id for e in entries} <= set(map(str, ManagementPlan.objects.exclude(
        status=PlanStatus.DRAFT).values_list("pk", flat=True)))
    assert not any(e.action == "created" for e in entries)  # every plan is created a draft
    resubmitted = [e for e in entries if e.object_id == str(world["costain_plan"].pk) and e.earlier_hidden]
    assert resubmitted, "the resubmission after a draft shows its values, not a diff from the draft"
    assert all(c.old == "" for e in resubmitted for c in e.changes)


def test_the_partners_own_draft_is_its_own(world):
    """The organisation whose draft it is may open it; its staff do not read the audit (403), and the rule
    the audit applies admits the draft's versions to them and to no one else."""
    draft = world["wsp_draft"]
    rule = visibility.rule_for(ManagementPlan)
    drafts = ManagementPlan.history.filter(id=draft.pk)
    assert drafts.filter(rule.history(_person("wsp-staff"))).exists()
    assert not drafts.filter(rule.history(_person("alliance-manager"))).exists()


def test_the_sro_reads_no_nomination_that_is_not_before_the_board(world):
    """A nomination answers 404 to the SRO until it is before the Board (docs/domain.md section 3); its person,
    statement and CV's name are not in the SRO's audit either."""
    sro = _person("sro")
    client = _client(sro)
    hidden = Nomination.objects.filter(status__in=[NominationStatus.SUBMITTED, NominationStatus.SHORTLISTED],
                                       recommendation=None, proposal=None)
    assert hidden.exists()
    rows = _csv_rows(client)
    nominations = {r["object id"] for r in rows if r["object type"] == _type_name(Nomination)}
    for nomination in hidden:
        assert client.get(reverse("people-nomination", args=[nomination.pk])).status_code == 404
        assert str(nomination.pk) not in nominations
        assert not [r for r in rows if nomination.person_name in " ".join(r.values())]


def test_a_deleted_record_keeps_its_history_for_those_who_could_open_it(world):
    gone = world["deleted_obligation"]
    entries = audit_entries(_person("alliance-manager"),
                                  AuditFilters(model_label="alliance.Obligation", object_id=gone))
    assert [e.action for e in entries] == ["deleted", "created"]
