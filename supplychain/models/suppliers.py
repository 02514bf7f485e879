"""Suppliers (para 128): the register, accreditation, induction, relationship owner (para 136), 360° reviews,
spend (feeding the SME metric of Table 6) and the annual procurement pipeline (para 123)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

__all__ = ["Accreditation", "Opportunity", "Segment", "Spend", "Supplier", "SupplierReview"]


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
