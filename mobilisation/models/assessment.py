"""Self-assessment against the Infrastructure Client Group Alliancing Code of Practice (seed 003): its four
themes across the lifecycle phases, each outcome rated by each participant; results averaged per theme and
phase and compared with the previous assessment."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

__all__ = ["CodeOutcome", "CodePhase", "CodeTheme", "Rating", "SelfAssessment", "SelfAssessmentStatus"]


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
