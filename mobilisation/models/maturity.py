"""The five-year rolling maturity plan (paras 216-221): focus areas (para 217) with the level aimed for at six
months and at the end of each year (para 218), from base through developing integration to advanced (para 219),
and the actions to get there; signed off unanimously by the Board and updated at least annually (para 221)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

__all__ = ["FocusArea", "MaturityAction", "MaturityLevel", "MaturityPlan", "MaturityPlanStatus", "TargetLevel",
           "TargetPeriod"]


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
