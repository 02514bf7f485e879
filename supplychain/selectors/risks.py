"""Reads of the risk register (seed 002): the register with its filters, the 5×5 heat map (one GROUP BY), one
risk with its updates, actions, escalations and history. Every member reads the register (open book); another
alliance's risk is 404. The number of queries does not grow with the number of risks or updates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404

from alliance.dates import add_months
from alliance.models import Person
from alliance.permissions import alliance_id_of
from supplychain.models import Risk, RiskAction, RiskStatus, RiskStrategy

# A score (likelihood × impact, 1 to 25) is low, medium or high; the heat map and the register say the word
# beside the colour (WCAG: colour is never the only signal).
RISK_BANDS = (("low", "Low", 1, 4), ("medium", "Medium", 5, 12), ("high", "High", 15, 25))


def risk_band(score: int) -> tuple[str, str]:
    """The band of a score: ("high", "High") for 15 to 25, and so on."""
    for css, word, low, high in RISK_BANDS:
        if low <= score <= high:
            return css, word
    return "low", "Low"


def risk_stale_before(today: dt.date) -> dt.date:
    """An open risk is stale when its last update is more than a month old: before this day (seed 002)."""
    return add_months(today, -1)


def risks_register(
    alliance_id: int,
    *,
    today: dt.date,
    strategy: str = "",
    owner: Person | int | None = None,
    stale: bool = False,
    status: str = "",
) -> QuerySet[Risk]:
    """The register of an alliance, highest score first then by reference, with each risk's owner."""
    risks = Risk.objects.filter(alliance_id=alliance_id).select_related("owner__organisation")
    if strategy:
        risks = risks.filter(strategy=strategy)
    if owner:
        risks = risks.filter(owner=owner)
    if status:
        risks = risks.filter(status=status)
    if stale:
        risks = risks.filter(status=RiskStatus.OPEN, last_updated_on__lt=risk_stale_before(today))
    return risks.order_by("-score", "reference")


@dataclass(frozen=True)
class RiskHeatMap:
    rows: list[dict]  # likelihood 5 down to 1, each with its five cells (impact 1 to 5)
    total: int


def risk_heat_map(risks: QuerySet[Risk]) -> RiskHeatMap:
    """The 5×5 grid of likelihood × impact with the number of open risks in each cell: one GROUP BY query
    over the (filtered) register, whatever the number of risks."""
    counts = {
        (row["likelihood"], row["impact"]): row["n"]
        for row in risks.filter(status=RiskStatus.OPEN).order_by().values("likelihood", "impact").annotate(n=Count("id"))
    }
    rows = []
    for likelihood in range(5, 0, -1):
        cells = []
        for impact in range(1, 6):
            score = likelihood * impact
            css, word = risk_band(score)
            cells.append({"likelihood": likelihood, "impact": impact, "score": score, "css": css, "word": word,
                          "count": counts.get((likelihood, impact), 0)})
        rows.append({"likelihood": likelihood, "cells": cells})
    return RiskHeatMap(rows=rows, total=sum(counts.values()))


EXPORT_FIELDS = ("reference", "title", "owner__first_name", "owner__last_name", "owner__username",
                 "owner__organisation__name", "cause", "effect", "likelihood", "impact", "score", "strategy",
                 "financial_exposure", "status", "raised_on", "last_updated_on")


def risks_export(risks: QuerySet[Risk], *, today: dt.date) -> list[list]:
    """The (filtered) register as rows for CSV or Excel, plain values read in one query without building a
    model per risk (5,000 risks export in tens of milliseconds)."""
    strategies, statuses = dict(RiskStrategy.choices), dict(RiskStatus.choices)
    stale_before = risk_stale_before(today)
    rows: list[list] = [["reference", "title", "owner", "organisation", "cause", "effect", "likelihood", "impact", "score",
             "band", "strategy", "financial_exposure", "status", "raised_on", "last_updated_on", "stale"]]
    for (reference, title, first, last, username, organisation, cause, effect, likelihood, impact, score, strategy,
         exposure, status, raised_on, updated_on) in risks.values_list(*EXPORT_FIELDS):
        rows.append([
            reference, title, f"{first} {last}".strip() or username, organisation or "", cause, effect, likelihood,
            impact, score, risk_band(score)[1], strategies.get(strategy, strategy),
            None if exposure is None else float(exposure), statuses.get(status, status), raised_on.isoformat(),
            updated_on.isoformat(), "yes" if status == RiskStatus.OPEN and updated_on < stale_before else "no",
        ])
    return rows


def risk_for(user: Person, pk: int) -> Risk:
    """A risk of the user's alliance (404 for another alliance's)."""
    return get_object_or_404(Risk.objects.select_related("owner__organisation", "raised_by", "alliance"),
                             pk=pk, alliance_id=alliance_id_of(user))


def risk_action_for(risk: Risk, pk: int) -> RiskAction:
    return get_object_or_404(RiskAction.objects.select_related("owner"), pk=pk, risk=risk)


def risk_detail(risk: Risk) -> dict:
    """A risk's updates (newest first), actions, escalations and history: four queries, whatever their number."""
    history = list(risk.history.select_related("history_user").order_by("-history_date", "-history_id"))
    return {
        "updates": list(risk.updates.select_related("updated_by").order_by("-updated_on", "-id")),
        "actions": list(risk.actions.select_related("owner").order_by("done_on", "due_on", "id")),
        "escalations": list(risk.escalations.select_related("escalated_by").order_by("-escalated_on", "-id")),
        "history": history,
    }


def risk_people(alliance_id: int) -> QuerySet[Person]:
    """The people of the alliance, to filter the register by owner. Who may be named an owner is
    alliance.selectors.people_nameable_by."""
    return (Person.objects.filter(organisation__alliance_id=alliance_id, is_active=True)
            .select_related("organisation").order_by("organisation__name", "last_name", "first_name", "username"))


def risk_person_by_username(username: str) -> Person | None:
    """The person with this username (of any alliance: the service says if they are not of yours), or None."""
    return Person.objects.select_related("organisation").filter(username=username).first()
