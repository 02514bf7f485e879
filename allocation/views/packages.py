"""Pages of packages, schemes and allocation runs. Thin: parse a form, call one service or selector, render."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from alliance.csvfiles import csv_writer
from alliance.views import add_service_errors
from allocation import permissions
from allocation.forms import (
    AwardForm,
    PackageForm,
    SchemeCancelForm,
    SchemeFilterForm,
    SchemeForm,
    SchemeUploadForm,
)
from allocation.models import SchemeStatus
from allocation.selectors.packages import (
    lot_positions,
    package_for,
    package_schemes,
    packages_of,
    routing,
    run_for,
    run_moves,
    scheme_filter_choices,
    scheme_for,
    schemes_register,
    tolerance_base_date,
)
from allocation.services import packages as services

SCHEMES_PAGE_SIZE = 50


def _percent(raw) -> float:
    return round(float(Decimal(str(raw))) * 100, 1)


def _bars(lots: list[dict]) -> list[dict]:
    """Each lot's shares as percentages for the bar charts (before and after balancing, the band)."""
    return [{
        **lot, "lower_pct": _percent(lot["lower"]), "upper_pct": _percent(lot["upper"]),
        "band_width": round(_percent(lot["upper"]) - _percent(lot["lower"]), 1),
        "rows": [{**s, "before_pct": _percent(s["share_before"]), "after_pct": _percent(s["share_after"]),
                  "inside": Decimal(lot["lower"]) <= Decimal(s["share_after"]) <= Decimal(lot["upper"])}
                 for s in lot["shares"]],
    } for lot in lots]


def overview(request):
    alliance_id = permissions.require_member(request.user)
    positions = lot_positions(alliance_id)
    for lot in positions:
        lot["lower_pct"], lot["upper_pct"] = _percent(lot["lower"]), _percent(lot["upper"])
        lot["band_width"] = round(lot["upper_pct"] - lot["lower_pct"], 1)
        for row in lot["shares"]:
            row["pct"] = _percent(row["share"]) if row["share"] is not None else None
            row["inside"] = row["share"] is not None and lot["lower"] <= row["share"] <= lot["upper"]
    packages = packages_of(request.user).annotate(
        scheme_count=Count("schemes"), proposed=Count("schemes", filter=Q(schemes__status=SchemeStatus.PROPOSED)),
    ).order_by("-notified_on", "code")
    return render(request, "allocation/overview.html", {
        "positions": positions, "packages": packages, "routing": routing(alliance_id),
        "base_date": tolerance_base_date(alliance_id),
        "can_register": permissions.can_register_packages(request.user),
    })


def _scheme_filters(request, alliance_id: int) -> tuple[SchemeFilterForm, dict]:
    form = SchemeFilterForm(
        request.GET or None, packages=packages_of(request.user).order_by("code"),
        **scheme_filter_choices(alliance_id),
    )
    return form, form.filters()


def schemes(request):
    alliance_id = permissions.require_member(request.user)
    form, filters = _scheme_filters(request, alliance_id)
    page = Paginator(schemes_register(request.user, **filters), SCHEMES_PAGE_SIZE).get_page(
        request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "allocation/schemes.html", {
        "form": form, "page": page, "query": query.urlencode(), "my_organisation": request.user.organisation_id,
    })


class _Echo:
    def write(self, value):
        return value


def schemes_csv(request):
    alliance_id = permissions.require_member(request.user)
    _, filters = _scheme_filters(request, alliance_id)
    writer = csv_writer(_Echo())

    def rows():
        yield writer.writerow(["code", "name", "package", "scheme_type", "region", "pcf_stage", "design_value",
                               "construction_value", "alliance_budget", "status", "lot1", "lot2", "lot3",
                               "initial_lot1", "initial_lot2", "initial_lot3"])
        for s in schemes_register(request.user, **filters).iterator(chunk_size=500):
            current = {a.lot: a.current_partner.slug for a in s.allocations.all()}
            initial = {a.lot: a.initial_partner.slug for a in s.allocations.all()}
            yield writer.writerow([s.code, s.name, s.package.code, s.scheme_type, s.region.slug, s.pcf_stage,
                                   s.design_value, s.construction_value, s.alliance_budget, s.status,
                                   *(current.get(lot, "") for lot in (1, 2, 3)),
                                   *(initial.get(lot, "") for lot in (1, 2, 3))])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="schemes.csv"'
    return response


def package_new(request):
    permissions.require_member(request.user)
    if not permissions.can_register_packages(request.user):
        raise PermissionDenied(services.ERR_PACKAGE_NOT_REGISTRAR)
    form = PackageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            package = services.package_register(actor=request.user, **form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, f"Package {package.code} is registered: add its schemes.")
            return redirect("allocation-package", pk=package.pk)
    return render(request, "allocation/package_new.html", {"form": form}, status=400 if form.errors else 200)


def _package_context(request, package, **forms) -> dict:
    alliance_id = package.alliance_id
    can_register = permissions.can_register_packages(request.user)
    page = Paginator(package_schemes(package), SCHEMES_PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "package": package,
        "page": page,
        "schemes": page.object_list,
        "runs": package.runs.select_related("run_by")[:10],
        "proposed": package.schemes.filter(status=SchemeStatus.PROPOSED).count(),
        "scheme_form": (forms.get("scheme_form") or SchemeForm(alliance_id=alliance_id)) if can_register else None,
        "upload_form": (forms.get("upload_form") or SchemeUploadForm()) if can_register else None,
        "award_form": (forms.get("award_form") or AwardForm()) if permissions.is_client_decider(request.user) else None,
        "can_allocate": permissions.can_allocate(request.user),
        "errors_form": forms.get("errors_form"),
    }


def package_detail(request, pk: int):
    permissions.require_member(request.user)
    package = package_for(request.user, pk)
    return render(request, "allocation/package.html", _package_context(request, package))


def _post(request, pk: int, form, key: str, call):
    """Validate, call the service, redirect; on refusal show the package page with the form in error."""
    permissions.require_member(request.user)
    package = package_for(request.user, pk)
    if form.is_valid():
        try:
            message = call(package, form.cleaned_data)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, message)
            return redirect("allocation-package", pk=pk)
    context = _package_context(request, package, **{key: form, "errors_form": form})
    return render(request, "allocation/package.html", context, status=400)


@require_POST
def package_schemes_add(request, pk: int):
    permissions.require_member(request.user)
    package = package_for(request.user, pk)

    def call(package, data):
        [scheme] = services.schemes_add(actor=request.user, package=package, rows=[form.row()])
        return f"Scheme {scheme.code} is added."

    form = SchemeForm(request.POST, alliance_id=package.alliance_id)
    return _post(request, pk, form, "scheme_form", call)


@require_POST
def package_schemes_upload(request, pk: int):
    def call(package, data):
        schemes = services.schemes_from_csv(actor=request.user, package=package, upload=data["file"])
        return f"{len(schemes)} scheme{'s' if len(schemes) != 1 else ''} added from the file."

    return _post(request, pk, SchemeUploadForm(request.POST, request.FILES), "upload_form", call)


@require_POST
def package_allocate(request, pk: int):
    permissions.require_member(request.user)
    package = package_for(request.user, pk)
    try:
        run = services.package_allocate(actor=request.user, package=package)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("allocation-package", pk=pk)
    return redirect("allocation-run", pk=run.pk)


@require_POST
def package_award(request, pk: int):
    def call(package, data):
        schemes = services.package_award(actor=request.user, package=package, awarded_on=data["awarded_on"])
        return (f"Scheme Orders issued for {len(schemes)} scheme{'s' if len(schemes) != 1 else ''}; the Performance "
                "Table is to be updated within 3 months (para 224).")

    return _post(request, pk, AwardForm(request.POST), "award_form", call)


@require_POST
def scheme_cancel(request, pk: int):
    permissions.require_member(request.user)
    scheme = scheme_for(request.user, pk)
    form = SchemeCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter why the scheme is cancelled.")
    else:
        try:
            services.scheme_cancel(actor=request.user, scheme=scheme, reason=form.cleaned_data["reason"])
        except ValidationError as refusal:
            messages.error(request, " ".join(refusal.messages))
        else:
            messages.success(request, f"Scheme {scheme.code} is cancelled.")
    return redirect("allocation-package", pk=scheme.package_id)


TRACE_PAGE_SIZE = 100


def run_detail(request, pk: int):
    """The run's shares and its trace, a page of moves at a time (a large package moves thousands)."""
    permissions.require_member(request.user)
    run = run_for(request.user, pk)
    page = Paginator(run_moves(run), TRACE_PAGE_SIZE).get_page(request.GET.get("page"))
    partner_names = {s["partner"]: s["name"] for lot in run.lots for s in lot["shares"]}
    for move in page.object_list:
        move.after = [(partner_names.get(slug, slug), _percent(share)) for slug, share in move.shares_after.items()]
    return render(request, "allocation/run.html", {"run": run, "lots": _bars(run.lots), "page": page,
                                                   "moves": page.object_list})


def run_trace_csv(request, pk: int):
    """The whole trace of a run in order, as CSV."""
    permissions.require_member(request.user)
    run = run_for(request.user, pk)
    writer = csv_writer(_Echo())

    def rows():
        yield writer.writerow(["order", "lot", "scheme", "value", "from_partner", "to_partner", "shares_after"])
        for m in run_moves(run).iterator(chunk_size=1_000):
            yield writer.writerow([m.order, m.lot, m.scheme.code, m.value, m.from_partner.slug, m.to_partner.slug,
                                   "; ".join(f"{k} {v}" for k, v in m.shares_after.items())])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="allocation-{run.package.code}-{run.pk}-trace.csv"'
    return response
