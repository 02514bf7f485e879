"""The access matrix: every URL pattern × method × role, against objects of partner A (WSP) on the full demo.

One demo seed for the module (``portal.demo.seed``: the core and every app's demo records), held in one
transaction rolled back at the end; every request runs inside a savepoint rolled back after it, so no request's
effect leaks into the next. Writes are detected with PostgreSQL's per-transaction table statistics
(``pg_stat_xact_user_tables``: rows inserted, updated and deleted so far in this transaction), which see an
UPDATE as well as an INSERT, on every table, historical or not.

Oracle:
(a) anonymous: every URL but the public ones answers a sign-in redirect (pages) or 401/403 (API);
(b) a write (a non-GET that changed the database) is allowed only where ``ALLOWED_WRITES`` names the URL and
    role; a non-GET without a write answers 3xx/400/403/404/405 (or 200 re-showing a form with its errors);
(c) another partner (Costain) reading WSP's private objects gets 404 (or 403) without the object's text;
(d) nothing answers 5xx.
A summary is written to var/access-matrix.txt.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import time_machine
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver

from alliance.models import Notification, Organisation, Person
from portal import demo
from tests.conftest import second_factor_pass

# django_db: pytest-django creates the test database only for the databases its marked tests name; each test's
# own transaction nests (as a savepoint) inside the module's seeded one.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
ROLES = {
    "anonymous": None,
    "partner-staff": "wsp-staff",
    "partner-rep": "wsp-rep",
    "other-partner-staff": "costain-staff",
    "other-partner-rep": "costain-rep",
    "client-reviewer": "client-reviewer",
    "sro": "sro",
    "alliance-manager": "alliance-manager",
}
OTHERS = {"other-partner-staff", "other-partner-rep"}
SUMMARY = Path(__file__).resolve().parents[2] / "var" / "access-matrix.txt"

# (a) Public on purpose: signing in, the health check, the secret-key calendar feed (a wrong key is 404), the
# API's description, and the API's own 404 for unknown paths.
PUBLIC = {"login", "admin:login", "healthz", "calendar-feed", "api-schema", "api-docs", None}

# Where an empty request by this role legitimately writes: the action is the role's own, on an alliance-wide
# record or on its own (not another organisation's) record. Keyed (url name, method) -> roles.
SIGNED_IN = set(ROLES) - {"anonymous"}
PARTNERS = {"partner-staff", "partner-rep", "other-partner-staff", "other-partner-rep"}
OWN = {"partner-staff", "partner-rep"}  # partner A, whose objects the matrix uses
ALLOWED_WRITES: dict[tuple[str | None, str], set[str]] = {
    ("notifications-read-all", "POST"): SIGNED_IN,  # one's own notifications
    ("calendar-issue", "POST"): SIGNED_IN,  # one's own calendar feed key
    # One's own authenticator app (a device row for oneself), whatever the method.
    **{("two-factor-setup", method): SIGNED_IN for method in ("POST", "PUT", "PATCH", "DELETE")},
    # A partner drafts its own Supply Chain Management Plan (paras 132-134); not another's.
    ("supplychain-plan-new", "POST"): PARTNERS,
    ("api-supplychain-plans", "POST"): PARTNERS,
    # Partner A on its own records: its staff's own notification, its nomination's CV, its change proposal.
    ("notification-read", "POST"): {"partner-staff"},
    ("api-notification-read", "POST"): {"partner-staff"},
    ("people-cv-delete", "POST"): OWN,
    ("plan-proposal-withdraw", "POST"): OWN,
    # The SRO and the Alliance Manager run the Board: closing an open decision of the alliance is theirs.
    ("board-decision-close", "POST"): {"sro", "alliance-manager"},
    ("api-decision-close", "POST"): {"sro", "alliance-manager"},
    # The Alliance Manager's own alliance-wide steps (paras 100, 215, 224, 227 and the optimisation withdrawals).
    ("business-case-withdraw", "POST"): {"alliance-manager"},
    ("minor-change-withdraw", "POST"): {"alliance-manager"},
    ("mobilisation-maturity-draft", "POST"): {"alliance-manager"},
    ("commitments-review", "POST"): {"alliance-manager"},
    ("performance-table-agree", "POST"): {"alliance-manager"},
}

# Private objects of partner A and the text that names them: another partner must not read them (c).
# Which roles of another partner may not read each, and the texts, come from the objects' state (_private_texts):
# e.g. a Board representative may read a Production Hub proposal once it is with the Board (para 66).


# --- Walking the URL configuration -------------------------------------------------------------------------------
@dataclass
class Route:
    pattern: str
    name: str | None
    module: str
    kwargs: list[str] = field(default_factory=list)


def routes() -> list[Route]:
    found: list[Route] = []

    def walk(resolver, prefix: str, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                walk(entry, prefix + str(entry.pattern), ns)
            elif isinstance(entry, URLPattern):
                name = f"{namespace}{entry.name}" if entry.name else None
                found.append(Route(prefix + str(entry.pattern), name, getattr(entry.callback, "__module__", "")))

    walk(get_resolver(), "", "")
    return found


_CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")


def build_path(route: Route, values: dict[str, str]) -> str:
    """A concrete path for a pattern: route converters from ``values``; regex groups with a harmless value."""
    text = route.pattern
    text = _CONVERTER.sub(lambda m: values.get(m.group(2), "999999"), text)
    text = re.sub(r"\(\?P<app_label>([a-z_]+)\|[^)]*\)", r"\1", text)  # the admin's app index: the first app
    text = re.sub(r"\(\?P<url>\.\*\)", "no-such-page/", text)
    text = text.replace("([^/]+)", "1").replace(".*", "x").replace("^", "").replace("$", "")
    return "/" + text


# --- Objects of partner A (WSP) for each URL ------------------------------------------------------------------------
OWNER_FIELDS = ("organisation", "owner", "responsible_organisation", "lead_partner", "responsible_partner",
                "post_organisation")


def _pick(model, **filters):
    """An object of the model, WSP's where the model has an owning organisation."""
    qs = model.objects.filter(**filters).order_by("pk")
    wsp = Organisation.objects.get(slug="wsp")
    names = {f.name for f in model._meta.fields if f.is_relation and f.related_model is Organisation}
    for owner in OWNER_FIELDS:
        if owner in names:
            mine = qs.filter(**{owner: wsp})
            if mine.exists():
                return mine.first()
    return qs.first()


def targets() -> dict[str, dict[str, str]]:
    """URL name prefix -> kwargs, from the demo's objects (models imported here, after the apps are ready)."""
    from alliance.models import Obligation
    from allocation.models import (
        AllocationRun,
        MembershipChange,
        MinorChange,
        OptimisationBusinessCase,
        Package,
        PeriodicInstruction,
        Scheme,
    )
    from governance.models import (
        AssuranceReview,
        ChangeProposal,
        ClientInstruction,
        Commitment,
        CommitmentSelection,
        Decision,
        DecisionType,
        InstructionDocument,
        Meeting,
        Paper,
        PerformanceTable,
        PlanVersion,
    )
    from mobilisation.models import (
        Assessment,
        Deliverable,
        DeliverableEvidence,
        MaturityAction,
        MaturityPlan,
        NoGoAction,
        Phase,
        SelfAssessment,
    )
    from people.models import (
        Appointment,
        CvCall,
        KeyPersonRole,
        Nomination,
        PortfolioRecommendation,
        ResourcingProposal,
    )
    from performance.models import (
        EfficiencyEntry,
        ImprovementPlan,
        ImprovementProcess,
        Incident,
        PlanQuery,
        Quarter,
    )
    from supplychain.models import ManagementPlan, Opportunity, Risk, StrategyDocument, Supplier

    def pk(obj) -> dict[str, str]:
        return {"pk": str(obj.pk)} if obj is not None else {}

    wsp_staff = Person.objects.get(username="wsp-staff")
    nomination = _pick(Nomination, organisation__slug="wsp") or _pick(Nomination)
    plan = _pick(ManagementPlan, organisation__slug="wsp", status="draft") or _pick(ManagementPlan)
    improvement_plan = _pick(ImprovementPlan)
    query = PlanQuery.objects.filter(plan=improvement_plan).first() if improvement_plan else None
    maturity = _pick(MaturityPlan)
    action = _pick(MaturityAction, focus_area__plan=maturity) if maturity else None
    table = _pick(PerformanceTable)
    quarter = _pick(Quarter)
    document = _pick(StrategyDocument)
    version = PlanVersion.objects.order_by("number").first()
    out = {
        "obligation": pk(_pick(Obligation)), "api-obligation": pk(_pick(Obligation)),
        "notification": pk(Notification.objects.filter(recipient=wsp_staff).first() or _pick(Notification)),
        "api-notification": pk(Notification.objects.filter(recipient=wsp_staff).first() or _pick(Notification)),
        "board-decision": pk(_pick(Decision)), "api-decision": pk(_pick(Decision)),
        "board-meeting": pk(_pick(Meeting)), "board-minutes": pk(_pick(Meeting)),
        "board-paper": pk(_pick(Paper)), "board-matrix-edit": pk(_pick(DecisionType)),
        "instruction-document": pk(_pick(InstructionDocument)),
        "instruction": pk(_pick(ClientInstruction)), "api-instruction": pk(_pick(ClientInstruction)),
        "plan-version": {"number": str(version.number)} if version else {},
        "plan-proposal": pk(_pick(ChangeProposal)), "api-plan-proposal": pk(_pick(ChangeProposal)),
        "allocation-scheme": pk(_pick(Scheme)), "allocation-package": pk(_pick(Package)),
        "api-allocation-package": pk(_pick(Package)), "allocation-run": pk(_pick(AllocationRun)),
        "business-case": pk(_pick(OptimisationBusinessCase)), "api-business-case": pk(_pick(OptimisationBusinessCase)),
        "minor-change": pk(_pick(MinorChange)),
        "membership-change": pk(_pick(MembershipChange)), "api-membership-change": pk(_pick(MembershipChange)),
        "periodic-instruction": pk(_pick(PeriodicInstruction)),
        "api-periodic-instruction": pk(_pick(PeriodicInstruction)),
        "scorecard-": {"period": quarter.label} if quarter else {},
        "process": pk(_pick(ImprovementProcess)),
        "improvement-plan": pk(improvement_plan), "plan-": pk(improvement_plan),
        "api-performance-plan": pk(improvement_plan),
        "incident": pk(_pick(Incident)), "efficiency-assure": pk(_pick(EfficiencyEntry)),
        "people-cv": pk(nomination), "people-nomination": pk(nomination), "api-people-nomination": pk(nomination),
        "people-role": pk(_pick(KeyPersonRole)), "people-nominate": pk(_pick(KeyPersonRole)),
        "people-request-candidates": pk(_pick(KeyPersonRole)), "people-refer": pk(_pick(KeyPersonRole)),
        "people-appointment": pk(_pick(Appointment)), "people-handover": pk(_pick(Appointment)),
        "people-proposal": pk(_pick(ResourcingProposal)), "people-call": pk(_pick(CvCall)),
        "people-recommendation": pk(_pick(PortfolioRecommendation)),
        "supplychain-document": pk(document),
        "supplychain-documents": {"kind": document.kind} if document else {},
        "supplychain-plan": pk(plan), "api-supplychain-plan": pk(plan),
        "supplychain-supplier": pk(_pick(Supplier)), "supplychain-opportunity": pk(_pick(Opportunity)),
        "supplychain-risk": pk(_pick(Risk)), "api-supplychain-risk": pk(_pick(Risk)),
        "mobilisation-deliverable": pk(_pick(Deliverable)), "api-mobilisation-deliverable": pk(_pick(Deliverable)),
        "mobilisation-evidence": pk(_pick(DeliverableEvidence)),
        "mobilisation-phase-assessment": pk(_pick(Assessment)), "mobilisation-phase": pk(_pick(Phase)),
        "mobilisation-no-go-action": pk(_pick(NoGoAction)),
        "mobilisation-maturity": {**pk(maturity), **({"action_pk": str(action.pk)} if action else {})},
        "mobilisation-assessment": pk(_pick(SelfAssessment)),
        "commitment-deselect": pk(_pick(CommitmentSelection)), "commitment": pk(_pick(Commitment)),
        "performance-table": {**pk(table), **({"row_pk": str(table.rows.first().pk)}
                                              if table and table.rows.exists() else {})},
        "assurance-record": pk(_pick(AssuranceReview)),
    }
    if query is not None:
        out["plan-answer"] = {**pk(improvement_plan), "query_pk": str(query.pk)}
    out["admin:"] = {"object_id": "1"}
    return out


def values_for(name: str | None, table: dict[str, dict[str, str]]) -> dict[str, str]:
    """The longest matching name prefix's kwargs (``plan-answer`` before ``plan-``)."""
    best = ""
    for prefix in table:
        if name and name.startswith(prefix) and len(prefix) > len(best):
            best = prefix
    return table.get(best, {})


# --- The seeded world -----------------------------------------------------------------------------------------------
_WRITES_SQL = """
    SELECT coalesce(sum(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables
    WHERE relname NOT IN ('django_session', 'axes_accessattempt', 'axes_accesslog', 'axes_accessfailurelog')
"""


def writes() -> int:
    with connection.cursor() as cursor:
        cursor.execute(_WRITES_SQL)
        return int(cursor.fetchone()[0])


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    if connection.vendor != "postgresql":
        pytest.skip("the matrix reads PostgreSQL's transaction statistics")
    files = tmp_path_factory.mktemp("matrix")
    with (django_db_blocker.unblock(),
          time_machine.travel(dt.datetime(2026, 11, 23, 9, 0, tzinfo=dt.UTC), tick=True),
          override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                            PRIVATE_FILES_ROOT=files / "private", MEDIA_ROOT=files / "media")):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            started = time.monotonic()
            demo.seed()
            seeded_in = time.monotonic() - started
            table = targets()
            yield {"table": table, "routes": routes(), "seeded_in": seeded_in}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _client(role: str) -> Client:
    client = Client(raise_request_exception=False)
    username = ROLES[role]
    if username is not None:
        person = Person.objects.get(username=username)
        client.force_login(person)
        second_factor_pass(client, person)
    return client


def _send(client: Client, method: str, path: str):
    if method == "GET":
        return client.get(path)
    if method == "POST":
        return client.post(path, {})
    return client.generic(method, path, b"{}", content_type="application/json")


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/login/" in response.get("Location", "")


@dataclass
class Result:
    cells: int = 0
    statuses: Counter = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)
    writes: list[str] = field(default_factory=list)
    slowest: list = field(default_factory=list)


RESULTS: dict[str, Result] = {}


@pytest.mark.parametrize("role", list(ROLES))
def test_access_matrix(world, role):
    table, result = world["table"], Result()
    RESULTS[role] = result
    client = _client(role)
    secrets = _private_texts(table)
    started = time.monotonic()
    timings: Counter = Counter()
    for route in world["routes"]:
        path = build_path(route, values_for(route.name, table))
        route_started = time.monotonic()
        # The admin checks is_staff before looking at the method: GET and POST cover PUT, PATCH and DELETE there.
        # The site's own pages read request.POST, which PUT and PATCH leave empty: DELETE stands for every method
        # other than GET and POST there (it reaches a view's "not GET, so act" branch as they would). The API,
        # where PUT and PATCH carry data, gets all five.
        if (route.name or "").startswith("admin:") or route.module.startswith("django.contrib.admin"):
            methods = METHODS[:2]
        elif path.startswith("/api/"):
            methods = METHODS
        else:
            methods = ("GET", "POST", "DELETE")
        for method in methods:
            savepoint = transaction.savepoint()
            before = writes() if method != "GET" else 0
            try:
                response = _send(client, method, path)
                wrote = method != "GET" and writes() != before
            finally:
                transaction.savepoint_rollback(savepoint)
                transaction.set_rollback(False)  # rolled back to a clean savepoint: the outer block goes on
            if route.name == "logout" and ROLES[role] is not None:
                client = _client(role)  # signing out ends the session the rest of the matrix needs
            status = response.status_code
            result.cells += 1
            result.statuses[status] += 1
            cell = f"{role} {method} {path} ({route.name}) -> {status}"
            if status >= 500:
                result.failures.append(f"(d) server error: {cell}")
            if role == "anonymous" and route.name not in PUBLIC:
                if not (_is_login_redirect(response) or status in (401, 403, 404, 405)):
                    result.failures.append(f"(a) not refused to anonymous: {cell}")
            if method != "GET" and wrote:
                result.writes.append(cell)
                if role not in ALLOWED_WRITES.get((route.name, method), set()):
                    result.failures.append(f"(b) wrote without an allow-list entry: {cell}")
            if method != "GET" and not wrote and 200 <= status < 300 and status != 200:
                result.failures.append(f"(b) {status} without a change: {cell}")
            if method == "GET" and role in secrets.get(route.name, ((), ()))[0]:
                body = b"" if getattr(response, "streaming", False) else response.content
                leaked = [text for text in secrets[route.name][1] if text and text.encode() in body]
                if status not in (403, 404) or leaked:
                    result.failures.append(f"(c) private object readable: {cell} leaked={leaked}")
        timings[route.pattern] += time.monotonic() - route_started
    result.slowest = timings.most_common(5)
    _write_summary(world, role, result, time.monotonic() - started)
    assert result.failures == [], "\n".join(result.failures[:80])


def _private_texts(table) -> dict[str, tuple[set[str], list[str]]]:
    """URL name -> (roles of partner B that must get 404/403, texts naming the object)."""
    from people.models import Nomination, ResourcingProposal
    from people.permissions import _before_the_board
    from supplychain.models import ManagementPlan

    private: dict[str, tuple[set[str], list[str]]] = {}
    nomination_pk = table.get("people-nomination", {}).get("pk")
    if nomination_pk:
        nomination = Nomination.objects.get(pk=nomination_pk)
        # The Board's representatives see a nomination (and its CV) only while it is before the Board.
        roles = {"other-partner-staff"} | (set() if _before_the_board(nomination) else {"other-partner-rep"})
        for name in ("people-nomination", "people-cv", "api-people-nomination", "api-people-nomination-cv"):
            private[name] = (roles, [nomination.person_name])
    proposal_pk = table.get("people-proposal", {}).get("pk")
    if proposal_pk:
        proposal = ResourcingProposal.objects.get(pk=proposal_pk)
        with_board = proposal.status in ("with_board", "approved")
        private["people-proposal"] = ({"other-partner-staff"} | (set() if with_board else {"other-partner-rep"}),
                                      [proposal.title])
    plan_pk = table.get("supplychain-plan", {}).get("pk")
    if plan_pk:
        plan = ManagementPlan.objects.get(pk=plan_pk)
        if plan.status == "draft":  # another organisation's draft plan is 404 until submitted
            for name in ("supplychain-plan", "supplychain-plan-compare", "supplychain-plan-edit",
                         "api-supplychain-plan"):
                private[name] = (set(OTHERS), [])
    return private


def _write_summary(world, role: str, result: Result, seconds: float) -> None:
    SUMMARY.parent.mkdir(exist_ok=True)
    mode = "w" if role == next(iter(ROLES)) else "a"
    with SUMMARY.open(mode) as out:
        if mode == "w":
            out.write(f"Access matrix: {len(world['routes'])} URL patterns x up to {len(METHODS)} methods x "
                      f"{len(ROLES)} roles; demo seeded in {world['seeded_in']:.1f}s\n")
        out.write(f"{role}: {result.cells} cells in {seconds:.1f}s; statuses {dict(sorted(result.statuses.items()))};"
                  f" {len(result.writes)} writes, {len(result.failures)} failures\n")
        out.write(f"  slowest patterns: {[(p, round(t, 2)) for p, t in result.slowest]}\n")
        for line in result.writes:
            out.write(f"  write: {line}\n")
        for line in result.failures:
            out.write(f"  FAIL: {line}\n")
