"""The core: who is who in an alliance, and what is due by when.

Rules live in services.py and selectors.py; these models hold the data and the invariants the
database can hold itself (docs/architecture.md).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from alliance import rules


class Alliance(models.Model):
    """The alliance itself; its start date starts most clocks (docs/domain.md section 1)."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    start_date = models.DateField(help_text="The Alliance Start Date: most contractual clocks run from it.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Area(models.TextChoices):
    """The geographic areas lots are awarded by (Annex E is not in the seeds: docs/domain.md section 4)."""

    NORTH = "north", "North"
    MIDLANDS = "midlands", "Midlands"
    SOUTH = "south", "South"


class Lot(models.Model):
    """Lot 1 Production Hub, Lot 2 Digitally Enabled Design, Lot 3 On-site Assembly (paras 7-11)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=100)
    function = models.CharField(max_length=200, help_text="The function the lot's partners perform.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["alliance", "number"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "number"], name="lot_number_unique_in_alliance"),
        ]

    def __str__(self) -> str:
        return f"Lot {self.number}: {self.name}"


class Region(models.Model):
    """Where a scheme lies; each region belongs to one Lot 2 area and one Lot 3 area (docs/domain.md s.4)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="regions")
    slug = models.SlugField()
    name = models.CharField(max_length=100)
    lot2_area = models.CharField(max_length=10, choices=Area.choices, verbose_name="Lot 2 area")
    lot3_area = models.CharField(max_length=10, choices=Area.choices, verbose_name="Lot 3 area")
    history = HistoricalRecords()

    class Meta:
        ordering = ["alliance", "name"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "slug"], name="region_slug_unique_in_alliance"),
            models.CheckConstraint(
                condition=Q(lot2_area__in=[Area.NORTH, Area.SOUTH]), name="region_lot2_area_north_or_south"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    CLIENT = "client", "Client"
    PARTNER = "partner", "Partner"


class Organisation(models.Model):
    """The client or a partner. A joint venture is still one partner with one vote (Table 2 note)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="organisations")
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=OrganisationKind.choices)
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, null=True, blank=True, related_name="partners")
    area = models.CharField(
        max_length=10,
        choices=Area.choices,
        blank=True,
        help_text="The area a Lot 2 or Lot 3 partner was awarded; blank for the client and Lot 1.",
    )
    is_joint_venture = models.BooleanField(default=False, verbose_name="joint venture")
    # Membership of the Alliance, hence its seat on the Alliance Board (paras 12, 35): a member from
    # ``member_since`` (blank: a founding member, from the Alliance Start Date; a newly procured partner's start
    # date, para 98) up to the day before ``member_until`` (a termination's effective date, paras 95-96; blank
    # while it remains a member). Written by allocation's membership services; read through
    # governance.selectors.board.voting_organisations, the one answer to "who votes today".
    member_since = models.DateField(
        null=True, blank=True,
        help_text="The day it joined the Alliance; blank for a founding member (from the Alliance Start Date).",
    )
    member_until = models.DateField(
        null=True, blank=True,
        help_text="The effective date of its termination: from this day it has no seat on the Alliance Board.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["alliance", "kind", "lot__number", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(member_since__isnull=True) | Q(member_until__isnull=True)
                | Q(member_until__gt=F("member_since")),
                name="organisation_membership_ends_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["alliance"], condition=Q(kind="client"), name="one_client_per_alliance"
            ),
            # A partner belongs to exactly one lot; the client to none.
            models.CheckConstraint(
                condition=(Q(kind="partner", lot__isnull=False) | Q(kind="client", lot__isnull=True)),
                name="partner_has_one_lot_client_none",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_client(self) -> bool:
        return self.kind == OrganisationKind.CLIENT

    def clean(self) -> None:
        """Lots and areas (paras 7-11, 85-86; alliance/rules.py)."""
        lot = self.lot
        errors = rules.organisation_errors(
            is_partner=self.kind == OrganisationKind.PARTNER, is_client=self.kind == OrganisationKind.CLIENT,
            lot_number=lot.number if lot is not None else None,
            lot_of_other_alliance=bool(lot is not None and self.alliance_id and lot.alliance_id != self.alliance_id),
            area=self.area, area_labels=dict(Area.choices),
        )
        if errors:
            raise ValidationError(errors)


class Person(AbstractUser):
    """A user of the platform; belongs to one organisation and holds roles in it."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    job_title = models.CharField(max_length=200, blank=True)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    # The roles read once per request and kept on the person (alliance/permissions.py roles_of): not a field.
    _alliance_roles: frozenset[str] | None

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        verbose_name = "person"
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class Role(models.TextChoices):
    """Roles in the alliance (docs/domain.md section 1; paras 14, 25, 35, 38)."""

    SRO = "sro", "Senior Responsible Owner"
    ALLIANCE_MANAGER = "alliance_manager", "Alliance Manager"
    BOARD_REPRESENTATIVE = "board_representative", "Board representative"
    DELEGATE = "delegate", "Delegate"
    SUBJECT_MATTER_RESOURCE = "subject_matter_resource", "Subject Matter Resource"
    STAFF = "staff", "Staff"
    CLIENT_REVIEWER = "client_reviewer", "Client reviewer"
    ADMINISTRATOR = "administrator", "Administrator"


class RoleAssignment(models.Model):
    """A role a person holds for their organisation.

    ``organisation`` repeats the person's organisation so that the database itself can hold "one board
    representative per organisation"; services keep the two equal.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_assignments")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(max_length=30, choices=Role.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "role"]
        constraints = [
            models.UniqueConstraint(fields=["person", "role"], name="role_once_per_person"),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(role="board_representative"),
                name="one_board_representative_per_organisation",
            ),
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(role="sro"), name="one_sro_per_organisation"
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(role="alliance_manager"),
                name="one_alliance_manager_per_organisation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} ({self.organisation})"


class ObligationKind(models.TextChoices):
    """Every kind of dated obligation in the alliance (docs/domain.md section 8)."""

    IMPACT_ASSESSMENT = "impact_assessment", "Impact assessment on a proposed instruction"
    BOARD_REVIEW = "board_review", "Board review of a recommendation"
    BOARD_VOTE = "board_vote", "Vote on a Board decision"
    IMPROVEMENT_PLAN = "improvement_plan", "Performance improvement plan"
    IMPROVEMENT_REPORT = "improvement_report", "Improvement process report"
    INTERVENTION_RIGHT = "intervention_right", "Client intervention or termination right"
    MOBILISATION_DELIVERABLE = "mobilisation_deliverable", "Mobilisation deliverable"
    PMP_CORE_RESOURCES = "pmp_core_resources", "Production Hub core resources selected"
    CV_CALL = "cv_call", "CVs for remaining roles"
    KEY_PERSON_HANDOVER = "key_person_handover", "Key person handover"
    KEY_PERSON_CANDIDATES = "key_person_candidates", "Alternative key person candidates"
    TRANSITION_PLAN = "transition_plan", "Transition plan"
    SUPPLY_CHAIN_STRATEGY = "supply_chain_strategy", "Supply Chain Strategy"
    INDUSTRIAL_PLAN = "industrial_plan", "Alliance industrial plan"
    PROCUREMENT_HUB_PLAN = "procurement_hub_plan", "Collaborative Procurement Hub plan"
    SUPPLY_CHAIN_MANAGEMENT_PLAN = "supply_chain_management_plan", "Supply Chain Management Plan"
    STRATEGY_REFRESH = "strategy_refresh", "Annual refresh of a supply chain strategy document"
    ACCREDITATION_RENEWAL = "accreditation_renewal", "Supplier accreditation renewal"
    RISK_UPDATE = "risk_update", "Monthly risk update"
    NO_GO_ACTION = "no_go_action", "Action after a no-go assessment"
    PERFORMANCE_TABLE = "performance_table", "Performance Table"
    COMMITMENTS = "commitments", "Commitments"
    QUARTERLY_SCORECARD = "quarterly_scorecard", "Quarterly scorecard"
    MATURITY_PLAN = "maturity_plan", "Maturity plan"
    CLIENT_ACCEPTANCE = "client_acceptance", "Client acceptance of a recommendation or change event"
    INSTRUCT_ALLIANCE = "instruct_alliance", "Instruct the Alliance on an accepted instruction"
    PLAN_CHANGE_REVIEW = "plan_change_review", "Review of a proposed Implementation Plan change"
    ASSURANCE_REVIEW = "assurance_review", "Client assurance review"
    OTHER = "other", "Other obligation"


class ObligationStatus(models.TextChoices):
    """Stored states; "overdue" is derived from the due date, never stored."""

    OPEN = "open", "Open"
    MET = "met", "Met"
    CANCELLED = "cancelled", "Cancelled"


class Obligation(models.Model):
    """Anything due by a date, linked to the record it belongs to (docs/architecture.md: one shared mechanism).

    Opened, met, cancelled and re-dated only through alliance.services.
    """

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="obligations")
    kind = models.CharField(max_length=40, choices=ObligationKind.choices)
    title = models.CharField(max_length=300)
    paragraph = models.CharField(
        max_length=60, blank=True, help_text='Where the obligation comes from, e.g. "para 27".'
    )
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    start_date = models.DateField()
    due_date = models.DateField()
    responsible_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="obligations"
    )
    responsible_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="obligations"
    )
    status = models.CharField(max_length=10, choices=ObligationStatus.choices, default=ObligationStatus.OPEN)
    closed_on = models.DateField(null=True, blank=True, help_text="When it was met or cancelled.")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(due_date__gte=F("start_date")), name="obligation_due_not_before_start"),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True) | ~Q(status="open"),
                name="open_obligation_not_closed",
            ),
        ]
        indexes = [
            models.Index(fields=["alliance", "status", "due_date", "id"], name="obligation_alliance_due"),
            models.Index(fields=["responsible_organisation", "status", "due_date"], name="obligation_org_due"),
            models.Index(fields=["responsible_person", "status", "due_date"], name="obligation_person_due"),
            models.Index(fields=["subject_type", "subject_id"], name="obligation_subject"),
        ]

    def __str__(self) -> str:
        return self.title

    def days_left(self, today: dt.date) -> int:
        """Calendar days until due: negative once overdue."""
        return (self.due_date - today).days

    def is_overdue(self, today: dt.date) -> bool:
        return self.status == ObligationStatus.OPEN and self.due_date < today


class Reminder(models.Model):
    """One row per obligation, due date and reminder offset: the exactly-once guard.

    The row is inserted in the same transaction that writes the in-app notifications; the unique
    constraint makes a second sweep (or a concurrent one) fail to insert it, so nothing is sent twice.
    A re-dated obligation has a new due date, hence new rows and fresh reminders.
    """

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="reminders")
    due_date = models.DateField(help_text="The due date this reminder was for.")
    offset_days = models.IntegerField(help_text="Days before the due date; negative once overdue.")
    sent_at = models.DateTimeField()
    recipients = models.PositiveIntegerField(default=0)
    emailed = models.BooleanField(default=False)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "due_date", "offset_days"], name="reminder_once_per_offset"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.obligation} ({self.offset_days:+d} days)"


class Notification(models.Model):
    """An in-app message: the bell and the notifications page read this table."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    obligation = models.ForeignKey(
        Obligation, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    reminder = models.ForeignKey(
        Reminder, on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.title


class CalendarToken(models.Model):
    """The secret in a person's iCal feed URL; revoking it makes the URL answer 404."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens")
    key = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person"], condition=Q(revoked_at__isnull=True), name="one_live_calendar_token"
            ),
        ]

    def __str__(self) -> str:
        return f"Calendar feed of {self.person}"

