"""Models of the supply chain (section 7): the strategy documents, the Supply Chain Management Plan, suppliers and
the risk register."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

# --- Documents ----------------------------------------------------------------------------------------------
# The strategy documents of section 7: the Supply Chain Strategy (paras 108-116), the Alliance industrial plan
# (para 117) and the Collaborative Procurement Hub plan (paras 129-130). Each is a versioned document of sections
# (the catalogue is in supplychain/checklists.py), approved by the Board; the first two are then recommended to the
# client for acceptance (para 113).

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


# --- Plans --------------------------------------------------------------------------------------------------
# The Supply Chain Management Plan (paras 132-134): each partner's versioned plan, its sections answering the
# checklist of para 133 (supplychain/checklists.py), accepted by the Alliance Manager only when every item is
# addressed, resubmitted every six months or on a significant change.

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


# --- Suppliers ----------------------------------------------------------------------------------------------
# Suppliers (para 128): the register, accreditation, induction, relationship owner (para 136), 360° reviews,
# spend (feeding the SME metric of Table 6) and the annual procurement pipeline (para 123).

class Segment(models.TextChoices):
    """Differentiated relationships (para 128, Supplier Relationship Management)."""

    KEY = "key", "Key supplier"
    COMMODITY = "commodity", "Commodity supplier"


class Supplier(models.Model):
    alliance = models.ForeignKey("alliance.Alliance", on_delete=models.CASCADE, related_name="suppliers")
    name = models.CharField(max_length=200)
    company_number = models.CharField(max_length=20, blank=True)
    category = models.CharField(max_length=100)
    segment = models.CharField(max_length=20, choices=Segment.choices, default=Segment.COMMODITY)
    is_sme = models.BooleanField("SME", default=False)
    is_vcse = models.BooleanField("VCSE", default=False)
    inducted_on = models.DateField(null=True, blank=True, help_text="Induction completed (para 128).")
    relationship_owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="owned_suppliers", help_text="Para 136.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["alliance", "name"], name="supplier_name_unique")]

    def __str__(self) -> str:
        return self.name


class Accreditation(models.Model):
    """An assessment against the five criteria of para 128, valid until ``expires_on``."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="accreditations")
    assessed_on = models.DateField()
    expires_on = models.DateField()
    safety_performance = models.BooleanField()
    financial_standing = models.BooleanField()
    capacity_and_capability = models.BooleanField()
    management_systems = models.BooleanField()
    resilience = models.BooleanField()
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["supplier", "-assessed_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(expires_on__gt=models.F("assessed_on")),
                                              name="accreditation_expires_after_assessment")]

    def __str__(self) -> str:
        return f"{self.supplier_id}: accredited {self.assessed_on} to {self.expires_on}"

    @property
    def passed(self) -> bool:
        return all((self.safety_performance, self.financial_standing, self.capacity_and_capability,
                    self.management_systems, self.resilience))


class SupplierReview(models.Model):
    """One reviewer's 360° score of a supplier for a quarter (para 128, Supplier Performance Management)."""

    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="reviews")
    period = models.CharField(max_length=7, help_text='A quarter, e.g. "2026-Q3".')
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    score = models.PositiveSmallIntegerField(help_text="0 to 10.")
    comments = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["supplier", "period", "id"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "period", "reviewer"], name="one_review_per_reviewer_quarter"),
            models.CheckConstraint(condition=Q(score__lte=10), name="supplier_review_score_0_to_10"),
        ]

    def __str__(self) -> str:
        return f"{self.supplier_id} {self.period}: {self.score}"


class Spend(models.Model):
    """Money paid to a supplier on a scheme in a quarter: the SME share of Table 6 is computed from it."""

    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, related_name="spend")
    scheme = models.ForeignKey("allocation.Scheme", on_delete=models.PROTECT, related_name="supplier_spend")
    period = models.CharField(max_length=7, help_text='A quarter, e.g. "2026-Q3".')
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "scheme", "supplier"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "scheme", "period"], name="spend_once_per_supplier_scheme_quarter"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="spend_not_negative"),
        ]
        indexes = [models.Index(fields=["period", "scheme"], name="spend_period_scheme")]

    def __str__(self) -> str:
        return f"{self.supplier_id} on {self.scheme_id} in {self.period}: {self.amount}"


class Opportunity(models.Model):
    """An upcoming procurement in the annual pipeline (para 123)."""

    alliance = models.ForeignKey("alliance.Alliance", on_delete=models.CASCADE, related_name="opportunities")
    title = models.CharField(max_length=200)
    category = models.CharField(max_length=100)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    route = models.CharField(max_length=100, help_text="Procurement route, e.g. open tender, framework call-off.")
    pipeline_year = models.PositiveSmallIntegerField()
    advert_on = models.DateField()
    award_on = models.DateField()
    published_at = models.DateTimeField(null=True, blank=True)
    supplier = models.ForeignKey(Supplier, on_delete=models.PROTECT, null=True, blank=True, related_name="opportunities")
    override_reason = models.TextField(blank=True, help_text="Why a supplier without a current accreditation was chosen.")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["advert_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(award_on__gte=models.F("advert_on")),
                                              name="opportunity_award_after_advert")]

    def __str__(self) -> str:
        return self.title


# --- Risks --------------------------------------------------------------------------------------------------
# The risk register of the Production Hub's risk management service (Table 3; seed 002): owner, cause,
# effect, likelihood and impact, a strategy, actions, a monthly update even when nothing changed, escalation.

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
