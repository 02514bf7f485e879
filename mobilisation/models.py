"""Models of mobilisation and maturity (sections 10-11, seed 003): the mobilisation plan's deliverables, the
phases and their go / no-go assessments, the maturity plan and the self-assessment against the Code of Practice."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from alliance.storage import private_storage

# --- Deliverables -------------------------------------------------------------------------------------------
# The mobilisation plan (section 10): Table 7's deliverables and any added, with their owners, dimensions
# (para 211), stages (para 210), phases (para 208), evidence and approval; the partners' review of the draft plan and
# the Alliance Manager's baseline (paras 213-214).

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


# --- Phases -------------------------------------------------------------------------------------------------
# Mobilisation phases (para 208) and their go / no-go assessments (para 209): scheme-level and alliance-level
# criteria, each met or not with evidence; the outcome recorded by the SRO; a no-go keeps the phase open with
# actions.

class PhaseStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed (go)"


class Phase(models.Model):
    alliance = models.ForeignKey("alliance.Alliance", on_delete=models.CASCADE, related_name="mobilisation_phases")
    kind = models.CharField(max_length=20, choices=PhaseKind.choices)
    stage = models.CharField(max_length=20, blank=True, choices=Stage.choices,
                             help_text="The interim phase lasts three months for the accelerated stage, six for the full.")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=PhaseStatus.choices, default=PhaseStatus.OPEN)
    history = HistoricalRecords()

    class Meta:
        ordering = ["alliance", "starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "kind", "stage"], name="phase_once_per_stage"),
            models.CheckConstraint(condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                                   name="phase_ends_after_it_starts"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} phase" + (f" ({self.get_stage_display()})" if self.stage else "")


class AssessmentOutcome(models.TextChoices):
    GO = "go", "Go"
    NO_GO = "no_go", "No go"


class Assessment(models.Model):
    phase = models.ForeignKey(Phase, on_delete=models.CASCADE, related_name="assessments")
    held_on = models.DateField()
    outcome = models.CharField(max_length=10, choices=AssessmentOutcome.choices, blank=True)
    outcome_notes = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["phase", "held_on", "id"]

    def __str__(self) -> str:
        return f"Go / no-go of the {self.phase} on {self.held_on:%-d %b %Y}"


class CriterionLevel(models.TextChoices):
    SCHEME = "scheme", "Scheme level"
    ALLIANCE = "alliance", "Alliance level"


class Criterion(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="criteria")
    level = models.CharField(max_length=10, choices=CriterionLevel.choices)
    text = models.CharField(max_length=300)
    met = models.BooleanField(null=True, blank=True, help_text="Unmarked until assessed.")
    evidence = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "level", "id"]

    def __str__(self) -> str:
        return self.text


class NoGoAction(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey("alliance.Organisation", on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "due_on", "id"]

    def __str__(self) -> str:
        return self.description[:80]


# --- Maturity -----------------------------------------------------------------------------------------------
# The five-year rolling maturity plan (paras 216-221): focus areas (para 217) with the level aimed for at six
# months and at the end of each year (para 218), from base through developing integration to advanced (para 219),
# and the actions to get there; signed off unanimously by the Board and updated at least annually (para 221).

class MaturityPlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    WITH_BOARD = "with_board", "With the Board"
    SIGNED_OFF = "signed_off", "Signed off"
    RETURNED = "returned", "Not signed off"
    SUPERSEDED = "superseded", "Superseded"


class MaturityLevel(models.TextChoices):
    """Para 219."""

    BASE = "base", "Base"
    DEVELOPING = "developing", "Developing integration"
    ADVANCED = "advanced", "Advanced"


class TargetPeriod(models.TextChoices):
    """Para 218: the six months after the start, then the end of each year of operation."""

    SIX_MONTHS = "six_months", "Six months"
    YEAR_1 = "year_1", "End of year 1"
    YEAR_2 = "year_2", "End of year 2"
    YEAR_3 = "year_3", "End of year 3"
    YEAR_4 = "year_4", "End of year 4"
    YEAR_5 = "year_5", "End of year 5"


class MaturityPlan(models.Model):
    alliance = models.ForeignKey("alliance.Alliance", on_delete=models.CASCADE, related_name="maturity_plans")
    version = models.PositiveIntegerField()
    status = models.CharField(max_length=20, choices=MaturityPlanStatus.choices, default=MaturityPlanStatus.DRAFT)
    summary = models.TextField(blank=True, help_text="The plan on a page (para 220).")
    decision = models.ForeignKey("governance.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    signed_off_on = models.DateField(null=True, blank=True)
    next_update_due = models.DateField(null=True, blank=True, help_text="Twelve months after sign-off (para 221).")
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["alliance", "-version"]
        constraints = [models.UniqueConstraint(fields=["alliance", "version"], name="maturity_plan_version_unique")]

    def __str__(self) -> str:
        return f"Maturity plan v{self.version}"


class FocusArea(models.Model):
    plan = models.ForeignKey(MaturityPlan, on_delete=models.CASCADE, related_name="focus_areas")
    code = models.SlugField(max_length=80)
    group = models.CharField(max_length=100, help_text="Para 217's heading, e.g. \"Digitisation and innovation\".")
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="focus_area_code_unique_in_plan")]

    def __str__(self) -> str:
        return self.title


class TargetLevel(models.Model):
    focus_area = models.ForeignKey(FocusArea, on_delete=models.CASCADE, related_name="targets")
    period = models.CharField(max_length=20, choices=TargetPeriod.choices)
    level = models.CharField(max_length=20, choices=MaturityLevel.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["focus_area", "period"]
        constraints = [models.UniqueConstraint(fields=["focus_area", "period"], name="one_target_per_period")]

    def __str__(self) -> str:
        return f"{self.focus_area}: {self.get_level_display()} by {self.get_period_display()}"


class MaturityAction(models.Model):
    focus_area = models.ForeignKey(FocusArea, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey("alliance.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=200, blank=True, help_text="e.g. the self-assessment gap it answers.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["focus_area", "due_on", "id"]

    def __str__(self) -> str:
        return self.description[:80]


# --- Assessment ---------------------------------------------------------------------------------------------
# Self-assessment against the Infrastructure Client Group Alliancing Code of Practice (seed 003): its four
# themes across the lifecycle phases, each outcome rated by each participant; results averaged per theme and
# phase and compared with the previous assessment.

class CodeTheme(models.TextChoices):
    BEHAVIOUR = "behaviour", "Behaviour"
    INTEGRATION = "integration", "Integration"
    LEADERSHIP = "leadership", "Leadership"
    COMMERCIAL = "commercial", "Commercial"


class CodePhase(models.TextChoices):
    DECIDING = "deciding", "Deciding"
    CREATING = "creating", "Creating"
    DELIVERING = "delivering", "Delivering"
    SUSTAINING = "sustaining", "Sustaining"


class CodeOutcome(models.Model):
    """An outcome of the Code of Practice (seed 003), the thing each participant rates."""

    alliance = models.ForeignKey("alliance.Alliance", on_delete=models.CASCADE, related_name="code_outcomes")
    code = models.SlugField(max_length=80)
    theme = models.CharField(max_length=20, choices=CodeTheme.choices)
    phase = models.CharField(max_length=20, choices=CodePhase.choices)
    text = models.TextField()
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["alliance", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["alliance", "code"], name="code_outcome_unique")]

    def __str__(self) -> str:
        return self.text[:80]


class SelfAssessmentStatus(models.TextChoices):
    OPEN = "open", "Open for ratings"
    CLOSED = "closed", "Closed"


class SelfAssessment(models.Model):
    alliance = models.ForeignKey("alliance.Alliance", on_delete=models.CASCADE, related_name="self_assessments")
    title = models.CharField(max_length=200)
    opens_on = models.DateField()
    closes_on = models.DateField()
    status = models.CharField(max_length=10, choices=SelfAssessmentStatus.choices, default=SelfAssessmentStatus.OPEN)
    previous = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["alliance", "-opens_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")),
                                              name="self_assessment_closes_after_it_opens")]

    def __str__(self) -> str:
        return self.title


class Rating(models.Model):
    """One participant's rating of one outcome in one assessment: once (a change is kept in its history)."""

    assessment = models.ForeignKey(SelfAssessment, on_delete=models.CASCADE, related_name="ratings")
    participant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    outcome = models.ForeignKey(CodeOutcome, on_delete=models.PROTECT, related_name="ratings")
    score = models.PositiveSmallIntegerField(help_text="1 (not at all) to 5 (fully).")
    rated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "outcome", "participant"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "participant", "outcome"], name="rate_each_outcome_once"),
            models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="rating_1_to_5"),
        ]
        indexes = [models.Index(fields=["assessment", "outcome"], name="rating_assessment_outcome")]

    def __str__(self) -> str:
        return f"{self.participant_id} rated {self.outcome_id}: {self.score}"
