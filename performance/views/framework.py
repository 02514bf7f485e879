"""Pages of changes to the performance framework (paras 146-149): the list and the Alliance Manager's proposals
of a new threshold or of moving a metric between Table 6's groups."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from alliance.views import add_service_errors
from performance import permissions
from performance.forms import FrameworkChangeForm, MetricGroupForm
from performance.selectors import scorecard as selectors
from performance.services import framework as services


def framework_changes(request):
    alliance_id = permissions.require_member(request.user, permissions.ERR_NOT_MEMBER_FRAMEWORK)
    may_propose = permissions.can_propose_framework_change(request.user)
    metrics = selectors.metrics_of(alliance_id)
    grouping = request.POST.get("form") == "group"
    form = (FrameworkChangeForm(None if grouping else request.POST or None, metrics=metrics)
            if may_propose else None)
    group_form = MetricGroupForm(request.POST if grouping else None, metrics=metrics) if may_propose else None
    if request.method == "POST":
        permissions.require_framework_proposer(request.user)
        if grouping and group_form.is_valid():
            data = group_form.cleaned_data
            try:
                change = services.framework_change_propose(
                    actor=request.user, kind="amendment", description=data["group_description"],
                    groups=[(metrics.get(code=data["group_metric"]), data["group"] == "intervention")])
            except ValidationError as refusal:
                add_service_errors(group_form, refusal)
            else:
                messages.success(request, "The amendment is tabled at the Board: it needs every vote (para 148).")
                return redirect("board-decision", pk=change.decision_id)
        elif not grouping and form.is_valid():
            data = form.cleaned_data
            band = selectors.score_band_of(alliance_id, data["metric"], data["score"])
            try:
                if band is None:
                    raise ValidationError({"score": ["That metric has no band for this score."]})
                change = services.framework_change_propose(actor=request.user, kind=data["kind"],
                                                           description=data["description"],
                                                           changes=[(band, data["threshold"])])
            except ValidationError as refusal:
                add_service_errors(form, refusal)
            else:
                messages.success(request, "The change is tabled at the Board.")
                return redirect("board-decision", pk=change.decision_id)
    changes = selectors.framework_changes_of(alliance_id)
    errors = any(f is not None and f.errors for f in (form, group_form))
    return render(request, "performance/framework.html", {"form": form, "group_form": group_form,
                                                          "changes": changes}, status=400 if errors else 200)
