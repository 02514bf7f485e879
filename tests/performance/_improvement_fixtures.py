"""Fixtures of the improvement tests (plans, incidents, the efficiency register), shared by test_improvement.py
and test_improvement_pages.py: a scenario 1 process opened by freezing 2026-Q3 with a failing score."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from alliance.models import Person, Region
from allocation.models import Package, Scheme, SchemeAllocation
from performance.models import ActionStatus, ImprovementPlan, ImprovementProcess, Incident, Metric
from performance.services import improvement
from performance.services import scorecard as services
from tests.conftest import TODAY

__all__ = ["approved", "at", "freeze", "incident", "investigating", "make_plan", "people", "plan", "process",
           "reload", "schemes", "score", "submitted"]


def at(day: dt.date):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.UTC), tick=True)


@pytest.fixture
def people(smp):
    services.metrics_seed(smp)
    return {p.username: p for p in Person.objects.select_related("organisation")}


@pytest.fixture
def schemes(smp, people):
    package = Package.objects.create(alliance=smp, code="RIS1", name="r1", notified_on=dt.date(2026, 1, 5),
                                     created_by=people["sro"])
    region = Region.objects.get(alliance=smp, slug="north-west")
    made = []
    for i in (1, 2):
        scheme = Scheme.objects.create(alliance=smp, package=package, code=f"S{i}", name=f"Scheme {i}",
                                       scheme_type="smart_motorway", region=region, pcf_stage=5, design_value=1,
                                       construction_value=1, alliance_budget=2, status="awarded",
                                       awarded_on=dt.date(2026, 2, 1))
        partner = people["wsp-rep"].organisation
        SchemeAllocation.objects.create(scheme=scheme, lot=1, initial_partner=partner, current_partner=partner)
        made.append(scheme)
    return made


def score(people, period: str, score: int) -> None:
    metric = Metric.objects.order_by("order").first()
    services.scores_record(actor=people["alliance-manager"],
                           rows=[{"scheme": "S1", "metric": metric.code, "period": period, "score": score}])


def freeze(smp, period: str, on: dt.date):
    year, number = int(period[:4]), int(period[-1])
    return services.quarter_freeze(actor=None, quarter=services.quarter_for(smp, year, number), on=on)


@pytest.fixture
def process(smp, people, schemes) -> ImprovementProcess:
    """2026-Q3 failing overall (one score of 0), frozen today: a client-led scenario 1 process (para 168)."""
    score(people, "2026-Q3", 0)
    freeze(smp, "2026-Q3", TODAY)
    return ImprovementProcess.objects.get(alliance=smp, scenario=1)


def make_plan(people, process, *, actions: int = 1) -> ImprovementPlan:
    am = people["alliance-manager"]
    plan = improvement.plan_create(actor=am, process=process, title="Recover overall performance")
    aim = improvement.plan_aim_add(actor=am, plan=plan, aim="Risk management",
                                   finding="The risk register does not log actions.")
    for n in range(actions):
        improvement.plan_action_add(actor=am, aim=aim, action=f"Monthly risk board {n}", owner="RC / MA",
                                    due_on=dt.date(2026, 12, 31), status=ActionStatus.IN_PROGRESS,
                                    evidence="Minutes")
    return plan


@pytest.fixture
def plan(people, process) -> ImprovementPlan:
    return make_plan(people, process)


@pytest.fixture
def submitted(people, plan) -> ImprovementPlan:
    return improvement.plan_submit(actor=people["alliance-manager"], plan=plan)


@pytest.fixture
def approved(people, submitted) -> ImprovementPlan:
    return improvement.plan_approve(actor=people["sro"], plan=submitted)


def reload(record):
    return type(record).objects.get(pk=record.pk)


@pytest.fixture
def incident(people, schemes) -> Incident:
    return improvement.incident_record(actor=people["alliance-manager"], scheme=schemes[0],
                                       occurred_on=dt.date(2026, 11, 20), title="Lane closure overran",
                                       description="The closure overran by four hours.")


@pytest.fixture
def investigating(people, incident) -> Incident:
    return improvement.incident_decide(actor=people["alliance-manager"], incident=incident, investigate=True,
                                       reason="Third overrun this quarter.")
