"""Pages of client instructions: the register, an instruction with its timeline, and each step's form.

Thin: parse a form, call one service or selector, render. Who may take a step is the services' rule; the
page only offers the forms a person may use.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.csvfiles import csv_writer
from alliance.dates import local_today
from alliance.views import add_service_errors, record_step
from governance import permissions
from governance.forms.instructions import (
    ClientDecisionForm,
    ImpactAssessmentForm,
    InstructForm,
    InstructionDocumentForm,
    InstructionFilterForm,
    InstructionIssueForm,
    WithdrawForm,
)
from governance.models.instructions import InstructionStage
from governance.selectors import instructions as instructions_selectors
from governance.services import instructions as instructions_services

REGISTER_PAGE_SIZE = 50


def _register(request):
    form = InstructionFilterForm(request.GET or None)
    return form, instructions_selectors.instructions_register(request.user, **form.filters())


def register(request):
    permissions.require_instructions_viewer(request.user)
    form, instructions = _register(request)
    page = Paginator(instructions, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    today = local_today()
    for row in page.object_list:
        row.days_left = (row.clock_due_on - today).days if row.clock_due_on else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "governance/instructions/register.html", {
        "form": form, "page": page, "query": query.urlencode(), "today": today,
        "can_issue": permissions.is_sro(request.user),
    })


class _Echo:
    def write(self, value):
        return value


def register_csv(request):
    """The whole filtered register as CSV, streamed row by row."""
    permissions.require_instructions_viewer(request.user)
    _, instructions = _register(request)
    today = local_today()
    writer = csv_writer(_Echo())

    def rows():
        yield writer.writerow(["reference", "title", "issued on", "ministerial", "stage", "current clock", "due on",
                               "days left", "overdue", "board outcome"])
        for i in instructions.iterator(chunk_size=500):
            yield writer.writerow([
                i.reference, i.title, i.issued_on.isoformat(), "yes" if i.ministerial else "no", i.get_stage_display(),
                instructions_selectors.CLOCK_NAMES.get(i.clock_kind, ""), i.clock_due_on.isoformat() if i.clock_due_on else "",
                (i.clock_due_on - today).days if i.clock_due_on else "", "yes" if i.is_overdue else "no",
                i.get_board_recommendation_display(),
            ])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="client-instructions.csv"'
    return response


def issue(request):
    permissions.require_instructions_viewer(request.user)
    permissions.require_sro(request.user, instructions_services.ERR_INSTRUCTION_NOT_SRO)
    form = InstructionIssueForm(request.POST or None, request.FILES or None,
                                initial={"issued_on": local_today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            instruction = instructions_services.instruction_issue(
                actor=request.user, title=data["title"], description=data["description"], issued_on=data["issued_on"],
                ministerial=data["ministerial"], documents=[data["document"]] if data["document"] else [],
            )
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, f"{instruction.reference} is issued. The impact assessment is due in "
                                      f"{instruction.period_days} days.")
            return redirect("instruction", pk=instruction.pk)
    return render(request, "governance/instructions/issue.html", {"form": form},
                  status=400 if form.errors else 200)


def _detail_context(request, instruction, **forms) -> dict:
    clocks = instructions_selectors.instruction_clocks(instruction)
    user = request.user
    stage = instruction.stage
    context = {
        "instruction": instruction,
        "assessment": getattr(instruction, "impact_assessment", None),
        "clocks": clocks,
        "today": local_today(),
        "timeline": instructions_selectors.instruction_timeline(instruction, clocks),
        "documents": instructions_selectors.instruction_documents(instruction),
        "history": instructions_selectors.instruction_history(instruction),
        "assessment_form": None, "client_form": None, "instruct_form": None, "withdraw_form": None,
        "can_retable": False,
        "document_form": None,
    }
    if not instruction.is_closed and (permissions.is_sro(user) or permissions.is_alliance_manager(user)):
        context["document_form"] = forms.get("document_form") or InstructionDocumentForm()
    if permissions.is_alliance_manager(user):
        if stage == InstructionStage.PROPOSED:
            context["assessment_form"] = forms.get("assessment_form") or ImpactAssessmentForm()
        if stage == InstructionStage.ACCEPTED:
            context["instruct_form"] = forms.get("instruct_form") or InstructForm()
        context["can_retable"] = (stage == InstructionStage.BOARD_REVIEW and instruction.decision is not None
                                  and instruction.decision.outcome == "not_taken")
    if permissions.is_sro(user):
        if stage == InstructionStage.CLIENT_REVIEW:
            context["client_form"] = forms.get("client_form") or ClientDecisionForm()
        if stage == InstructionStage.PROPOSED:
            context["withdraw_form"] = forms.get("withdraw_form") or WithdrawForm()
    return context


def detail(request, pk: int):
    permissions.require_instructions_viewer(request.user)
    instruction = instructions_selectors.instruction_for(request.user, pk)
    return render(request, "governance/instructions/detail.html", _detail_context(request, instruction))


def _step_post(request, pk: int, form_class, context_key: str, call):
    """One step from the instruction's page (alliance.views.record_step)."""
    permissions.require_instructions_viewer(request.user)
    return record_step(request, pk, form_class, context_key, call, load=instructions_selectors.instruction_for,
                       context=_detail_context, template="governance/instructions/detail.html", url_name="instruction")


@require_POST
def assessment_submit(request, pk: int):
    def call(instruction, data):
        instruction = instructions_services.impact_assessment_submit(
            actor=request.user, instruction=instruction, summary=data["summary"], cost_effect=data["cost_effect"],
            time_effect_days=data["time_effect_days"], risk_effect=data["risk_effect"], document=data["document"],
            submitted_on=data["submitted_on"],
        )
        return (f"The impact assessment is submitted and the Board's decision is tabled; the Board has "
                f"{instruction.period_days} days (para 28).")

    return _step_post(request, pk, ImpactAssessmentForm, "assessment_form", call)


@require_POST
def client_decide(request, pk: int):
    def call(instruction, data):
        instruction = instructions_services.instruction_client_decide(actor=request.user, instruction=instruction,
                                                         accept=data["accept"], reason=data["reason"])
        return f"{instruction.reference}: {instruction.get_stage_display().lower()}."

    return _step_post(request, pk, ClientDecisionForm, "client_form", call)


@require_POST
def instruct(request, pk: int):
    def call(instruction, data):
        instruction = instructions_services.instruction_instruct(actor=request.user, instruction=instruction,
                                                    instruction_text=data["instruction_text"])
        return f"The Alliance is instructed on {instruction.reference}."

    return _step_post(request, pk, InstructForm, "instruct_form", call)


@require_POST
def withdraw(request, pk: int):
    def call(instruction, data):
        instruction = instructions_services.instruction_withdraw(actor=request.user, instruction=instruction, reason=data["reason"])
        return f"{instruction.reference} is withdrawn."

    return _step_post(request, pk, WithdrawForm, "withdraw_form", call)


@require_POST
def retable(request, pk: int):
    permissions.require_instructions_viewer(request.user)
    instruction = instructions_selectors.instruction_for(request.user, pk)
    try:
        instructions_services.instruction_board_retable(actor=request.user, instruction=instruction)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
    else:
        messages.success(request, "The recommendation is tabled again at the Board.")
    return redirect("instruction", pk=pk)


@require_POST
def document_attach(request, pk: int):
    def call(instruction, data):
        document = instructions_services.instruction_document_attach(actor=request.user, instruction=instruction,
                                                        upload=data["document"])
        return f"{document.title} is attached."

    return _step_post(request, pk, InstructionDocumentForm, "document_form", call)


def document_download(request, pk: int):
    """Attachments are read by those who see the register; another alliance's is not found."""
    permissions.require_instructions_viewer(request.user)
    document = instructions_selectors.instruction_document_for(request.user, pk)
    extension = {"application/pdf": "pdf"}.get(document.content_type, document.file.name.rsplit(".", 1)[-1])
    return FileResponse(document.file.open("rb"), as_attachment=True,
                        filename=f"{document.instruction.reference}-{document.pk}.{extension}",
                        content_type=document.content_type)
