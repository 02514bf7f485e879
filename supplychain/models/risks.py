"""The risk register of the Production Hub's risk management service (Table 3; seed 002): owner, cause,
effect, likelihood and impact, a strategy, actions, a monthly update even when nothing changed, escalation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

__all__ = ["EscalationTarget", "Risk", "RiskAction", "RiskEscalation", "RiskStatus", "RiskStrategy", "RiskUpdate"]


class RiskStrategy(models.TextChoices):
    """Seed 002 asks for accept, tolerate or transfer; treat is the usual fourth."""

    ACCEPT = "accept", "Accept"
    TOLERATE = "tolerate", "Tolerate"
    TRANSFER = "transfer", "Transfer"
    TREAT = "treat", "Treat"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Risk(models.Model):
    alliance = models.ForeignKey("alliance.Alliance", on_delete=models.CASCADE, related_name="risks")
    reference = models.CharField(max_length=20)
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_risks")
    cause = models.TextField(blank=True)
    effect = models.TextField(blank=True)
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    score = models.PositiveSmallIntegerField(help_text="Likelihood × impact.")
    strategy = models.CharField(max_length=20, choices=RiskStrategy.choices)
    financial_exposure = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField()
    last_updated_on = models.DateField(help_text="The day of its last monthly update (or when it was raised).")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-score", "reference"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "reference"], name="risk_reference_unique"),
            models.CheckConstraint(condition=Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                                   name="risk_likelihood_impact_1_to_5"),
            models.CheckConstraint(condition=Q(score=F("likelihood") * F("impact")), name="risk_score_is_product"),
        ]
        indexes = [
            models.Index(fields=["alliance", "status", "-score"], name="risk_alliance_score"),
            models.Index(fields=["alliance", "status", "last_updated_on"], name="risk_alliance_updated"),
            models.Index(fields=["alliance", "status", "likelihood", "impact"], name="risk_alliance_heat"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"


class RiskUpdate(models.Model):
    """The monthly update (seed 002: "tracked and updated each month (even if no progress)")."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="updates")
    updated_on = models.DateField()
    note = models.TextField()
    likelihood = models.PositiveSmallIntegerField()
    impact = models.PositiveSmallIntegerField()
    no_change = models.BooleanField(default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["risk", "-updated_on", "-id"]
        indexes = [models.Index(fields=["risk", "-updated_on"], name="risk_update_latest")]

    def __str__(self) -> str:
        return f"{self.risk_id}: update of {self.updated_on}"


class RiskAction(models.Model):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)
    progress = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["risk", "due_on", "id"]

    def __str__(self) -> str:
        return self.description[:80]


class EscalationTarget(models.TextChoices):
    BOARD = "board", "The Alliance Board"
    CLIENT_REGISTER = "client_register", "The client's risk register"


class RiskEscalation(models.Model):
    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="escalations")
    target = models.CharField(max_length=20, choices=EscalationTarget.choices)
    reason = models.TextField()
    escalated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    escalated_on = models.DateField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["risk", "-escalated_on", "-id"]

    def __str__(self) -> str:
        return f"{self.risk_id} escalated to {self.get_target_display()}"
