"""Key persons and Production Hub resourcing: the records (paras 44-71, docs/domain.md section 3).

One ``Nomination`` holds every CV, whichever route it came by: a nomination for an Alliance key person role
(para 48), a CV in the Production Management Partner's proposal of core services (para 65), or a CV answering a
call for the remaining Production Hub roles (para 67). So the rules of a CV (checked by content, stored
privately, every access logged, deleted on request or after the retention period) are written once.

An ``Appointment`` is a person holding a key person post or serving in a Production Hub service; a post with no
current appointment is vacant. Rules live in people/services.py and selectors.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from alliance.storage import cv_upload_to, private_storage


class CoreTableHistory(HistoricalRecords):
    """django-simple-history, with the historical tables of many-to-many fields named as they were while these
    models were the core's (``alliance_historical<model>_<field>``): it names those after their app, and takes
    no table name for them as it does for the main historical table (``table_name``)."""

    def get_meta_options_m2m(self, through_model):
        options = super().get_meta_options_m2m(through_model)
        options["db_table"] = f"alliance_{self.get_history_model_name(through_model).lower()}"
        return options

class Selection(models.TextChoices):
    """How a key person role is filled (para 57)."""

    PARTNER_SPECIFIC = "partner_specific", "Partner-specific"
    LOT_SPECIFIC = "lot_specific", "Lot-specific"
    PAN_ALLIANCE = "pan_alliance", "Pan-alliance"


class KeyPersonRole(models.Model):
    """An Alliance key person role: para 49 (each function's four) and para 51 (open to all partners).

    A partner-specific role (marked * in para 49) has one post per partner of its lot ("one from each Design
    Partner"); the other roles have one post each, filled best for task (para 57).
    """

    alliance = models.ForeignKey("alliance.Alliance", on_delete=models.CASCADE, related_name="key_person_roles")
    code = models.SlugField(max_length=80)
    title = models.CharField(max_length=200)
    lot = models.ForeignKey(
        "alliance.Lot", on_delete=models.PROTECT, null=True, blank=True, related_name="key_person_roles",
        help_text="The function (lot) whose partners nominate; blank for the roles open to all partners (para 51).",
    )
    selection = models.CharField(max_length=20, choices=Selection.choices)
    paragraph = models.CharField(max_length=40, default="para 49")
    description = models.TextField(blank=True, help_text="High level job description (Annex I, not in the seeds).")
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    history = CoreTableHistory(table_name="alliance_historicalkeypersonrole")

    class Meta:
        db_table = "alliance_keypersonrole"  # the table it had as a model of the core app
        ordering = ["alliance", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["alliance", "code"], name="key_person_role_code_unique"),
            # Para 51's roles are open to every partner; para 49's belong to one function.
            models.CheckConstraint(
                condition=Q(selection="pan_alliance", lot__isnull=True) | Q(lot__isnull=False) & ~Q(selection="pan_alliance"),
                name="key_person_role_lot_matches_selection",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_partner_specific(self) -> bool:
        return self.selection == Selection.PARTNER_SPECIFIC

    @property
    def function(self) -> str:
        return self.lot.name if self.lot_id else "Open to all partners"


class HubSubFunction(models.TextChoices):
    """The five sub-functions of the Production Hub (para 62)."""

    OPERATIONS = "operations", "Operations"
    PMO = "pmo", "Programme Management Office"
    PRODUCTION_MANAGEMENT = "production_management", "Production management"
    COMMERCIAL = "commercial", "Commercial"
    DELIVERY = "delivery", "Delivery"


class HubService(models.Model):
    """A Production Hub service of Table 3; ``client_presence`` marks those where the client keeps people (para 46)."""

    alliance = models.ForeignKey("alliance.Alliance", on_delete=models.CASCADE, related_name="hub_services")
    code = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    sub_function = models.CharField(max_length=30, choices=HubSubFunction.choices)
    description = models.TextField(blank=True)
    client_presence = models.BooleanField(default=False, help_text="The client keeps a presence here (para 46).")
    order = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(default=True)
    history = CoreTableHistory(table_name="alliance_historicalhubservice")

    class Meta:
        db_table = "alliance_hubservice"  # the table it had as a model of the core app
        ordering = ["alliance", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["alliance", "code"], name="hub_service_code_unique")]

    def __str__(self) -> str:
        return self.name


class ProposalStatus(models.TextChoices):
    REQUESTED = "requested", "Requested from the PMP"
    SUBMITTED = "submitted", "With the Alliance Manager"
    RETURNED = "returned", "Returned with comments"
    WITH_BOARD = "with_board", "With the Board"
    APPROVED = "approved", "Approved"


class ResourcingProposal(models.Model):
    """The Production Management Partner's proposal of the Production Hub services it will provide core
    capability for, with CVs (para 65); a round follows the Alliance Start Date and each later package.

    The Alliance Manager approves or returns it with comments, then the Board approves (para 66). The round's
    clock (three months from the Alliance Start Date for the first) is an Obligation on this record.
    """

    alliance = models.ForeignKey("alliance.Alliance", on_delete=models.CASCADE, related_name="resourcing_proposals")
    title = models.CharField(max_length=200, help_text='The round, e.g. "Alliance Start Date" or "Package 3".')
    organisation = models.ForeignKey(
        "alliance.Organisation", on_delete=models.PROTECT, related_name="resourcing_proposals",
        help_text="The Production Management Partner.",
    )
    services = models.ManyToManyField(HubService, blank=True, related_name="core_proposals")
    note = models.TextField(blank=True, help_text="The PMP's summary of its proposal.")
    status = models.CharField(max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.REQUESTED)
    due_date = models.DateField(help_text="When selection of the core resources must be complete (para 66).")
    comments = models.TextField(blank=True, help_text="The Alliance Manager's or the Board's comments.")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decision = models.ForeignKey(
        "governance.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )
    history = CoreTableHistory(m2m_fields=[services], table_name="alliance_historicalresourcingproposal")

    class Meta:
        db_table = "alliance_resourcingproposal"  # the table it had as a model of the core app
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Production Hub core resources: {self.title}"


class CvCall(models.Model):
    """A call for CVs for the remaining Production Hub roles: every partner has two to four weeks (para 67)."""

    alliance = models.ForeignKey("alliance.Alliance", on_delete=models.CASCADE, related_name="cv_calls")
    title = models.CharField(max_length=200)
    roles = models.TextField(help_text="The remaining roles the call is for.")
    services = models.ManyToManyField(HubService, related_name="cv_calls")
    opens_on = models.DateField()
    closes_on = models.DateField()
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    history = CoreTableHistory(m2m_fields=[services], table_name="alliance_historicalcvcall")

    class Meta:
        db_table = "alliance_cvcall"  # the table it had as a model of the core app
        ordering = ["-opens_on", "-id"]
        constraints = [
            # The window of two to four weeks (para 67) is the service's rule; the database holds the order.
            models.CheckConstraint(condition=Q(closes_on__gt=models.F("opens_on")), name="cv_call_closes_after_it_opens"),
        ]

    def __str__(self) -> str:
        return self.title


class PortfolioStatus(models.TextChoices):
    WITH_BOARD = "with_board", "With the Board"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected by the Board"


class PortfolioRecommendation(models.Model):
    """The Alliance Manager's recommendation of a balanced resource portfolio for the residual posts (para 68),
    approved or rejected with comments by the Board (para 69). Its CVs are the nominations that point to it."""

    alliance = models.ForeignKey("alliance.Alliance", on_delete=models.CASCADE, related_name="portfolio_recommendations")
    call = models.ForeignKey(CvCall, on_delete=models.PROTECT, related_name="recommendations")
    summary = models.TextField()
    status = models.CharField(max_length=20, choices=PortfolioStatus.choices, default=PortfolioStatus.WITH_BOARD)
    board_comments = models.TextField(blank=True, help_text="The Board's comments to the Alliance Manager (para 69).")
    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recommended_at = models.DateTimeField(auto_now_add=True)
    decision = models.ForeignKey("governance.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = CoreTableHistory(table_name="alliance_historicalportfoliorecommendation")

    class Meta:
        db_table = "alliance_portfoliorecommendation"  # the table it had as a model of the core app
        ordering = ["-recommended_at", "-id"]

    def __str__(self) -> str:
        return f"Production Hub portfolio for {self.call}"


class NominationRoute(models.TextChoices):
    KEY_PERSON = "key_person", "Alliance key person nomination"
    HUB_CORE = "hub_core", "Production Hub core resources (PMP proposal)"
    HUB_CALL = "hub_call", "Production Hub call for CVs"


class NominationStatus(models.TextChoices):
    SUBMITTED = "submitted", "Submitted"
    SHORTLISTED = "shortlisted", "Shortlisted"
    PROPOSED = "proposed", "Before the Board"
    APPOINTED = "appointed", "Appointed"
    NOT_APPOINTED = "not_appointed", "Not appointed"
    REJECTED = "rejected", "Rejected"
    WITHDRAWN = "withdrawn", "Withdrawn"
    REPLACED = "replaced", "Replaced"


class Nomination(models.Model):
    """A person put forward, with their CV: for a key person role, or for a Production Hub service."""

    alliance = models.ForeignKey("alliance.Alliance", on_delete=models.CASCADE, related_name="nominations")
    route = models.CharField(max_length=20, choices=NominationRoute.choices, default=NominationRoute.KEY_PERSON)
    role = models.ForeignKey(KeyPersonRole, on_delete=models.PROTECT, null=True, blank=True, related_name="nominations")
    post_organisation = models.ForeignKey(
        "alliance.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        help_text="For a partner-specific role: the partner whose post it is (para 57).",
    )
    hub_service = models.ForeignKey(HubService, on_delete=models.PROTECT, null=True, blank=True, related_name="nominations")
    proposal = models.ForeignKey(ResourcingProposal, on_delete=models.CASCADE, null=True, blank=True, related_name="candidates")
    call = models.ForeignKey(CvCall, on_delete=models.PROTECT, null=True, blank=True, related_name="candidates")
    recommendation = models.ForeignKey(
        PortfolioRecommendation, on_delete=models.SET_NULL, null=True, blank=True, related_name="candidates",
    )
    organisation = models.ForeignKey("alliance.Organisation", on_delete=models.PROTECT, related_name="nominations")
    person_name = models.CharField(max_length=200)
    statement = models.TextField(blank=True)
    full_time = models.BooleanField(default=True, help_text="Available to work full time in the Alliance (para 55).")
    board_referral = models.BooleanField(
        default=False, help_text="Put to the Board by the Alliance Manager for an unfilled pan-alliance role (para 54).",
    )
    cv = models.FileField(storage=private_storage, upload_to=cv_upload_to, blank=True, max_length=200)
    cv_name = models.CharField(max_length=255, blank=True, help_text="The file's name as uploaded.")
    cv_content_type = models.CharField(max_length=120, blank=True)
    cv_size = models.PositiveBigIntegerField(default=0)
    cv_deleted_at = models.DateTimeField(null=True, blank=True)
    cv_deleted_reason = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=NominationStatus.choices, default=NominationStatus.SUBMITTED)
    comments = models.TextField(blank=True, help_text="The Alliance Manager's comments (a rejection's reason).")
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="replaced_by")
    decision = models.ForeignKey("governance.Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(
        null=True, blank=True, help_text="When it was appointed, not appointed, rejected, withdrawn or replaced.",
    )
    history = CoreTableHistory(excluded_fields=["cv"], table_name="alliance_historicalnomination")

    class Meta:
        db_table = "alliance_nomination"  # the table it had as a model of the core app
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(route="key_person", role__isnull=False, hub_service__isnull=True)
                           | Q(route__in=["hub_core", "hub_call"], role__isnull=True, hub_service__isnull=False)),
                name="nomination_for_a_role_or_a_hub_service",
            ),
            models.CheckConstraint(
                condition=~Q(route="hub_core") | Q(proposal__isnull=False), name="hub_core_nomination_has_proposal",
            ),
            models.CheckConstraint(
                condition=~Q(route="hub_call") | Q(call__isnull=False), name="hub_call_nomination_has_call",
            ),
            # Para 55: every key person nominee is available full time.
            models.CheckConstraint(condition=~Q(route="key_person") | Q(full_time=True), name="key_person_full_time"),
        ]
        indexes = [
            models.Index(fields=["alliance", "route", "status"], name="nomination_route_status"),
            models.Index(fields=["organisation", "status"], name="nomination_org_status"),
            models.Index(fields=["decided_at"], name="nomination_decided_at", condition=Q(cv_deleted_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.person_name} for {self.role or self.hub_service}"

    @property
    def post_title(self) -> str:
        if self.role_id is None:
            return str(self.hub_service)
        if self.post_organisation_id and self.role.lot_id and self.role.lot.partners.count() > 1:
            return f"{self.role} ({self.post_organisation})"
        return str(self.role)

    @property
    def has_cv(self) -> bool:
        return bool(self.cv) and self.cv_deleted_at is None


class InterviewOutcome(models.TextChoices):
    SUITABLE = "suitable", "Suitable"
    RESERVE = "reserve", "Reserve"
    NOT_SUITABLE = "not_suitable", "Not suitable"


class Interview(models.Model):
    """An interview the Alliance Manager held with a nominee (paras 56, 66, 68)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="interviews")
    held_on = models.DateField()
    panel = models.CharField(max_length=300)
    notes = models.TextField(blank=True)
    outcome = models.CharField(max_length=20, choices=InterviewOutcome.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)
    history = CoreTableHistory(table_name="alliance_historicalinterview")

    class Meta:
        db_table = "alliance_interview"  # the table it had as a model of the core app
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"Interview of {self.nomination.person_name} on {self.held_on:%-d %b %Y}"


class CandidateRequest(models.Model):
    """The Alliance Manager asks partners for alternative candidates for a role (para 58): each eligible
    organisation gets an obligation, met when it nominates for the role."""

    role = models.ForeignKey(KeyPersonRole, on_delete=models.CASCADE, related_name="candidate_requests")
    message = models.TextField()
    due_date = models.DateField()
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    history = CoreTableHistory(table_name="alliance_historicalcandidaterequest")

    class Meta:
        db_table = "alliance_candidaterequest"  # the table it had as a model of the core app
        ordering = ["-requested_at", "-id"]

    def __str__(self) -> str:
        return f"Alternative candidates for {self.role}"


class Appointment(models.Model):
    """A person holding a key person post, or serving in a Production Hub service.

    ``leaving_on`` is set when the person leaves (para 60, 71): the post is open for selection from then, and
    the successor's appointment opens a one-month handover. One person holds a key person post at a time, so
    at most one appointment per post is not leaving.
    """

    alliance = models.ForeignKey("alliance.Alliance", on_delete=models.CASCADE, related_name="appointments")
    role = models.ForeignKey(KeyPersonRole, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments")
    post_organisation = models.ForeignKey(
        "alliance.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
    )
    hub_service = models.ForeignKey(HubService, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments")
    organisation = models.ForeignKey(
        "alliance.Organisation", on_delete=models.PROTECT, related_name="appointments",
        help_text="The member organisation that employs the person.",
    )
    person_name = models.CharField(max_length=200)
    nomination = models.OneToOneField(Nomination, on_delete=models.PROTECT, null=True, blank=True, related_name="appointment")
    started_on = models.DateField()
    leaving_on = models.DateField(null=True, blank=True)
    leaving_reason = models.CharField(max_length=300, blank=True)
    predecessor = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True, related_name="successor")
    handover_completed_on = models.DateField(null=True, blank=True)
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = CoreTableHistory(table_name="alliance_historicalappointment")

    class Meta:
        db_table = "alliance_appointment"  # the table it had as a model of the core app
        ordering = ["started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__isnull=False, hub_service__isnull=True) | Q(role__isnull=True, hub_service__isnull=False),
                name="appointment_to_a_role_or_a_hub_service",
            ),
            models.CheckConstraint(
                condition=Q(leaving_on__isnull=True) | Q(leaving_on__gte=models.F("started_on")),
                name="appointment_leaves_after_it_starts",
            ),
            models.UniqueConstraint(
                fields=["role"], condition=Q(role__isnull=False, post_organisation__isnull=True, leaving_on__isnull=True),
                name="one_holder_per_key_person_post",
            ),
            models.UniqueConstraint(
                fields=["role", "post_organisation"],
                condition=Q(role__isnull=False, post_organisation__isnull=False, leaving_on__isnull=True),
                name="one_holder_per_partner_specific_post",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_name}, {self.role or self.hub_service}"


class CvAccessAction(models.TextChoices):
    DOWNLOAD = "download", "Downloaded"
    DELETE = "delete", "Deleted"


class CvAccess(models.Model):
    """Who opened or deleted a CV, and when: CVs are personal data. Visible to the Alliance Manager and to the
    submitting partner. A log, so never edited: no history of its own."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="cv_accesses")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=20, choices=CvAccessAction.choices)
    at = models.DateTimeField(auto_now_add=True)
    via = models.CharField(max_length=20, default="web", help_text="web, api or the retention job.")

    class Meta:
        db_table = "alliance_cvaccess"  # the table it had as a model of the core app
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} by {self.person or 'the retention job'}"
