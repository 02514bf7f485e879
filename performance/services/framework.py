"""Changes to the performance framework decided by the Board (paras 147-148): thresholds and metric groups.

The annual review may only make a threshold stricter (para 147: "an improvement on existing performance
thresholds") and needs the Board (Decision Matrix ``annual-metric-review``); an amendment of the framework may
change thresholds either way but needs a unanimous Board (para 148, ``performance-framework-amendment``).

Moving a metric between Table 6's two groups (informs client intervention / supports evolving behaviours,
paras 146 and 149) changes which findings give the client intervention and termination rights: it is neither a
stricter threshold nor a better methodology (para 147), so only an amendment carries it (para 148). It applies to
the findings of quarters frozen after the Board approves; processes already open keep the rights they have.

The changes are applied when the decision is approved, and kept in the bands' and metrics' history.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from alliance.permissions import alliance_id_of
from alliance.workflow import save_with_reason
from governance.models.board import Outcome
from governance.outcomes import BoardOutcomes
from governance.tabling import put_to_board
from performance import permissions
from performance.models import FrameworkChange, FrameworkChangeKind, FrameworkChangeStatus, Metric, ScoreBand

if TYPE_CHECKING:
    from alliance.models import Person
    from governance.models import Decision


ERR_FRAMEWORK_NO_CHANGE = "{metric} {score}: the new threshold is the same as the current one."
ERR_FRAMEWORK_LOOSER = ("{metric} {score}: the annual review may only make a threshold stricter (para 147); a looser "
                        "one is an amendment of the framework, which needs a unanimous Board (para 148).")
ERR_FRAMEWORK_ORDER = "{metric}: a higher score must need a better raw value than a lower one."
ERR_FRAMEWORK_GROUP_NEEDS_AMENDMENT = ("{metric}: moving a metric between the groups of Table 6 is an amendment of "
                                       "the framework, which needs a unanimous Board (para 148).")
ERR_FRAMEWORK_GROUP_SAME = "{metric} already {group}."
GROUP_WORDS = {True: "informs client intervention", False: "supports evolving behaviours"}  # para 146
FRAMEWORK_DECISION_CODES = {FrameworkChangeKind.ANNUAL_REVIEW: "annual-metric-review",
                            FrameworkChangeKind.AMENDMENT: "performance-framework-amendment"}


def is_stricter(direction: str, old: Decimal, new: Decimal) -> bool:
    """Harder to reach: a higher threshold when higher is better, a lower one when lower is better."""
    return new > old if direction == "higher" else new < old


def _ordered(direction: str, thresholds: dict[int, Decimal]) -> bool:
    ordered = [thresholds[s] for s in sorted(thresholds, reverse=True)]  # 10 first
    pairs = zip(ordered, ordered[1:], strict=False)
    return all(a >= b for a, b in pairs) if direction == "higher" else all(a <= b for a, b in pairs)


@transaction.atomic
def framework_change_propose(*, actor: Person, kind: str, description: str,
                             changes: Sequence[tuple[ScoreBand, Decimal]] = (),
                             groups: Sequence[tuple[Metric, bool]] = ()) -> FrameworkChange:
    """Propose new thresholds (``changes``) and moves of metrics between Table 6's groups (``groups``: the metric
    and whether it is to inform client intervention), and table the Board's decision on them."""
    permissions.require_framework_proposer(actor)
    alliance_id = alliance_id_of(actor)
    if alliance_id is None:  # can_propose_framework_change needs an organisation; says so to the type checker
        raise PermissionDenied(permissions.ERR_FRAMEWORK_NOT_MANAGER)
    if kind not in FrameworkChangeKind.values:
        raise ValidationError({"kind": ["Choose the annual review or an amendment."]})
    if not description.strip():
        raise ValidationError({"description": ["Say what the change is and why."]})
    if not changes and not groups:
        raise ValidationError({"changes": ["Give at least one new threshold or metric group."]})
    errors: list[str] = []
    lines: list[dict[str, Any]] = []
    by_metric: dict[Metric, dict[int, Decimal]] = {}
    for metric, informs in groups:
        if metric.alliance_id != alliance_id:
            raise PermissionDenied("That metric belongs to another alliance.")
        if kind != FrameworkChangeKind.AMENDMENT:
            errors.append(ERR_FRAMEWORK_GROUP_NEEDS_AMENDMENT.format(metric=metric.code))
        elif bool(informs) == metric.informs_intervention:
            errors.append(ERR_FRAMEWORK_GROUP_SAME.format(metric=metric.code, group=GROUP_WORDS[bool(informs)]))
        lines.append({"metric_id": metric.pk, "metric": metric.code, "group": "intervention" if informs else
                      "behaviours", "from": GROUP_WORDS[metric.informs_intervention], "to": GROUP_WORDS[bool(informs)]})
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
    change = FrameworkChange(alliance_id=alliance_id, kind=kind, description=description.strip(), changes=lines,
                             proposed_by=actor)
    # The change needs its decision before it is saved (the column is required), so it is tabled first, about
    # the change, and the decision is pointed at the change's row once it has one.
    change.decision = put_to_board(
        actor=actor, subject=change, code=FRAMEWORK_DECISION_CODES[FrameworkChangeKind(kind)],
        title=f"{FrameworkChangeKind(kind).label.split(':')[0]}: {description.strip()}"[:300],
        description="\n".join(_line_text(c) for c in lines),
    )
    change._history_user = actor  # type: ignore[attr-defined]  # django-simple-history reads it on save
    change.save()
    change.decision.subject_id = change.pk
    change.decision.save(update_fields=["subject_type", "subject_id"])
    return change


def _line_text(line: dict[str, Any]) -> str:
    if "band" in line:
        return f"{line['metric']} score {line['score']}: threshold {line['from']} → {line['to']}"
    return f"{line['metric']}: {line['from']} → {line['to']} (para 146)"


def _on_board_outcome(change: FrameworkChange, decision: Decision) -> None:
    """The Board decided on a change still with it: apply it (the metrics' groups and the bands' thresholds, each
    kept in its history) or record it rejected."""
    if decision.outcome != Outcome.APPROVED:
        change.status = FrameworkChangeStatus.REJECTED
    else:
        threshold_lines = [c for c in change.changes if "band" in c]
        bands = {b.pk: b for b in ScoreBand.objects.select_for_update().filter(pk__in=[c["band"] for c in threshold_lines])}
        for line in (c for c in change.changes if "group" in c):
            metric = Metric.objects.select_for_update().get(pk=line["metric_id"])
            metric.informs_intervention = line["group"] == "intervention"
            save_with_reason(metric, decision.closed_by,
                             f"{change.get_kind_display().split(':')[0]} approved by the Board (para 148): {line['to']}",
                             update_fields=["informs_intervention"])
        for line in threshold_lines:
            band = bands[line["band"]]
            band.threshold = Decimal(line["to"])
            save_with_reason(band, decision.closed_by, f"{change.get_kind_display()} approved by the Board",
                             update_fields=["threshold"])
        change.status = FrameworkChangeStatus.APPLIED
    change._history_user = decision.closed_by  # type: ignore[attr-defined]  # django-simple-history reads it on save
    change.save(update_fields=["status"])


BOARD_OUTCOMES = BoardOutcomes(
    FrameworkChange, waiting=FrameworkChangeStatus.WITH_BOARD,
    handlers={code: _on_board_outcome for code in FRAMEWORK_DECISION_CODES.values()},
)
