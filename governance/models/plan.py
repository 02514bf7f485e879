"""The Implementation Plan as numbered sections in versions, and proposals to change it (paras 1-6).

A version is immutable once published: a change is a new version holding every section (copied or
changed), so any two versions can be compared section by section.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from alliance.models import Alliance, Organisation
from governance.models.board import Decision


class PlanVersion(models.Model):
    """One published version of the Implementation Plan (para 6: updated by the Alliance Manager)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="plan_versions")
    number = models.PositiveIntegerField()
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(blank=True, help_text="What changed in this version.")

    class Meta:
        ordering = ["alliance", "-number"]
        constraints = [models.UniqueConstraint(fields=["alliance", "number"], name="plan_version_number_unique")]

    def __str__(self) -> str:
        return f"Implementation Plan v{self.number}"


class PlanSection(models.Model):
    """A numbered section of one version ("2.4 Proposed instruction to the Alliance Manager")."""

    version = models.ForeignKey(PlanVersion, on_delete=models.CASCADE, related_name="sections")
    number = models.CharField(max_length=20, help_text='The section number, e.g. "2.4".')
    heading = models.CharField(max_length=300)
    text = models.TextField()
    order = models.PositiveIntegerField()
    client_reserved = models.BooleanField(
        default=False,
        help_text="A client reserved matter under the conditions of contract: partners cannot propose changes (para 3).",
    )

    class Meta:
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="plan_section_number_unique_in_version"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.heading}"


class ChangeProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed: with the Alliance Manager"
    REJECTED_BY_MANAGER = "rejected_by_manager", "Rejected by the Alliance Manager"
    WITH_BOARD = "with_board", "With the Board"
    REJECTED_BY_BOARD = "rejected_by_board", "Rejected by the Board"
    APPROVED = "approved", "Approved: to be published"
    PUBLISHED = "published", "Published"
    WITHDRAWN = "withdrawn", "Withdrawn"


class ChangeProposal(models.Model):
    """A member's proposal to update one section of the Implementation Plan (paras 3-6)."""

    alliance = models.ForeignKey(Alliance, on_delete=models.CASCADE, related_name="plan_change_proposals")
    base_version = models.ForeignKey(PlanVersion, on_delete=models.PROTECT, related_name="+",
                                     help_text="The version the proposal was made against.")
    section_number = models.CharField(max_length=20, help_text="An existing section's number, or a new one.")
    section_heading = models.CharField(max_length=300)
    proposed_text = models.TextField()
    reason = models.TextField()
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=30, choices=ChangeProposalStatus.choices, default=ChangeProposalStatus.PROPOSED)
    # The Alliance Manager's review (para 4).
    impact_assessment = models.TextField(blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The Board's approval (para 5) and the publication (para 6).
    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    published_in = models.ForeignKey(
        PlanVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="change_proposals"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposed_at"]
        indexes = [models.Index(fields=["alliance", "status"], name="plan_proposal_alliance_status")]

    def __str__(self) -> str:
        return f"Change to {self.section_number} {self.section_heading}"
