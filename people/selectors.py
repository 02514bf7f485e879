"""Reads of key persons and Production Hub resourcing: every query that is more than a get() (docs/architecture.md).

``nominations_visible_to`` and ``permissions.can_view_nomination`` say the same thing in SQL and in Python;
keep them together.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from alliance.models import Organisation, OrganisationKind, Person, Role
from alliance.permissions import alliance_id_of, has_role
from people.models import (
    Appointment,
    CvAccess,
    CvCall,
    HubService,
    KeyPersonRole,
    Nomination,
    NominationRoute,
    NominationStatus,
    PortfolioRecommendation,
    PortfolioStatus,
    ProposalStatus,
    ResourcingProposal,
    Selection,
)
from people.permissions import (
    DECIDING_ROLES,
    can_view_nomination,
    can_view_proposal,
    may_nominate_for,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

FUNCTION_QUOTA = 4  # para 48: four nominations for the roles of the partner's function
PAN_ALLIANCE_QUOTA = 2  # paras 48, 51-52: at least two for the roles open to all partners
_COUNTED = [NominationStatus.SUBMITTED, NominationStatus.SHORTLISTED, NominationStatus.PROPOSED,
            NominationStatus.APPOINTED, NominationStatus.NOT_APPOINTED, NominationStatus.REJECTED]
_UNDECIDED = [NominationStatus.SUBMITTED, NominationStatus.SHORTLISTED]


def _alliance_of(user: Person) -> int:
    """The user's alliance; 0 (no alliance's id) for someone with none, so that their queries find nothing."""
    return alliance_id_of(user) or 0


# --- Organisations ----------------------------------------------------------------------------------------
def partners_of(alliance_id: int) -> QuerySet[Organisation]:
    return Organisation.objects.filter(alliance_id=alliance_id, kind=OrganisationKind.PARTNER).select_related("alliance", "lot")


def client_of(alliance_id: int) -> Organisation:
    return Organisation.objects.get(alliance_id=alliance_id, kind=OrganisationKind.CLIENT)


def production_management_partner(alliance_id: int) -> Organisation | None:
    """The Lot 1 partner (para 8)."""
    return partners_of(alliance_id).filter(lot__number=1).order_by("pk").first()


def partners_who_may_nominate(role: KeyPersonRole, post_organisation_id: int | None = None) -> list[Organisation]:
    """The partners that may put someone forward for a role (para 57); for a partner-specific post, its partner."""
    partners = [p for p in partners_of(role.alliance_id) if may_nominate_for(p, role)]
    if post_organisation_id is not None:
        partners = [p for p in partners if p.pk == post_organisation_id]
    return partners


# --- Posts ------------------------------------------------------------------------------------------------
def lock_post(role_id: int) -> None:
    """Serialise appointments and proposals to a role's posts: two Alliance Manager steps at once cannot both
    find a post open (the partial unique index would refuse the second appointment anyway)."""
    KeyPersonRole.objects.select_for_update().filter(pk=role_id).values_list("pk", flat=True).first()


def _post(qs, role_id: int | None, post_organisation_id: int | None):
    return qs.filter(role_id=role_id, post_organisation_id=post_organisation_id)


def post_holder(role_id: int, post_organisation_id: int | None) -> Appointment | None:
    """Whoever holds a post now: the one not leaving, else the latest one leaving with no successor yet."""
    current = _post(Appointment.objects, role_id, post_organisation_id)
    return current.filter(leaving_on__isnull=True).first() or departing_holder(role_id, post_organisation_id)


def departing_holder(role_id: int, post_organisation_id: int | None) -> Appointment | None:
    """The holder who is leaving (para 60) and has no successor yet: the next appointment's predecessor."""
    return (_post(Appointment.objects, role_id, post_organisation_id)
            .filter(leaving_on__isnull=False, successor__isnull=True).order_by("-leaving_on", "-pk").first())


def undecided_for_post(role_id: int, post_organisation_id: int | None, exclude_pk: int) -> QuerySet[Nomination]:
    return (_post(Nomination.objects, role_id, post_organisation_id).filter(status__in=_UNDECIDED)
            .exclude(pk=exclude_pk).select_for_update())


def proposed_for_post(role_id: int | None, post_organisation_id: int | None) -> Nomination | None:
    return _post(Nomination.objects, role_id, post_organisation_id).filter(status=NominationStatus.PROPOSED).first()


# --- Catalogue --------------------------------------------------------------------------------------------
def roles_catalogue(alliance_id: int) -> QuerySet[KeyPersonRole]:
    return KeyPersonRole.objects.filter(alliance_id=alliance_id, is_active=True).select_related("lot")


def roles_open_to(organisation: Organisation) -> list[KeyPersonRole]:
    """The roles an organisation may nominate for (para 57), in catalogue order."""
    return [r for r in roles_catalogue(organisation.alliance_id) if may_nominate_for(organisation, r)]


def hub_services(alliance_id: int) -> QuerySet[HubService]:
    return HubService.objects.filter(alliance_id=alliance_id, is_active=True)


def role_for(user: Person, pk: int) -> KeyPersonRole:
    role = KeyPersonRole.objects.select_related("lot").filter(pk=pk, alliance_id=_alliance_of(user)).first()
    if role is None:
        raise Http404
    return role


# --- Nominations ------------------------------------------------------------------------------------------
def nominations_visible_to(user: Person) -> QuerySet[Nomination]:
    """The nominations and CVs a person may see (permissions.can_view_nomination, in SQL): their own
    organisation's; all of them for the Alliance Manager; what is before the Board for its voting members."""
    alliance_id = alliance_id_of(user)
    if alliance_id is None:
        return Nomination.objects.none()
    nominations = Nomination.objects.filter(alliance_id=alliance_id).select_related(
        "role__lot", "organisation", "post_organisation", "hub_service", "call", "proposal", "recommendation",
    )
    if has_role(user, Role.ALLIANCE_MANAGER):
        return nominations
    visible = Q(organisation_id=user.organisation_id)
    if has_role(user, *DECIDING_ROLES):
        visible |= (Q(status=NominationStatus.PROPOSED) | Q(recommendation__status=PortfolioStatus.WITH_BOARD)
                    | Q(proposal__status=ProposalStatus.WITH_BOARD))
    return nominations.filter(visible)


def nominations_list(user: Person, *, route: str = "", status: str = "", role_id: int | None = None,
                     organisation_slug: str = "", query: str = "") -> QuerySet[Nomination]:
    nominations = nominations_visible_to(user)
    if route:
        nominations = nominations.filter(route=route)
    if status:
        nominations = nominations.filter(status=status)
    if role_id:
        nominations = nominations.filter(role_id=role_id)
    if organisation_slug:
        nominations = nominations.filter(organisation__slug=organisation_slug)
    if query:
        nominations = nominations.filter(person_name__icontains=query)
    return nominations.order_by("-submitted_at", "-pk")


def nomination_for(user: Person, pk: int) -> Nomination:
    """One nomination, or 404 for anyone who may not see it (another partner's included)."""
    nomination = nominations_visible_to(user).filter(pk=pk).first()
    if nomination is None or not can_view_nomination(user, nomination):
        raise Http404
    return nomination


def nomination_interviews(nomination: Nomination):
    return nomination.interviews.select_related("recorded_by")


def nomination_history(nomination: Nomination):
    return nomination.history.select_related("history_user").order_by("-history_date", "-history_id")


def cv_log(nomination: Nomination) -> QuerySet[CvAccess]:
    return nomination.cv_accesses.select_related("person__organisation")


@dataclass
class Quota:
    """Where an organisation stands against paras 48-52: four for its function's roles, two or more open ones."""

    organisation: Organisation
    function_roles: int
    function_nominated: int
    pan_nominated: int
    function_required: int = FUNCTION_QUOTA
    pan_required: int = PAN_ALLIANCE_QUOTA
    missing_roles: list[str] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return self.function_nominated >= self.function_required and self.pan_nominated >= self.pan_required


def quotas(alliance_id: int, organisation_id: int | None = None) -> list[Quota]:
    """Each partner's count of distinct roles nominated for (withdrawn and replaced ones do not count), in two
    queries whatever the number of nominations."""
    partners = list(partners_of(alliance_id))
    if organisation_id is not None:
        partners = [p for p in partners if p.pk == organisation_id]
    roles = list(roles_catalogue(alliance_id))
    nominated: dict[int, set[int]] = defaultdict(set)
    for organisation, role in (Nomination.objects.filter(alliance_id=alliance_id, route=NominationRoute.KEY_PERSON,
                                                         status__in=_COUNTED, board_referral=False)
                               .values_list("organisation_id", "role_id").distinct()):
        nominated[organisation].add(role)
    result = []
    for partner in partners:
        own = [r for r in roles if r.lot_id == partner.lot_id]
        pan = {r.pk for r in roles if r.selection == Selection.PAN_ALLIANCE}
        done = nominated[partner.pk]
        result.append(Quota(
            organisation=partner, function_roles=len(own),
            function_required=min(FUNCTION_QUOTA, len(own)),
            function_nominated=len({r.pk for r in own} & done), pan_nominated=len(pan & done),
            missing_roles=[r.title for r in own if r.pk not in done],
        ))
    return result


@dataclass
class Post:
    """A key person post: a role, and for a partner-specific role, the partner whose post it is. ``holder`` holds
    it and is not leaving; ``leaving`` is a holder who is leaving or has left with no successor yet (para 60)."""

    role: KeyPersonRole
    organisation: Organisation | None
    holder: Appointment | None = None
    leaving: Appointment | None = None
    nominations: list[Nomination] = field(default_factory=list)

    @property
    def vacant(self) -> bool:
        return self.holder is None

    @property
    def title(self) -> str:
        return f"{self.role} ({self.organisation})" if self.organisation and self.role.lot_id else str(self.role)


def _posts(alliance_id: int, roles: Iterable[KeyPersonRole]) -> list[Post]:
    partners = list(partners_of(alliance_id))
    posts: list[Post] = []
    for role in roles:
        if role.is_partner_specific:
            posts.extend(Post(role, p) for p in partners if p.lot_id == role.lot_id)
        else:
            posts.append(Post(role, None))
    return posts


def _current_appointments() -> QuerySet[Appointment]:
    """Holders not leaving, and those leaving (or gone) with no successor yet."""
    return (Appointment.objects.filter(Q(leaving_on__isnull=True) | Q(successor__isnull=True))
            .select_related("organisation", "predecessor").order_by("started_on", "pk"))


def _fill(posts: list[Post], appointments: Iterable[Appointment]) -> None:
    by_post: dict[tuple[int | None, int | None], Post] = {
        (p.role.pk, p.organisation.pk if p.organisation else None): p for p in posts}
    for appointment in appointments:
        post = by_post.get((appointment.role_id, appointment.post_organisation_id))
        if post is None:
            continue
        if appointment.leaving_on is None:
            post.holder = appointment
        else:
            post.leaving = appointment


def role_selection(user: Person, role: KeyPersonRole) -> list[Post]:
    """A role's posts with their holders and the nominations side by side (the Alliance Manager's view; others
    see only what they may)."""
    posts = _posts(role.alliance_id, [role])
    _fill(posts, _current_appointments().filter(role=role))
    nominations = (nominations_visible_to(user).filter(role=role)
                   .exclude(status__in=[NominationStatus.WITHDRAWN, NominationStatus.REPLACED])
                   .annotate(interview_count=Count("interviews")).order_by("status", "submitted_at"))
    for post in posts:
        key = post.organisation.pk if post.organisation else None
        post.nominations = [n for n in nominations if n.post_organisation_id == key]
    return posts


@dataclass
class HubRow:
    service: HubService
    people: list[Appointment]


def organisation_chart(alliance_id: int) -> tuple[list[Post], list[HubRow]]:
    """Every key person post (holder, since when, vacant or leaving) and every Production Hub service with the
    people deployed in it: three queries whatever the size."""
    posts = _posts(alliance_id, roles_catalogue(alliance_id))
    current = list(_current_appointments().filter(alliance_id=alliance_id))
    _fill(posts, [a for a in current if a.role_id is not None])
    by_service: dict[int, list[Appointment]] = defaultdict(list)
    today = timezone.localdate()
    for appointment in current:  # a Production Hub person who has left is no longer shown (para 71)
        if appointment.hub_service_id is not None and (appointment.leaving_on is None or appointment.leaving_on >= today):
            by_service[appointment.hub_service_id].append(appointment)
    rows = [HubRow(s, by_service.get(s.pk, [])) for s in hub_services(alliance_id)]
    return posts, rows


def appointment_for(user: Person, pk: int) -> Appointment:
    appointment = (Appointment.objects.select_related("role", "hub_service", "organisation", "predecessor")
                   .filter(pk=pk, alliance_id=_alliance_of(user)).first())
    if appointment is None:
        raise Http404
    return appointment


# --- Production Hub -----------------------------------------------------------------------------------------
def open_resourcing_round(alliance_id: int) -> ResourcingProposal | None:
    return (ResourcingProposal.objects.filter(alliance_id=alliance_id).exclude(status=ProposalStatus.APPROVED)
            .order_by("-pk").first())


def proposals_visible_to(user: Person) -> QuerySet[ResourcingProposal]:
    proposals = ResourcingProposal.objects.filter(alliance_id=_alliance_of(user)).select_related("organisation")
    if has_role(user, Role.ALLIANCE_MANAGER):
        return proposals
    visible = Q(organisation_id=user.organisation_id)
    if has_role(user, *DECIDING_ROLES):
        visible |= Q(status__in=[ProposalStatus.WITH_BOARD, ProposalStatus.APPROVED])
    return proposals.filter(visible)


def proposal_for(user: Person, pk: int) -> ResourcingProposal:
    proposal = proposals_visible_to(user).filter(pk=pk).first()
    if proposal is None or not can_view_proposal(user, proposal):
        raise Http404
    return proposal


def proposal_candidates(user: Person, proposal: ResourcingProposal) -> QuerySet[Nomination]:
    return (nominations_visible_to(user).filter(proposal=proposal)
            .exclude(status__in=[NominationStatus.WITHDRAWN, NominationStatus.REPLACED]).order_by("hub_service__order", "pk"))


def calls_of(alliance_id: int) -> QuerySet[CvCall]:
    mine = CvCall.objects.filter(alliance_id=alliance_id).prefetch_related("services")
    return mine.annotate(cv_count=Count("candidates", filter=~Q(candidates__status__in=[
        NominationStatus.WITHDRAWN, NominationStatus.REPLACED])))


def call_for(user: Person, pk: int) -> CvCall:
    call = calls_of(alliance_id_of(user) or 0).filter(pk=pk).first()
    if call is None:
        raise Http404
    return call


def call_candidates(user: Person, call: CvCall) -> QuerySet[Nomination]:
    return (nominations_visible_to(user).filter(call=call)
            .exclude(status__in=[NominationStatus.WITHDRAWN, NominationStatus.REPLACED])
            .annotate(interview_count=Count("interviews")).order_by("hub_service__order", "organisation__name", "pk"))


def call_recommendations(call: CvCall) -> QuerySet[PortfolioRecommendation]:
    return call.recommendations.select_related("decision", "recommended_by").prefetch_related(
        Prefetch("candidates", queryset=Nomination.objects.select_related("hub_service", "organisation")))


@dataclass
class PortfolioTable:
    """Roles by partner, with the client's presence (para 68): rows are services, columns organisations."""

    columns: list[Organisation]
    rows: list[tuple[HubService, list[list[str]]]]


def portfolio_table(alliance_id: int, recommendation: PortfolioRecommendation | None = None) -> PortfolioTable:
    """Who serves (or is recommended to serve) in each Production Hub service, by organisation. The client's
    column marks the services where it keeps a presence (para 46)."""
    client = client_of(alliance_id)
    columns = [client, *partners_of(alliance_id).order_by("lot__number", "name")]
    index = {o.pk: i for i, o in enumerate(columns)}
    services = list(hub_services(alliance_id))
    cells: dict[int, list[list[str]]] = {s.pk: [[] for _ in columns] for s in services}
    for appointment in Appointment.objects.filter(alliance_id=alliance_id, hub_service__isnull=False, leaving_on__isnull=True):
        if appointment.hub_service_id in cells:
            cells[appointment.hub_service_id][index[appointment.organisation_id]].append(appointment.person_name)
    if recommendation is not None:
        for candidate in recommendation.candidates.all():
            if candidate.hub_service_id in cells:
                cells[candidate.hub_service_id][index[candidate.organisation_id]].append(f"{candidate.person_name} (recommended)")
    return PortfolioTable(columns=columns, rows=[(s, cells[s.pk]) for s in services])


def has_open_nomination_for(organisation_id: int, role_id: int) -> bool:
    return Nomination.objects.filter(organisation_id=organisation_id, role_id=role_id, status__in=_UNDECIDED).exists()


def recommendation_for(user: Person, pk: int) -> PortfolioRecommendation:
    recommendation = PortfolioRecommendation.objects.filter(pk=pk, alliance_id=_alliance_of(user)).first()
    if recommendation is None:
        raise Http404
    return recommendation


def nomination_counts_by_role(user: Person) -> tuple[dict[int, int], dict[int, int]]:
    """Per role: the nominations (withdrawn and replaced ones left out) and those still open (submitted,
    shortlisted or before the Board), counted in the
    database, so the page is one size whatever the number of nominations."""
    rows = (nominations_visible_to(user).filter(route=NominationRoute.KEY_PERSON)
            .exclude(status__in=[NominationStatus.WITHDRAWN, NominationStatus.REPLACED])
            .order_by().values("role_id")
            .annotate(total=Count("pk"), undecided=Count("pk", filter=Q(status__in=[*_UNDECIDED, NominationStatus.PROPOSED]))))
    return {r["role_id"]: r["total"] for r in rows}, {r["role_id"]: r["undecided"] for r in rows}

