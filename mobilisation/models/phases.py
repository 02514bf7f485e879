"""Mobilisation phases (para 208) and their go / no-go assessments (para 209): scheme-level and alliance-level
criteria, each met or not with evidence; the outcome recorded by the SRO; a no-go keeps the phase open with
actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from mobilisation.models.deliverables import PhaseKind, Stage

__all__ = ["Assessment", "AssessmentOutcome", "Criterion", "CriterionLevel", "NoGoAction", "Phase", "PhaseStatus"]


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
