"""The balanced scorecard: metrics (Table 6), quarterly scores per scheme, frozen quarters, findings of the six
poor-performance scenarios (Figure 9), improvement processes and plans, incidents and the efficiency register
(section 8, paras 138-184; docs/domain.md section 5; seeds 001 and 002).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from alliance.models import Alliance
from allocation.models import Scheme
from governance.models import Decision

SCORES = (0, 2, 4, 6, 8, 10)  # para 151


class Direction(models.TextChoices):
    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class Metric(models.Model):
    """A metric of Table 6 with its place in the balanced scorecard (imperative → outcome → indicator)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="metrics")
    code = models.SlugField(max_length=40)
    order = models.PositiveSmallIntegerField(help_text="Its place in Table 6.")
    imperative = models.CharField(max_length=100)
    outcome = models.CharField(max_length=200)
    indicator = models.CharField(max_length=200, verbose_name="performance indicator")
    title = models.CharField(max_length=300)
    informs_intervention = models.BooleanField(
        help_text="Informs client intervention (para 146); otherwise it supports evolving behaviours.")
    health_and_safety = models.BooleanField(
        default=False, help_text="A health and safety measure: continual poor performance on it lets the client "
                                 "intervene even at component level (Figure 9 note).")
    unit = models.CharField(max_length=60, blank=True)
    direction = models.CharField(max_length=10, choices=Direction.choices)
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["alliance", "order"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "code"], name="metric_code_unique_in_alliance"),
            models.UniqueConstraint(fields=["alliance", "order"], name="metric_order_unique_in_alliance"),
        ]

    def __str__(self) -> str:
        return self.title


class ScoreBand(models.Model):
    """Raw measure → score (Annex C is missing: docs/domain.md section 5). For a higher-is-better metric a raw
    value at or above ``threshold`` scores ``score``; lower-is-better, at or below. The best band wins."""

    metric = models.ForeignKey(Metric, on_delete=models.CASCADE, related_name="bands")
    score = models.PositiveSmallIntegerField()
    threshold = models.DecimalField(max_digits=16, decimal_places=4)
    history = HistoricalRecords()

    class Meta:
        ordering = ["metric", "-score"]
        constraints = [
            models.UniqueConstraint(fields=["metric", "score"], name="score_band_once_per_score"),
            models.CheckConstraint(condition=Q(score__in=SCORES), name="score_band_score_0_to_10_even"),
        ]

    def __str__(self) -> str:
        return f"{self.metric.code}: {self.score} at {self.threshold}"


class QuarterStatus(models.TextChoices):
    OPEN = "open", "Open for scores"
    FROZEN = "frozen", "Computed and frozen"
    ACCEPTED = "accepted", "Accepted by the client"
    RETURNED = "returned", "Returned by the client"


class Quarter(models.Model):
    """A quarter of the calendar year (2025-Q3: July to September); frozen once its scorecard is computed."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="quarters")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveSmallIntegerField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=10, choices=QuarterStatus.choices, default=QuarterStatus.OPEN)
    frozen_at = models.DateTimeField(null=True, blank=True)
    snapshot = models.JSONField(null=True, blank=True, help_text="The scorecard as computed when frozen.")
    client_comment = models.TextField(blank=True)
    client_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="+")
    client_decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["alliance", "year", "number"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "year", "number"], name="quarter_once_per_alliance"),
            models.CheckConstraint(condition=Q(number__gte=1, number__lte=4), name="quarter_number_1_to_4"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.number}"


class Score(models.Model):
    """One metric's score on one scheme in one quarter (para 151), with the raw measure and its evidence."""

    quarter = models.ForeignKey(Quarter, on_delete=models.PROTECT, related_name="scores")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="scores")
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="scores")
    score = models.PositiveSmallIntegerField()
    raw_value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    derived = models.BooleanField(default=False, help_text="Scored from the raw value by the metric's bands.")
    evidence = models.TextField(blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now=True)
    correction_reason = models.TextField(blank=True, help_text="Why a frozen quarter's score was corrected.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["quarter", "scheme", "metric"]
        constraints = [
            models.UniqueConstraint(fields=["quarter", "scheme", "metric"], name="score_once_per_cell"),
            models.CheckConstraint(condition=Q(score__in=SCORES), name="score_0_to_10_in_steps_of_2"),
        ]
        indexes = [
            models.Index(fields=["quarter", "metric"], name="score_quarter_metric"),
            models.Index(fields=["quarter", "scheme"], name="score_quarter_scheme"),
        ]

    def __str__(self) -> str:
        return f"{self.scheme_id}/{self.metric_id} {self.quarter_id}: {self.score}"


# --- Findings and improvement (Figure 9, paras 161-177) --------------------------------------------------------


class Level(models.TextChoices):
    OVERALL = "overall", "Overall Alliance"
    SCHEME = "scheme", "Scheme"
    METRIC = "metric", "Alliance metric"
    COMPONENT = "component", "Scheme metric component"


class Tier(models.TextChoices):
    FAILURE = "failure", "Performance failure (below 2)"
    UNDERPERFORMANCE = "underperformance", "Underperformance (2 to below 6)"


class Finding(models.Model):
    """A scenario of Figure 9 found in a quarter's scorecard at one level, for one subject."""

    quarter = models.ForeignKey(Quarter, on_delete=models.CASCADE, related_name="findings")
    scenario = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=10, choices=Level.choices)
    tier = models.CharField(max_length=20, choices=Tier.choices)
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    average = models.DecimalField(max_digits=8, decimal_places=4)
    rights_tier = models.CharField(
        max_length=20, choices=Tier.choices, blank=True, default="",
        help_text="The tier for which this finding gives the client intervention and termination rights: only the "
                  "metrics that inform client intervention do (para 146; docs/performance.md). Empty: none.")
    process = models.ForeignKey("ImprovementProcess", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="findings")

    class Meta:
        ordering = ["quarter", "scenario", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(scenario__gte=1, scenario__lte=6), name="finding_scenario_1_to_6"),
            models.UniqueConstraint(fields=["quarter", "level", "scheme", "metric"], nulls_distinct=False,
                                    name="finding_once_per_subject"),
        ]

    def __str__(self) -> str:
        return f"Scenario {self.scenario} in {self.quarter}"


class ProcessStatus(models.TextChoices):
    OPEN = "open", "Open: performance not yet satisfactory"
    RECOVERING = "recovering", "Recovered: to be sustained for six months (para 177)"
    CLOSED = "closed", "Closed: recovery sustained"


class ImprovementProcess(models.Model):
    """A performance improvement process opened by a finding (Figure 9): client-led (scenarios 1-2), alliance-led
    (3-4, the client may take it over) or an alliance investigation with quarterly reporting (5-6).

    The sustain rule (para 177): the months the clock has run are kept in ``months_used`` when performance
    recovers; failing again within six months resumes the clock from there.

    While open, its tier, scenario and dates follow the worst tier seen: a subject that falls from
    underperformance to failure takes failure's shorter clock, and getting better never lengthens a clock
    already started (scorecard.py ``_process_escalate``; docs/performance.md)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="improvement_processes")
    scenario = models.PositiveSmallIntegerField()
    level = models.CharField(max_length=10, choices=Level.choices)
    tier = models.CharField(max_length=20, choices=Tier.choices)
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    client_led = models.BooleanField()
    status = models.CharField(max_length=12, choices=ProcessStatus.choices, default=ProcessStatus.OPEN)
    opened_on = models.DateField()
    clock_started_on = models.DateField(help_text="When the current failing run started (or resumed).")
    months_used = models.PositiveSmallIntegerField(default=0, help_text="Months of the clock already run before "
                                                                        "the latest recovery (para 177).")
    recovered_on = models.DateField(null=True, blank=True)
    rights_tier = models.CharField(
        max_length=20, choices=Tier.choices, blank=True, default="",
        help_text="The worst tier seen while open for which the findings gave the client rights (para 146, "
                  "Figure 9); empty while none has.")
    rights_since = models.DateField(null=True, blank=True,
                                    help_text="The day from which the client's rights count: the clock's (re)start, "
                                              "or the later finding that first gave a right.")
    intervention_on = models.DateField(null=True, blank=True,
                                       help_text="When the client may intervene; null where no right arises "
                                                 "(para 146, Figure 9).")
    termination_right_on = models.DateField(null=True, blank=True,
                                            help_text="When a right to terminate arises; null where none does "
                                                      "(para 146, Figure 9).")
    reporting = models.CharField(max_length=10, choices=[("monthly", "Monthly"), ("quarterly", "Quarterly")])
    closed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-opened_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(scenario__gte=1, scenario__lte=6), name="process_scenario_1_to_6"),
        ]

    def __str__(self) -> str:
        return f"Scenario {self.scenario} improvement process"


class Incident(models.Model):
    """An incident on a scheme; the Alliance Manager decides whether to investigate (paras 180-184)."""

    class Status(models.TextChoices):
        REPORTED = "reported", "Reported: investigation to decide"
        NOT_INVESTIGATED = "not_investigated", "No formal investigation"
        INVESTIGATING = "investigating", "Under investigation"
        CLOSED = "closed", "Closed"

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="incidents")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="incidents")
    occurred_on = models.DateField()
    title = models.CharField(max_length=300)
    description = models.TextField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REPORTED)
    decision_reason = models.TextField(blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField(auto_now_add=True)
    closed_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted: with the Board for the client's review"
    APPROVED = "approved", "Approved: monthly reports against it"
    CLOSED = "closed", "Closed: performance recovered"


class ImprovementPlan(models.Model):
    """A performance improvement plan (para 177; the shape of seed 002: aims, findings, actions, owners,
    due dates, progress and evidence), for an improvement process or an incident (para 181)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="improvement_plans")
    process = models.ForeignKey(ImprovementProcess, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="plans")
    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, null=True, blank=True, related_name="plans")
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=12, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                 help_text="The Board item on which the client reviews the plan.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closing_note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(process__isnull=False) | Q(incident__isnull=False),
                                   name="plan_for_a_process_or_an_incident"),
        ]

    def __str__(self) -> str:
        return self.title


class PlanAim(models.Model):
    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="aims")
    order = models.PositiveSmallIntegerField()
    aim = models.CharField(max_length=300)
    finding = models.TextField(help_text="What was found (seed 002's 'finding').")
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.aim


class ActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"


class PlanAction(models.Model):
    aim = models.ForeignKey(PlanAim, on_delete=models.CASCADE, related_name="actions")
    action = models.TextField()
    owner = models.CharField(max_length=200, help_text="Who leads it (seed 002's 'lead').")
    due_on = models.DateField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED)
    evidence = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["aim", "due_on", "pk"]

    def __str__(self) -> str:
        return self.action[:80]


class PlanQuery(models.Model):
    """A query the client raises on a submitted plan; the plan is approved once all are answered (para 177)."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="queries")
    question = models.TextField()
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "raised_at"]

    def __str__(self) -> str:
        return self.question[:80]


class MonthlyReport(models.Model):
    """A monthly report against an approved plan, with the effectiveness review (para 177)."""

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="reports")
    month = models.DateField(help_text="The first day of the month reported on.")
    progress = models.TextField()
    effectiveness = models.TextField(help_text="Is the plan working; amendments or additions decided.")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "month"]
        constraints = [models.UniqueConstraint(fields=["plan", "month"], name="monthly_report_once_per_month")]

    def __str__(self) -> str:
        return f"{self.plan} {self.month:%B %Y}"


class Assurance(models.TextChoices):
    LOGGED = "logged", "Logged"
    ASSURED = "assured", "Assured"
    DELIVERED = "delivered", "Delivered"


class EfficiencyEntry(models.Model):
    """An efficiency logged in the register (seed 001): value, scheme, assurance level."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="efficiencies")
    quarter = models.ForeignKey(Quarter, on_delete=models.PROTECT, related_name="efficiencies")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, null=True, blank=True, related_name="efficiencies")
    title = models.CharField(max_length=300)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    assurance = models.CharField(max_length=10, choices=Assurance.choices, default=Assurance.LOGGED)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    logged_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["quarter", "-value"]
        constraints = [models.CheckConstraint(condition=Q(value__gt=0), name="efficiency_value_positive")]

    def __str__(self) -> str:
        return self.title




class FrameworkChangeKind(models.TextChoices):
    ANNUAL_REVIEW = "annual_review", "Annual metric review: stricter thresholds only (para 147)"
    AMENDMENT = "amendment", "Performance framework amendment: a unanimous Board (para 148)"


class FrameworkChangeStatus(models.TextChoices):
    WITH_BOARD = "with_board", "With the Board"
    APPLIED = "applied", "Approved and applied"
    REJECTED = "rejected", "Not approved"


class FrameworkChange(models.Model):
    """A change to the metrics' score thresholds: the Board's annual review, which may only make them stricter
    (para 147, majority), or an amendment of the framework, which needs a unanimous Board (para 148)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="framework_changes")
    kind = models.CharField(max_length=20, choices=FrameworkChangeKind.choices)
    description = models.TextField()
    # [{"band": id, "metric": code, "score": 8, "from": "0.10", "to": "0.08"}]
    changes = models.JSONField()
    status = models.CharField(max_length=12, choices=FrameworkChangeStatus.choices,
                              default=FrameworkChangeStatus.WITH_BOARD)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="+")
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.description[:60]}"
