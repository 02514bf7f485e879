"""HTML pages of the Board. Thin: parse a form, call one service or selector, render."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from alliance.csvfiles import csv_writer
from alliance.views import add_service_errors
from governance import permissions
from governance.forms.board import (
    AgendaItemForm,
    AttendanceForm,
    DecisionFilterForm,
    DecisionTableForm,
    DecisionTypeForm,
    DelegationForm,
    MeetingForm,
    MinutesForm,
    PaperForm,
    RearrangeForm,
    VoteForm,
)
from governance.minutes_pdf import minutes_pdf
from governance.models.board import Choice, DecisionStatus
from governance.selectors import board as board_selectors
from governance.services import board as board_services

PAST_PAGE_SIZE = 25


def _filtered_past(request, alliance):
    form = DecisionFilterForm(request.GET or None, alliance_id=alliance.pk)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {"decision_type": data["decision_type"] or None, "outcome": data["outcome"] or None,
                   "search": data["q"] or None, "closed_from": data["closed_from"], "closed_to": data["closed_to"]}
    return form, board_selectors.board_decisions(request.user, status=DecisionStatus.CLOSED, **filters)


def board(request):
    alliance = permissions.require_board_member(request.user)
    form, past = _filtered_past(request, alliance)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "governance/board.html", {
        "open_decisions": board_selectors.board_decisions(request.user, status=DecisionStatus.OPEN),
        "meetings": board_selectors.meetings_upcoming(request.user)[:10],
        "past_meetings": board_selectors.meetings_past(request.user)[:5],
        "form": form,
        "page": Paginator(past, PAST_PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query.urlencode(),
        "can_run_board": permissions.can_run_board(request.user),
        # The seats: the Alliance's members today, and those whose membership ended lately (paras 12, 95-98).
        "seats": board_selectors.board_seats(alliance.pk),
        "ended_seats": board_selectors.ended_seats(alliance.pk),
        "my_organisation_seated": board_selectors.has_seat(request.user.organisation),
    })


def decisions_csv(request):
    alliance = permissions.require_board_member(request.user)
    _, past = _filtered_past(request, alliance)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="board-decisions.csv"'
    writer = csv_writer(response)
    writer.writerow(["id", "title", "decision type", "authority", "paragraph", "outcome", "for", "against",
                     "abstain", "not voted", "closed at"])
    for d in past:
        writer.writerow([d.pk, d.title, d.decision_type.name, d.get_authority_display(), d.rule_paragraph,
                         d.get_outcome_display(), d.votes_for, d.votes_against, d.votes_abstain, d.votes_missing,
                         timezone.localtime(d.closed_at).strftime("%Y-%m-%d %H:%M") if d.closed_at else ""])
    return response


def _decision_context(request, decision) -> dict:
    votes = board_selectors.decision_votes(decision)
    voters = list(board_selectors.voters_of(decision))
    my_vote = next((v for v in votes if v.organisation_id == request.user.organisation_id), None)
    return {
        "decision": decision,
        "ballot": board_selectors.decision_ballot(decision, votes, voters),
        "tally": board_selectors.decision_tally(decision, votes, voters),
        "my_vote": my_vote,
        "vote_refusal": board_selectors.vote_refusal(request.user, decision),
        "can_close": permissions.can_run_board(request.user) and decision.status == DecisionStatus.OPEN,
    }


def decision_detail(request, pk: int):
    permissions.require_board_member(request.user)
    decision = board_selectors.decision_for(request.user, pk)
    context = _decision_context(request, decision) | {
        "papers": board_selectors.decision_papers(decision),
        "vote_history": board_selectors.decision_vote_history(decision)[:100],
        "delegation_form": DelegationForm(delegates=board_selectors.delegates_of(request.user))
        if decision.status == DecisionStatus.OPEN and permissions.can_name_delegate(request.user) else None,
    }
    return render(request, "governance/decision_detail.html", context)


@require_POST
def decision_vote(request, pk: int):
    """One click: htmx swaps in the vote panel; without JavaScript the form posts and redirects back."""
    permissions.require_board_member(request.user)
    decision = board_selectors.decision_for(request.user, pk)
    form = VoteForm(request.POST)
    error = None
    if not form.is_valid():
        error = "Choose for, against or abstain."
    else:
        try:
            decision = board_services.vote_cast(actor=request.user, decision=decision, choice=form.cleaned_data["choice"])
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
    if request.headers.get("HX-Request"):
        # 200 even when refused: htmx 2 does not swap 4xx replies, and the panel itself carries the refusal.
        context = _decision_context(request, decision) | {"vote_error": error, "just_voted": error is None}
        return render(request, "governance/_vote_panel.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Your organisation's vote is recorded: {Choice(form.cleaned_data['choice']).label}.")
    return redirect("board-decision", pk=pk)


@require_POST
def decision_close(request, pk: int):
    permissions.require_board_member(request.user)
    decision = board_selectors.decision_for(request.user, pk)
    try:
        decision = board_services.decision_close(actor=request.user, decision=decision)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"The decision is closed: {decision.get_outcome_display().lower()}.")
    return redirect("board-decision", pk=pk)


def _delegate(request, *, scope_name: str, **scope) -> None:
    form = DelegationForm(request.POST, delegates=board_selectors.delegates_of(request.user))
    if not form.is_valid():
        messages.error(request, "Choose your delegate.")
        return
    try:
        board_services.delegation_grant(actor=request.user, delegate=form.cleaned_data["delegate"], **scope)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, f"{form.cleaned_data['delegate']} may now vote for your organisation {scope_name}.")


@require_POST
def decision_delegate(request, pk: int):
    permissions.require_board_member(request.user)
    _delegate(request, scope_name="on this decision", decision=board_selectors.decision_for(request.user, pk))
    return redirect("board-decision", pk=pk)


@require_POST
def meeting_delegate(request, pk: int):
    permissions.require_board_member(request.user)
    _delegate(request, scope_name="at this meeting", meeting=board_selectors.meeting_for(request.user, pk))
    return redirect("board-meeting", pk=pk)


def decision_table(request):
    alliance = permissions.require_board_runner(request.user)
    form = DecisionTableForm(request.POST or None, request.FILES or None, alliance_id=alliance.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            decision = board_services.decision_table_with_paper(
                actor=request.user, alliance=alliance, title=data["title"], description=data["description"],
                decision_type=data["decision_type"], meeting=data["meeting"], closes_at=data["closes_at"],
                paper=data["paper"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The decision is tabled; each voting organisation has been asked to vote.")
            return redirect("board-decision", pk=decision.pk)
    return render(request, "governance/decision_table.html", {"form": form}, status=400 if form.errors else 200)


# --- Meetings -------------------------------------------------------------------------------------------


def meeting_schedule(request):
    alliance = permissions.require_board_runner(request.user)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = board_services.meeting_schedule(
                actor=request.user, alliance=alliance, title=form.cleaned_data["title"],
                starts_at=form.cleaned_data["starts_at"], location=form.cleaned_data["location"],
                agenda=form.agenda_items(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The meeting is scheduled.")
            return redirect("board-meeting", pk=meeting.pk)
    return render(request, "governance/meeting_schedule.html", {"form": form}, status=400 if form.errors else 200)


def meeting_detail(request, pk: int, forms: dict | None = None):
    alliance = permissions.require_board_member(request.user)
    meeting = board_selectors.meeting_for(request.user, pk)
    forms = forms or {}
    people = board_selectors.board_people(alliance.pk)
    return render(request, "governance/meeting_detail.html", {
        "meeting": meeting,
        "agenda": meeting.agenda_items.all(),
        "attendances": board_selectors.meeting_attendances(meeting),
        "chair_present": board_selectors.chair_present(meeting),
        "unrepresented": board_selectors.unrepresented_organisations(meeting),
        "decisions": meeting.decisions.select_related("decision_type").order_by("tabled_at"),
        "papers": meeting.papers.all(),
        "can_run_board": permissions.can_run_board(request.user),
        "attendance_form": forms.get("attendance") or AttendanceForm(people=people),
        "agenda_form": forms.get("agenda") or AgendaItemForm(),
        "rearrange_form": forms.get("rearrange") or RearrangeForm(),
        "paper_form": forms.get("paper") or PaperForm(),
        "delegation_form": DelegationForm(delegates=board_selectors.delegates_of(request.user))
        if permissions.can_name_delegate(request.user) else None,
        "forms_with_errors": [f for f in forms.values() if f.errors],
    }, status=400 if forms else 200)


def _meeting_action(request, pk: int, call, done: str):
    permissions.require_board_runner(request.user)
    meeting = board_selectors.meeting_for(request.user, pk)
    try:
        result = call(meeting)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("board-meeting", pk=pk)
    messages.success(request, done)
    return redirect("board-meeting", pk=getattr(result, "pk", pk))


@require_POST
def meeting_open(request, pk: int):
    return _meeting_action(request, pk, lambda m: board_services.meeting_open(actor=request.user, meeting=m),
                           "The meeting is open: board members can vote on its decisions.")


@require_POST
def meeting_end(request, pk: int):
    return _meeting_action(request, pk, lambda m: board_services.meeting_end(actor=request.user, meeting=m),
                           "The meeting has ended; its decisions are closed.")


def _meeting_form_action(request, pk: int, form, key: str, call, done: str):
    permissions.require_board_runner(request.user)
    meeting = board_selectors.meeting_for(request.user, pk)
    if form.is_valid():
        try:
            result = call(meeting, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, done)
            # A rearranged meeting continues as the new meeting the service returns.
            return redirect("board-meeting", pk=result.pk if key == "rearrange" else pk)
    return meeting_detail(request, pk, forms={key: form})


@require_POST
def meeting_rearrange(request, pk: int):
    return _meeting_form_action(
        request, pk, RearrangeForm(request.POST), "rearrange",
        lambda m, d: board_services.meeting_rearrange(actor=request.user, meeting=m, starts_at=d["starts_at"],
                                                location=d["location"]),
        "The meeting is rearranged; this is the new meeting.",
    )


@require_POST
def meeting_attendance(request, pk: int):
    alliance = permissions.require_board_member(request.user)
    return _meeting_form_action(
        request, pk, AttendanceForm(request.POST, people=board_selectors.board_people(alliance.pk)), "attendance",
        lambda m, d: board_services.attendance_record(actor=request.user, meeting=m, person=d["person"], status=d["status"]),
        "Attendance recorded.",
    )


@require_POST
def meeting_agenda_add(request, pk: int):
    return _meeting_form_action(
        request, pk, AgendaItemForm(request.POST), "agenda",
        lambda m, d: board_services.agenda_item_add(actor=request.user, meeting=m, title=d["title"], description=d["description"]),
        "Agenda item added.",
    )


@require_POST
def meeting_paper_add(request, pk: int):
    return _meeting_form_action(
        request, pk, PaperForm(request.POST, request.FILES), "paper",
        lambda m, d: board_services.paper_attach(actor=request.user, meeting=m, title=d["title"], upload=d["file"]),
        "Paper attached.",
    )


def meeting_minutes(request, pk: int):
    permissions.require_board_member(request.user)
    meeting = board_selectors.meeting_for(request.user, pk)
    form = MinutesForm(request.POST or None, initial={"notes": meeting.minutes_notes})
    if request.method == "POST":
        permissions.require_board_runner(request.user)
        if form.is_valid():
            try:
                board_services.minutes_update(actor=request.user, meeting=meeting, notes=form.cleaned_data["notes"])
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "The minutes' notes are saved.")
                return redirect("board-minutes", pk=pk)
    return render(request, "governance/minutes.html", board_selectors.minutes_content(meeting) | {
        "form": form, "can_edit": permissions.can_run_board(request.user) and not meeting.minutes_locked,
        "can_approve": permissions.is_chair(request.user) and not meeting.minutes_locked,
    }, status=400 if form.errors else 200)


def meeting_minutes_pdf(request, pk: int):
    permissions.require_board_member(request.user)
    meeting = board_selectors.meeting_for(request.user, pk)
    response = HttpResponse(minutes_pdf(board_selectors.minutes_content(meeting)), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="minutes-{meeting.starts_at:%Y-%m-%d}.pdf"'
    return response


@require_POST
def meeting_minutes_approve(request, pk: int):
    permissions.require_board_member(request.user)
    meeting = board_selectors.meeting_for(request.user, pk)
    try:
        board_services.minutes_approve(actor=request.user, meeting=meeting)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, "The minutes are approved and locked.")
    return redirect("board-minutes", pk=pk)


def paper_download(request, pk: int):
    """Papers are for board members only; another alliance's paper is not found."""
    permissions.require_board_member(request.user)
    paper = board_selectors.paper_for(request.user, pk)
    extension = {"application/pdf": "pdf"}.get(paper.content_type, paper.file.name.rsplit(".", 1)[-1])
    return FileResponse(paper.file.open("rb"), as_attachment=True, filename=f"paper-{paper.pk}.{extension}",
                        content_type=paper.content_type)


# --- The Decision Matrix --------------------------------------------------------------------------------


def matrix(request):
    alliance = permissions.require_board_member(request.user)
    return render(request, "governance/matrix.html", {
        "types": board_selectors.decision_types(alliance.pk).order_by("name"),
        "can_edit": permissions.can_edit_matrix(request.user),
    })


def matrix_edit(request, pk: int | None = None):
    alliance = permissions.require_matrix_editor(request.user)
    row = board_selectors.decision_type_for(request.user, pk) if pk else None
    initial = {f: getattr(row, f) for f in ("code", "name", "authority", "paragraph", "notes", "is_active")} if row else None
    form = DecisionTypeForm(request.POST or None, initial=initial)
    if row:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            board_services.decision_type_save(actor=request.user, alliance=alliance, decision_type=row, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "The Decision Matrix is updated. Decisions already tabled keep their rule.")
            return redirect("board-matrix")
    history = row.history.select_related("history_user").order_by("-history_date") if row else []
    return render(request, "governance/matrix_edit.html", {"form": form, "row": row, "history": history},
                  status=400 if form.errors else 200)
