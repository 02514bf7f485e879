"""Work allocation: Packages of Schemes, their Responsible Partners per lot, allocation runs with their trace,
optimisation business cases, post-allocation changes, membership changes and Periodic Instructions
(section 6, paras 78-107; docs/domain.md section 4).

Rules live in allocation/services.py, allocation/selectors.py and the pure balancing function in
allocation/balancing.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from alliance.models import Alliance, Organisation, Region
from governance.models import Decision

LOTS = (1, 2, 3)


class SchemeType(models.TextChoices):
    """The types of Scheme a Package may contain (para 79)."""

    SMART_MOTORWAY = "smart_motorway", "Smart Motorway Scheme"
    MOBILISATION = "mobilisation", "Alliance mobilisation activity"
    TECHNOLOGY_OVERLAY = "technology_overlay", "Technology overlay on non-motorways"
    SUPPORTING_WORK = "supporting_work", "Supporting work for the Smart Motorway Programme"


class Package(models.Model):
    """A package of work the client notifies to the Alliance: RIS1, RIS2, RIS3 or another (para 78, 81)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="packages")
    code = models.CharField(max_length=30)
    name = models.CharField(max_length=200)
    notified_on = models.DateField(help_text="When the client notified the Alliance of the package (para 81).")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["alliance", "notified_on", "code"]
        constraints = [models.UniqueConstraint(fields=["alliance", "code"], name="package_code_unique_in_alliance")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SchemeStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    AWARDED = "awarded", "Awarded (Scheme Order issued)"
    CANCELLED = "cancelled", "Cancelled"


class Scheme(models.Model):
    """A scheme of a package with its Scheme Budget's design and construction elements (paras 79, 81, 87)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="schemes")
    package = models.ForeignKey(Package, on_delete=models.PROTECT, related_name="schemes")
    code = models.CharField(max_length=30)
    name = models.CharField(max_length=200)
    scheme_type = models.CharField(max_length=30, choices=SchemeType.choices)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="schemes")
    pcf_stage = models.PositiveSmallIntegerField(help_text="The PCF stage, 0 to 7.")
    design_value = models.DecimalField(max_digits=14, decimal_places=2, help_text="Design element (£).")
    construction_value = models.DecimalField(max_digits=14, decimal_places=2, help_text="Construction element (£).")
    alliance_budget = models.DecimalField(max_digits=14, decimal_places=2, help_text="Alliance Budget (£).")
    status = models.CharField(max_length=20, choices=SchemeStatus.choices, default=SchemeStatus.PROPOSED)
    awarded_on = models.DateField(null=True, blank=True, help_text="The date of its Scheme Order (para 94).")
    history = HistoricalRecords()

    class Meta:
        ordering = ["package", "code"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "code"], name="scheme_code_unique_in_alliance"),
            models.CheckConstraint(condition=Q(pcf_stage__gte=0, pcf_stage__lte=7), name="scheme_pcf_stage_0_to_7"),
            models.CheckConstraint(condition=Q(design_value__gte=0, construction_value__gte=0, alliance_budget__gte=0),
                                   name="scheme_values_not_negative"),
            models.CheckConstraint(condition=~Q(status="awarded") | Q(awarded_on__isnull=False),
                                   name="scheme_awarded_has_date"),
        ]
        indexes = [models.Index(fields=["alliance", "status"], name="scheme_alliance_status")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class SchemeAllocation(models.Model):
    """The Responsible Partner of one lot's work on a scheme: the initial one, which future tolerance
    calculations use, and the current one after optimisation (para 87, last bullet)."""

    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="allocations")
    lot = models.PositiveSmallIntegerField()
    initial_partner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    current_partner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="responsible_for")
    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "lot"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "lot"], name="scheme_allocation_once_per_lot"),
            models.CheckConstraint(condition=Q(lot__in=LOTS), name="scheme_allocation_lot_1_2_3"),
        ]
        indexes = [models.Index(fields=["current_partner", "lot"], name="allocation_current_partner")]

    def __str__(self) -> str:
        return f"{self.scheme.code} Lot {self.lot}: {self.current_partner}"


class AllocationRun(models.Model):
    """One run of the initial allocation and tolerance balancing of a package (paras 86-88), with its result."""

    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="runs")
    run_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    run_at = models.DateTimeField(auto_now_add=True)
    within_tolerance = models.BooleanField()
    # Per lot: {"lot": 2, "lower": "0.40", "upper": "0.60", "within": true, "message": "...",
    #           "shares": [{"partner": slug, "name": ..., "value": "...", "share_before": ..., "share_after": ...}]}
    lots = models.JSONField()
    schemes_allocated = models.PositiveIntegerField()

    class Meta:
        ordering = ["-run_at", "-pk"]

    def __str__(self) -> str:
        return f"Allocation of {self.package.code} at {self.run_at:%d %b %Y %H:%M}"


class AllocationMove(models.Model):
    """One move of tolerance balancing, in order: the trace (para 87)."""

    run = models.ForeignKey(AllocationRun, on_delete=models.CASCADE, related_name="moves")
    order = models.PositiveIntegerField()
    lot = models.PositiveSmallIntegerField()
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="+")
    value = models.DecimalField(max_digits=14, decimal_places=2)
    from_partner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_partner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    shares_after = models.JSONField(help_text="Each partner's share of the lot after this move: {slug: share}.")

    class Meta:
        ordering = ["run", "order"]
        constraints = [models.UniqueConstraint(fields=["run", "order"], name="allocation_move_order_unique")]

    def __str__(self) -> str:
        return f"Move {self.order}: {self.scheme_id} Lot {self.lot}"


# --- Optimisation (paras 90-94, 99, 101) -------------------------------------------------------------------


class OptimisationStage(models.TextChoices):
    PRE_AWARD_WITHIN_LOT = "pre_award_within_lot", "Pre-award, within a lot (para 90)"
    PRE_AWARD_ACROSS_LOTS = "pre_award_across_lots", "Pre-award, across lots (para 90)"
    POST_AWARD = "post_award", "Post-award major change (para 101)"


class BusinessCaseStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    WITH_BOARD = "with_board", "With the Board"
    WITH_CLIENT = "with_client", "With the client"
    APPROVED = "approved", "Approved: allocation changed"
    REJECTED = "rejected", "Not approved: the initial allocation stands"
    # Not a refusal: the Alliance Manager took back a draft before the Board saw it.
    WITHDRAWN = "withdrawn", "Withdrawn"


class OptimisationBusinessCase(models.Model):
    """An optimisation business case (Annex D is not in the seeds; docs/domain.md section 4), approved only when
    the criteria are met, the Board approves and the client approves (para 92); otherwise the allocation
    stands (para 93)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="business_cases")
    title = models.CharField(max_length=300)
    stage = models.CharField(max_length=30, choices=OptimisationStage.choices)
    scope = models.TextField(help_text="The schemes and lots affected and why.")
    effect_on_budget = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True,
                                           help_text="Effect on budget (£; negative saves).")
    effect_on_time_days = models.IntegerField(null=True, blank=True, help_text="Effect on time (days).")
    effect_on_safety = models.TextField(blank=True)
    effect_on_customer = models.TextField(blank=True)
    effect_on_ris_delivery = models.TextField(blank=True, verbose_name="effect on delivery of the RIS")
    lump_sum_fee_change = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True,
                                              help_text="Change to the Partners' Lump Sum Fees (£).")
    risks = models.TextField(blank=True)
    criteria_met = models.BooleanField(
        default=False, help_text="In accordance with the pre-determined criteria: budgetary/time efficiencies and "
                                 "outcomes against the client's imperatives (para 92).",
    )
    status = models.CharField(max_length=20, choices=BusinessCaseStatus.choices, default=BusinessCaseStatus.DRAFT)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    client_decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True,
                                          blank=True, related_name="+")
    client_decided_at = models.DateTimeField(null=True, blank=True)
    client_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return self.title


class BusinessCaseChange(models.Model):
    """One change of Responsible Partner a business case proposes: a scheme's lot, from and to."""

    business_case = models.ForeignKey(OptimisationBusinessCase, on_delete=models.CASCADE, related_name="changes")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    lot = models.PositiveSmallIntegerField()
    current_partner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    proposed_partner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["business_case", "scheme", "lot"]
        constraints = [
            models.UniqueConstraint(fields=["business_case", "scheme", "lot"], name="business_case_change_once"),
            models.CheckConstraint(condition=~Q(current_partner=F("proposed_partner")),
                                   name="business_case_change_moves"),
        ]

    def __str__(self) -> str:
        return f"Lot {self.lot} of scheme {self.scheme_id}: to {self.proposed_partner_id}"


class MinorChangeStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed: partners' agreement and the Board"
    WITH_BOARD = "with_board", "With the Board"
    APPROVED = "approved", "Approved: support instructed"
    REJECTED = "rejected", "Not approved"
    # Not a refusal by the Board: the Alliance Manager took back a change still awaiting agreement.
    WITHDRAWN = "withdrawn", "Withdrawn"


class MinorChange(models.Model):
    """A post-allocation minor change: a partner supports the Responsible Partner, with no transfer of
    responsibility (para 99); a unanimous Board with the affected partners' agreement (para 100)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="minor_changes")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="minor_changes")
    lot = models.PositiveSmallIntegerField()
    responsible_partner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    supporting_partner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    description = models.TextField()
    status = models.CharField(max_length=20, choices=MinorChangeStatus.choices, default=MinorChangeStatus.PROPOSED)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-raised_at"]

    def __str__(self) -> str:
        return f"{self.supporting_partner} supports {self.responsible_partner} on {self.scheme.code}"


class PartnerAgreement(models.Model):
    """An affected partner's recorded agreement to a minor change (para 100)."""

    minor_change = models.ForeignKey(MinorChange, on_delete=models.CASCADE, related_name="agreements")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    agreed = models.BooleanField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["minor_change", "organisation"], name="partner_agreement_once"),
        ]

    def __str__(self) -> str:
        return f"{'Agreed' if self.agreed else 'Did not agree'}: {self.organisation_id}"


# --- Membership change (paras 95-98) ----------------------------------------------------------------------


class MembershipChangeKind(models.TextChoices):
    TERMINATION = "termination", "Termination of a partner (paras 95-97)"
    NEW_PARTNER = "new_partner", "A newly procured partner (para 98)"


class MembershipChangeStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed: reallocation to review"
    APPLIED = "applied", "Applied"
    WITHDRAWN = "withdrawn", "Withdrawn"


class MembershipChange(models.Model):
    """A partner's termination (its work reallocated, para 96) or a new partner (tolerances reset and the
    original regions restored, para 98). Once applied, the allocation mechanism reads it."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="membership_changes")
    kind = models.CharField(max_length=20, choices=MembershipChangeKind.choices)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="membership_changes")
    effective_on = models.DateField()
    reason = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=MembershipChangeStatus.choices,
                              default=MembershipChangeStatus.PROPOSED)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    applied_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-effective_on", "-pk"]
        indexes = [models.Index(fields=["alliance", "status", "kind"], name="membership_change_status")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.organisation}"


class Reallocation(models.Model):
    """One scheme's lot moved by a membership change: the proposal reviewed before it is applied (para 96)."""

    membership_change = models.ForeignKey(MembershipChange, on_delete=models.CASCADE, related_name="reallocations")
    scheme = models.ForeignKey(Scheme, on_delete=models.PROTECT, related_name="+")
    lot = models.PositiveSmallIntegerField()
    from_partner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    to_partner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["membership_change", "scheme", "lot"]
        constraints = [
            models.UniqueConstraint(fields=["membership_change", "scheme", "lot"], name="reallocation_once"),
        ]

    def __str__(self) -> str:
        return f"Lot {self.lot} of scheme {self.scheme_id}: to {self.to_partner_id}"


# --- Periodic Instruction for the PMP (paras 103-107) --------------------------------------------------------


class PeriodicInstructionStatus(models.TextChoices):
    REQUESTED = "requested", "Requested: cost resource profile to produce"
    WITH_BOARD = "with_board", "With the Board"
    AGREED = "agreed", "Agreed by the Board: to be issued"
    REJECTED = "rejected", "Not agreed by the Board"
    ISSUED = "issued", "Issued by the client"


class PeriodicInstruction(models.Model):
    """The client asks for the PMP's cost resource profile for a period and scope (para 104); the Alliance
    Manager produces it; the Board agrees unanimously; the client issues it (para 107)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="periodic_instructions")
    period_start = models.DateField()
    period_end = models.DateField()
    scope = models.TextField(help_text="The Scheme Scope the cost resource profile is to cover (para 104).")
    status = models.CharField(max_length=20, choices=PeriodicInstructionStatus.choices,
                              default=PeriodicInstructionStatus.REQUESTED)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    profile_summary = models.TextField(blank=True, help_text="The cost resource profile.")
    profile_total = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    profile_file = models.FileField(upload_to="periodic-instructions/%Y/%m/", blank=True)
    profile_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    profile_at = models.DateTimeField(null=True, blank=True)
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+")
    issued_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-period_start"]
        constraints = [
            models.CheckConstraint(condition=Q(period_end__gt=F("period_start")),
                                   name="periodic_instruction_period_in_order"),
        ]

    def __str__(self) -> str:
        return f"Periodic Instruction {self.period_start:%d %b %Y} to {self.period_end:%d %b %Y}"
