"""Pages of the Alliance key person selection (paras 48-60) under /people/.

Thin: parse a form, call one service or selector, render. Who may take a step is the services' rule; a page only
offers the forms a person may use, and a step's endpoint checks the same predicate first so that a wrong role
answers 403 whatever it posted. Another organisation's nomination, or another alliance's role or appointment,
answers 404 (the selectors raise it).
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.dates import local_today
from alliance.models import OrganisationKind
from alliance.views import add_service_errors, record_step
from people import permissions, selectors
from people.forms.key_persons import (
    CandidatesRequestForm,
    ConfirmForm,
    InterviewForm,
    LeaveForm,
    NominationFilterForm,
    NominationForm,
    ProposeForm,
    ReferForm,
    RejectForm,
    ReplaceForm,
)
from people.models import NominationRoute, NominationStatus, Selection
from people.services import key_persons

NOMINATIONS_PAGE_SIZE = 50
OWN_NOMINATIONS_SHOWN = 20
_UNDECIDED = (NominationStatus.SUBMITTED, NominationStatus.SHORTLISTED)


def _grouped(items, key) -> list[tuple[str, list]]:
    """Group in first-seen order (the catalogue's order), for a heading per group."""
    groups: dict[str, list] = defaultdict(list)
    for item in items:
        groups[key(item)].append(item)
    return list(groups.items())


# --- The People home ----------------------------------------------------------------------------------------
def people_home(request):
    alliance_id = permissions.require_member(request.user)
    user = request.user
    organisation = user.organisation
    manager = permissions.can_run_selection(user, alliance_id)
    context = {"is_manager": manager, "organisation": organisation, "quota": None, "quotas": None,
               "role_rows": None, "open_roles": None, "own_nominations": None, "catalogue": None}
    if organisation.kind == OrganisationKind.PARTNER:
        found = selectors.quotas(alliance_id, organisation.pk)
        context["quota"] = found[0] if found else None
    if permissions.can_nominate(user):
        context["open_roles"] = selectors.roles_open_to(organisation)
    if manager:
        context["quotas"] = selectors.quotas(alliance_id)
        posts, _ = selectors.organisation_chart(alliance_id)
        counts, active = selectors.nomination_counts_by_role(user)
        rows = []
        for _, role_posts in _grouped(posts, lambda p: p.role.pk):
            role = role_posts[0].role
            filled = sum(1 for p in role_posts if not p.vacant)
            rows.append({"role": role, "posts": len(role_posts), "filled": filled,
                         "nominations": counts.get(role.pk, 0), "active": active.get(role.pk, 0)})
        context["role_rows"] = rows
    else:
        context["own_nominations"] = list(
            selectors.nominations_list(user, organisation_slug=organisation.slug)[:OWN_NOMINATIONS_SHOWN])
        context["catalogue"] = selectors.roles_catalogue(alliance_id)
    return render(request, "people/home.html", context)


# --- The organisation chart ---------------------------------------------------------------------------------
def organisation_chart(request):
    alliance_id = permissions.require_member(request.user)
    posts, hub_rows = selectors.organisation_chart(alliance_id)
    if permissions.can_run_selection(request.user, alliance_id):  # the Alliance Manager records a Production Hub departure (para 71)
        for row in hub_rows:
            for appointment in row.people:
                if appointment.leaving_on is None:
                    appointment.leave_form = LeaveForm(appointment_id=appointment.pk)
    return render(request, "people/chart.html", {
        "functions": _grouped(posts, lambda p: p.role.function),
        "sub_functions": _grouped(hub_rows, lambda r: r.service.get_sub_function_display()),
        "today": local_today(),
    })


# --- A role: its posts and the nominations side by side -------------------------------------------------------
def _may_nominate(user, role) -> bool:
    return permissions.can_nominate(user) and permissions.may_nominate_for(user.organisation, role)


def _role_context(request, role, **forms) -> dict:
    user = request.user
    manager = permissions.can_run_selection(user, role.alliance_id)
    posts = selectors.role_selection(user, role)
    leave_forms = forms.get("leave_forms", {})
    for post in posts:
        for nomination in post.nominations:
            nomination.cv_visible = permissions.can_view_cv(user, nomination)
        holder = post.holder
        post.leave_form = None
        post.handover_due = False
        if manager and holder is not None:
            post.leave_form = leave_forms.get(holder.pk) or LeaveForm(appointment_id=holder.pk)
            post.handover_due = holder.predecessor_id is not None and holder.handover_completed_on is None
    context = {
        "role": role, "posts": posts, "is_manager": manager, "today": local_today(),
        "may_nominate": _may_nominate(user, role),
        "candidates_form": None, "refer_form": None,
    }
    if manager:
        context["candidates_form"] = forms.get("candidates_form") or CandidatesRequestForm()
        # Para 54: only a pan-alliance post that nobody holds (nor is leaving) goes straight to the Board.
        if role.selection == Selection.PAN_ALLIANCE and all(p.holder is None and p.leaving is None for p in posts):
            context["refer_form"] = forms.get("refer_form") or _refer_form(role.alliance_id)
    return context


def _refer_form(alliance_id: int, data=None, files=None) -> ReferForm:
    return ReferForm(data, files, alliance_id=alliance_id)


def role_detail(request, pk: int):
    permissions.require_member(request.user)
    role = selectors.role_for(request.user, pk)
    return render(request, "people/role.html", _role_context(request, role))


def _role_step(request, pk: int, form_class, key: str, call):
    """An Alliance Manager's step from a role's page (paras 54, 58)."""
    permissions.require_member(request.user)
    role = selectors.role_for(request.user, pk)
    permissions.require_selection_runner(request.user, role.alliance_id, key_persons.ERR_NOMINATION_NOT_AM)
    return record_step(request, pk, form_class, key, call, load=selectors.role_for, context=_role_context,
                       template="people/role.html", url_name="people-role")


@require_POST
def candidates_request(request, pk: int):
    def call(role, data):
        key_persons.candidates_request(actor=request.user, role=role, message=data["message"], due_date=data["due_date"])
        return (f"The partners who may nominate for {role} are asked for alternative candidates by "
                f"{data['due_date']:%-d %b %Y} (para 58).")

    return _role_step(request, pk, CandidatesRequestForm, "candidates_form", call)


@require_POST
def refer_to_board(request, pk: int):
    alliance_id = permissions.require_member(request.user)

    def form_class(data, files):
        return _refer_form(alliance_id, data, files)

    def call(role, data):
        decision = key_persons.role_refer_to_board(
            actor=request.user, role=role, person_name=data["person_name"], organisation=data["organisation"],
            statement=data["statement"], closes_on=data["closes_on"])
        return (f"The Board is asked to appoint {data['person_name']} as {role} (para 54); its decision closes on "
                f"{decision.closes_at:%-d %b %Y}.")

    return _role_step(request, pk, form_class, "refer_form", call)


# --- Nominate ---------------------------------------------------------------------------------------------
def nominate(request, pk: int):
    permissions.require_member(request.user)
    role = selectors.role_for(request.user, pk)
    permissions.require_nominator_for(request.user, role, not_nominator=key_persons.ERR_NOMINATION_NOT_NOMINATOR,
                                      not_open=key_persons.ERR_NOMINATION_ROLE_NOT_OPEN)
    form = NominationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            nomination = key_persons.nomination_submit(
                actor=request.user, role=role, person_name=data["person_name"], statement=data["statement"],
                full_time=data["full_time"], cv=data["cv"])
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, f"You nominated {nomination.person_name} for {role}. The Alliance Manager "
                                      f"has been told.")
            return redirect("people-nomination", pk=nomination.pk)
    return render(request, "people/nominate.html", {"role": role, "form": form},
                  status=400 if form.errors else 200)


# --- The nominations list -----------------------------------------------------------------------------------
def nominations(request):
    alliance_id = permissions.require_member(request.user)
    user = request.user
    manager = permissions.can_run_selection(user, alliance_id)
    organisations = None
    if manager:
        organisations = sorted([*selectors.partners_of(alliance_id), selectors.client_of(alliance_id)],
                               key=lambda o: o.name)
    form = NominationFilterForm(request.GET or None, roles=selectors.roles_catalogue(alliance_id),
                                organisations=organisations)
    page = Paginator(selectors.nominations_list(user, **form.filters()), NOMINATIONS_PAGE_SIZE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "people/nominations.html", {
        "form": form, "page": page, "query": query.urlencode(), "is_manager": manager,
    })


# --- A nomination -------------------------------------------------------------------------------------------
def _nomination_context(request, nomination, **forms) -> dict:
    user = request.user
    manager = permissions.can_run_selection(user, nomination.alliance_id)
    undecided = nomination.status in _UNDECIDED
    key_person = nomination.route == NominationRoute.KEY_PERSON
    can_change = permissions.can_change_nomination(user, nomination)
    partner_specific = key_person and nomination.role.is_partner_specific
    context = {
        "nomination": nomination,
        "is_manager": manager,
        "can_view_cv": permissions.can_view_cv(user, nomination),
        "can_delete_cv": can_change and nomination.has_cv,
        "can_withdraw": can_change and undecided,
        "replace_form": None,
        "can_shortlist": manager and nomination.status == NominationStatus.SUBMITTED,
        "reject_form": None, "interview_form": None, "propose_form": None,
        "can_approve": manager and undecided and partner_specific,
        "interviews": selectors.nomination_interviews(nomination),
        "history": selectors.nomination_history(nomination),
        "cv_log": selectors.cv_log(nomination) if permissions.can_view_cv_log(user, nomination) else None,
        "replaces": nomination.replaces,
        "replaced_by": getattr(nomination, "replaced_by", None) if nomination.status == NominationStatus.REPLACED
        else None,
        "decision": nomination.decision,
    }
    if can_change and undecided:
        context["replace_form"] = forms.get("replace_form") or ReplaceForm()
    if manager and undecided:
        context["reject_form"] = forms.get("reject_form") or RejectForm()
        if key_person and not partner_specific:
            context["propose_form"] = forms.get("propose_form") or ProposeForm()
    if manager and (undecided or nomination.status == NominationStatus.PROPOSED):
        context["interview_form"] = forms.get("interview_form") or InterviewForm(initial={"held_on": local_today()})
    return context


def nomination_detail(request, pk: int):
    permissions.require_member(request.user)
    nomination = selectors.nomination_for(request.user, pk)
    return render(request, "people/nomination.html", _nomination_context(request, nomination))


def _nomination_step(request, pk: int, form_class, key: str, call, *, allowed, refusal: str):
    """One step from a nomination's page (alliance.views.record_step): 404 if the nomination is not visible,
    then 403 if the person may not take the step, then the form and the service."""
    permissions.require_member(request.user)

    def load(user, pk):
        nomination = selectors.nomination_for(user, pk)
        if not allowed(user, nomination):
            raise PermissionDenied(refusal)
        return nomination

    return record_step(request, pk, form_class, key, call, load=load, context=_nomination_context,
                       template="people/nomination.html", url_name="people-nomination")


def _manager_step(request, pk: int, form_class, key: str, call):
    return _nomination_step(request, pk, form_class, key, call, refusal=key_persons.ERR_NOMINATION_NOT_AM,
                            allowed=lambda user, n: permissions.can_run_selection(user, n.alliance_id))


@require_POST
def nomination_withdraw(request, pk: int):
    def call(nomination, data):
        key_persons.nomination_withdraw(actor=request.user, nomination=nomination)
        return f"The nomination of {nomination.person_name} is withdrawn."

    return _nomination_step(request, pk, ConfirmForm, "withdraw_form", call,
                            allowed=permissions.can_change_nomination, refusal=key_persons.ERR_NOMINATION_NOT_NOMINATOR)


@require_POST
def nomination_replace(request, pk: int):
    """Put another person forward in place of this one; the new nomination's page follows."""
    permissions.require_member(request.user)
    nomination = selectors.nomination_for(request.user, pk)
    permissions.require_may_change(request.user, nomination, key_persons.ERR_NOMINATION_NOT_NOMINATOR)
    form = ReplaceForm(request.POST, request.FILES or None)
    if form.is_valid():
        data = form.cleaned_data
        try:
            replacement = key_persons.nomination_replace(
                actor=request.user, nomination=nomination, person_name=data["person_name"],
                statement=data["statement"], full_time=data["full_time"], cv=data["cv"])
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, f"{replacement.person_name} replaces {nomination.person_name}.")
            return redirect("people-nomination", pk=replacement.pk)
    nomination = selectors.nomination_for(request.user, pk)
    context = _nomination_context(request, nomination, replace_form=form)
    context["replace_form"] = form
    context["errors_form"] = form
    return render(request, "people/nomination.html", context, status=400)


@require_POST
def nomination_shortlist(request, pk: int):
    def call(nomination, data):
        key_persons.nomination_shortlist(actor=request.user, nomination=nomination)
        return f"{nomination.person_name} is shortlisted."

    return _manager_step(request, pk, ConfirmForm, "shortlist_form", call)


@require_POST
def nomination_reject(request, pk: int):
    def call(nomination, data):
        key_persons.nomination_reject(actor=request.user, nomination=nomination, comments=data["comments"])
        return f"The nomination of {nomination.person_name} is rejected; the partner sees your comments."

    return _manager_step(request, pk, RejectForm, "reject_form", call)


@require_POST
def interview_record(request, pk: int):
    def call(nomination, data):
        interview = key_persons.interview_record(
            actor=request.user, nomination=nomination, held_on=data["held_on"], panel=data["panel"],
            notes=data["notes"], outcome=data["outcome"])
        return f"The interview of {nomination.person_name} on {interview.held_on:%-d %b %Y} is recorded."

    return _manager_step(request, pk, InterviewForm, "interview_form", call)


@require_POST
def nomination_approve(request, pk: int):
    def call(nomination, data):
        appointment = key_persons.nomination_approve(actor=request.user, nomination=nomination)
        return f"{appointment.person_name} is appointed from {appointment.started_on:%-d %b %Y} (para 57)."

    return _manager_step(request, pk, ConfirmForm, "approve_form", call)


@require_POST
def nomination_propose(request, pk: int):
    def call(nomination, data):
        decision = key_persons.nomination_propose(actor=request.user, nomination=nomination,
                                               closes_on=data["closes_on"])
        return (f"{nomination.person_name} is proposed to the Board (para 59); its decision closes on "
                f"{decision.closes_at:%-d %b %Y}.")

    return _manager_step(request, pk, ProposeForm, "propose_form", call)


# --- Appointments: departure and handover (para 60) ---------------------------------------------------------
def _appointment_step(request, pk: int, form_class, call, *, key: str | None = None):
    """A step on an appointment, taken from its role's page: on refusal the role's page again, status 400, with
    the form in error. A Production Hub appointment has no role page: its refusal is a message on the chart."""
    permissions.require_member(request.user)
    appointment = selectors.appointment_for(request.user, pk)
    permissions.require_selection_runner(request.user, appointment.alliance_id, key_persons.ERR_NOMINATION_NOT_AM)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            message = call(appointment, form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, message)
            return redirect("people-role", pk=appointment.role_id) if appointment.role_id else redirect("people-chart")
    if appointment.role_id is None:  # a Production Hub person: the form is on the organisation chart
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return redirect("people-chart")
    role = selectors.role_for(request.user, appointment.role_id)
    forms = {"leave_forms": {appointment.pk: form}} if key == "leave" else {}
    context = _role_context(request, role, **forms)
    context["errors_form"] = form
    return render(request, "people/role.html", context, status=400)


@require_POST
def appointment_leave(request, pk: int):
    def form_class(data):
        return LeaveForm(data, appointment_id=pk)

    def call(appointment, data):
        key_persons.appointment_leave(actor=request.user, appointment=appointment, leaving_on=data["leaving_on"],
                                   reason=data["reason"])
        if appointment.role_id is None:
            return (f"{appointment.person_name} leaves on {data['leaving_on']:%-d %b %Y}; issue a call for CVs to "
                    f"replace them (para 71).")
        return (f"{appointment.person_name} leaves on {data['leaving_on']:%-d %b %Y}; the post is open for "
                f"nominations again (para 60).")

    return _appointment_step(request, pk, form_class, call, key="leave")


@require_POST
def handover_complete(request, pk: int):
    def call(appointment, data):
        key_persons.handover_complete(actor=request.user, appointment=appointment)
        return f"The handover to {appointment.person_name} is recorded as complete (para 60)."

    return _appointment_step(request, pk, ConfirmForm, call)
