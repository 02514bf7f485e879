"""Forms of the mobilisation plan pages: shape only (the rules are in services.deliverables)."""

from __future__ import annotations

from django import forms

from alliance.forms import BoundedDateField, DateInput, GovukFormMixin, NamedPersonField
from alliance.models import Organisation
from mobilisation.models import DeliverableStatus, Dimension, DuePeriod, PhaseKind, PlanReviewVerdict, Stage

__all__ = [
    "DeliverableConfirmForm",
    "DeliverableFilterForm",
    "DeliverableForm",
    "DeliverableReturnForm",
    "EvidenceForm",
    "PlanReviewForm",
]

_ANY = [("", "Any")]


class DeliverableFilterForm(GovukFormMixin, forms.Form):
    dimension = forms.ChoiceField(label="Dimension", choices=_ANY + Dimension.choices, required=False)
    status = forms.ChoiceField(label="Status", choices=_ANY + DeliverableStatus.choices, required=False)
    owner = forms.ModelChoiceField(label="Owner", queryset=Organisation.objects.none(), required=False,
                                   empty_label="Any")
    overdue = forms.BooleanField(label="Only overdue deliverables", required=False)
    sort = forms.ChoiceField(label="Sort by due date", required=False,
                             choices=[("due_on", "Earliest first"), ("-due_on", "Latest first")])

    def __init__(self, *args, alliance_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organisation.objects.filter(alliance_id=alliance_id).order_by("name")


class DeliverableForm(GovukFormMixin, forms.Form):
    """Add a deliverable, or change one (Alliance Manager)."""

    title = forms.CharField(label="Title", max_length=300)
    source = forms.CharField(label="Reference in the Implementation Plan or Scope", max_length=100, required=False,
                             help_text='For example "IP (Section 7.2)" or "Scope (S825)".')
    due_period = forms.ChoiceField(label="Due", choices=DuePeriod.choices)
    due_on = BoundedDateField(label="Due date (when due by a set date)", required=False, widget=DateInput())
    owner = forms.ModelChoiceField(label="Owner", queryset=Organisation.objects.none(), required=False,
                                   empty_label="None yet")
    approver = NamedPersonField(label="Approver", required=False, empty_label="The Alliance Manager",
                                help_text="Without an approver, the Alliance Manager approves.")
    dimension = forms.ChoiceField(label="Dimension (para 211)", choices=Dimension.choices)
    stage = forms.ChoiceField(label="Stage (para 210)", choices=Stage.choices)
    phase = forms.ChoiceField(label="Phase (para 208)", choices=PhaseKind.choices, initial=PhaseKind.INTERIM)
    reason = forms.CharField(label="Why (kept in the record of changes)", max_length=90, required=False)

    def __init__(self, *args, alliance_id: int, actor, approver_before: int | None = None, adding: bool = False,
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organisation.objects.filter(alliance_id=alliance_id).order_by("name")
        # The approver is a person the Alliance Manager names (alliance.permissions.may_name_person); the one
        # named before stays on offer while the deliverable is edited.
        self.fields["approver"].offer(actor, current=approver_before)
        if adding:
            del self.fields["reason"]


class DeliverableConfirmForm(forms.Form):
    """A step with nothing to fill in (start, submit, approve, send, baseline)."""


class DeliverableReturnForm(GovukFormMixin, forms.Form):
    comments = forms.CharField(label="What the deliverable still needs", widget=forms.Textarea(attrs={"rows": 3}))


class EvidenceForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title of the evidence", max_length=200)
    file = forms.FileField(label="File", required=False, help_text="A PDF, Word, Excel or PowerPoint file.")
    link = forms.URLField(label="Or a link", required=False, assume_scheme="https")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "evidence_%s")  # the deliverable's edit form on the same page has a title too
        super().__init__(*args, **kwargs)


class PlanReviewForm(GovukFormMixin, forms.Form):
    verdict = forms.ChoiceField(label="Your organisation's review", choices=PlanReviewVerdict.choices)
    comments = forms.CharField(label="Comments", required=False, widget=forms.Textarea(attrs={"rows": 4}))
