"""Writes of the scorecard: the metric catalogue, scores (grid, CSV, API, command), freezing a quarter, its
findings of the six scenarios (Figure 9) and the improvement processes they open, and the client's acceptance.

Paras 146-177; docs/domain.md section 5. The process clocks are Obligations (alliance/): the performance improvement
plan within 14 days for a client-led process (para 177), monthly or quarterly reports (Figure 9), the day the
client may intervene and the day a right to terminate arises.

Two rules decide those last two dates (docs/performance.md):

- Only the metrics that inform client intervention give the client intervention or termination rights
  (para 146); a finding on a metric that supports evolving behaviours still opens its improvement process, with
  no such date. Overall and scheme findings give rights only for the tier their intervention-informing metrics
  reach too; a component finding gives none, except continual poor performance against a health and safety
  measure (Figure 9's note): the client may then intervene. ``RightsBasis`` in scenarios.py.
- While a process is open, its tier, scenario and dates follow the worst tier seen (``_process_escalate``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from alliance import services as alliance_services
from alliance.csvfiles import csv_line_error, csv_upload_text
from alliance.dates import add_months, local_today
from alliance.models import Alliance, Obligation, ObligationKind, ObligationStatus, OrganisationKind, Role
from alliance.numbers import parse_decimal
from alliance.permissions import alliance_id_of
from alliance.workflow import require, save_with_reason
from allocation.models import Scheme, SchemeAllocation
from performance import periods, permissions
from performance.catalogue import TABLE_6
from performance.models import (
    SCORES,
    Finding,
    ImprovementProcess,
    Level,
    Metric,
    ProcessStatus,
    Quarter,
    QuarterStatus,
    Score,
    ScoreBand,
    Tier,
)
from performance.permissions import ERR_SCORE_NOT_ALLOWED
from performance.scenarios import (
    PLAN_DAYS,
    SCENARIOS,
    SUSTAIN_MONTHS,
    Scenario,
    detect_findings,
    rights_months,
    scenario_number,
    worse_tier,
)
from performance.selectors.scorecard import rights_basis, scorecard

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from alliance.models import Person


ERR_SCORE_OTHER_ORGANISATION = "Scheme {code}: your organisation is not a Responsible Partner on it."
ERR_SCORE_FROZEN = "{period} is frozen: give the reason for the correction."
ERR_QUARTER_NOT_OVER = "{period} has not ended yet."
ERR_QUARTER_NOT_FROZEN = "{period} is not frozen yet: its scorecard is accepted once computed."
ERR_QUARTER_DECIDED = "{period}'s scorecard is already accepted by the client."
# A quarter's workflow: open → frozen (quarter_freeze) → accepted, or returned → accepted (quarter_client_decide).
QUARTER_DECIDABLE = frozenset({QuarterStatus.FROZEN, QuarterStatus.RETURNED})


def quarter_freeze_allowed(actor: Person, quarter: Quarter, *, today: dt.date | None = None) -> bool:
    """May ``actor`` freeze the quarter now: the Alliance Manager, an open quarter that has ended (para 159)?"""
    return (permissions.can_freeze_quarter(actor) and quarter.status == QuarterStatus.OPEN
            and (today or local_today()) > quarter.ends_on)


def quarter_decide_allowed(actor: Person, quarter: Quarter) -> bool:
    """May ``actor`` accept or return the quarter's scorecard now: the client, once frozen or returned (para 160)?"""
    return permissions.can_decide_quarter(actor) and quarter.status in QUARTER_DECIDABLE


TITLE_TERMINATION = "Right to terminate arises"
TITLE_INTERVENTION = "The client may intervene"


# --- The catalogue ---------------------------------------------------------------------------------------


@transaction.atomic
def metrics_seed(alliance: Alliance) -> None:
    """Table 6's twenty metrics with starting bands (Annex C is missing). Idempotent by code."""
    for order, (code, imperative, outcome, indicator, title, intervention, safety, unit, direction, bands) in enumerate(
            TABLE_6, start=1):
        metric, created = Metric.objects.get_or_create(alliance=alliance, code=code, defaults={
            "order": order, "imperative": imperative, "outcome": outcome, "indicator": indicator, "title": title,
            "informs_intervention": intervention, "health_and_safety": safety, "unit": unit, "direction": direction,
        })
        if created:
            ScoreBand.objects.bulk_create([ScoreBand(metric=metric, score=s, threshold=Decimal(t)) for s, t in bands])


def score_from_raw(metric: Metric, raw: Decimal, bands: list[ScoreBand] | None = None) -> int | None:
    """The best band the raw value reaches (docs/domain.md section 5), or None without bands."""
    bands = sorted(bands if bands is not None else metric.bands.all(), key=lambda b: -b.score)
    for band in bands:
        if (metric.direction == "higher" and raw >= band.threshold) or (
                metric.direction == "lower" and raw <= band.threshold):
            return band.score
    return min((b.score for b in bands), default=None)


def quarter_for(alliance: Alliance, year: int, number: int) -> Quarter:
    starts, ends = periods.bounds(year, number)
    quarter, _ = Quarter.objects.get_or_create(alliance=alliance, year=year, number=number,
                                               defaults={"starts_on": starts, "ends_on": ends})
    return quarter


# --- Scores ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreRowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}, column {self.column}: {self.message}"


@transaction.atomic
def scores_record(*, actor: Person, rows: list[dict], first_line: int = 1, correction_reason: str = "") -> list[Score]:
    """Record scores ``{scheme, metric, period, score, raw_value?, evidence?}`` (scheme and metric by code;
    period like 2025-Q3): all of them or, if any row is wrong, none, each wrong row named with its line.

    A score must be 0, 2, 4, 6, 8 or 10 (para 151); a raw value without a score is scored by the metric's
    bands. A partner enters scores only on schemes its organisation is a Responsible Partner for. A score of a
    frozen quarter is a correction and needs ``correction_reason``.
    """
    require(permissions.can_enter_scores(actor), ERR_SCORE_NOT_ALLOWED)
    alliance_id = alliance_id_of(actor)
    if alliance_id is None:
        raise PermissionDenied(ERR_SCORE_NOT_ALLOWED)
    alliance = Alliance.objects.get(pk=alliance_id)
    metrics = {m.code: m for m in Metric.objects.filter(alliance=alliance, is_active=True).prefetch_related("bands")}
    codes = {str(r.get("scheme", "")).strip() for r in rows if isinstance(r, dict)}
    schemes = {s.code: s for s in Scheme.objects.filter(alliance=alliance, code__in=codes)}
    mine = set()
    if not permissions.scores_every_scheme(actor):
        mine = set(SchemeAllocation.objects.filter(current_partner_id=actor.organisation_id, scheme__in=schemes.values())
                   .values_list("scheme_id", flat=True))
    quarters: dict[str, Quarter] = {}
    errors: list[ScoreRowError] = []
    seen: set[tuple] = set()
    valid: list[tuple[Quarter, Scheme, Metric, int, Decimal | None, bool, str]] = []
    if not rows:
        raise ValidationError({"scores": ["There is no score to record."]})
    for index, row in enumerate(rows):
        line = first_line + index
        if not isinstance(row, dict):
            errors.append(ScoreRowError(line, "row", "must be an object with scheme, metric, period and score."))
            continue
        before = len(errors)
        scheme = schemes.get(str(row.get("scheme", "")).strip())
        if scheme is None:
            errors.append(ScoreRowError(line, "scheme", f"{row.get('scheme')!r} is not a scheme of the alliance."))
        elif not permissions.scores_every_scheme(actor) and scheme.pk not in mine:
            errors.append(ScoreRowError(line, "scheme", ERR_SCORE_OTHER_ORGANISATION.format(code=scheme.code)))
        metric = metrics.get(str(row.get("metric", "")).strip())
        if metric is None:
            errors.append(ScoreRowError(line, "metric", f"{row.get('metric')!r} is not a metric of Table 6."))
        parsed = periods.parse(str(row.get("period", "")))
        if parsed is None:
            errors.append(ScoreRowError(line, "period", f"{row.get('period')!r} is not a quarter like 2025-Q3 "
                                                        "(from 2000-Q1 to 2100-Q4)."))
        elif periods.bounds(*parsed)[0] > local_today():
            errors.append(ScoreRowError(line, "period", f"{row.get('period')} has not started."))
        raw = None
        if row.get("raw_value") not in (None, ""):
            # As the column holds it: 1e308, -1e20 or 30 digits overflow it, NaN and Infinity are no measure.
            field = Score._meta.get_field("raw_value")
            try:
                raw = parse_decimal(row["raw_value"], max_digits=field.max_digits, decimal_places=field.decimal_places)
            except ValidationError as error:
                errors.append(ScoreRowError(line, "raw_value", error.messages[0]))
        score, derived = None, False
        if row.get("score") not in (None, ""):
            try:
                score = int(str(row["score"]).strip())
            except ValueError:
                score = -1
            if score not in SCORES:
                errors.append(ScoreRowError(line, "score", f"{row['score']!r} is not 0, 2, 4, 6, 8 or 10 (para 151)."))
        elif raw is not None and metric is not None:
            score, derived = score_from_raw(metric, raw), True
            if score is None:
                errors.append(ScoreRowError(line, "raw_value", f"{metric.code} has no bands to score a raw value."))
        elif len(errors) == before:
            errors.append(ScoreRowError(line, "score", "give a score or a raw value."))
        key = (row.get("scheme"), row.get("metric"), row.get("period"))
        if key in seen:
            errors.append(ScoreRowError(line, "row", "the same scheme, metric and period appear twice."))
        seen.add(key)
        # No error on the row: each of its values is there (the checks narrowed for the type checker).
        if len(errors) == before and parsed and scheme and metric and score is not None:
            period = periods.label(*parsed)
            if period not in quarters:
                quarters[period] = quarter_for(alliance, *parsed)
            valid.append((quarters[period], scheme, metric, score, raw, derived, str(row.get("evidence", "")).strip()))
    if errors:
        raise ValidationError({"scores": [str(e) for e in errors]})
    frozen = sorted({q.label for q, *_ in valid if q.status != QuarterStatus.OPEN})
    if frozen and not correction_reason.strip():
        raise ValidationError({"correction_reason": [ERR_SCORE_FROZEN.format(period=", ".join(frozen))]})
    existing = {(s.quarter_id, s.scheme_id, s.metric_id): s for s in Score.objects.select_for_update().filter(
        Q(quarter__in=quarters.values()), scheme__in={v[1] for v in valid}, metric__in={v[2] for v in valid})}
    saved = []
    for quarter, scheme, metric, score, raw, derived, evidence in valid:
        record = existing.get((quarter.pk, scheme.pk, metric.pk)) or Score(quarter=quarter, scheme=scheme, metric=metric)
        record.score, record.raw_value, record.derived, record.entered_by = score, raw, derived, actor
        if evidence:
            record.evidence = evidence
        if quarter.status != QuarterStatus.OPEN:
            record.correction_reason = correction_reason.strip()
        save_with_reason(record, actor, (f"Correction after freezing: {correction_reason.strip()}"
                                         if quarter.status != QuarterStatus.OPEN else "Scored"))
        saved.append(record)
    return saved


def scores_from_csv(*, actor: Person, upload: UploadedFile | io.TextIOBase, correction_reason: str = "") -> list[Score]:
    """``scheme,metric,period,score`` (optionally ``raw_value``, ``evidence``); line 1 is the header."""
    text = csv_upload_text(upload)
    try:
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip() for h in (reader.fieldnames or [])]
        if not {"scheme", "metric", "period"} <= set(header) or not ({"score", "raw_value"} & set(header)):
            raise ValidationError({"file": ["The first line must name the columns: scheme,metric,period,score "
                                            "(and optionally raw_value)."]})
        reader.fieldnames = header
        rows = [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except csv.Error as error:  # a line over the csv module's field limit: a clear refusal, not a 500
        raise csv_line_error() from error
    return scores_record(actor=actor, rows=rows, first_line=2, correction_reason=correction_reason)


# --- Freezing a quarter, its findings and the improvement processes ---------------------------------------------


def _months_between(start: dt.date | None, end: dt.date) -> int:
    """Whole calendar months from ``start`` to ``end`` (para 177's clock counts months); none without a start."""
    if start is None:
        return 0
    months = (end.year - start.year) * 12 + end.month - start.month
    if add_months(start, months) > end:
        months -= 1
    return max(months, 0)


@transaction.atomic
def quarter_freeze(*, actor: Person | None, quarter: Quarter, on: dt.date | None = None) -> Quarter:
    """Compute the quarter's scorecard, freeze it, record its findings (Figure 9) and open, resume or recover the
    improvement processes. Freezing a frozen quarter again changes nothing."""
    if actor is not None:
        permissions.require_quarter_freezer(actor)
        require(alliance_id_of(actor) == quarter.alliance_id, "That quarter belongs to another alliance.")
    quarter = Quarter.objects.select_for_update().select_related("alliance").get(pk=quarter.pk)
    on = on or local_today()
    if quarter.status != QuarterStatus.OPEN:
        return quarter
    if on <= quarter.ends_on:
        raise ValidationError(ERR_QUARTER_NOT_OVER.format(period=quarter.label))
    card = scorecard(quarter.alliance_id, [quarter])
    findings = _findings(quarter, card, rights_basis(quarter))
    quarter.snapshot = {
        "overall": _num(card.overall.average), "count": card.overall.count,
        "schemes": {str(k): [_num(v.average), v.count] for k, v in card.schemes.items()},
        "metrics": {str(k): [_num(v.average), v.count] for k, v in card.metrics.items()},
    }
    quarter.status, quarter.frozen_at = QuarterStatus.FROZEN, timezone.now()
    save_with_reason(quarter, actor, "Scorecard computed and frozen")
    Finding.objects.bulk_create(findings)
    _processes_follow(quarter, findings, on, actor)
    _tell_the_board_and_the_client(quarter, card, len(findings))
    return quarter


def _tell_the_board_and_the_client(quarter: Quarter, card, findings: int) -> None:
    """The scorecard goes to the Alliance Board for information and to the client for acceptance (para 160)."""
    from django.urls import reverse

    from alliance.models import Person

    people = Person.objects.filter(
        organisation__alliance_id=quarter.alliance_id, is_active=True,
        role_assignments__role__in=[Role.SRO, Role.BOARD_REPRESENTATIVE, Role.CLIENT_REVIEWER, Role.ALLIANCE_MANAGER],
    ).distinct()
    overall = "no score" if card.overall.average is None else f"overall {card.overall.average:.2f}"
    alliance_services.notification_send(
        recipients=people, title=f"The scorecard for {quarter.label} is ready ({overall})",
        body=f"For information to the Alliance Board and for the client's acceptance (para 160). "
             f"{findings} poor-performance finding{'s' if findings != 1 else ''} (Figure 9).",
        link=f"{reverse('scorecard')}?period={quarter.label}")


def _num(value) -> float | None:
    return None if value is None else float(value)


def _findings(quarter: Quarter, card, basis) -> list[Finding]:
    return [Finding(quarter=quarter, scenario=d.scenario, level=d.level, tier=d.tier, scheme_id=d.scheme_id,
                    metric_id=d.metric_id, average=d.average, rights_tier=d.rights_tier)
            for d in detect_findings(card, basis)]


def _subject(level, scheme_id, metric_id) -> tuple:
    return (level, scheme_id, metric_id)


def _processes_follow(quarter: Quarter, findings: list[Finding], on: dt.date, actor: Person | None) -> None:
    """Open a process for each new finding (in bulk: a quarter may find a thousand components), resume one
    that recovered less than six months ago, and mark recovered those whose subject is no longer found."""
    alliance = quarter.alliance
    live = {_subject(p.level, p.scheme_id, p.metric_id): p for p in ImprovementProcess.objects.select_for_update()
            .filter(alliance=alliance, status__in=[ProcessStatus.OPEN, ProcessStatus.RECOVERING])}
    found, new = {}, []
    for finding in findings:
        key = _subject(finding.level, finding.scheme_id, finding.metric_id)
        found[key] = finding
        process = live.get(key)
        if process is None or (process.status == ProcessStatus.RECOVERING
                               and _months_between(process.recovered_on, on) >= SUSTAIN_MONTHS):
            if process is not None:
                _close(process, on, actor, "Recovery sustained for six months (para 177)")
            new.append(finding)
            continue
        if process.status == ProcessStatus.RECOVERING:
            process = process_resume(process=process, on=on, actor=actor)
        _process_escalate(process, finding, on, actor)
        finding.process = process
    for finding, process in zip(new, _open_many(new, on, actor), strict=True):
        finding.process = process
    Finding.objects.bulk_update([f for f in findings if f.process_id], ["process"], batch_size=1_000)
    for key, process in live.items():
        if key in found:
            continue
        if process.status == ProcessStatus.OPEN:
            process_recover(process=process, on=on, actor=actor)
        elif _months_between(process.recovered_on, on) >= SUSTAIN_MONTHS:
            _close(process, on, actor, "Recovery sustained for six months (para 177)")


def _subject_label(process: ImprovementProcess) -> str:
    """What a process is about, in words: "the Alliance overall", "scheme S1", "metric afr", "afr on scheme S1"."""
    if process.level == Level.OVERALL:
        return "the Alliance overall"
    scheme = process.scheme.code if process.scheme else None
    metric = process.metric.code if process.metric else None
    if process.level == Level.SCHEME:
        return f"scheme {scheme}"
    if process.level == Level.METRIC:
        return f"metric {metric}"
    return f"{metric} on scheme {scheme}"


def _open_many(findings: list[Finding], on: dt.date, actor: Person | None) -> list[ImprovementProcess]:
    """New improvement processes for new findings, with their clocks, written in bulk with their history."""
    if not findings:
        return []
    processes = []
    for finding in findings:
        scenario = SCENARIOS[finding.scenario]
        process = ImprovementProcess(
            alliance_id=finding.quarter.alliance_id, scenario=finding.scenario, level=finding.level,
            tier=finding.tier, rights_tier=finding.rights_tier, scheme_id=finding.scheme_id,
            metric_id=finding.metric_id, client_led=scenario.client_led, opened_on=on, clock_started_on=on,
            reporting=scenario.reporting,
        )
        _set_dates(process, on)
        processes.append(process)
    processes = bulk_create_with_history(processes, ImprovementProcess, batch_size=1_000, default_user=actor,
                                         default_change_reason=f"Opened by the scorecard of {findings[0].quarter.label}")
    context = _ClockContext.of(findings[0].quarter.alliance, processes)
    alliance_services.obligations_open_bulk(actor=actor, obligations=[
        spec for process in processes for spec in _clock_specs(process, SCENARIOS[process.scenario], on, context,
                                                               first=True)])
    return processes


def _set_dates(process: ImprovementProcess, on: dt.date) -> None:
    """The intervention and termination dates from when the clock (re)started, less the months already run;
    None where the findings give the client no such right (para 146)."""
    process.rights_since = on if process.rights_tier else None
    used = process.months_used
    intervene, terminate = rights_months(process.level, process.rights_tier)
    process.intervention_on = None if intervene is None else add_months(on, max(intervene - used, 0))
    process.termination_right_on = None if terminate is None else add_months(on, max(terminate - used, 0))


def _earlier(current: dt.date | None, candidate: dt.date | None) -> dt.date | None:
    """The earlier of two dates of a right, None being "no right": a right once given stays while open."""
    if current is None or candidate is None:
        return current or candidate
    return min(current, candidate)


def _process_escalate(process: ImprovementProcess, finding: Finding, on: dt.date, actor: Person | None) -> None:
    """A finding joins an open process: its tier, scenario and dates follow the worst tier seen (issue 16).

    Figure 9 gives failure a shorter route than underperformance (scenario 3: intervention after 3 months and a
    termination right after 9, against 6 and 12 for scenario 4), counted, like para 173's "not improved to
    satisfactory levels within three months", from when performance stopped being satisfactory. So a subject
    that falls from underperformance to failure takes failure's periods counted from when its rights started
    (``rights_since``: the clock's start, less the months already used, para 177), never earlier than today (the
    right could not arise while it was only underperforming) and never later than a date already set.

    A right that the findings give for the first time while the process is open (an H&S component become
    continual, a scheme whose intervention metrics now fail too, a metric moved into the intervention group)
    counts from that finding: it is not retroactive.

    Getting better never lengthens a clock already started: a milder finding changes nothing, and a right once
    given is not withdrawn while the process is open (nor by a later amendment of the metrics' groups). The
    change is kept in the process's history and its clocks are re-dated with the reason.
    """
    reasons = []
    tier = worse_tier(process.tier, finding.tier)
    if tier != process.tier:
        process.tier, process.scenario = tier, scenario_number(process.level, tier)
        reasons.append(f"{_tier_word(tier)}, scenario {process.scenario} (Figure 9)")
    rights = worse_tier(process.rights_tier, finding.rights_tier)
    if rights != process.rights_tier:
        if not process.rights_tier:
            process.rights_since = on
        process.rights_tier = rights
        reasons.append(f"client rights: {rights}")
    if not reasons:
        return
    intervene, terminate = rights_months(process.level, rights)
    # The months run before a recovery (para 177) count against rights that ran then too, i.e. since the restart.
    used = process.months_used if process.rights_since == process.clock_started_on else 0

    def due(months: int | None) -> dt.date | None:
        if months is None or process.rights_since is None:
            return None
        return max(on, add_months(process.rights_since, max(months - used, 0)))

    process.intervention_on = _earlier(process.intervention_on, due(intervene))
    process.termination_right_on = _earlier(process.termination_right_on, due(terminate))
    reason = f"Escalated in {finding.quarter.label}: {'; '.join(reasons)}"[:100]  # history keeps 100 characters
    save_with_reason(process, actor, reason)
    _rights_clocks_follow(process, on, actor, reason)


def _tier_word(tier: str) -> str:
    return Tier(tier).label.split(" (")[0].lower()


def _rights_clocks_follow(process: ImprovementProcess, on: dt.date, actor: Person | None, reason: str) -> None:
    """Re-date the process's open intervention and termination clocks to its dates, with the reason; open a clock
    a new right needs (an immediate intervention has none, as when a process opens)."""
    clocks = list(_process_clocks(process).filter(kind=ObligationKind.INTERVENTION_RIGHT))
    missing = []
    for prefix, date in ((TITLE_TERMINATION, process.termination_right_on),
                         (TITLE_INTERVENTION, process.intervention_on)):
        clock = next((c for c in clocks if c.title.startswith(prefix)), None)
        if date is None:
            continue
        if clock is None:
            missing.append(prefix)
        elif clock.due_date != date:
            alliance_services.obligation_redate(actor=actor, obligation=clock, due_date=date, reason=reason,
                                                by_workflow=True)
    if missing:
        context = _ClockContext.of(Alliance.objects.get(pk=process.alliance_id), [process])
        specs = _clock_specs(process, SCENARIOS[process.scenario], on, context, first=False)
        alliance_services.obligations_open_bulk(actor=actor, obligations=[
            spec for spec in specs if spec["kind"] == ObligationKind.INTERVENTION_RIGHT
            and any(spec["title"].startswith(prefix) for prefix in missing)])


@dataclass(frozen=True)
class _ClockContext:
    """What every clock of a batch of processes needs, read once: who holds them and what they are about."""

    alliance: Alliance
    manager: Person | None
    client: object
    labels: dict[int, str]

    @classmethod
    def of(cls, alliance: Alliance, processes: list[ImprovementProcess]) -> _ClockContext:
        schemes: dict[int | None, str] = dict(Scheme.objects.filter(
            pk__in={p.scheme_id for p in processes if p.scheme_id}).values_list("pk", "code"))
        metrics: dict[int | None, str] = dict(Metric.objects.filter(
            pk__in={p.metric_id for p in processes if p.metric_id}).values_list("pk", "code"))
        labels = {}
        for p in processes:
            names: dict[str, str] = {Level.OVERALL: "the Alliance overall",
                                     Level.SCHEME: f"scheme {schemes.get(p.scheme_id)}",
                                     Level.METRIC: f"metric {metrics.get(p.metric_id)}"}
            labels[p.pk] = names.get(p.level, f"{metrics.get(p.metric_id)} on scheme {schemes.get(p.scheme_id)}")
        return cls(alliance, _holder(alliance, Role.ALLIANCE_MANAGER),
                   alliance.organisations.get(kind=OrganisationKind.CLIENT), labels)


def _clock_specs(process: ImprovementProcess, scenario: Scenario, on: dt.date, context: _ClockContext, *,
                 first: bool) -> list[dict]:
    """The obligations of a process (Figure 9, para 177), as obligation_open's arguments."""
    what, specs = context.labels[process.pk], []
    common = {"alliance": context.alliance, "paragraph": scenario.paragraph, "start_date": on, "subject": process}
    if first and scenario.number in (1, 2, 3, 4):
        # para 177: a plan within 14 days (client-led); for 3-4 the Alliance's own process, same period (ours).
        specs.append({**common, "kind": ObligationKind.IMPROVEMENT_PLAN, "paragraph": "para 177", "days": PLAN_DAYS,
                      "title": f"Performance improvement plan for {what} (scenario {scenario.number})",
                      "responsible_person": context.manager})
    specs.append({**common, "kind": ObligationKind.IMPROVEMENT_REPORT,
                  "months": 1 if scenario.reporting == "monthly" else 3, "responsible_person": context.manager,
                  "title": f"{scenario.reporting.capitalize()} improvement report on {what} (scenario {scenario.number})"})
    if process.termination_right_on is not None:
        specs.append({**common, "kind": ObligationKind.INTERVENTION_RIGHT, "due_date": process.termination_right_on,
                      "responsible_organisation": context.client,
                      "title": f"{TITLE_TERMINATION}: {what} (scenario {scenario.number}) unless performance "
                               "is satisfactory"})
    if process.intervention_on is not None and process.intervention_on > on:
        specs.append({**common, "kind": ObligationKind.INTERVENTION_RIGHT, "due_date": process.intervention_on,
                      "responsible_organisation": context.client,
                      "title": f"{TITLE_INTERVENTION}: {what} (scenario {scenario.number})"})
    return specs


def _holder(alliance: Alliance, role: str):
    from governance.selectors.instructions import role_holder

    return role_holder(alliance.pk, role)


def _process_clocks(process: ImprovementProcess):
    from django.contrib.contenttypes.models import ContentType

    return Obligation.objects.filter(subject_type=ContentType.objects.get_for_model(ImprovementProcess),
                                     subject_id=process.pk, status=ObligationStatus.OPEN)


def _cancel_clocks(process: ImprovementProcess, actor: Person | None, reason: str, *, keep_plan: bool = True) -> None:
    for clock in _process_clocks(process):
        if keep_plan and clock.kind == ObligationKind.IMPROVEMENT_PLAN:
            continue
        alliance_services.obligation_cancel(actor=actor, obligation=clock, reason=reason, by_workflow=True)


@transaction.atomic
def process_recover(*, process: ImprovementProcess, on: dt.date, actor: Person | None = None) -> ImprovementProcess:
    """Performance is satisfactory again: the clock stops and the months it ran are kept (para 177)."""
    process = ImprovementProcess.objects.select_for_update().get(pk=process.pk)
    if process.status != ProcessStatus.OPEN:
        raise ValidationError("Only an open improvement process recovers.")
    process.months_used += _months_between(process.clock_started_on, on)
    process.status, process.recovered_on = ProcessStatus.RECOVERING, on
    save_with_reason(process, actor, f"Recovered; {process.months_used} month(s) of the clock used")
    _cancel_clocks(process, actor, "Performance recovered: to be sustained for six months (para 177)")
    return process


@transaction.atomic
def process_resume(*, process: ImprovementProcess, on: dt.date, actor: Person | None = None) -> ImprovementProcess:
    """Failing again within six months of recovering: the process recommences where it stopped (para 177)."""
    process = ImprovementProcess.objects.select_for_update(of=("self",)).select_related(
        "alliance", "scheme", "metric").get(pk=process.pk)
    if process.status != ProcessStatus.RECOVERING:
        raise ValidationError("Only a recovering improvement process resumes.")
    if _months_between(process.recovered_on, on) >= SUSTAIN_MONTHS:
        raise ValidationError("The recovery was sustained for six months: a new process opens instead (para 177).")
    scenario = SCENARIOS[process.scenario]
    process.status, process.clock_started_on, process.recovered_on = ProcessStatus.OPEN, on, None
    _set_dates(process, on)
    save_with_reason(process, actor,
                     f"Failing again: resumed with {process.months_used} month(s) already used (para 177)")
    context = _ClockContext.of(process.alliance, [process])
    alliance_services.obligations_open_bulk(actor=actor, obligations=_clock_specs(process, scenario, on, context,
                                                                                 first=False))
    return process


def _close(process: ImprovementProcess, on: dt.date, actor: Person | None, reason: str) -> None:
    process.status, process.closed_on = ProcessStatus.CLOSED, on
    save_with_reason(process, actor, reason)
    _cancel_clocks(process, actor, reason, keep_plan=False)


def quarters_freeze_due(*, today: dt.date | None = None) -> int:
    """The Celery beat job: freeze every alliance's last quarter once it has ended (para 159). A quarter without
    any score yet stays open (there is nothing to compute, and scores may still come in). Idempotent."""
    today = today or local_today()
    year, number = periods.previous(*periods.containing(today))
    frozen = 0
    for quarter in Quarter.objects.filter(year=year, number=number, status=QuarterStatus.OPEN, scores__isnull=False
                                          ).distinct():
        quarter_freeze(actor=None, quarter=quarter, on=today)
        frozen += 1
    return frozen


@transaction.atomic
def quarter_client_decide(*, actor: Person, quarter: Quarter, accept: bool, comment: str = "") -> Quarter:
    """The client accepts the quarter's scorecard or returns it with comments (para 160)."""
    permissions.require_quarter_decider(actor)
    require(alliance_id_of(actor) == quarter.alliance_id, "That quarter belongs to another alliance.")
    quarter = Quarter.objects.select_for_update().get(pk=quarter.pk)
    if quarter.status == QuarterStatus.OPEN:
        raise ValidationError(ERR_QUARTER_NOT_FROZEN.format(period=quarter.label))
    if quarter.status not in QUARTER_DECIDABLE:
        raise ValidationError(ERR_QUARTER_DECIDED.format(period=quarter.label))
    if not accept and not comment.strip():
        raise ValidationError({"comment": ["Say why the scorecard is returned."]})
    quarter.status = QuarterStatus.ACCEPTED if accept else QuarterStatus.RETURNED
    quarter.client_comment, quarter.client_decided_by, quarter.client_decided_at = comment.strip(), actor, timezone.now()
    save_with_reason(quarter, actor, "Accepted by the client" if accept else "Returned by the client")
    return quarter
