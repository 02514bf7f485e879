"""Forms of optimisation business cases: shape only (a lot is a number, a scheme one of the alliance's); the
rules are the services' (paras 90-94, 101)."""

from __future__ import annotations

from django import forms

from alliance.forms import GovukFormMixin, OnePageFormMixin
from allocation.forms._shared import LOT_CHOICES, StatusFilterMixin
from allocation.models import BusinessCaseStatus, OptimisationStage

__all__ = [
    "BusinessCaseClientForm",
    "BusinessCaseFilterForm",
    "BusinessCaseForm",
    "ChangeLineForm",
    "ChangeLineFormSet",
]


class BusinessCaseForm(GovukFormMixin, forms.Form):
    """The business case's own fields (Annex D's headings, DOMAIN.md section 4); its lines are a formset."""

    title = forms.CharField(max_length=300)
    stage = forms.ChoiceField(label="Kind of optimisation", choices=OptimisationStage.choices,
                              help_text="Pre-award cases change proposed schemes only; a post-award major change "
                                        "changes awarded ones (paras 90, 101).")
    scope = forms.CharField(label="Scope: the schemes and lots affected and why", widget=forms.Textarea(
        attrs={"rows": 4}))
    effect_on_budget = forms.DecimalField(label="Effect on budget (£)", required=False, max_digits=14,
                                          decimal_places=2, help_text="Negative for a saving.")
    effect_on_time_days = forms.IntegerField(label="Effect on time (days)", required=False,
                                             help_text="Negative for time saved.")
    effect_on_safety = forms.CharField(label="Effect on safety", widget=forms.Textarea, required=False)
    effect_on_customer = forms.CharField(label="Effect on the customer", widget=forms.Textarea, required=False)
    effect_on_ris_delivery = forms.CharField(label="Effect on delivery of the RIS", widget=forms.Textarea,
                                             required=False)
    lump_sum_fee_change = forms.DecimalField(label="Change to the Lump Sum Fees (£)", required=False, max_digits=14,
                                             decimal_places=2, help_text="Required for a post-award major change "
                                                                         "(para 101).")
    risks = forms.CharField(widget=forms.Textarea, required=False)
    criteria_met = forms.BooleanField(
        label="The optimisation meets the pre-determined criteria: budgetary or time efficiencies and outcomes "
              "against the client's imperatives of safety, customer and delivery of the RIS (para 92)",
        required=False,
    )


class ChangeLineForm(GovukFormMixin, forms.Form):
    """One change of Responsible Partner; a row left empty is ignored."""

    scheme = forms.ModelChoiceField(queryset=None, required=False, empty_label="Choose a scheme")
    lot = forms.TypedChoiceField(choices=LOT_CHOICES, coerce=int, required=False, empty_value=None)
    proposed_partner = forms.ModelChoiceField(label="Proposed Responsible Partner", queryset=None, required=False,
                                              empty_label="Choose a partner")

    def __init__(self, *args, schemes=None, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes
        self.fields["proposed_partner"].queryset = partners
        self.fields["scheme"].label_from_instance = lambda s: f"{s.code} {s.name} ({s.get_status_display().lower()})"

    def clean(self):
        data = super().clean()
        given = [data.get(name) not in (None, "") for name in ("scheme", "lot", "proposed_partner")]
        if any(given) and not all(given):
            raise forms.ValidationError("Choose the scheme, the lot and the proposed partner, or leave the row empty.")
        return data

    @property
    def is_blank(self) -> bool:
        return not self.cleaned_data.get("scheme")


class _BaseLines(forms.BaseFormSet):
    def __init__(self, *args, schemes=None, partners=None, **kwargs):
        self._choices = {"schemes": schemes, "partners": partners}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), **self._choices}

    def rows(self) -> list[dict]:
        return [f.cleaned_data for f in self.forms if f.cleaned_data and not f.is_blank]


ChangeLineFormSet = forms.formset_factory(ChangeLineForm, formset=_BaseLines, extra=3, max_num=40)


class BusinessCaseClientForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "client"
    # Sent by the button pressed: "Approve" or "Reject" (the template renders the two buttons, not this field).
    approve = forms.TypedChoiceField(choices=[("yes", "Approve"), ("no", "Reject")], coerce=lambda v: v == "yes",
                                     widget=forms.HiddenInput, error_messages={"required": "Choose approve or reject."})
    reason = forms.CharField(label="Reason (required to reject)", widget=forms.Textarea, required=False)


class BusinessCaseFilterForm(StatusFilterMixin, GovukFormMixin, forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *BusinessCaseStatus.choices], required=False)
