"""Proposed client instructions and their contractual clocks (paras 20, 27-31; docs/domain.md sections 2 and 8).

The clocks themselves are Obligations (alliance/) whose subject is the instruction; the Board's step is a
Decision (governance/) whose subject is the instruction. The stages and their transitions are in
governance/services/instructions.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from alliance.models import Alliance
from governance.models.board import Decision


class InstructionStage(models.TextChoices):
    PROPOSED = "proposed", "Impact assessment due"
    BOARD_REVIEW = "board_review", "With the Board"
    CLIENT_REVIEW = "client_review", "With the client"
    ACCEPTED = "accepted", "Accepted: to be instructed"
    INSTRUCTED = "instructed", "Instructed"
    REJECTED = "rejected", "Rejected by the client"
    WITHDRAWN = "withdrawn", "Withdrawn"


class BoardRecommendation(models.TextChoices):
    """What the Board sent to the client (para 28): the recommendation approved, or a change event."""

    RECOMMENDATION = "recommendation", "Recommendation approved"
    CHANGE_EVENT = "change_event", "Change event requested"


class ClientInstruction(models.Model):
    """A proposed instruction issued by the client through the SRO (para 20), from issue to instruction."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="client_instructions")
    number = models.PositiveIntegerField(help_text="CI-<number>, in order of issue within the alliance.")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    issued_on = models.DateField(help_text="The day the proposed instruction was issued: the first clock starts.")
    ministerial = models.BooleanField(
        default=False, help_text="A ministerial requirement: both periods are 14 days instead of 28 (para 31)."
    )
    stage = models.CharField(max_length=20, choices=InstructionStage.choices, default=InstructionStage.PROPOSED)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # The Board's step (para 28): the decision tabled for the recommendation, and what it sent to the client.
    decision = models.ForeignKey(
        Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="The Board decision currently tabled (or last taken) on the recommendation.",
    )
    board_recommendation = models.CharField(max_length=20, choices=BoardRecommendation.choices, blank=True)
    board_decided_at = models.DateTimeField(null=True, blank=True)
    # The client's step (para 29).
    client_decided_at = models.DateTimeField(null=True, blank=True)
    client_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    client_reason = models.TextField(blank=True)
    # The Alliance Manager instructs the Alliance (para 30).
    instructed_at = models.DateTimeField(null=True, blank=True)
    instructed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    instruction_text = models.TextField(blank=True, help_text="What the Alliance is instructed to do.")
    withdrawn_reason = models.TextField(blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-issued_on", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "number"], name="client_instruction_number_unique"),
            models.CheckConstraint(
                condition=~Q(stage="client_review") | ~Q(board_recommendation=""),
                name="client_instruction_client_review_has_board_recommendation",
            ),
        ]
        indexes = [models.Index(fields=["alliance", "stage", "issued_on"], name="instruction_alliance_stage")]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("instruction", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"CI-{self.number:03d}"

    @property
    def period_days(self) -> int:
        """The length of each of the two clocks (paras 27, 28, 31)."""
        return 14 if self.ministerial else 28

    @property
    def is_closed(self) -> bool:
        return self.stage in (InstructionStage.INSTRUCTED, InstructionStage.REJECTED, InstructionStage.WITHDRAWN)


class ImpactAssessment(models.Model):
    """The Alliance Manager's impact assessment and recommendation to the Board (para 27)."""

    instruction = models.OneToOneField(ClientInstruction, on_delete=models.CASCADE, related_name="impact_assessment")
    summary = models.TextField(help_text="The impact assessment and the recommendation to the Board.")
    cost_effect = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, help_text="Effect on cost in pounds (negative saves)."
    )
    time_effect_days = models.IntegerField(null=True, blank=True, help_text="Effect on time in days.")
    risk_effect = models.TextField(blank=True, help_text="Effect on risk.")
    submitted_on = models.DateField()
    submitted_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Impact assessment of {self.instruction.reference}"


class InstructionDocumentKind(models.TextChoices):
    INSTRUCTION = "instruction", "Proposed instruction"
    ASSESSMENT = "assessment", "Impact assessment"


class InstructionDocument(models.Model):
    """A file attached to a proposed instruction or to its impact assessment (PDF or Office, checked)."""

    instruction = models.ForeignKey(ClientInstruction, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=InstructionDocumentKind.choices)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="instructions/%Y/%m/")
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.title
