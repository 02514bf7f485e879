"""The Alliance Board: the Decision Matrix, meetings, decisions and votes (docs/domain.md section 2).

Rules live in governance/services.py, governance/rules.py and governance/selectors.py.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from alliance.models import Alliance, Organisation
from governance import rules


class Authority(models.TextChoices):
    """Who decides (para 37, Table 8)."""

    CLIENT = rules.CLIENT, "Client (SRO) decision"
    UNANIMOUS = rules.UNANIMOUS, "Unanimous decision of the Board"
    MAJORITY = rules.MAJORITY, "Majority decision of the Board"
    MAJORITY_CLIENT_VETO = rules.MAJORITY_CLIENT_VETO, "Majority of the Board with client veto"
    NONE = rules.NONE, "No approval required"


class DecisionType(models.Model):
    """One row of the Decision Matrix (Annex A is not in the seeds: a data table, versioned by history)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="decision_types")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=200)
    authority = models.CharField(max_length=30, choices=Authority.choices)
    paragraph = models.CharField(max_length=60, blank=True, help_text='Where the rule comes from, e.g. "para 59".')
    notes = models.TextField(blank=True)
    is_active = models.BooleanField(default=True, help_text="Only active types can be used for new decisions.")
    history = HistoricalRecords()

    class Meta:
        ordering = ["alliance", "name"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "code"], name="decision_type_code_unique_in_alliance"),
        ]

    def __str__(self) -> str:
        return self.name


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    IN_PROGRESS = "in_progress", "In progress"
    HELD = "held", "Held"
    REARRANGED = "rearranged", "Rearranged"


class Meeting(models.Model):
    """A meeting of the Alliance Board, chaired by the SRO (paras 25, 33, 36)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    location = models.CharField(max_length=300, help_text="A room or a call link.")
    status = models.CharField(max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED)
    rearranged_to = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="rearranged_from"
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    minutes_notes = models.TextField(blank=True)
    minutes_approved_at = models.DateTimeField(null=True, blank=True)
    minutes_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["alliance", "starts_at"], name="meeting_alliance_starts")]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d %b %Y})"

    @property
    def minutes_locked(self) -> bool:
        return self.minutes_approved_at is not None


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_position_unique_in_meeting"),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"


class Capacity(models.TextChoices):
    """In which capacity a person attends or votes."""

    REPRESENTATIVE = "representative", "Board representative"
    DELEGATE = "delegate", "Delegate"
    NON_VOTING = "non_voting", "Attends without a vote"


class Attendance(models.Model):
    """Who attended a meeting, for which organisation, in which capacity (paras 33, 35, 36)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attendances")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)
    capacity = models.CharField(max_length=20, choices=Capacity.choices)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once_per_person"),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_status_display()}"


class DecisionStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Outcome(models.TextChoices):
    APPROVED = rules.APPROVED, "Approved"
    REJECTED = rules.REJECTED, "Rejected"
    NOT_TAKEN = "not_taken", "Not taken (meeting without its chair)"


class Decision(models.Model):
    """Anything the Board (or the client alone) decides, under the rule it was opened with.

    ``authority`` and ``rule_paragraph`` are copied from the Decision Matrix when the decision is tabled:
    a later change of the matrix never changes an open or closed decision.
    """

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="decisions")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    decision_type = models.ForeignKey(DecisionType, on_delete=models.PROTECT, related_name="decisions")
    authority = models.CharField(max_length=30, choices=Authority.choices)
    rule_paragraph = models.CharField(max_length=60, blank=True)
    matrix_version = models.PositiveBigIntegerField(
        null=True, blank=True, help_text="The Decision Matrix history row the rule was copied from."
    )
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions")
    closes_at = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=DecisionStatus.choices, default=DecisionStatus.OPEN)
    # NULL, not "", while open: the API promises `outcome: null` until the decision closes (issue 3).
    outcome = models.CharField(max_length=20, choices=Outcome.choices, null=True, blank=True)  # noqa: DJ001
    tabled_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    tabled_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The tally, frozen when the decision closes.
    votes_for = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_abstain = models.PositiveSmallIntegerField(null=True, blank=True)
    votes_missing = models.PositiveSmallIntegerField(null=True, blank=True)
    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True)
    subject_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("subject_type", "subject_id")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-tabled_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", outcome__isnull=True) | Q(status="closed", outcome__isnull=False),
                name="decision_outcome_only_when_closed",
            ),
            models.CheckConstraint(
                condition=Q(meeting__isnull=False) | Q(closes_at__isnull=False),
                name="decision_in_a_meeting_or_with_a_closing_time",
            ),
        ]
        indexes = [
            models.Index(fields=["alliance", "status", "closes_at"], name="decision_alliance_open"),
            models.Index(fields=["status", "closes_at"], name="decision_due_to_close"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("board-decision", args=[self.pk])


class Choice(models.TextChoices):
    FOR = rules.FOR, "For"
    AGAINST = rules.AGAINST, "Against"
    ABSTAIN = rules.ABSTAIN, "Abstain"


class Vote(models.Model):
    """One current vote per organisation per decision; a changed vote keeps the earlier in history."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=10, choices=Choice.choices)
    cast_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    capacity = models.CharField(max_length=20, choices=Capacity.choices)
    cast_at = models.DateTimeField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["decision", "organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "organisation"], name="one_vote_per_organisation"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_choice_display()}"


class Delegation(models.Model):
    """A board representative lets their delegate vote for the organisation, for one meeting or one
    decision (para 35)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    representative = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="delegations")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="delegations")
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, null=True, blank=True, related_name="delegations")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False, decision__isnull=True)
                | Q(meeting__isnull=True, decision__isnull=False),
                name="delegation_for_a_meeting_or_a_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.representative} → {self.delegate}"


class Paper(models.Model):
    """A paper for a meeting or a decision; downloaded by board members only, through a checked view."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, null=True, blank=True, related_name="papers")
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, null=True, blank=True, related_name="papers")
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="papers/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(meeting__isnull=False, decision__isnull=True)
                | Q(meeting__isnull=True, decision__isnull=False),
                name="paper_for_a_meeting_or_a_decision",
            ),
        ]

    def __str__(self) -> str:
        return self.title
