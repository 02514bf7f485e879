"""The Supply Chain Management Plan (paras 132-134): each partner's versioned plan, its sections answering the
checklist of para 133 (supplychain/checklists.py), accepted by the Alliance Manager only when every item is
addressed, resubmitted every six months or on a significant change."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

__all__ = ["ManagementPlan", "PlanStatus"]


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned"


class ManagementPlan(models.Model):
    alliance = models.ForeignKey("alliance.Alliance", on_delete=models.CASCADE, related_name="management_plans")
    organisation = models.ForeignKey("alliance.Organisation", on_delete=models.PROTECT, related_name="management_plans")
    version = models.PositiveIntegerField()
    sections = models.JSONField(default=dict, blank=True, help_text="{checklist code: text}")
    status = models.CharField(max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    missing = models.JSONField(default=list, blank=True, help_text="The checklist codes it was returned for.")
    comments = models.TextField(blank=True)
    change_note = models.TextField(blank=True, help_text="What changed since the previous version (para 134).")
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "version"], name="management_plan_version_unique"),
        ]

    def __str__(self) -> str:
        return f"Supply Chain Management Plan v{self.version} ({self.organisation})"
