"""Commitments (section 13), the Performance Table (section 12) and the client's assurance (paras 22-24).

A Performance Period is the year a Performance Table is agreed for (para 225); commitments are selected for
one (para 230). Every dated duty here is an Obligation in alliance/.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from alliance.models import Alliance, Organisation
from governance.models.board import Decision

if TYPE_CHECKING:
    from alliance.models import Obligation


class PerformancePeriod(models.Model):
    """A Performance Period (para 225): normally a year from the Alliance Start Date or its anniversary."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="performance_periods")
    name = models.CharField(max_length=100)
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["alliance", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "starts_on"], name="performance_period_start_unique"),
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="performance_period_ends_after_start"),
        ]

    def __str__(self) -> str:
        return self.name


class Commitment(models.Model):
    """A row of the Commitment SLA Register: a tender commitment and its lead partner (para 228)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="commitments")
    reference = models.CharField(max_length=30)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    lead_partner = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="led_commitments",
        help_text="The partner who submitted the commitment at tender stage (para 228).",
    )
    dependent_partners = models.ManyToManyField(
        Organisation, blank=True, related_name="commitments_depending_on",
        help_text="Other partners the commitment depends on or affects (Table 8).",
    )
    conflicts_with = models.ManyToManyField(
        "self", blank=True, symmetrical=True,
        help_text="Commitments that conflict with this one or are mutually exclusive (Table 8).",
    )
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords(m2m_fields=[dependent_partners])

    class Meta:
        ordering = ["alliance", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "reference"], name="commitment_reference_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class SelectionStatus(models.TextChoices):
    SELECTED = "selected", "Selected"
    AWAITING_BOARD = "awaiting_board", "Awaiting Board approval"
    REFUSED = "refused", "Not approved by the Board"
    DESELECTED = "deselected", "Deselected"


class CommitmentSelection(models.Model):
    """The Alliance Manager's selection of a commitment for a Performance Period, approved per Table 8."""

    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, related_name="selections")
    period = models.ForeignKey(PerformancePeriod, on_delete=models.PROTECT, related_name="commitment_selections")
    status = models.CharField(max_length=20, choices=SelectionStatus.choices)
    approval = models.CharField(
        max_length=60, help_text="The Decision Matrix code of the approval Table 8 required when it was selected."
    )
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    selected_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    selected_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField(blank=True)
    deselected_at = models.DateTimeField(null=True, blank=True)
    deselected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "commitment"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "period"], condition=Q(status__in=["selected", "awaiting_board"]),
                name="commitment_selected_once_per_period",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.commitment} in {self.period}"


class PerformanceTableStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    AGREED = "agreed", "Agreed"
    SUPERSEDED = "superseded", "Superseded"


class PerformanceTableReason(models.TextChoices):
    """Why a version of the Performance Table is agreed (paras 223-225)."""

    FIRST = "first", "First Performance Table (para 223)"
    SCHEME_ORDER = "scheme_order", "Issue of a Scheme Order (para 224)"
    MEMBERSHIP_CHANGE = "membership_change", "Change in Alliance membership (para 224)"
    TERMINATION = "termination", "Termination of a Partner's participation (para 224)"
    CANCELLATION = "cancellation", "Cancellation of a scheme (para 224)"
    ANNUAL = "annual", "Annual Performance Table for the Performance Period (para 225)"


class PerformanceTable(models.Model):
    """One version of the Performance Table for a Performance Period."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="performance_tables")
    period = models.ForeignKey(PerformancePeriod, on_delete=models.PROTECT, related_name="performance_tables")
    version = models.PositiveIntegerField()
    reason = models.CharField(max_length=30, choices=PerformanceTableReason.choices)
    status = models.CharField(max_length=20, choices=PerformanceTableStatus.choices, default=PerformanceTableStatus.DRAFT)
    notes = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    agreed_on = models.DateField(null=True, blank=True)
    agreed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["alliance", "period", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["period", "version"], name="performance_table_version_unique"),
        ]

    def __str__(self) -> str:
        return f"Performance Table {self.period} v{self.version}"


class PerformanceTableRow(models.Model):
    """A line of a Performance Table: an indicator or a selected commitment, with its target."""

    table = models.ForeignKey(PerformanceTable, on_delete=models.CASCADE, related_name="rows")
    order = models.PositiveIntegerField()
    indicator = models.CharField(max_length=300)
    measure = models.CharField(max_length=300, blank=True)
    target = models.CharField(max_length=200)
    commitment = models.ForeignKey(Commitment, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["table", "order"]

    def __str__(self) -> str:
        return self.indicator


class PerformanceTableTrigger(models.Model):
    """An event that requires the Performance Table to be updated within 3 months (para 224)."""

    # Not a field: its open clock, set for the page by selectors.performance_table.performance_table_triggers.
    obligation: Obligation | None

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="performance_table_triggers")
    reason = models.CharField(max_length=30, choices=PerformanceTableReason.choices)
    occurred_on = models.DateField()
    description = models.CharField(max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)
    answered_by = models.ForeignKey(
        PerformanceTable, on_delete=models.PROTECT, null=True, blank=True, related_name="triggers",
        help_text="The agreed version that answered this event.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on"]

    def __str__(self) -> str:
        return f"{self.get_reason_display()}: {self.description}"


class AssuranceKind(models.TextChoices):
    """The client's assurance of the Alliance (paras 22-24), with each review's interval in months."""

    PCF_MILESTONES = "pcf_milestones", "Quarterly review of PCF milestones (para 22)"
    BENEFITS = "benefits", "Bi-annual benefits realisation review (para 23)"
    EXTERNAL = "external", "Annual external assurance (para 24)"


ASSURANCE_INTERVAL_MONTHS = {AssuranceKind.PCF_MILESTONES: 3, AssuranceKind.BENEFITS: 6, AssuranceKind.EXTERNAL: 12}


class AssuranceStatus(models.TextChoices):
    DUE = "due", "Due"
    HELD = "held", "Held"
    CANCELLED = "cancelled", "Cancelled"


class AssuranceReview(models.Model):
    """One review of the assurance calendar, due by a date and recorded when held."""

    # Not a field: set for the page by selectors.assurance.assurance_calendar.
    overdue: bool

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="assurance_reviews")
    kind = models.CharField(max_length=20, choices=AssuranceKind.choices)
    due_on = models.DateField()
    status = models.CharField(max_length=20, choices=AssuranceStatus.choices, default=AssuranceStatus.DUE)
    held_on = models.DateField(null=True, blank=True)
    reviewer = models.CharField(max_length=200, blank=True, help_text="Who carried it out (MPPH, capital portfolio "
                                "management, the external body).")
    findings = models.TextField(blank=True)
    actions = models.TextField(blank=True)
    milestone_missed = models.BooleanField(default=False, help_text="A PCF milestone was missed (para 22).")
    audit_initiated = models.BooleanField(default=False, help_text="The MPPH initiated an audit (para 22).")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "kind", "due_on"], name="assurance_review_once_per_due_date"),
            models.CheckConstraint(condition=~Q(status="held") | Q(held_on__isnull=False),
                                   name="assurance_review_held_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_on:%d %b %Y}"
