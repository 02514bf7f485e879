"""Writes of the supplier management system (para 128): the supplier register with its relationship owner
(para 136), accreditation against the five criteria with its renewal clock, 360° reviews, spend (by form or
CSV, feeding the SME metric of Table 6) and the annual procurement pipeline (para 123).

The supply chain team (the Alliance Manager and the Lot 1 partner's people, ``is_supply_chain_team``) keeps
all of it; every member reads it (open book).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from alliance.csvfiles import csv_line_error, csv_upload_text
from alliance.dates import local_today
from alliance.models import Alliance, ObligationKind, Person, Role
from alliance.permissions import alliance_id_of, naming_refusal
from alliance.services import obligation_open, obligations_meet_for
from alliance.workflow import require, save_with_reason
from allocation.models import Scheme
from performance import periods
from supplychain.models import Accreditation, Opportunity, Segment, Spend, Supplier, SupplierReview
from supplychain.permissions import (
    ERR_SUPPLIER_NOT_TEAM,
    is_supply_chain_team,
    require_sme_share_feeder,
    require_supplier_reviewer,
)
from supplychain.selectors.suppliers import AccreditationState, accreditation_state_of, sme_shares

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from performance.models import Score

ERR_SUPPLIER_OTHER_ALLIANCE = "That supplier belongs to another alliance."
ERR_SUPPLIER_NAME_TAKEN = "A supplier with this name is already on the register."
ERR_SUPPLIER_INDUCTED_IN_FUTURE = "The induction cannot be completed in the future."
ERR_SUPPLIER_ASSESSED_IN_FUTURE = "The assessment cannot be dated in the future."
ERR_SUPPLIER_EXPIRES_BEFORE_ASSESSMENT = "The accreditation must expire after the assessment."
ERR_SUPPLIER_REVIEW_PERIOD = "Enter a quarter that has started, like 2026-Q3."
ERR_SUPPLIER_REVIEW_SCORE = "A 360° review score is a whole number from 0 to 10."
ERR_SUPPLIER_REVIEW_TWICE = "You have already reviewed {supplier} for {period}: one review per reviewer per quarter."
ERR_SPEND_NO_ROWS = "There is no spend to record."
ERR_SPEND_CSV_HEADER = "The first line must name the columns: {columns}."
ERR_SPEND_CSV_UNREADABLE = "The file is not a readable CSV file (UTF-8)."
ERR_SPEND_PERIOD = "Enter a quarter like 2026-Q3."
ERR_SPEND_NOTHING_TO_FEED = "There is no spend recorded for {period}."
ERR_PIPELINE_OTHER_ALLIANCE = "That opportunity belongs to another alliance."
ERR_PIPELINE_AWARD_BEFORE_ADVERT = "The award cannot come before the advert."
ERR_PIPELINE_YEAR = "Enter the pipeline's year, like 2027."
ERR_PIPELINE_NOTHING_TO_PUBLISH = "Every opportunity of the {year} pipeline is already published (or there is none)."
ERR_PIPELINE_NOT_ACCREDITED = ("{supplier} is {state}: give the reason for choosing a supplier without a current "
                               "accreditation (para 128).")

SPEND_CSV_COLUMNS = ("supplier", "scheme", "period", "amount")
SME_METRIC = "sme-spend"  # Table 6: % of value spend through SME Subcontractors
MAX_AMOUNT = Decimal("999999999999.99")
EXTRA_FIELDS = "_extra_fields"  # a CSV line with more values than the header: refused, not truncated


def _team(actor: Person) -> Alliance:
    alliance_id = alliance_id_of(actor)
    if alliance_id is None or not is_supply_chain_team(actor):  # someone of no alliance is in no team
        raise PermissionDenied(ERR_SUPPLIER_NOT_TEAM)
    return Alliance.objects.get(pk=alliance_id)


def _own_supplier(actor: Person, supplier: Supplier) -> None:
    require(supplier.alliance_id == alliance_id_of(actor), ERR_SUPPLIER_OTHER_ALLIANCE)


# --- The register --------------------------------------------------------------------------------------------


def _supplier_name_taken(alliance: Alliance, supplier: Supplier) -> bool:
    """Whether another supplier of the alliance has the name in any case, folded as the spend CSV matches names
    (``spend_from_csv``), so that a name there is never ambiguous. Compared here, not with ``name__iexact``:
    SQLite's LIKE folds only ASCII letters, so "Émile Ltd" and "émile ltd" would both be registered there."""
    folded = supplier.name.lower()
    others = Supplier.objects.filter(alliance=alliance).exclude(pk=supplier.pk).values_list("name", flat=True)
    return any(name.lower() == folded for name in others.iterator())


def _supplier_checked(actor: Person, alliance: Alliance, supplier: Supplier, *, owner_named: bool) -> None:
    """``owner_named``: the relationship owner is being named now (a new supplier, or a new owner); an owner
    named earlier who has since left stays until the team names another."""
    errors: dict[str, list[str]] = {}
    supplier.name = supplier.name.strip()
    supplier.category = supplier.category.strip()
    if not supplier.name:
        errors["name"] = ["Enter the supplier's company name."]
    elif _supplier_name_taken(alliance, supplier):
        errors["name"] = [ERR_SUPPLIER_NAME_TAKEN]
    if not supplier.category:
        errors["category"] = ["Enter the supplier's category, for example Traffic management."]
    if supplier.segment not in Segment.values:
        errors["segment"] = ["Choose key or commodity (para 128)."]
    if supplier.inducted_on is not None and supplier.inducted_on > local_today():
        errors["inducted_on"] = [ERR_SUPPLIER_INDUCTED_IN_FUTURE]
    # The team assigns supplier relationships "at an appropriate level within the Alliance" (para 136): anyone
    # of a member organisation, by the one naming rule (alliance.permissions.may_name_person).
    owner = supplier.relationship_owner
    if owner_named and owner is not None and (refusal := naming_refusal(
            actor, owner, across_alliance=is_supply_chain_team(actor, alliance.pk))):
        errors["relationship_owner"] = [refusal]
    if errors:
        raise ValidationError(errors)


SUPPLIER_FIELDS = ("name", "company_number", "category", "segment", "is_sme", "is_vcse", "inducted_on",
                   "relationship_owner")


@transaction.atomic
def supplier_register(*, actor: Person, name: str, category: str, segment: str = Segment.COMMODITY,
                      company_number: str = "", is_sme: bool = False, is_vcse: bool = False,
                      inducted_on: dt.date | None = None, relationship_owner: Person | None = None) -> Supplier:
    """Add a supplier to the register (para 128), with the owner of the relationship (para 136)."""
    alliance = _team(actor)
    supplier = Supplier(alliance=alliance, name=name, company_number=company_number.strip(), category=category,
                        segment=segment, is_sme=is_sme, is_vcse=is_vcse, inducted_on=inducted_on,
                        relationship_owner=relationship_owner)
    _supplier_checked(actor, alliance, supplier, owner_named=True)
    save_with_reason(supplier, actor, "Registered")
    return supplier


@transaction.atomic
def supplier_update(*, actor: Person, supplier: Supplier, **fields) -> Supplier:
    """Change a supplier's details: any of ``SUPPLIER_FIELDS``."""
    alliance = _team(actor)
    _own_supplier(actor, supplier)
    unknown = set(fields) - set(SUPPLIER_FIELDS)
    if unknown:
        raise ValidationError(f"Unknown fields: {', '.join(sorted(unknown))}.")
    # Two editors at once: the later save must start from the earlier one's row, not from a stale copy.
    supplier = Supplier.objects.select_for_update().get(pk=supplier.pk)
    owner_before = supplier.relationship_owner_id
    for name, value in fields.items():
        setattr(supplier, name, value.strip() if isinstance(value, str) else value)
    _supplier_checked(actor, alliance, supplier, owner_named=supplier.relationship_owner_id != owner_before)
    save_with_reason(supplier, actor, "Details changed")
    return supplier


# --- Accreditation -------------------------------------------------------------------------------------------


@transaction.atomic
def accreditation_record(*, actor: Person, supplier: Supplier, assessed_on: dt.date, expires_on: dt.date,
                         safety_performance: bool, financial_standing: bool, capacity_and_capability: bool,
                         management_systems: bool, resilience: bool, notes: str = "") -> Accreditation:
    """Record an assessment against the five criteria of para 128. Its renewal is a dated obligation due on
    ``expires_on``, for the relationship owner (else the Alliance Manager); the previous renewal is met."""
    alliance = _team(actor)
    _own_supplier(actor, supplier)
    # Two assessments recorded at once would each meet "the previous" renewal and both open a new one.
    supplier = (Supplier.objects.select_for_update(of=("self",)).select_related("relationship_owner__organisation")
                .get(pk=supplier.pk))
    errors: dict[str, list[str]] = {}
    if assessed_on > local_today():
        errors["assessed_on"] = [ERR_SUPPLIER_ASSESSED_IN_FUTURE]
    if expires_on <= assessed_on:
        errors["expires_on"] = [ERR_SUPPLIER_EXPIRES_BEFORE_ASSESSMENT]
    if errors:
        raise ValidationError(errors)
    accreditation = Accreditation(
        supplier=supplier, assessed_on=assessed_on, expires_on=expires_on, safety_performance=safety_performance,
        financial_standing=financial_standing, capacity_and_capability=capacity_and_capability,
        management_systems=management_systems, resilience=resilience, notes=notes.strip(), recorded_by=actor,
    )
    save_with_reason(accreditation, actor, "Assessed" if accreditation.passed else "Assessed: a criterion failed")
    obligations_meet_for(actor=actor, subject=supplier, kind=ObligationKind.ACCREDITATION_RENEWAL,
                         reason="Supplier reassessed")
    owner = supplier.relationship_owner or _alliance_manager(alliance)
    obligation_open(
        actor=actor, alliance=alliance, kind=ObligationKind.ACCREDITATION_RENEWAL,
        title=f"Renew the accreditation of {supplier.name}", paragraph="para 128",
        start_date=assessed_on, due_date=expires_on, subject=supplier,
        responsible_person=owner, responsible_organisation=owner.organisation if owner else None,
    )
    return accreditation


def _alliance_manager(alliance: Alliance) -> Person | None:
    from governance.selectors.instructions import role_holder

    return role_holder(alliance.pk, Role.ALLIANCE_MANAGER)


# --- 360° reviews --------------------------------------------------------------------------------------------


@transaction.atomic
def review_record(*, actor: Person, supplier: Supplier, period: str, score: int, comments: str = "") -> SupplierReview:
    """One reviewer's 360° score of a supplier for a quarter (para 128, Supplier Performance Management): reviewers
    from across the alliance, one review each per quarter."""
    require_supplier_reviewer(actor)
    _own_supplier(actor, supplier)
    errors: dict[str, list[str]] = {}
    parsed = periods.parse(period)
    if parsed is None or periods.bounds(*parsed)[0] > local_today():
        errors["period"] = [ERR_SUPPLIER_REVIEW_PERIOD]
    if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 10:
        errors["score"] = [ERR_SUPPLIER_REVIEW_SCORE]
    if errors or parsed is None:  # parsed is None only with an error on the period
        raise ValidationError(errors)
    label = periods.label(*parsed)
    if SupplierReview.objects.filter(supplier=supplier, period=label, reviewer=actor).exists():
        raise ValidationError({"period": [ERR_SUPPLIER_REVIEW_TWICE.format(supplier=supplier.name, period=label)]})
    review = SupplierReview(supplier=supplier, period=label, reviewer=actor, score=score, comments=comments.strip())
    # The unique constraint holds the rule against a double submit racing past the check above.
    try:
        with transaction.atomic():
            save_with_reason(review, actor, "Reviewed")
    except IntegrityError as error:
        raise ValidationError(
            {"period": [ERR_SUPPLIER_REVIEW_TWICE.format(supplier=supplier.name, period=label)]}) from error
    return review


# --- Spend and the SME share ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SpendRowError:
    """What is wrong with one row: its line (1 = the CSV's header, so the first row is line 2) and column."""

    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"Line {self.line}, column {self.column}: {self.message}"


def _amount(raw, line: int, errors: list[SpendRowError]) -> Decimal | None:
    try:
        value = Decimal(str(raw).replace(",", "").replace("£", "").strip())
    except (InvalidOperation, ValueError):
        errors.append(SpendRowError(line, "amount", f"{raw!r} is not an amount in pounds."))
        return None
    if not value.is_finite() or value < 0 or value > MAX_AMOUNT:
        errors.append(SpendRowError(line, "amount", "must be an amount of pounds, 0 or more."))
        return None
    if value != value.quantize(Decimal("0.01")):
        errors.append(SpendRowError(line, "amount", "has more than two decimal places."))
        return None
    return value


@transaction.atomic
def spend_record(*, actor: Person, rows: list[dict], first_line: int = 1) -> list[Spend]:
    """Record spend ``{supplier, scheme, period, amount}`` (supplier by name, scheme by code, period like
    2026-Q3): all rows or, if any is wrong, none, each wrong row named with its line. A row for a supplier,
    scheme and quarter already recorded replaces it."""
    alliance = _team(actor)
    if not rows:
        raise ValidationError({"spend": [ERR_SPEND_NO_ROWS]})
    # Two uploads at once would both find no row for a key and both insert it: the second would fail on the
    # unique constraint after the first committed. Spend of one alliance is written one upload at a time.
    Alliance.objects.select_for_update().filter(pk=alliance.pk).first()
    suppliers = {s.name.lower(): s for s in Supplier.objects.filter(alliance=alliance)}
    schemes = {s.code.lower(): s for s in Scheme.objects.filter(alliance=alliance)}
    errors: list[SpendRowError] = []
    valid: dict[tuple[int, int, str], tuple[Supplier, Scheme, str, Decimal]] = {}
    today = local_today()
    for index, row in enumerate(rows):
        line = first_line + index
        if not isinstance(row, dict):
            errors.append(SpendRowError(line, "row", "must be an object with supplier, scheme, period and amount."))
            continue
        before = len(errors)
        if row.get(EXTRA_FIELDS):
            errors.append(SpendRowError(line, "row", "has more values than the header names (an amount with a "
                                                     "comma must be in quotes)."))
            continue
        for column in SPEND_CSV_COLUMNS:
            if str(row.get(column) if row.get(column) is not None else "").strip() == "":
                errors.append(SpendRowError(line, column, "is empty."))
        if len(errors) > before:
            continue
        supplier = suppliers.get(str(row["supplier"]).strip().lower())
        if supplier is None:
            errors.append(SpendRowError(line, "supplier", f"{row['supplier']!r} is not a supplier on the register."))
        scheme = schemes.get(str(row["scheme"]).strip().lower())
        if scheme is None:
            errors.append(SpendRowError(line, "scheme", f"{row['scheme']!r} is not a scheme code of the alliance."))
        parsed = periods.parse(str(row["period"]))
        if parsed is None:
            errors.append(SpendRowError(line, "period", f"{row['period']!r} is not a quarter like 2026-Q3."))
        elif periods.bounds(*parsed)[0] > today:
            errors.append(SpendRowError(line, "period", f"{row['period']} has not started."))
        amount = _amount(row["amount"], line, errors)
        # Each of the four is None only with an error for it on this line.
        if len(errors) > before or supplier is None or scheme is None or parsed is None or amount is None:
            continue
        label = periods.label(*parsed)
        key = (supplier.pk, scheme.pk, label)
        if key in valid:
            errors.append(SpendRowError(line, "row", "the same supplier, scheme and period appear twice."))
            continue
        valid[key] = (supplier, scheme, label, amount)
    if errors:
        raise ValidationError({"spend": [str(e) for e in errors]})
    existing = {}
    for spend in Spend.objects.filter(
            supplier__in={v[0].pk for v in valid.values()}, scheme__in={v[1].pk for v in valid.values()},
            period__in={v[2] for v in valid.values()}):
        existing[(spend.supplier_id, spend.scheme_id, spend.period)] = spend
    new, changed = [], []
    for key, (supplier, scheme, label, amount) in valid.items():
        record = existing.get(key)
        if record is None:
            new.append(Spend(supplier=supplier, scheme=scheme, period=label, amount=amount, entered_by=actor))
        elif record.amount != amount or record.entered_by_id != actor.pk:
            record.amount, record.entered_by = amount, actor
            changed.append(record)
    if new:
        new = bulk_create_with_history(new, Spend, batch_size=1_000, default_user=actor,
                                       default_change_reason="Recorded")
    if changed:
        bulk_update_with_history(changed, Spend, ["amount", "entered_by"], batch_size=1_000, default_user=actor,
                                 default_change_reason="Replaced")
    return [*new, *changed]


def spend_from_csv(*, actor: Person, upload: UploadedFile | io.TextIOBase) -> list[Spend]:
    """The CSV upload: ``supplier,scheme,period,amount``; line 1 is the header."""
    text = csv_upload_text(upload, unreadable_error=ERR_SPEND_CSV_UNREADABLE)
    try:
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip().lower() for h in (reader.fieldnames or [])]
        if not set(SPEND_CSV_COLUMNS) <= set(header):
            raise ValidationError({"file": [ERR_SPEND_CSV_HEADER.format(columns=",".join(SPEND_CSV_COLUMNS))]})
        reader.fieldnames = header
        rows = [{**{k: (v or "").strip() for k, v in row.items() if k}, EXTRA_FIELDS: bool(row.get(None))}
                for row in reader]
    except csv.Error as error:
        raise csv_line_error() from error
    return spend_record(actor=actor, rows=rows, first_line=2)


def sme_share_feed(*, actor: Person, period: str, correction_reason: str = "") -> list[Score]:
    """Record each scheme's SME share of spend for ``period`` into the scorecard's metric "sme-spend" (Table 6)
    as its raw value, a percentage: the metric's bands score it. A frozen quarter needs ``correction_reason``
    (performance.services.scores_record decides, and checks the actor may enter scores there)."""
    from performance.services.scorecard import scores_record

    alliance_id = require_sme_share_feeder(actor)
    parsed = periods.parse(period)
    if parsed is None:
        raise ValidationError({"period": [ERR_SPEND_PERIOD]})
    label = periods.label(*parsed)
    rows = [{"scheme": share["scheme_code"], "metric": SME_METRIC, "period": label,
             "raw_value": str(share["share"]), "evidence": f"SME spend {share['sme']} of {share['total']} (supplier spend)"}
            for share in sme_shares(alliance_id, period=label) if share["share"] is not None]
    if not rows:
        raise ValidationError({"period": [ERR_SPEND_NOTHING_TO_FEED.format(period=label)]})
    return scores_record(actor=actor, rows=rows, correction_reason=correction_reason)


# --- The procurement pipeline --------------------------------------------------------------------------------


@transaction.atomic
def opportunity_add(*, actor: Person, title: str, category: str, value: Decimal, route: str, pipeline_year: int,
                    advert_on: dt.date, award_on: dt.date) -> Opportunity:
    """An upcoming procurement in the annual pipeline (para 123)."""
    alliance = _team(actor)
    errors: dict[str, list[str]] = {}
    title, category, route = title.strip(), category.strip(), route.strip()
    if not title:
        errors["title"] = ["Enter the opportunity's title."]
    if not category:
        errors["category"] = ["Enter the opportunity's category."]
    if not route:
        errors["route"] = ["Enter the procurement route, for example open tender."]
    if value is None or value < 0 or value > MAX_AMOUNT:
        errors["value"] = ["Enter the value in pounds, 0 or more."]
    if not 2000 <= pipeline_year <= 2100:
        errors["pipeline_year"] = [ERR_PIPELINE_YEAR]
    if award_on < advert_on:
        errors["award_on"] = [ERR_PIPELINE_AWARD_BEFORE_ADVERT]
    if errors:
        raise ValidationError(errors)
    opportunity = Opportunity(alliance=alliance, title=title, category=category, value=value, route=route,
                              pipeline_year=pipeline_year, advert_on=advert_on, award_on=award_on, created_by=actor)
    save_with_reason(opportunity, actor, "Added to the pipeline")
    return opportunity


@transaction.atomic
def pipeline_publish(*, actor: Person, year: int) -> int:
    """Publish the year's pipeline (para 123): stamp every opportunity of ``year`` not yet published. Returns
    how many were published."""
    alliance = _team(actor)
    # Locked so that two people publishing at once stamp each opportunity once, with one time.
    unpublished = list(Opportunity.objects.select_for_update().filter(alliance=alliance, pipeline_year=year,
                                                                      published_at=None))
    if not unpublished:
        raise ValidationError({"year": [ERR_PIPELINE_NOTHING_TO_PUBLISH.format(year=year)]})
    now = timezone.now()
    for opportunity in unpublished:
        opportunity.published_at = now
    bulk_update_with_history(unpublished, Opportunity, ["published_at"], default_user=actor,
                             default_change_reason=f"{year} pipeline published")
    return len(unpublished)


@transaction.atomic
def opportunity_choose_supplier(*, actor: Person, opportunity: Opportunity, supplier: Supplier,
                                override_reason: str = "") -> Opportunity:
    """Choose the supplier of an opportunity. A supplier whose accreditation is not current (para 128) is
    refused unless a reason is given, which is kept on the opportunity and in its history."""
    _team(actor)
    require(opportunity.alliance_id == alliance_id_of(actor), ERR_PIPELINE_OTHER_ALLIANCE)
    _own_supplier(actor, supplier)
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    state = accreditation_state_of(supplier)
    reason = override_reason.strip()
    if state != AccreditationState.CURRENT and not reason:
        raise ValidationError({"override_reason": [ERR_PIPELINE_NOT_ACCREDITED.format(
            supplier=supplier.name, state=AccreditationState(state).label.lower())]})
    opportunity.supplier = supplier
    opportunity.override_reason = reason if state != AccreditationState.CURRENT else ""
    save_with_reason(opportunity, actor, f"Supplier chosen: {supplier.name}"
                     + (f" (override: {reason})" if opportunity.override_reason else ""))
    return opportunity
