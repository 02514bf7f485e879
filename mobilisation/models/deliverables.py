"""The mobilisation plan (section 10): Table 7's deliverables and any added, with their owners, dimensions
(para 211), stages (para 210), phases (para 208), evidence and approval; the partners' review of the draft plan and
the Alliance Manager's baseline (paras 213-214)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from alliance.people.storage import private_storage

__all__ = [
    "Deliverable",
    "DeliverableEvidence",
    "DeliverableStatus",
    "Dimension",
    "DuePeriod",
    "MobilisationPlan",
    "MobilisationPlanStatus",
    "PhaseKind",
    "PlanReview",
    "PlanReviewVerdict",
    "Stage",
]


class Dimension(models.TextChoices):
    """The six dimensions of para 211."""

    PURE_MOBILISATION = "pure_mobilisation", "Pure mobilisation"
    COMMERCIAL_SUPPLY_CHAIN = "commercial_supply_chain", "Commercial and supply chain"
    PEOPLE_STRUCTURE_LOCATION = "people_structure_location", "People, structure and location"
    DIGITAL_INNOVATION = "digital_innovation", "Digital and innovation"
    PERFORMANCE = "performance", "Performance"
    SYSTEMS_PROCESSES = "systems_processes", "Systems and processes"


class Stage(models.TextChoices):
    """Para 210."""

    ACCELERATED = "accelerated", "Accelerated mobilisation"
    FULL = "full", "Full mobilisation"


class PhaseKind(models.TextChoices):
    """Para 208."""

    TRANSITION = "transition", "Transition"
    INTERIM = "interim", "Interim"
    ENDURING = "enduring", "Enduring"


class DuePeriod(models.TextChoices):
    """Table 7's timeframes, from the Alliance Start Date; "date" for a deliverable added with its own date."""

    FOUR_WEEKS = "4_weeks", "Within four weeks of the Alliance Start Date"
    THREE_MONTHS = "3_months", "Within three months of the Alliance Start Date"
    SIX_MONTHS = "6_months", "Within six months of the Alliance Start Date"
    DATE = "date", "By a set date"


class DeliverableStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted for approval"
    APPROVED = "approved", "Approved"


class MobilisationPlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "With the partners for review"
    BASELINED = "baselined", "Baselined"


class MobilisationPlan(models.Model):
    """The Alliance Mobilisation Plan: collated by the Alliance Manager (para 213), reviewed and approved by the
    partners, then baselined (para 214). One per alliance."""

    alliance = models.OneToOneField("alliance.Alliance", on_delete=models.CASCADE, related_name="mobilisation_plan")
    status = models.CharField(max_length=20, choices=MobilisationPlanStatus.choices, default=MobilisationPlanStatus.DRAFT)
    sent_for_review_at = models.DateTimeField(null=True, blank=True)
    baselined_at = models.DateTimeField(null=True, blank=True)
    baselined_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Mobilisation plan of {self.alliance}"


class PlanReviewVerdict(models.TextChoices):
    APPROVED = "approved", "Approved"
    COMMENTED = "commented", "Comments, not approved"


class PlanReview(models.Model):
    """A partner's review of the interim and enduring phases of the draft plan (para 214)."""

    plan = models.ForeignKey(MobilisationPlan, on_delete=models.CASCADE, related_name="reviews")
    organisation = models.ForeignKey("alliance.Organisation", on_delete=models.PROTECT, related_name="+")
    verdict = models.CharField(max_length=20, choices=PlanReviewVerdict.choices)
    comments = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "organisation"]
        constraints = [models.UniqueConstraint(fields=["plan", "organisation"], name="one_review_per_partner")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_verdict_display()}"


class Deliverable(models.Model):
    alliance = models.ForeignKey("alliance.Alliance", on_delete=models.CASCADE, related_name="deliverables")
    reference = models.CharField(max_length=20, help_text='Ours, e.g. "MOB-07".')
    title = models.CharField(max_length=300)
    source = models.CharField(max_length=100, blank=True, help_text='Table 7\'s reference, e.g. "IP (Section 7.2)".')
    from_table_7 = models.BooleanField(default=False)
    due_period = models.CharField(max_length=10, choices=DuePeriod.choices)
    due_on = models.DateField(help_text="From the Alliance Start Date by the due period, or set.")
    baseline_due_on = models.DateField(null=True, blank=True, help_text="The due date when the plan was baselined.")
    owner = models.ForeignKey("alliance.Organisation", on_delete=models.PROTECT, null=True, blank=True,
                              related_name="deliverables")
    dimension = models.CharField(max_length=30, choices=Dimension.choices)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.FULL)
    phase = models.CharField(max_length=20, choices=PhaseKind.choices, default=PhaseKind.INTERIM)
    status = models.CharField(max_length=20, choices=DeliverableStatus.choices, default=DeliverableStatus.NOT_STARTED)
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+")
    approved_on = models.DateField(null=True, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "reference"], name="deliverable_reference_unique"),
            models.CheckConstraint(condition=~Q(status="approved") | Q(approved_on__isnull=False),
                                   name="approved_deliverable_has_date"),
        ]
        indexes = [models.Index(fields=["alliance", "dimension", "due_on"], name="deliverable_dimension_due")]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    @property
    def late_by_days(self) -> int | None:
        """Approved after its due date (Table 7's footnote: no later than the timeframe)."""
        if self.approved_on is None or self.approved_on <= self.due_on:
            return None
        return (self.approved_on - self.due_on).days


class DeliverableEvidence(models.Model):
    """A file (kept privately, served through a view that checks permission) or a link."""

    deliverable = models.ForeignKey(Deliverable, on_delete=models.CASCADE, related_name="evidence")
    title = models.CharField(max_length=200)
    file = models.FileField(storage=private_storage, upload_to="evidence/%Y/%m/", blank=True, max_length=200)
    content_type = models.CharField(max_length=120, blank=True)
    link = models.URLField(blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["deliverable", "added_at", "id"]
        constraints = [models.CheckConstraint(condition=~Q(file="") | ~Q(link=""), name="evidence_is_a_file_or_a_link")]

    def __str__(self) -> str:
        return self.title
