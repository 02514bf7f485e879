"""Reads of the strategy documents (paras 108-130) and of the client's supply chain report (para 137).

The report reads the other supply chain registers (the pipeline, reviews, accreditations, spend, risks) and the
efficiency register, each by one aggregate or one bounded list in the database: its query count does not grow
with the data.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, OuterRef, Q, QuerySet, Subquery, Sum
from django.http import Http404

from alliance.models import Obligation, ObligationKind, ObligationStatus, Person, Role
from alliance.permissions import alliance_id_of
from performance import periods
from performance.models import Assurance, EfficiencyEntry
from supplychain.checklists import INDUSTRIAL_PLAN_SECTIONS, PROCUREMENT_HUB_SECTIONS, STRATEGY_SECTIONS
from supplychain.models import (
    Accreditation,
    DocumentKind,
    DocumentStatus,
    Opportunity,
    Risk,
    RiskStatus,
    Spend,
    StrategyDocument,
    Supplier,
    SupplierReview,
)
from supplychain.permissions import WRITING_ROLES

if TYPE_CHECKING:
    from collections.abc import Iterable

_SECTIONS: dict[str, list[tuple[str, str, str]]] = {
    DocumentKind.STRATEGY: STRATEGY_SECTIONS,
    DocumentKind.INDUSTRIAL_PLAN: INDUSTRIAL_PLAN_SECTIONS,
    DocumentKind.PROCUREMENT_HUB_PLAN: PROCUREMENT_HUB_SECTIONS,
}
_IN_PROGRESS = (DocumentStatus.DRAFT, DocumentStatus.WITH_BOARD, DocumentStatus.WITH_CLIENT)

# Bands of a risk's score (likelihood × impact, 1 to 25), as on a 5 × 5 heat map; the seeds set none.
REPORT_RISK_BANDS: list[tuple[str, str, int, int]] = [
    ("high", "High (15 to 25)", 15, 25),
    ("medium", "Medium (5 to 12)", 5, 14),
    ("low", "Low (1 to 4)", 1, 4),
]
REPORT_TOP_RISKS = 10


# --- The documents --------------------------------------------------------------------------------------------
def document_latest(alliance_id: int, kind: str) -> StrategyDocument | None:
    return StrategyDocument.objects.filter(alliance_id=alliance_id, kind=kind).order_by("-version").first()


def document_for(user: Person, pk: int) -> StrategyDocument:
    """A document of the user's alliance (every member reads them: open book); 404 for another alliance's."""
    alliance_id = alliance_id_of(user)
    document = (StrategyDocument.objects.select_related("drafted_by", "decision", "alliance")
                .filter(pk=pk, alliance_id=alliance_id).first() if alliance_id is not None else None)
    if document is None:
        raise Http404("No such document.")
    return document


def documents_of_kind(alliance_id: int, kind: str) -> QuerySet[StrategyDocument]:
    return (StrategyDocument.objects.filter(alliance_id=alliance_id, kind=kind)
            .select_related("drafted_by", "decision").order_by("-version"))


@dataclass
class KindSummary:
    kind: str
    label: str
    count: int = 0
    current: StrategyDocument | None = None  # the accepted version in force
    in_progress: StrategyDocument | None = None
    latest: StrategyDocument | None = None


def documents_overview(alliance_id: int) -> list[KindSummary]:
    """Each kind with its accepted version in force and its version in progress: one query (a handful of rows a
    kind, sections deferred)."""
    summaries = {kind: KindSummary(kind=kind, label=label) for kind, label in DocumentKind.choices}
    for document in (StrategyDocument.objects.filter(alliance_id=alliance_id).defer("sections")
                     .select_related("decision").order_by("kind", "-version")):
        summary = summaries[document.kind]
        summary.count += 1
        summary.latest = summary.latest or document
        if document.status == DocumentStatus.ACCEPTED and summary.current is None:
            summary.current = document
        if document.status in _IN_PROGRESS and summary.in_progress is None:
            summary.in_progress = document
    return list(summaries.values())


def document_previous(document: StrategyDocument) -> StrategyDocument | None:
    return (StrategyDocument.objects.filter(alliance_id=document.alliance_id, kind=document.kind,
                                            version__lt=document.version).order_by("-version").first())


@dataclass
class DocumentSection:
    code: str
    heading: str
    paragraph: str
    text: str
    previous_text: str | None = None
    changed: bool = False
    diff: list[tuple[str, str]] = field(default_factory=list)  # (kind: "added"/"removed"/"same", line)


def _diff(before: str, after: str) -> list[tuple[str, str]]:
    lines = []
    for line in difflib.ndiff(before.splitlines(), after.splitlines()):
        tag, text = line[:2], line[2:]
        if tag == "+ ":
            lines.append(("added", text))
        elif tag == "- ":
            lines.append(("removed", text))
        elif tag == "  ":
            lines.append(("same", text))
    return lines


def document_comparison(document: StrategyDocument, previous: StrategyDocument | None) -> list[DocumentSection]:
    """Each section of the kind's catalogue with its text and, against the previous version, what changed."""
    sections = []
    for code, heading, paragraph in _SECTIONS[document.kind]:
        text = str(document.sections.get(code) or "")
        section = DocumentSection(code=code, heading=heading, paragraph=paragraph, text=text)
        if previous is not None:
            before = str(previous.sections.get(code) or "")
            section.previous_text = before
            section.changed = before.strip() != text.strip()
            if section.changed:
                section.diff = _diff(before, text)
        sections.append(section)
    return sections


def document_history(document: StrategyDocument) -> QuerySet:
    return document.history.select_related("history_user").order_by("-history_date", "-history_id")


def document_clocks(document: StrategyDocument) -> QuerySet[Obligation]:
    """The obligations of a version: the client's acceptance (para 113) and its annual refresh (para 112)."""
    return (Obligation.objects.filter(subject_type=ContentType.objects.get_for_model(StrategyDocument),
                                      subject_id=document.pk)
            .select_related("responsible_person").order_by("due_date", "pk"))


def document_open_clocks(alliance_id: int, deadline_kind: str, document_kind: str) -> QuerySet[Obligation]:
    """What an accepted version meets: every open obligation of its kind's six-month clock in the alliance
    (the demo opens them with no subject), and the open annual refresh of an earlier version of the kind."""
    earlier = StrategyDocument.objects.filter(alliance_id=alliance_id, kind=document_kind).values("pk")
    return Obligation.objects.filter(
        Q(kind=deadline_kind)
        | Q(kind=ObligationKind.STRATEGY_REFRESH, subject_type=ContentType.objects.get_for_model(StrategyDocument),
            subject_id__in=earlier),
        alliance_id=alliance_id, status=ObligationStatus.OPEN,
    ).order_by("due_date", "pk")


def _holders(alliance_id: int, *roles: str) -> QuerySet[Person]:
    return Person.objects.filter(
        role_assignments__role__in=roles, organisation__alliance_id=alliance_id, is_active=True,
    ).select_related("organisation").distinct().order_by("pk")


def document_sro(alliance_id: int) -> Person | None:
    return _holders(alliance_id, Role.SRO).first()


def document_alliance_manager(alliance_id: int) -> Person | None:
    return _holders(alliance_id, Role.ALLIANCE_MANAGER).first()


def document_drafters(alliance_id: int, kind: str) -> list[Person]:
    """Who hears of a version's fate: the Alliance Manager and, but for the procurement hub plan, the Lot 1
    partner's staff, representative and delegate (the supply chain team, para 116)."""
    people = Q(role_assignments__role=Role.ALLIANCE_MANAGER)
    if kind != DocumentKind.PROCUREMENT_HUB_PLAN:
        people |= Q(organisation__lot__number=1, role_assignments__role__in=WRITING_ROLES)
    return list(Person.objects.filter(people, organisation__alliance_id=alliance_id, is_active=True)
                .distinct().order_by("pk"))


# --- The client's supply chain report (para 137) ----------------------------------------------------------------
def report_period(label: str | None, today: dt.date) -> tuple[int, int]:
    """The quarter asked for ("2026-Q3"), else the one containing today."""
    parsed = periods.parse(label) if label else None
    return parsed or periods.containing(today)


@dataclass
class SupplyChainReport:
    label: str
    starts_on: dt.date
    ends_on: dt.date
    opportunities: list
    opportunities_count: int
    opportunities_value: Decimal
    advertised_count: int
    awarded_count: int
    supplier_scores: list[dict]
    suppliers_count: int
    suppliers_expired: int
    suppliers_unaccredited: int
    risk_bands: list[tuple[str, str, int]]
    risks_open: int
    top_risks: list
    benefits: list[tuple[str, int, Decimal]]
    benefits_forecast: Decimal
    benefits_realised: Decimal
    spend_total: Decimal
    spend_sme: Decimal
    spend_vcse: Decimal

    @property
    def sme_share(self) -> Decimal | None:
        """The SME share of spend, in per cent to one place; None without spend."""
        if not self.spend_total:
            return None
        return (self.spend_sme * 100 / self.spend_total).quantize(Decimal("0.1"))

    @property
    def vcse_share(self) -> Decimal | None:
        if not self.spend_total:
            return None
        return (self.spend_vcse * 100 / self.spend_total).quantize(Decimal("0.1"))


def _sum(value) -> Decimal:
    return value if value is not None else Decimal("0")


def supply_chain_report(alliance_id: int, year: int, number: int, *, today: dt.date) -> SupplyChainReport:
    """Para 137: procurement programme, supplier performance, supply chain risk, benefits forecast and
    realisation, and the SME share of spend, for one quarter. Eight queries, whatever the data."""
    starts_on, ends_on = periods.bounds(year, number)
    label = periods.label(year, number)
    in_quarter = Q(advert_on__range=(starts_on, ends_on)) | Q(award_on__range=(starts_on, ends_on))

    # Procurement programme: opportunities advertised or awarded in the quarter (para 123).
    programme = Opportunity.objects.filter(in_quarter, alliance_id=alliance_id)
    opportunities = list(programme.select_related("supplier").order_by("advert_on", "pk"))
    totals = programme.aggregate(
        count=Count("pk"), value=Sum("value"),
        advertised=Count("pk", filter=Q(advert_on__range=(starts_on, ends_on))),
        awarded=Count("pk", filter=Q(award_on__range=(starts_on, ends_on))),
    )

    # Supplier performance: the average 360° score of each supplier reviewed in the quarter (para 128).
    scores = list(SupplierReview.objects.filter(supplier__alliance_id=alliance_id, period=label)
                  .values("supplier_id", "supplier__name", "supplier__segment")
                  .annotate(average=Avg("score"), reviews=Count("pk")).order_by("supplier__name", "supplier_id"))
    latest_expiry = Subquery(Accreditation.objects.filter(supplier=OuterRef("pk"))
                             .order_by("-assessed_on", "-pk").values("expires_on")[:1])
    accreditation = (Supplier.objects.filter(alliance_id=alliance_id).annotate(latest_expiry=latest_expiry)
                     .aggregate(count=Count("pk"), expired=Count("pk", filter=Q(latest_expiry__lt=today)),
                                none=Count("pk", filter=Q(latest_expiry__isnull=True))))

    # Supply chain risk: open risks by band of score, and the highest ten.
    open_risks = Risk.objects.filter(alliance_id=alliance_id, status=RiskStatus.OPEN)
    bands = open_risks.aggregate(
        total=Count("pk"),
        **{code: Count("pk", filter=Q(score__gte=low, score__lte=high)) for code, _label, low, high in REPORT_RISK_BANDS},
    )
    top_risks = list(open_risks.select_related("owner").order_by("-score", "reference")[:REPORT_TOP_RISKS])

    # Benefits forecast and realisation: the efficiency register for the quarter, by level of assurance.
    benefit_totals = EfficiencyEntry.objects.filter(
        alliance_id=alliance_id, quarter__year=year, quarter__number=number,
    ).aggregate(**{f"{a}_count": Count("pk", filter=Q(assurance=a)) for a in Assurance.values},
                **{f"{a}_value": Sum("value", filter=Q(assurance=a)) for a in Assurance.values})
    benefits = [(name, benefit_totals[f"{a}_count"], _sum(benefit_totals[f"{a}_value"])) for a, name in Assurance.choices]

    # The SME share of spend (Table 6): SME spend over all spend of the quarter.
    spend = Spend.objects.filter(supplier__alliance_id=alliance_id, period=label).aggregate(
        total=Sum("amount"), sme=Sum("amount", filter=Q(supplier__is_sme=True)),
        vcse=Sum("amount", filter=Q(supplier__is_vcse=True)),
    )
    return SupplyChainReport(
        label=label, starts_on=starts_on, ends_on=ends_on,
        opportunities=opportunities, opportunities_count=totals["count"], opportunities_value=_sum(totals["value"]),
        advertised_count=totals["advertised"], awarded_count=totals["awarded"],
        supplier_scores=scores, suppliers_count=accreditation["count"], suppliers_expired=accreditation["expired"],
        suppliers_unaccredited=accreditation["none"],
        risk_bands=[(code, name, bands[code]) for code, name, _low, _high in REPORT_RISK_BANDS],
        risks_open=bands["total"], top_risks=top_risks,
        benefits=benefits,
        benefits_forecast=sum((value for _name, _count, value in benefits), Decimal("0")),
        benefits_realised=_sum(benefit_totals[f"{Assurance.DELIVERED}_value"]),
        spend_total=_sum(spend["total"]), spend_sme=_sum(spend["sme"]), spend_vcse=_sum(spend["vcse"]),
    )


def report_quarters(today: dt.date, count: int = 8) -> Iterable[str]:
    """The last ``count`` quarters up to today's, newest first, for the report's choice of period."""
    year, number = periods.containing(today)
    for _ in range(count):
        yield periods.label(year, number)
        year, number = periods.previous(year, number)
