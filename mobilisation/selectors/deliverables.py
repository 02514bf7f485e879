"""Reads of the mobilisation plan: the deliverables table and its filters, one deliverable (404 for another
alliance's), the Gantt-style timeline's geometry, the CSV rows, the partners' reviews and the overview's counts.

Every member reads the whole plan (``permissions.can_view_mobilisation``); ``deliverable_for`` says the same in SQL.
"""

from __future__ import annotations

import datetime as dt
import functools
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import get_language

from alliance.dates import add_months
from alliance.models import Organisation, OrganisationKind
from alliance.permissions import own_alliance_id
from mobilisation.models import (
    Deliverable,
    DeliverableEvidence,
    DeliverableStatus,
    Dimension,
    MobilisationPlan,
    PlanReview,
)

if TYPE_CHECKING:
    from alliance.models import Alliance, Person

DELIVERABLE_SORTS = {"due_on": ("due_on", "order", "id"), "-due_on": ("-due_on", "-order", "-id")}


def slippage_days(deliverable: Deliverable) -> int | None:
    """Days the current due date lies after (positive) or before (negative) the baseline; None if not baselined."""
    if deliverable.baseline_due_on is None:
        return None
    return (deliverable.due_on - deliverable.baseline_due_on).days


def deliverables_list(alliance_id: int, *, dimension: str = "", status: str = "", owner: Organisation | None = None,
                      overdue_on: dt.date | None = None, sort: str = "due_on") -> QuerySet[Deliverable]:
    """The alliance's deliverables, filtered; ``overdue_on`` keeps those not approved and due before that day."""
    qs = Deliverable.objects.filter(alliance_id=alliance_id).select_related("owner", "approver")
    if dimension:
        qs = qs.filter(dimension=dimension)
    if status:
        qs = qs.filter(status=status)
    if owner is not None:
        qs = qs.filter(owner=owner)
    if overdue_on is not None:
        qs = qs.filter(due_on__lt=overdue_on).exclude(status=DeliverableStatus.APPROVED)
    return qs.order_by(*DELIVERABLE_SORTS.get(sort, DELIVERABLE_SORTS["due_on"]))


def deliverable_for(user: Person, pk: int) -> Deliverable:
    """One deliverable of the user's alliance, or 404."""
    deliverable = (Deliverable.objects.select_related("alliance", "owner", "approver")
                   .filter(pk=pk, alliance_id=own_alliance_id(user)).first())
    if deliverable is None:
        raise Http404
    return deliverable


def evidence_for(user: Person, pk: int) -> DeliverableEvidence:
    evidence = (DeliverableEvidence.objects.select_related("deliverable")
                .filter(pk=pk, deliverable__alliance_id=own_alliance_id(user)).exclude(file="").first())
    if evidence is None:
        raise Http404
    return evidence


def deliverable_history(deliverable: Deliverable, limit: int = 50):
    return deliverable.history.select_related("history_user").order_by("-history_date", "-history_id")[:limit]


def deliverables_counts(alliance_id: int, *, today: dt.date) -> dict[str, int]:
    """Counts by status and overdue, in one query."""
    not_approved = ~Q(status=DeliverableStatus.APPROVED)
    return Deliverable.objects.filter(alliance_id=alliance_id).aggregate(
        total=Count("id"),
        **{status: Count("id", filter=Q(status=status)) for status in DeliverableStatus.values},
        overdue=Count("id", filter=not_approved & Q(due_on__lt=today)),
        late=Count("id", filter=Q(status=DeliverableStatus.APPROVED, approved_on__gt=F("due_on"))),
        slipped=Count("id", filter=Q(baseline_due_on__isnull=False, due_on__gt=F("baseline_due_on"))),
    )


def deliverables_export(qs: QuerySet[Deliverable], *, today: dt.date) -> list[list]:
    """The table as rows for CSV, a header first. A cell that would start a spreadsheet formula is prefixed with
    an apostrophe (titles are typed by people)."""
    rows: list[list] = [["Reference", "Title", "Table 7 reference", "Dimension", "Stage", "Phase", "Owner",
                         "Status", "Due", "Baseline due", "Slippage (days)", "Approved", "Late by (days)", "Overdue"]]
    for d in qs:
        rows.append([
            d.reference, _safe(d.title), _safe(d.source), d.get_dimension_display(), d.get_stage_display(),
            d.get_phase_display(), d.owner.name if d.owner else "", d.get_status_display(), d.due_on.isoformat(),
            d.baseline_due_on.isoformat() if d.baseline_due_on else "", _blank(slippage_days(d)),
            d.approved_on.isoformat() if d.approved_on else "", _blank(d.late_by_days),
            "yes" if d.status != DeliverableStatus.APPROVED and d.due_on < today else "no",
        ])
    return rows


def _blank(value):
    return "" if value is None else value


def _safe(text: str) -> str:
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def mobilisation_plan_for(alliance: Alliance) -> MobilisationPlan:
    """The alliance's plan; an unsaved draft if none was made yet (the seed makes it)."""
    return MobilisationPlan.objects.filter(alliance=alliance).first() or MobilisationPlan(alliance=alliance)


@dataclass
class ReviewRow:
    organisation: Organisation
    review: PlanReview | None


def plan_review_rows(plan: MobilisationPlan) -> list[ReviewRow]:
    """Each partner with its review of the plan, or None."""
    reviews = {} if plan.pk is None else {
        r.organisation_id: r for r in PlanReview.objects.filter(plan=plan).select_related("reviewed_by")}
    partners = Organisation.objects.filter(alliance_id=plan.alliance_id, kind=OrganisationKind.PARTNER).order_by("name")
    return [ReviewRow(o, reviews.get(o.pk)) for o in partners]


# --- The timeline -------------------------------------------------------------------------------------------
CHART_LEFT = 330  # room for the labels
CHART_WIDTH = 620
ROW_HEIGHT = 24
GROUP_HEIGHT = 30
TOP = 40
STATUS_FILL: dict[str, str] = {  # the status is also in words in each bar's <title> and in the table below
    DeliverableStatus.NOT_STARTED: "#b1b4b6",
    DeliverableStatus.IN_PROGRESS: "#1d70b8",
    DeliverableStatus.SUBMITTED: "#912b88",
    DeliverableStatus.APPROVED: "#00703c",
}


@dataclass
class Bar:
    deliverable: Deliverable
    y: int
    x: float
    width: float
    baseline_x: float | None
    overdue: bool
    slippage: int | None
    title: str
    fill: str
    # Worked out once here rather than by a filter per bar in the template: 500 bars made the page's rendering
    # the slowest part of the page (bench/mobilisation.py).
    label_y: int = field(init=False)
    rect_y: int = field(init=False)
    mark_top: int = field(init=False)
    mark_bottom: int = field(init=False)
    short_title: str = field(init=False)
    due_label: str = field(init=False)
    baseline_label: str = field(init=False)

    def __post_init__(self) -> None:
        d = self.deliverable
        self.label_y, self.rect_y, self.mark_top, self.mark_bottom = self.y + 16, self.y + 5, self.y + 2, self.y + 22
        title = d.title
        fits = len(title) <= 40 and unicodedata.is_normalized("NFC", title)
        self.short_title = title if fits else Truncator(title).chars(40)  # as the truncatechars filter
        self.due_label = _day_label(d.due_on)
        self.baseline_label = _day_label(d.baseline_due_on) if d.baseline_due_on else "—"


@functools.lru_cache(maxsize=4096)
def _day_label_in(day: dt.date, language: str | None) -> str:
    return date_format(day, "j M Y")  # as the date filter: month names in the active language


def _day_label(day: dt.date) -> str:
    """``{{ day|date:"j M Y" }}``, once per day and language: a timeline's 500 bars share far fewer dates."""
    return _day_label_in(day, get_language())


@dataclass
class Group:
    label: str
    y: int
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Tick:
    x: float
    label: str


@dataclass
class Timeline:
    groups: list[Group]
    ticks: list[Tick]
    today_x: float | None
    width: int
    height: int
    start: dt.date | None
    end: dt.date | None
    count: int
    chart_left: int = CHART_LEFT
    row_height: int = ROW_HEIGHT
    fills: dict = field(default_factory=lambda: STATUS_FILL)


def deliverables_timeline(alliance: Alliance, *, today: dt.date) -> Timeline:
    """Rows grouped by dimension (para 211), a bar per deliverable from the Alliance Start Date to its due
    date, its baseline due date marked, and today's line; one query."""
    deliverables = list(Deliverable.objects.filter(alliance=alliance).order_by("dimension", "due_on", "order", "id"))
    start = alliance.start_date
    if not deliverables:
        return Timeline([], [], None, CHART_LEFT + CHART_WIDTH + 20, TOP + 20, None, None, 0)
    last = max(max(d.due_on, d.baseline_due_on or d.due_on) for d in deliverables)
    end = max(last, today) + dt.timedelta(days=7)
    first = min(start, today)
    span = max((end - first).days, 1)

    def x_of(day: dt.date) -> float:
        return round(CHART_LEFT + CHART_WIDTH * (day - first).days / span, 1)

    by_dimension: dict[str, list[Deliverable]] = {}
    for d in deliverables:
        by_dimension.setdefault(d.dimension, []).append(d)
    groups, y = [], TOP
    for value, label in Dimension.choices:
        rows = by_dimension.get(value)
        if not rows:
            continue
        group = Group(label, y)
        y += GROUP_HEIGHT
        for d in rows:
            bar_start = min(start, d.due_on)
            overdue = d.status != DeliverableStatus.APPROVED and d.due_on < today
            slip = slippage_days(d)
            words = [f"{d.reference} {d.title}", f"status: {d.get_status_display()}",
                     f"due {d.due_on:%-d %b %Y}"]
            if d.baseline_due_on:
                words.append(f"baseline {d.baseline_due_on:%-d %b %Y}")
            if slip:
                words.append(f"{abs(slip)} days {'later' if slip > 0 else 'earlier'} than baseline")
            if overdue:
                words.append("overdue")
            if d.late_by_days:
                words.append(f"approved {d.late_by_days} days late")
            group.bars.append(Bar(
                d, y, x_of(bar_start), max(x_of(d.due_on) - x_of(bar_start), 2.0),
                x_of(d.baseline_due_on) if d.baseline_due_on else None, overdue, slip, "; ".join(words),
                STATUS_FILL.get(d.status, "#b1b4b6")))
            y += ROW_HEIGHT
        groups.append(group)
    ticks, month = [], dt.date(first.year, first.month, 1)
    while month <= end:
        if month >= first:
            ticks.append(Tick(x_of(month), f"{month:%b %Y}"))
        month = add_months(month, 1)
    return Timeline(groups, ticks, x_of(today) if first <= today <= end else None, CHART_LEFT + CHART_WIDTH + 20,
                    y + 10, first, end, len(deliverables))
