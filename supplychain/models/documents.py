"""The strategy documents of section 7: the Supply Chain Strategy (paras 108-116), the Alliance industrial plan
(para 117) and the Collaborative Procurement Hub plan (paras 129-130). Each is a versioned document of sections
(the catalogue is in supplychain/checklists.py), approved by the Board; the first two are then recommended to the
client for acceptance (para 113)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

__all__ = ["DocumentKind", "DocumentStatus", "StrategyDocument"]


class DocumentKind(models.TextChoices):
    STRATEGY = "strategy", "Supply Chain Strategy"
    INDUSTRIAL_PLAN = "industrial_plan", "Alliance industrial plan"
    PROCUREMENT_HUB_PLAN = "procurement_hub_plan", "Collaborative Procurement Hub plan"


class DocumentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    WITH_BOARD = "with_board", "With the Board"
    WITH_CLIENT = "with_client", "Recommended to the client"
    ACCEPTED = "accepted", "Accepted"
    RETURNED = "returned", "Returned"
    SUPERSEDED = "superseded", "Superseded"


class StrategyDocument(models.Model):
    alliance = models.ForeignKey("alliance.Alliance", on_delete=models.CASCADE, related_name="strategy_documents")
    kind = models.CharField(max_length=30, choices=DocumentKind.choices)
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    horizon_from = models.PositiveSmallIntegerField(help_text="First year of the five-year horizon (para 112).")
    horizon_to = models.PositiveSmallIntegerField()
    sections = models.JSONField(default=dict, blank=True, help_text="{section code: text}")
    status = models.CharField(max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT)
    comments = models.TextField(blank=True, help_text="Why it was returned (by the Board or the client).")
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    accepted_on = models.DateField(null=True, blank=True)
    decision = models.ForeignKey("governance.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "kind", "version"], name="strategy_document_version_unique"),
            models.CheckConstraint(condition=Q(horizon_to__gte=models.F("horizon_from")),
                                   name="strategy_document_horizon_in_order"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} v{self.version}"
