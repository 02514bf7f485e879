"""Pages of changes to the performance framework (paras 146-149): the list and the Alliance Manager's proposals
of a new threshold or of moving a metric between Table 6's groups."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from alliance.forms import GovukFormMixin
from alliance.permissions import alliance_id_of
from alliance.views import add_service_errors
from performance import permissions, selectors, services
from performance.models import SCORES, FrameworkChangeKind


class FrameworkChangeForm(GovukFormMixin, forms.Form):
    kind = forms.ChoiceField(label="Which route", choices=FrameworkChangeKind.choices)
    metric = forms.ChoiceField()
    score = forms.TypedChoiceField(choices=[(s, s) for s in reversed(SCORES)], coerce=int)
    threshold = forms.DecimalField(label="New threshold", max_digits=16, decimal_places=4)
    description = forms.CharField(label="What changes and why", widget=forms.Textarea)

    def __init__(self, *args, metrics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [(m.code, f"{m.title} ({m.unit}, {m.get_direction_display().lower()})")
                                         for m in metrics]


class MetricGroupForm(GovukFormMixin, forms.Form):
    """Move a metric between Table 6's groups: an amendment of the framework, so a unanimous Board (para 148)."""

    group_metric = forms.ChoiceField(label="Metric")
    group = forms.ChoiceField(label="Its group (para 146)", choices=[
        ("intervention", "Informs client intervention"), ("behaviours", "Supports evolving behaviours")])
    group_description = forms.CharField(label="Why", widget=forms.Textarea)

    def __init__(self, *args, metrics, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group_metric"].choices = [
            (m.code, f"{m.title} (now: {'informs client intervention' if m.informs_intervention else 'supports evolving behaviours'})")
            for m in metrics]


def framework_changes(request):
    if not permissions.is_alliance_member(request.user):
        raise PermissionDenied("Only members of the alliance can see its performance framework.")
    alliance_id = alliance_id_of(request.user)
    may_propose = permissions.can_propose_framework_change(request.user)
    metrics = selectors.metrics_of(alliance_id)
    grouping = request.POST.get("form") == "group"
    form = (FrameworkChangeForm(None if grouping else request.POST or None, metrics=metrics)
            if may_propose else None)
    group_form = MetricGroupForm(request.POST if grouping else None, metrics=metrics) if may_propose else None
    if request.method == "POST":
        if not may_propose:
            raise PermissionDenied(services.ERR_FRAMEWORK_NOT_MANAGER)
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
