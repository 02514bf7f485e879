"""API shapes of allocation, one section per workflow (issue 5's contract: paths, fields and values are promises
to clients; partners are named by their slugs and lots by their numbers). The client taking Lot 1 has no API."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from alliance import api_filters
from alliance.api_input import InputSerializer
from alliance.api_support import BoundedDateField
from allocation.models import (
    AllocationRun,
    BusinessCaseChange,
    BusinessCaseStatus,
    MembershipChange,
    MembershipChangeKind,
    MinorChange,
    MinorChangeStatus,
    OptimisationBusinessCase,
    Package,
    PartnerAgreement,
    PeriodicInstruction,
    Reallocation,
    Scheme,
    SchemeStatus,
    SchemeType,
)
from governance.models.board import Outcome

# --- Packages, schemes and allocation runs --------------------------------------------------------------------


ERR_PACKAGE_ID = "A package id: a whole number."



class PackageSerializer(serializers.ModelSerializer):
    scheme_count = serializers.SerializerMethodField()

    class Meta:
        model = Package
        fields = ["id", "code", "name", "notified_on", "created_at", "scheme_count"]

    def get_scheme_count(self, package) -> int:
        count = getattr(package, "scheme_count", None)  # annotated on lists
        return package.schemes.count() if count is None else count


class SchemeQuerySerializer(serializers.Serializer):
    """The filters of the scheme register (alliance.api_filters)."""

    # An id above any table's (ID_MAX) is bad input: on SQLite it would overflow in the query (a 500).
    package = api_filters.record_id(help_text="Only the schemes of this package (id).", error_messages=dict.fromkeys(
        ["invalid", "min_value", "max_value", "max_string_length"], ERR_PACKAGE_ID))
    region = api_filters.text(help_text="Only this region (slug).")
    partner = api_filters.text(help_text="Only schemes this partner (slug) is responsible for.")
    status = api_filters.choice(SchemeStatus.choices)


class PackageCreateSerializer(InputSerializer):
    code = serializers.CharField(max_length=30)
    name = serializers.CharField(max_length=200)
    notified_on = BoundedDateField()


class SchemeInputSerializer(InputSerializer):
    """One scheme, the CSV's columns (documentation only: rows are validated by the service, which reports
    every wrong row with its position and column and saves none)."""

    code = serializers.CharField()
    name = serializers.CharField()
    scheme_type = serializers.ChoiceField(choices=SchemeType.choices)
    region = serializers.SlugField(help_text="A region code, e.g. north-west.")
    pcf_stage = serializers.IntegerField(min_value=0, max_value=7)
    design_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    construction_value = serializers.DecimalField(max_digits=14, decimal_places=2)
    alliance_budget = serializers.DecimalField(max_digits=14, decimal_places=2, required=False,
                                               help_text="Defaults to design + construction.")


class SchemeSerializer(serializers.ModelSerializer):
    package = serializers.CharField(source="package.code")
    region = serializers.CharField(source="region.slug")
    lot1 = serializers.SerializerMethodField()
    lot2 = serializers.SerializerMethodField()
    lot3 = serializers.SerializerMethodField()
    initial = serializers.SerializerMethodField()

    class Meta:
        model = Scheme
        fields = ["id", "code", "name", "package", "scheme_type", "region", "pcf_stage", "design_value",
                  "construction_value", "alliance_budget", "status", "awarded_on", "lot1", "lot2", "lot3", "initial"]

    def _partners(self, scheme, attribute: str) -> dict[int, str]:
        return {a.lot: getattr(a, attribute).slug for a in scheme.allocations.all()}

    def get_lot1(self, scheme) -> str | None:
        """The current Responsible Partner of Lot 1 (after any optimisation)."""
        return self._partners(scheme, "current_partner").get(1)

    def get_lot2(self, scheme) -> str | None:
        return self._partners(scheme, "current_partner").get(2)

    def get_lot3(self, scheme) -> str | None:
        return self._partners(scheme, "current_partner").get(3)

    def get_initial(self, scheme) -> dict[str, str | None]:
        """The initial Responsible Partners, which tolerance uses (para 87): {"lot1": slug, ...}."""
        initial = self._partners(scheme, "initial_partner")
        return {f"lot{lot}": initial.get(lot) for lot in (1, 2, 3)}


class AllocationResultSerializer(serializers.Serializer):
    """Documentation of the allocate answer (built by ``allocation_result``)."""

    id = serializers.IntegerField()
    within_tolerance = serializers.BooleanField()
    lots = serializers.ListField(child=serializers.DictField())
    moves = serializers.ListField(child=serializers.DictField())
    schemes = serializers.ListField(child=serializers.DictField())


def _share(raw: str) -> float:
    return round(float(Decimal(raw)), 6)


def allocation_result(run: AllocationRun, moves, schemes) -> dict:
    """{within_tolerance, lots: [{lot, shares: [{partner, value, share_before, share_after}]}],
    moves: [{scheme, value, lot, from_partner, to_partner}], schemes: [{code, lot1, lot2, lot3}]}."""
    return {
        "id": run.pk,
        "package": run.package.code,
        "within_tolerance": run.within_tolerance,
        "lots": [{
            "lot": lot["lot"], "within_tolerance": lot["within"], "lower": _share(lot["lower"]),
            "upper": _share(lot["upper"]), "message": lot["message"],
            "shares": [{"partner": s["partner"], "value": s["value"] or None, "value_before": s["value_before"] or None,
                        "share_before": _share(s["share_before"]), "share_after": _share(s["share_after"])}
                       for s in lot["shares"]],
        } for lot in run.lots],
        "moves": [{"order": m.order, "scheme": m.scheme.code, "value": str(m.value), "lot": m.lot,
                   "from_partner": m.from_partner.slug, "to_partner": m.to_partner.slug,
                   "shares_after": {k: _share(v) for k, v in m.shares_after.items()}} for m in moves],
        "schemes": [{"code": s.code, **{f"lot{a.lot}": a.current_partner.slug for a in s.allocations.all()}}
                    for s in schemes],
    }


# --- Optimisation business cases (paras 90-94, 101) -----------------------------------------------------------


class BusinessCaseChangeSerializer(serializers.ModelSerializer):
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    current_partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    proposed_partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = BusinessCaseChange
        fields = ["scheme", "lot", "current_partner", "proposed_partner"]


class BusinessCaseSerializer(serializers.ModelSerializer):
    changes = BusinessCaseChangeSerializer(many=True, read_only=True)
    raised_by = serializers.StringRelatedField()
    decision = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    board_outcome = serializers.SerializerMethodField()

    class Meta:
        model = OptimisationBusinessCase
        fields = ["id", "title", "stage", "status", "scope", "effect_on_budget", "effect_on_time_days",
                  "effect_on_safety", "effect_on_customer", "effect_on_ris_delivery", "lump_sum_fee_change", "risks",
                  "criteria_met", "changes", "decision", "board_outcome", "raised_by", "raised_at",
                  "client_decided_at", "client_reason"]

    @extend_schema_field(serializers.ChoiceField(choices=Outcome.choices, allow_null=True))
    def get_board_outcome(self, case) -> str | None:
        """approved, rejected or not_taken once the Board's decision has closed; null before."""
        return case.decision.outcome or None if case.decision_id else None


class BusinessCaseQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=BusinessCaseStatus.choices, required=False)


# --- Minor post-allocation changes (paras 99-100) -------------------------------------------------------------


class PartnerAgreementSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    recorded_by = serializers.StringRelatedField()

    class Meta:
        model = PartnerAgreement
        fields = ["organisation", "agreed", "recorded_by", "recorded_at", "note"]


class MinorChangeSerializer(serializers.ModelSerializer):
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    responsible_partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    supporting_partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    agreements = PartnerAgreementSerializer(many=True, read_only=True)
    decision = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)

    class Meta:
        model = MinorChange
        fields = ["id", "scheme", "lot", "responsible_partner", "supporting_partner", "description", "status",
                  "agreements", "decision", "raised_at"]


class MinorChangeQuerySerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=MinorChangeStatus.choices, required=False)


# --- Membership changes (paras 95-98) -------------------------------------------------------------------------


class ReallocationSerializer(serializers.ModelSerializer):
    scheme = serializers.SlugRelatedField(slug_field="code", read_only=True)
    from_partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    to_partner = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = Reallocation
        fields = ["scheme", "lot", "from_partner", "to_partner"]


class MembershipChangeSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    partner = serializers.SlugRelatedField(source="organisation", slug_field="slug", read_only=True,
                                           help_text="The partner terminated or joining (the same as organisation).")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    recorded_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    applied_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    reallocations = ReallocationSerializer(many=True, read_only=True)

    class Meta:
        model = MembershipChange
        fields = ["id", "kind", "kind_label", "organisation", "partner", "effective_on", "reason", "status", "status_label",
                  "recorded_by", "recorded_at", "applied_by", "applied_at", "reallocations"]


class MembershipChangeCreateSerializer(InputSerializer):
    """Record a membership change as the pages do (paras 95-98): its shape only; the service decides."""

    kind = serializers.ChoiceField(choices=MembershipChangeKind.choices)
    partner = serializers.SlugField(help_text="The slug of a partner of your alliance: the one terminated, or the "
                                              "newly procured one an administrator has created.")
    effective_on = BoundedDateField(help_text="A termination's effective date, from which the partner has no "
                                                   "seat on the Board; a new partner's start date (not in the future).")
    reason = serializers.CharField(required=False, allow_blank=True, default="")


# --- Periodic Instructions (paras 103-107) --------------------------------------------------------------------


class PeriodicInstructionSerializer(serializers.ModelSerializer):
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    profile_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    issued_by = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)
    has_profile_file = serializers.SerializerMethodField()

    class Meta:
        model = PeriodicInstruction
        fields = ["id", "period_start", "period_end", "scope", "status", "status_label", "requested_by",
                  "requested_at", "profile_summary", "profile_total", "has_profile_file", "profile_by", "profile_at",
                  "decision", "issued_by", "issued_at"]

    def get_has_profile_file(self, instruction) -> bool:
        return bool(instruction.profile_file)
