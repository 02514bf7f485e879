"""Changes to the performance framework's thresholds, decided by the Board (paras 147-148).

The annual review may only make a threshold stricter (para 147: "an improvement on existing performance
thresholds") and needs the Board (Decision Matrix ``annual-metric-review``); an amendment of the framework may
change thresholds either way but needs a unanimous Board (para 148, ``performance-framework-amendment``). The
changes are applied when the decision is approved, and kept in the bands' history.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from alliance.permissions import alliance_id_of
from governance.models import DecisionType, Outcome
from governance.services import decision_table
from performance import permissions
from performance.models import FrameworkChange, FrameworkChangeKind, FrameworkChangeStatus, ScoreBand

if TYPE_CHECKING:
    from alliance.models import Person
    from governance.models import Decision

__all__ = [
    "ERR_FRAMEWORK_LOOSER",
    "ERR_FRAMEWORK_NOT_MANAGER",
    "ERR_FRAMEWORK_NO_CHANGE",
    "ERR_FRAMEWORK_ORDER",
    "FRAMEWORK_DECISION_CODES",
    "framework_change_propose",
    "is_stricter",
]

ERR_FRAMEWORK_NOT_MANAGER = "Only the Alliance Manager takes a change of the performance framework to the Board."
ERR_FRAMEWORK_NO_CHANGE = "{metric} {score}: the new threshold is the same as the current one."
ERR_FRAMEWORK_LOOSER = ("{metric} {score}: the annual review may only make a threshold stricter (para 147); a looser "
                        "one is an amendment of the framework, which needs a unanimous Board (para 148).")
ERR_FRAMEWORK_ORDER = "{metric}: a higher score must need a better raw value than a lower one."
FRAMEWORK_DECISION_CODES = {FrameworkChangeKind.ANNUAL_REVIEW: "annual-metric-review",
                            FrameworkChangeKind.AMENDMENT: "performance-framework-amendment"}
BOARD_DAYS = 14  # our choice: the seeds set no period


def is_stricter(direction: str, old: Decimal, new: Decimal) -> bool:
    """Harder to reach: a higher threshold when higher is better, a lower one when lower is better."""
    return new > old if direction == "higher" else new < old


def _ordered(direction: str, thresholds: dict[int, Decimal]) -> bool:
    ordered = [thresholds[s] for s in sorted(thresholds, reverse=True)]  # 10 first
    pairs = zip(ordered, ordered[1:], strict=False)
    return all(a >= b for a, b in pairs) if direction == "higher" else all(a <= b for a, b in pairs)


@transaction.atomic
def framework_change_propose(*, actor: Person, kind: str, description: str,
                             changes: list[tuple[ScoreBand, Decimal]]) -> FrameworkChange:
    """Propose new thresholds and table the Board's decision on them."""
    if not permissions.can_propose_framework_change(actor):
        raise PermissionDenied(ERR_FRAMEWORK_NOT_MANAGER)
    alliance_id = alliance_id_of(actor)
    if kind not in FrameworkChangeKind.values:
        raise ValidationError({"kind": ["Choose the annual review or an amendment."]})
    if not description.strip():
        raise ValidationError({"description": ["Say what the change is and why."]})
    if not changes:
        raise ValidationError({"changes": ["Give at least one new threshold."]})
    errors, lines, by_metric = [], [], {}
    for band, new in changes:
        metric = band.metric
        if metric.alliance_id != alliance_id:
            raise PermissionDenied("That metric belongs to another alliance.")
        if new == band.threshold:
            errors.append(ERR_FRAMEWORK_NO_CHANGE.format(metric=metric.code, score=band.score))
        elif kind == FrameworkChangeKind.ANNUAL_REVIEW and not is_stricter(metric.direction, band.threshold, new):
            errors.append(ERR_FRAMEWORK_LOOSER.format(metric=metric.code, score=band.score))
        by_metric.setdefault(metric, {}).update({band.score: new})
        lines.append({"band": band.pk, "metric": metric.code, "score": band.score, "from": str(band.threshold),
                      "to": str(new)})
    for metric, new_thresholds in by_metric.items():
        thresholds = {b.score: b.threshold for b in metric.bands.all()} | new_thresholds
        if not _ordered(metric.direction, thresholds):
            errors.append(ERR_FRAMEWORK_ORDER.format(metric=metric.code))
    if errors:
        raise ValidationError({"changes": errors})
    decision_type = DecisionType.objects.get(alliance_id=alliance_id, code=FRAMEWORK_DECISION_CODES[kind])
    closes = timezone.make_aware(dt.datetime.combine(timezone.localdate() + dt.timedelta(days=BOARD_DAYS),
                                                     dt.time(17)))
    change = FrameworkChange(alliance_id=alliance_id, kind=kind, description=description.strip(), changes=lines,
                             proposed_by=actor)
    change.decision = decision_table(
        actor=actor, alliance=decision_type.alliance, decision_type=decision_type,
        title=f"{FrameworkChangeKind(kind).label.split(':')[0]}: {description.strip()}"[:300],
        description="\n".join(f"{c['metric']} score {c['score']}: threshold {c['from']} → {c['to']}" for c in lines),
        closes_at=closes, by_workflow=True,
    )
    change._history_user = actor
    change.save()
    change.decision.subject = change
    change.decision.save(update_fields=["subject_type", "subject_id"])
    return change


def _on_board_outcome(decision: Decision) -> None:
    change = FrameworkChange.objects.select_for_update().filter(decision=decision).first()
    if change is None or change.status != FrameworkChangeStatus.WITH_BOARD:
        return
    if decision.outcome != Outcome.APPROVED:
        change.status = FrameworkChangeStatus.REJECTED
    else:
        bands = {b.pk: b for b in ScoreBand.objects.select_for_update().filter(pk__in=[c["band"] for c in change.changes])}
        for line in change.changes:
            band = bands[line["band"]]
            band.threshold = Decimal(line["to"])
            band._history_user = decision.closed_by
            band._change_reason = f"{change.get_kind_display()} approved by the Board"
            band.save(update_fields=["threshold"])
        change.status = FrameworkChangeStatus.APPLIED
    change._history_user = decision.closed_by
    change.save(update_fields=["status"])


OUTCOME_HANDLERS = {code: _on_board_outcome for code in FRAMEWORK_DECISION_CODES.values()}
