"""Writes of packages and schemes: registering them (paras 78-81), the initial allocation with tolerance
balancing (paras 86-88), Scheme Orders (para 94) and cancellation, with the Performance Table obligations
they raise (para 224).

The balancing itself is the pure function allocation.balancing.balance; this module loads what it needs
(the routing of regions to partners, the awarded schemes that count towards tolerance) and saves the result:
every scheme's initial and current Responsible Partner per lot, and the run with its trace.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Hashable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from alliance.csvfiles import csv_line_error, csv_upload_text
from alliance.dates import local_today
from alliance.models import Alliance, Region
from alliance.permissions import alliance_id_of, own_alliance_id
from alliance.workflow import require, save_with_reason, step
from allocation import permissions
from allocation.balancing import Item, balance
from allocation.models import (
    LOTS,
    AllocationMove,
    AllocationRun,
    Package,
    Scheme,
    SchemeAllocation,
    SchemeStatus,
    SchemeType,
)
from allocation.selectors.packages import awarded_allocations, lot_value_field, routing, tolerance_band
from governance.models.commitments import PerformanceTableReason
from governance.services.performance_table import performance_table_trigger_record

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from alliance.models import Organisation, Person


ERR_PACKAGE_NOT_REGISTRAR = "Only the SRO or the Alliance Manager registers packages and schemes (para 81)."
ERR_PACKAGE_NOT_ALLOCATOR = "Only the Alliance Manager runs the allocation (paras 86-88)."
ERR_PACKAGE_NOT_CLIENT = "Only the SRO issues Scheme Orders and cancels schemes for the client (para 94)."
ERR_PACKAGE_OTHER_ALLIANCE = "That package belongs to another alliance."
ERR_PACKAGE_CODE_TAKEN = "A package with this code already exists."
ERR_PACKAGE_DATE_IN_FUTURE = "The date cannot be in the future."
ERR_PACKAGE_NOTHING_TO_ALLOCATE = "The package has no proposed scheme to allocate."
ERR_PACKAGE_NOT_ALLOCATED = "Run the allocation before issuing Scheme Orders: scheme {code} has no Responsible Partner."
ERR_PACKAGE_NOTHING_TO_AWARD = "The package has no proposed scheme to award."
ERR_SCHEME_NO_ROWS = "There is no scheme to add."
ERR_SCHEME_CSV_HEADER = "The first line must name the columns: {columns}."
ERR_SCHEME_CSV_UNREADABLE = "The file is not a readable CSV file (UTF-8)."
ERR_SCHEME_NOT_PROPOSED = "Scheme {code} is {status}: it cannot be {action}."

CSV_COLUMNS = ("code", "name", "scheme_type", "region", "pcf_stage", "design_value", "construction_value")
# A scheme's workflow: step -> (from, to). Proposed schemes are allocated and re-allocated; a Scheme Order
# awards one; the client may cancel one that is not yet complete.
SCHEME_STEPS: dict[str, tuple[frozenset[str], str]] = {
    "award": (frozenset({SchemeStatus.PROPOSED}), SchemeStatus.AWARDED),
    "cancel": (frozenset({SchemeStatus.PROPOSED, SchemeStatus.AWARDED}), SchemeStatus.CANCELLED),
}
MAX_VALUE = Decimal("999999999999.99")


def _own(actor: Person, alliance_id: int) -> None:
    require(alliance_id_of(actor) == alliance_id, ERR_PACKAGE_OTHER_ALLIANCE)


def _step(scheme: Scheme, name: str, action: str) -> None:
    # A scheme's refusal names it and shows its whole status label in lower case, as it always has.
    step(scheme, SCHEME_STEPS, ERR_SCHEME_NOT_PROPOSED, name, action, code=scheme.code,
         status=scheme.get_status_display().lower())


@transaction.atomic
def package_register(*, actor: Person, code: str, name: str, notified_on: dt.date) -> Package:
    """The client notifies the Alliance of a package (para 81)."""
    require(permissions.can_register_packages(actor), ERR_PACKAGE_NOT_REGISTRAR)
    alliance = Alliance.objects.get(pk=own_alliance_id(actor))
    code, name = code.strip(), name.strip()
    errors = {}
    if not code:
        errors["code"] = ["Enter the package's code, for example RIS2."]
    elif Package.objects.filter(alliance=alliance, code__iexact=code).exists():
        errors["code"] = [ERR_PACKAGE_CODE_TAKEN]
    if not name:
        errors["name"] = ["Enter the package's name."]
    if notified_on > local_today():
        errors["notified_on"] = [ERR_PACKAGE_DATE_IN_FUTURE]
    if errors:
        raise ValidationError(errors)
    package = Package(alliance=alliance, code=code, name=name, notified_on=notified_on, created_by=actor)
    package._history_user = actor  # type: ignore[attr-defined]  # django-simple-history's; no change reason here
    package.save()
    return package


# --- Schemes ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SchemeRowError:
    """What is wrong with one row: its line (1 = the CSV's header, so the first scheme is line 2) and column."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}, column {self.column}: {self.message}"


def _decimal(raw, column: str, line: int, errors: list[SchemeRowError]) -> Decimal | None:
    try:
        value = Decimal(str(raw).replace(",", "").replace("£", "").strip())
    except (InvalidOperation, ValueError):
        errors.append(SchemeRowError(line, column, f"{raw!r} is not an amount in pounds."))
        return None
    if not value.is_finite() or value < 0 or value > MAX_VALUE:
        errors.append(SchemeRowError(line, column, "must be an amount of pounds, 0 or more."))
        return None
    if value != value.quantize(Decimal("0.01")):
        errors.append(SchemeRowError(line, column, "has more than two decimal places."))
        return None
    return value


def _validated_rows(package: Package, rows: list[dict], first_line: int) -> tuple[list[Scheme], list[SchemeRowError]]:
    regions = {r.slug: r for r in Region.objects.filter(alliance_id=package.alliance_id)}
    taken = {c.lower() for c in Scheme.objects.filter(alliance_id=package.alliance_id).values_list("code", flat=True)}
    schemes, errors, seen = [], [], set()
    for index, row in enumerate(rows):
        line = first_line + index
        if not isinstance(row, dict):
            errors.append(SchemeRowError(line, "row", "must be a scheme object with the CSV's columns."))
            continue
        for column in CSV_COLUMNS:
            if row.get(column) in (None, ""):
                errors.append(SchemeRowError(line, column, "is empty."))
        if any(e.line == line for e in errors):
            continue
        code = str(row["code"]).strip()
        if len(code) > 30:
            errors.append(SchemeRowError(line, "code", "is longer than 30 characters."))
        elif code.lower() in taken:
            errors.append(SchemeRowError(line, "code", f"{code} is already a scheme of the alliance."))
        elif code.lower() in seen:
            errors.append(SchemeRowError(line, "code", f"{code} appears twice."))
        seen.add(code.lower())
        if row["scheme_type"] not in SchemeType.values:
            errors.append(SchemeRowError(line, "scheme_type", f"{row['scheme_type']!r} is not one of "
                                                              f"{', '.join(SchemeType.values)} (para 79)."))
        region = regions.get(str(row["region"]).strip())
        if region is None:
            errors.append(SchemeRowError(line, "region", f"{row['region']!r} is not a region code "
                                                         f"({', '.join(sorted(regions))})."))
        try:
            stage = int(str(row["pcf_stage"]).strip())
        except ValueError:
            stage = -1
        if not 0 <= stage <= 7:
            errors.append(SchemeRowError(line, "pcf_stage", f"{row['pcf_stage']!r} is not a PCF stage from 0 to 7."))
        design = _decimal(row["design_value"], "design_value", line, errors)
        construction = _decimal(row["construction_value"], "construction_value", line, errors)
        budget = design + construction if design is not None and construction is not None else None
        if row.get("alliance_budget") not in (None, ""):
            budget = _decimal(row["alliance_budget"], "alliance_budget", line, errors)
        name = str(row["name"]).strip()[:200]
        if (not any(e.line == line for e in errors) and design is not None and construction is not None
                and budget is not None):  # an amount is None only with an error on its line
            schemes.append(Scheme(
                alliance_id=package.alliance_id, package=package, code=code, name=name,
                scheme_type=row["scheme_type"], region=region, pcf_stage=stage, design_value=design,
                construction_value=construction, alliance_budget=budget,
            ))
    return schemes, errors


@transaction.atomic
def schemes_add(*, actor: Person, package: Package, rows: list[dict], first_line: int = 1) -> list[Scheme]:
    """Add schemes to a package: all of them or, if any row is wrong, none (every wrong row is reported
    with its line and column). ``first_line`` is the line number of the first row (2 for a CSV file)."""
    require(permissions.can_register_packages(actor), ERR_PACKAGE_NOT_REGISTRAR)
    _own(actor, package.alliance_id)
    if not rows:
        raise ValidationError({"schemes": [ERR_SCHEME_NO_ROWS]})
    schemes, errors = _validated_rows(package, rows, first_line)
    if errors:
        raise ValidationError({"schemes": [str(e) for e in errors]})
    created = []
    for scheme in schemes:
        scheme._history_user = actor  # type: ignore[attr-defined]  # django-simple-history's; no change reason here
        scheme.save()
        created.append(scheme)
    return created


def schemes_from_csv(*, actor: Person, package: Package, upload: UploadedFile) -> list[Scheme]:
    """The CSV upload: ``code,name,scheme_type,region,pcf_stage,design_value,construction_value``
    (an ``alliance_budget`` column may follow)."""
    text = csv_upload_text(upload, unreadable_error=ERR_SCHEME_CSV_UNREADABLE)
    try:
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip() for h in (reader.fieldnames or [])]
        if not set(CSV_COLUMNS) <= set(header):
            raise ValidationError({"file": [ERR_SCHEME_CSV_HEADER.format(columns=",".join(CSV_COLUMNS))]})
        reader.fieldnames = header
        rows = [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]
    except csv.Error as error:  # a line over the csv module's field limit: a clear refusal, not a 500
        raise csv_line_error() from error
    return schemes_add(actor=actor, package=package, rows=rows, first_line=2)


# --- The initial allocation and tolerance balancing (paras 86-88) --------------------------------------------------


@transaction.atomic
def package_allocate(*, actor: Person, package: Package) -> AllocationRun:
    """Allocate every proposed scheme of the package to a Responsible Partner per lot (para 86), then balance
    Lots 2 and 3 within their tolerances counting the awarded schemes too (para 87). Proposed schemes may be
    allocated again (each run replaces their allocation); awarded ones never move."""
    require(permissions.can_allocate(actor), ERR_PACKAGE_NOT_ALLOCATOR)
    _own(actor, package.alliance_id)
    package = Package.objects.select_for_update().get(pk=package.pk)  # one run of a package at a time
    proposed = list(package.schemes.filter(status=SchemeStatus.PROPOSED).select_related("region").order_by("pk"))
    if not proposed:
        raise ValidationError(ERR_PACKAGE_NOTHING_TO_ALLOCATE)
    route = routing(package.alliance_id)
    chosen: dict[tuple[Hashable, int], Organisation] = {}  # (scheme pk, lot) -> partner
    lots, trace, within = [], [], True
    for scheme in proposed:
        chosen[(scheme.pk, 1)] = route.lot1
    for lot, partners in ((2, route.lot2), (3, route.lot3)):
        by_slug = {p.slug: p for p in partners}
        field = lot_value_field(lot)
        items = [Item(("awarded", a.scheme_id), getattr(a.scheme, field), a.initial_partner.slug, awarded=True)
                 for a in awarded_allocations(package.alliance_id, lot).select_related("initial_partner")
                 if a.initial_partner.slug in by_slug]
        items += [Item(scheme.pk, getattr(scheme, field), route.partner_for(lot, scheme.region).slug)
                  for scheme in proposed]
        lower, upper = tolerance_band(lot, len(partners))
        result = balance(items, list(by_slug), lower, upper)
        within &= result.within_tolerance
        for key, slug in result.allocation.items():
            chosen[(key, lot)] = by_slug[slug]
        trace += [(lot, move, by_slug) for move in result.moves]
        lots.append({
            "lot": lot, "lower": str(lower), "upper": str(upper), "within": result.within_tolerance,
            "message": result.message, "total": str(result.total),
            "shares": [{"partner": slug, "name": by_slug[slug].name, "value": str(result.values_after[slug]),
                        "value_before": str(result.values_before[slug]),
                        "share_before": str(result.shares_before[slug]), "share_after": str(result.shares_after[slug])}
                       for slug in by_slug],
        })
    lots.insert(0, {"lot": 1, "lower": "1", "upper": "1", "within": True, "total": "", "message":
                    f"All Lot 1 work to {route.lot1.name} (para 86).", "shares": [
                        {"partner": route.lot1.slug, "name": route.lot1.name, "value": "", "value_before": "",
                         "share_before": "1", "share_after": "1"}]})
    _save_allocations(actor, proposed, chosen)
    run = AllocationRun.objects.create(package=package, run_by=actor, within_tolerance=within, lots=lots,
                                       schemes_allocated=len(proposed))
    schemes: dict[Hashable, Scheme] = {s.pk: s for s in proposed}  # only proposed schemes move
    AllocationMove.objects.bulk_create([
        AllocationMove(run=run, order=order, lot=lot, scheme=schemes[move.key], value=move.value,
                       from_partner=by_slug[move.from_partner], to_partner=by_slug[move.to_partner],
                       shares_after={slug: str(share) for slug, share in move.shares_after.items()})
        for order, (lot, move, by_slug) in enumerate(trace, start=1)
    ])
    return run


def _save_allocations(actor: Person, schemes: list[Scheme], chosen: dict[tuple[Hashable, int], Organisation]) -> None:
    """Set the initial and current Responsible Partner of each proposed scheme's lots in bulk, with one
    history row for each allocation created or changed (none for those that stay as they were)."""
    existing = {(a.scheme_id, a.lot): a for a in SchemeAllocation.objects.select_for_update().filter(
        scheme__in=schemes)}
    created, changed = [], []
    for scheme in schemes:
        for lot in LOTS:
            partner = chosen[(scheme.pk, lot)]
            allocation = existing.get((scheme.pk, lot))
            if allocation is None:
                created.append(SchemeAllocation(scheme=scheme, lot=lot, initial_partner=partner, current_partner=partner))
            elif allocation.initial_partner_id != partner.pk or allocation.current_partner_id != partner.pk:
                allocation.initial_partner = allocation.current_partner = partner
                changed.append(allocation)
    reason = "Initial allocation (paras 86-88)"
    if created:
        bulk_create_with_history(created, SchemeAllocation, batch_size=1_000, default_user=actor,
                                 default_change_reason=reason)
    if changed:
        bulk_update_with_history(changed, SchemeAllocation, ["initial_partner", "current_partner"], batch_size=1_000,
                                 default_user=actor, default_change_reason=reason)


# --- Scheme Orders and cancellation ------------------------------------------------------------------------


@transaction.atomic
def package_award(*, actor: Person, package: Package, awarded_on: dt.date | None = None) -> list[Scheme]:
    """The client issues the Scheme Orders of the package's allocated proposed schemes (para 94): they are
    awarded, count towards future tolerance and raise the Performance Table update (para 224)."""
    require(permissions.is_client_decider(actor), ERR_PACKAGE_NOT_CLIENT)
    _own(actor, package.alliance_id)
    awarded_on = awarded_on or local_today()
    if awarded_on > local_today():
        raise ValidationError({"awarded_on": [ERR_PACKAGE_DATE_IN_FUTURE]})
    schemes = list(package.schemes.select_for_update().filter(status=SchemeStatus.PROPOSED).order_by("code"))
    if not schemes:
        raise ValidationError(ERR_PACKAGE_NOTHING_TO_AWARD)
    allocated = set(SchemeAllocation.objects.filter(scheme__in=schemes).values_list("scheme_id", flat=True))
    for scheme in schemes:
        if scheme.pk not in allocated:
            raise ValidationError(ERR_PACKAGE_NOT_ALLOCATED.format(code=scheme.code))
        _step(scheme, "award", "awarded")
        scheme.awarded_on = awarded_on
        save_with_reason(scheme, actor, "Scheme Order issued (para 94)", update_fields=["status", "awarded_on"])
    performance_table_trigger_record(
        actor=actor, alliance=package.alliance, reason=PerformanceTableReason.SCHEME_ORDER, occurred_on=awarded_on,
        description=f"Scheme Orders for {package.code}: {len(schemes)} scheme{'s' if len(schemes) != 1 else ''}",
        by_workflow=True,
    )
    return schemes


@transaction.atomic
def scheme_cancel(*, actor: Person, scheme: Scheme, reason: str) -> Scheme:
    """The client cancels a scheme; the Performance Table is updated within 3 months (para 224)."""
    require(permissions.is_client_decider(actor), ERR_PACKAGE_NOT_CLIENT)
    _own(actor, scheme.alliance_id)
    scheme = Scheme.objects.select_for_update().select_related("alliance").get(pk=scheme.pk)
    _step(scheme, "cancel", "cancelled")
    if not reason.strip():
        raise ValidationError({"reason": ["Enter why the scheme is cancelled."]})
    save_with_reason(scheme, actor, f"Cancelled: {reason.strip()}", update_fields=["status"])
    performance_table_trigger_record(
        actor=actor, alliance=scheme.alliance, reason=PerformanceTableReason.CANCELLATION,
        occurred_on=timezone.localdate(), description=f"Scheme {scheme.code} cancelled", by_workflow=True,
    )
    return scheme
