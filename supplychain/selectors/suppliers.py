"""Reads of the supplier management system (para 128) and the procurement pipeline (para 123). Every member of
the alliance reads them (open book); another alliance's supplier or opportunity is 404.

A supplier's accreditation state is worked out in SQL from its latest assessment, so the register can be
filtered and paginated on it; the SME share is one GROUP BY over spend."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, TypedDict

from django.db import models
from django.db.models import (
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.shortcuts import get_object_or_404

from alliance.database import DecimalRatio
from alliance.dates import local_today
from alliance.models import Person
from alliance.permissions import own_alliance_id
from allocation.models import Scheme
from performance import periods
from supplychain.models import Accreditation, Opportunity, Spend, Supplier, SupplierReview

if TYPE_CHECKING:
    import datetime as dt

    from django_stubs_ext import WithAnnotations


class AccreditationState(models.TextChoices):
    """What the latest assessment says today, in words (colour is never the only signal)."""

    CURRENT = "current", "Accredited"
    EXPIRED = "expired", "Accreditation expired"
    NONE = "none", "Not accredited"


def _passed() -> ExpressionWrapper:
    return ExpressionWrapper(Q(safety_performance=True, financial_standing=True, capacity_and_capability=True,
                               management_systems=True, resilience=True), output_field=models.BooleanField())


class _Accreditation(TypedDict):
    """What ``_with_accreditation`` annotates (for mypy: filters on ``accreditation_state``)."""

    accreditation_expires_on: dt.date | None
    accreditation_passed: bool | None
    accreditation_state: str


def _with_accreditation(queryset: QuerySet[Supplier], today: dt.date) -> QuerySet[WithAnnotations[Supplier, _Accreditation]]:
    """Annotate the latest assessment's expiry, whether it passed all five criteria, and the state."""
    latest = Accreditation.objects.filter(supplier=OuterRef("pk")).order_by("-assessed_on", "-id")
    return queryset.annotate(
        accreditation_expires_on=Subquery(latest.values("expires_on")[:1]),
        accreditation_passed=Subquery(latest.annotate(ok=_passed()).values("ok")[:1],
                                      output_field=models.BooleanField()),
    ).annotate(accreditation_state=Case(
        When(accreditation_passed=True, accreditation_expires_on__gte=today, then=Value(AccreditationState.CURRENT)),
        When(accreditation_passed=True, then=Value(AccreditationState.EXPIRED)),
        default=Value(AccreditationState.NONE), output_field=models.CharField(),
    ))


def suppliers_register(user: Person, *, category: str | None = None, segment: str | None = None,
                       sme: bool | None = None, vcse: bool | None = None, accreditation: str | None = None,
                       search: str | None = None) -> QuerySet[Supplier]:
    """The alliance's suppliers, filtered, each with its accreditation state (``accreditation_state``)."""
    queryset = _with_accreditation(
        Supplier.objects.filter(alliance_id=own_alliance_id(user)).select_related("relationship_owner"),
        local_today())
    if category:
        queryset = queryset.filter(category__iexact=category)
    if segment:
        queryset = queryset.filter(segment=segment)
    if sme is not None:
        queryset = queryset.filter(is_sme=sme)
    if vcse is not None:
        queryset = queryset.filter(is_vcse=vcse)
    if accreditation:
        queryset = queryset.filter(accreditation_state=accreditation)
    if search:
        queryset = queryset.filter(name__icontains=search)
    return queryset.order_by("name", "id")


def supplier_categories(alliance_id: int) -> list[str]:
    return list(Supplier.objects.filter(alliance_id=alliance_id).order_by("category")
                .values_list("category", flat=True).distinct())


def supplier_choices(alliance_id: int) -> QuerySet[Supplier]:
    """The suppliers' names, for choosing one in a form."""
    return Supplier.objects.filter(alliance_id=alliance_id).order_by("name").only("name")


def scheme_choices(alliance_id: int) -> QuerySet[Scheme]:
    """The alliance's schemes by code, for choosing one in a spend form."""
    return Scheme.objects.filter(alliance_id=alliance_id).order_by("code").only("code", "name")


def supplier_for(user: Person, pk: int) -> Supplier:
    """One supplier of the user's alliance, with its accreditation state; 404 for another alliance's."""
    queryset = _with_accreditation(Supplier.objects.select_related("relationship_owner__organisation"), local_today())
    return get_object_or_404(queryset, pk=pk, alliance_id=own_alliance_id(user))


def accreditation_state_of(supplier: Supplier) -> str:
    """The state of one supplier's accreditation today (the same rule as the register's annotation)."""
    return _with_accreditation(Supplier.objects.filter(pk=supplier.pk), local_today()).values_list(
        "accreditation_state", flat=True).get()


def accreditations_of(supplier: Supplier) -> QuerySet[Accreditation]:
    return supplier.accreditations.select_related("recorded_by").annotate(all_passed=_passed()).order_by(
        "-assessed_on", "-id")


@dataclass(frozen=True)
class ReviewQuarter:
    period: str
    average: Decimal  # to one decimal place, for showing
    reviews: int
    trend: str  # in words: "Up from 6.5", "Down from 7.0", "Level", "First quarter reviewed"
    direction: str  # up, down, level, none
    exact: Fraction


def review_quarters(supplier: Supplier) -> list[ReviewQuarter]:
    """The average 360° score per quarter (sums and counts from the database, exact, no floats), newest
    first, each with its trend against the previous calendar quarter."""
    rows = (SupplierReview.objects.filter(supplier=supplier).values("period")
            .annotate(total=Sum("score"), reviews=Count("id")).order_by("period"))
    averages = {r["period"]: (Fraction(r["total"], r["reviews"]), r["reviews"]) for r in rows}
    result = []
    for period, (exact, count) in averages.items():
        parsed = periods.parse(period)
        before = averages.get(periods.label(*periods.previous(*parsed))) if parsed else None
        if before is None:
            trend, direction = "No reviews the quarter before", "none"
        else:
            shown = _one_place(before[0])
            if exact > before[0]:
                trend, direction = f"Up from {shown}", "up"
            elif exact < before[0]:
                trend, direction = f"Down from {shown}", "down"
            else:
                trend, direction = "Level", "level"
        result.append(ReviewQuarter(period, _one_place(exact), count, trend, direction, exact))
    return sorted(result, key=lambda q: q.period, reverse=True)


def _one_place(value: Fraction) -> Decimal:
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.1"))


def reviews_of(supplier: Supplier, period: str | None = None) -> QuerySet[SupplierReview]:
    queryset = supplier.reviews.select_related("reviewer__organisation").order_by("-period", "id")
    return queryset.filter(period=period) if period else queryset


def sme_shares(alliance_id: int, *, period: str | None = None) -> QuerySet:
    """The SME share of spend per scheme and quarter (Table 6, "% of value spend through SME Subcontractors"):
    one GROUP BY in the database. Rows ``{period, scheme_id, scheme_code, scheme_name, total, sme, share}``
    with ``share`` a percentage to two places (None when nothing was spent)."""
    money: DecimalField[Decimal, Decimal] = DecimalField(max_digits=20, decimal_places=2)
    queryset = Spend.objects.filter(scheme__alliance_id=alliance_id)
    if period:
        queryset = queryset.filter(period=period)
    return (queryset.values("period", "scheme_id")
            # The scheme's code and name as aggregates, not GROUP BY keys: PostgreSQL then hashes on the two
            # narrow keys instead of sorting every spend row by text (an external merge sort at 100,000 rows).
            .annotate(scheme_code=Max("scheme__code"), scheme_name=Max("scheme__name"),
                      total=Sum("amount", output_field=money),
                      sme=Sum("amount", filter=Q(supplier__is_sme=True), default=Decimal(0), output_field=money))
            # In the database, alike on SQLite, which would divide whole amounts as integers (33 for 33.33).
            .annotate(share=DecimalRatio(F("sme"), F("total"), places=2, scale=100))
            .order_by("-period", "scheme_code"))


def spend_periods(alliance_id: int) -> list[str]:
    return list(Spend.objects.filter(scheme__alliance_id=alliance_id).order_by("-period")
                .values_list("period", flat=True).distinct())


def supplier_spend(supplier: Supplier) -> QuerySet:
    """A supplier's spend per quarter (all schemes), newest first."""
    return (supplier.spend.values("period").annotate(total=Sum("amount"), schemes=Count("scheme", distinct=True))
            .order_by("-period"))


def opportunities_of(user: Person, *, year: int | None = None) -> QuerySet[Opportunity]:
    """The pipeline (para 123) of the user's alliance, a year's or all, with the chosen suppliers."""
    queryset = Opportunity.objects.filter(alliance_id=own_alliance_id(user)).select_related("supplier")
    if year:
        queryset = queryset.filter(pipeline_year=year)
    return queryset.order_by("pipeline_year", "advert_on", "id")


def opportunity_for(user: Person, pk: int) -> Opportunity:
    return get_object_or_404(Opportunity.objects.select_related("supplier", "created_by"), pk=pk,
                             alliance_id=own_alliance_id(user))


def pipeline_years(alliance_id: int) -> list[int]:
    return list(Opportunity.objects.filter(alliance_id=alliance_id).order_by("-pipeline_year")
                .values_list("pipeline_year", flat=True).distinct())
