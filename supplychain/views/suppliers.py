"""Pages of the supplier register, accreditation, 360° reviews, spend and the SME share, and the procurement
pipeline. Thin: parse a form, call one service or selector, render. Every member reads (open book); the
supply chain team changes (the services refuse anyone else, the pages show them no forms)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.csvfiles import csv_writer
from alliance.views import add_service_errors, record_step
from supplychain import permissions
from supplychain.forms import (
    AccreditationForm,
    ChooseSupplierForm,
    OpportunityForm,
    PipelineFilterForm,
    PublishForm,
    ReviewForm,
    SmeFeedForm,
    SpendFilterForm,
    SpendForm,
    SpendUploadForm,
    SupplierFilterForm,
    SupplierForm,
)
from supplychain.selectors import suppliers as selectors
from supplychain.services import suppliers as services

PAGE_SIZE = 50


def _paginate(request, queryset):
    query = request.GET.copy()
    query.pop("page", None)
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page")), query.urlencode()


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


# --- The register --------------------------------------------------------------------------------------------


def suppliers(request):
    alliance_id = permissions.require_member(request.user)
    form = SupplierFilterForm(request.GET or None, categories=selectors.supplier_categories(alliance_id))
    page, query = _paginate(request, selectors.suppliers_register(request.user, **form.filters()))
    return render(request, "supplychain/suppliers_list.html", {
        "form": form, "page": page, "query": query, "is_team": permissions.is_supply_chain_team(request.user),
    })


def supplier_new(request):
    permissions.require_supply_chain_team(request.user)
    form = SupplierForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            supplier = services.supplier_register(actor=request.user, **form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, f"{supplier.name} is on the register.")
            return redirect("supplychain-supplier", pk=supplier.pk)
    return render(request, "supplychain/suppliers_form.html", {"form": form, "supplier": None},
                  status=400 if form.errors else 200)


def supplier_edit(request, pk: int):
    permissions.require_member(request.user)
    supplier = selectors.supplier_for(request.user, pk)
    permissions.require_supply_chain_team(request.user)
    initial = {name: getattr(supplier, name) for name in services.SUPPLIER_FIELDS}
    initial["relationship_owner"] = supplier.relationship_owner_id
    form = SupplierForm(request.POST or None, initial=initial, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.supplier_update(actor=request.user, supplier=supplier, **form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, f"{supplier.name}'s details are saved.")
            return redirect("supplychain-supplier", pk=supplier.pk)
    return render(request, "supplychain/suppliers_form.html", {"form": form, "supplier": supplier},
                  status=400 if form.errors else 200)


def _supplier_context(request, supplier, **forms) -> dict:
    is_team = permissions.is_supply_chain_team(request.user, supplier.alliance_id)
    return {
        "supplier": supplier,
        "state_label": selectors.AccreditationState(supplier.accreditation_state).label,
        "accreditations": selectors.accreditations_of(supplier),
        "quarters": selectors.review_quarters(supplier),
        "reviews": selectors.reviews_of(supplier)[:40],
        "spend": selectors.supplier_spend(supplier)[:8],
        "opportunities": supplier.opportunities.order_by("-pipeline_year", "advert_on"),
        "is_team": is_team,
        "accreditation_form": (forms.get("accreditation_form") or AccreditationForm()) if is_team else None,
        "review_form": ((forms.get("review_form") or ReviewForm())
                        if permissions.can_review_supplier(request.user, supplier.alliance_id) else None),
        "errors_form": forms.get("errors_form"),
    }


def supplier_detail(request, pk: int):
    permissions.require_member(request.user)
    supplier = selectors.supplier_for(request.user, pk)
    return render(request, "supplychain/suppliers_detail.html", _supplier_context(request, supplier))


# How a step is taken from a supplier's page (alliance.views.record_step).
SUPPLIER_PAGE = {"load": selectors.supplier_for, "context": _supplier_context,
                 "template": "supplychain/suppliers_detail.html", "url_name": "supplychain-supplier"}


@require_POST
def supplier_accredit(request, pk: int):
    def call(supplier, data):
        accreditation = services.accreditation_record(actor=request.user, supplier=supplier, **data)
        verdict = "passed all five criteria" if accreditation.passed else "failed a criterion: not accredited"
        return (f"{supplier.name}'s assessment is recorded ({verdict}); its renewal is due on "
                f"{accreditation.expires_on:%-d %b %Y}.")

    permissions.require_member(request.user)
    selectors.supplier_for(request.user, pk)  # 404 for another alliance's
    permissions.require_supply_chain_team(request.user)
    return record_step(request, pk, AccreditationForm, "accreditation_form", call, **SUPPLIER_PAGE)


@require_POST
def supplier_review(request, pk: int):
    def call(supplier, data):
        review = services.review_record(actor=request.user, supplier=supplier, **data)
        return f"Your review of {supplier.name} for {review.period} is recorded."

    permissions.require_member(request.user)
    selectors.supplier_for(request.user, pk)  # 404 for another alliance's
    permissions.require_supplier_reviewer(request.user)
    return record_step(request, pk, ReviewForm, "review_form", call, **SUPPLIER_PAGE)


# --- Spend and the SME share ---------------------------------------------------------------------------------


def _spend_context(request, alliance_id: int, **forms) -> dict:
    is_team = permissions.is_supply_chain_team(request.user)
    filter_form = SpendFilterForm(request.GET or None, periods=selectors.spend_periods(alliance_id))
    period = filter_form.cleaned_data["period"] if filter_form.is_valid() else ""
    page, query = _paginate(request, selectors.sme_shares(alliance_id, period=period or None))
    spend_form = None
    if is_team:
        spend_form = forms.get("spend_form") or SpendForm(suppliers=selectors.supplier_choices(alliance_id),
                                                          schemes=selectors.scheme_choices(alliance_id))
    return {
        "filter_form": filter_form, "page": page, "query": query, "is_team": is_team,
        "spend_form": spend_form,
        "upload_form": (forms.get("upload_form") or SpendUploadForm()) if is_team else None,
        "feed_form": ((forms.get("feed_form") or SmeFeedForm(initial={"period": period}))
                      if permissions.is_alliance_manager(request.user) else None),
        "errors_form": forms.get("errors_form"),
    }


def spend(request):
    alliance_id = permissions.require_member(request.user)
    return render(request, "supplychain/suppliers_spend.html", _spend_context(request, alliance_id))


def _list_post(request, form, key: str, call, *, context, template: str, url_name: str):
    """A team's step from a list page (spend, pipeline): validate, call the service, redirect; on refusal the page
    again, status 400, with the form in error."""
    alliance_id = permissions.require_supply_chain_team(request.user)
    if form.is_valid():
        try:
            message = call(form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, message)
            return redirect(url_name)
    return render(request, template, context(request, alliance_id, **{key: form, "errors_form": form}), status=400)


def _spend_post(request, form, key: str, call):
    return _list_post(request, form, key, call, context=_spend_context, template="supplychain/suppliers_spend.html",
                      url_name="supplychain-spend")


@require_POST
def spend_add(request):
    alliance_id = permissions.require_supply_chain_team(request.user)
    form = SpendForm(request.POST, suppliers=selectors.supplier_choices(alliance_id),
                     schemes=selectors.scheme_choices(alliance_id))

    def call(data):
        services.spend_record(actor=request.user, rows=[form.row()])
        return f"Spend with {data['supplier']} on {data['scheme']} for {data['period']} is recorded."

    return _spend_post(request, form, "spend_form", call)


@require_POST
def spend_upload(request):
    def call(data):
        rows = services.spend_from_csv(actor=request.user, upload=data["file"])
        return f"{_plural(len(rows), 'spend row')} recorded or replaced from the file."

    return _spend_post(request, SpendUploadForm(request.POST, request.FILES), "upload_form", call)


@require_POST
def spend_feed(request):
    permissions.require_member(request.user)
    permissions.require_sme_share_feeder(request.user)

    def call(data):
        scores = services.sme_share_feed(actor=request.user, period=data["period"],
                                         correction_reason=data["correction_reason"])
        return f"The SME share of {_plural(len(scores), 'scheme')} is recorded in the scorecard for {data['period']}."

    return _spend_post(request, SmeFeedForm(request.POST), "feed_form", call)


# --- The procurement pipeline (para 123) ---------------------------------------------------------------------


def _pipeline_context(request, alliance_id: int, **forms) -> dict:
    is_team = permissions.is_supply_chain_team(request.user)
    years = selectors.pipeline_years(alliance_id)
    filter_form = PipelineFilterForm(request.GET or None, years=years)
    year = filter_form.cleaned_data["year"] if filter_form.is_valid() else None
    page, query = _paginate(request, selectors.opportunities_of(request.user, year=year))
    return {
        "filter_form": filter_form, "page": page, "query": query, "is_team": is_team, "year": year,
        "opportunity_form": (forms.get("opportunity_form") or OpportunityForm()) if is_team else None,
        "publish_form": (forms.get("publish_form") or PublishForm(initial={"year": year or (years[0] if years else None)})
                         if is_team else None),
        "errors_form": forms.get("errors_form"),
    }


def pipeline(request):
    alliance_id = permissions.require_member(request.user)
    return render(request, "supplychain/pipeline_list.html", _pipeline_context(request, alliance_id))


def _pipeline_post(request, form, key: str, call):
    return _list_post(request, form, key, call, context=_pipeline_context, template="supplychain/pipeline_list.html",
                      url_name="supplychain-pipeline")


@require_POST
def opportunity_add(request):
    def call(data):
        opportunity = services.opportunity_add(actor=request.user, **data)
        return f"{opportunity.title} is added to the {opportunity.pipeline_year} pipeline."

    return _pipeline_post(request, OpportunityForm(request.POST), "opportunity_form", call)


@require_POST
def pipeline_publish(request):
    def call(data):
        count = services.pipeline_publish(actor=request.user, year=data["year"])
        return f"The {data['year']} pipeline is published: {count} opportunit{'y' if count == 1 else 'ies'}."

    return _pipeline_post(request, PublishForm(request.POST), "publish_form", call)


class _Echo:
    def write(self, value):
        return value


def pipeline_csv(request):
    alliance_id = permissions.require_member(request.user)
    filter_form = PipelineFilterForm(request.GET or None, years=selectors.pipeline_years(alliance_id))
    year = filter_form.cleaned_data["year"] if filter_form.is_valid() else None
    writer = csv_writer(_Echo())

    def rows():
        yield writer.writerow(["title", "category", "value", "route", "pipeline_year", "advert_on", "award_on",
                               "published_at", "supplier", "override_reason"])
        for o in selectors.opportunities_of(request.user, year=year).iterator(chunk_size=500):
            yield writer.writerow([o.title, o.category, o.value, o.route, o.pipeline_year, o.advert_on.isoformat(),
                                   o.award_on.isoformat(), o.published_at.isoformat() if o.published_at else "",
                                   o.supplier.name if o.supplier else "", o.override_reason])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="pipeline{f"-{year}" if year else ""}.csv"'
    return response


def _choose_form(request, alliance_id: int, data=None) -> ChooseSupplierForm:
    form = ChooseSupplierForm(data, suppliers=selectors.suppliers_register(request.user))
    form.fields["supplier"].label_from_instance = (
        lambda s: f"{s.name} ({selectors.AccreditationState(s.accreditation_state).label})")
    return form


def _opportunity_context(request, opportunity, **forms) -> dict:
    is_team = permissions.is_supply_chain_team(request.user, opportunity.alliance_id)
    state = selectors.accreditation_state_of(opportunity.supplier) if opportunity.supplier else None
    return {
        "opportunity": opportunity, "is_team": is_team,
        "supplier_state": selectors.AccreditationState(state).label if state else "",
        "choose_form": (forms.get("choose_form") or _choose_form(request, opportunity.alliance_id)) if is_team else None,
        "errors_form": forms.get("errors_form"),
        "history": opportunity.history.select_related("history_user").order_by("-history_date")[:20],
    }


def opportunity_detail(request, pk: int):
    permissions.require_member(request.user)
    opportunity = selectors.opportunity_for(request.user, pk)
    return render(request, "supplychain/pipeline_detail.html", _opportunity_context(request, opportunity))


@require_POST
def opportunity_choose(request, pk: int):
    alliance_id = permissions.require_member(request.user)
    opportunity = selectors.opportunity_for(request.user, pk)
    permissions.require_supply_chain_team(request.user)
    form = _choose_form(request, alliance_id, request.POST)
    if form.is_valid():
        try:
            services.opportunity_choose_supplier(actor=request.user, opportunity=opportunity,
                                                 supplier=form.cleaned_data["supplier"],
                                                 override_reason=form.cleaned_data["override_reason"])
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, f"{form.cleaned_data['supplier'].name} is chosen for {opportunity.title}.")
            return redirect("supplychain-opportunity", pk=pk)
    opportunity = selectors.opportunity_for(request.user, pk)
    context = _opportunity_context(request, opportunity, choose_form=form, errors_form=form)
    return render(request, "supplychain/pipeline_detail.html", context, status=400)
