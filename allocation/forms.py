"""Forms of allocation, one section per workflow: packages and schemes, optimisation (business cases, minor
changes, the client taking Lot 1), membership changes and Periodic Instructions. Shape only: the rules are the
services' (allocation.services.<workflow>)."""

from __future__ import annotations

from django import forms

from alliance.forms import BoundedDateField, DateInput, GovukFormMixin, OnePageFormMixin
from alliance.models import Region
from allocation.models import (
    LOTS,
    BusinessCaseStatus,
    MinorChangeStatus,
    OptimisationStage,
    PeriodicInstructionStatus,
    SchemeStatus,
    SchemeType,
)

# --- Shared by business cases and minor changes: the Board submission, the withdraw button, lots, filters -----


LOT_CHOICES = [("", "Choose a lot"), *((str(n), f"Lot {n}") for n in LOTS)]


class BoardSubmitForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    """Table a business case or minor change at the Board as a written resolution."""

    id_prefix = "board"
    closes_on = BoundedDateField(label="Voting closes on", widget=DateInput(), required=False,
                                help_text="At 17:00. Leave empty for two weeks from today.")


class WithdrawForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    """The Alliance Manager's withdraw button: no field, the service holds the rule."""

    id_prefix = "withdraw"


class StatusFilterMixin:
    """A list's filter by status; the form declares ``status`` with its workflow's choices."""

    def filters(self) -> dict:
        return {"status": self.cleaned_data["status"] or None} if self.is_valid() else {}


# --- Packages and schemes -------------------------------------------------------------------------------------


class PackageForm(GovukFormMixin, forms.Form):
    code = forms.CharField(max_length=30, help_text="RIS1, RIS2, RIS3 or another (para 78).")
    name = forms.CharField(max_length=200)
    notified_on = BoundedDateField(label="Notified on", widget=DateInput(),
                                  help_text="When the client notified the Alliance of the package (para 81).")


class SchemeForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "scheme"
    code = forms.CharField(max_length=30)
    name = forms.CharField(max_length=200)
    scheme_type = forms.ChoiceField(label="Type (para 79)", choices=SchemeType.choices)
    region = forms.ChoiceField()
    pcf_stage = forms.IntegerField(label="PCF stage", min_value=0, max_value=7)
    design_value = forms.DecimalField(label="Design element (£)", min_value=0, decimal_places=2, max_digits=14)
    construction_value = forms.DecimalField(label="Construction element (£)", min_value=0, decimal_places=2,
                                            max_digits=14)
    alliance_budget = forms.DecimalField(label="Alliance Budget (£)", min_value=0, decimal_places=2, max_digits=14,
                                         required=False, help_text="Leave empty for design plus construction.")

    def __init__(self, *args, alliance_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [(r.slug, r.name) for r in Region.objects.filter(alliance_id=alliance_id)]

    def row(self) -> dict:
        data = dict(self.cleaned_data)
        if data["alliance_budget"] is None:
            data.pop("alliance_budget")
        return data


class SchemeUploadForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "upload"
    file = forms.FileField(label="CSV file", help_text="Columns: code,name,scheme_type,region,pcf_stage,design_value,"
                                                        "construction_value. A wrong row saves nothing.")


class AwardForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "award"
    awarded_on = BoundedDateField(label="Scheme Orders dated", widget=DateInput(), required=False,
                                 help_text="Leave empty for today.")


class SchemeCancelForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "cancel"
    reason = forms.CharField(label="Why is the scheme cancelled?", widget=forms.Textarea)


class SchemeFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Code or name", required=False)
    package = forms.ChoiceField(required=False)
    region = forms.ChoiceField(required=False)
    partner = forms.ChoiceField(label="Responsible Partner", required=False)
    status = forms.ChoiceField(choices=[("", "Any"), *SchemeStatus.choices], required=False)

    def __init__(self, *args, packages, regions, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["package"].choices = [("", "Any"), *((str(p.pk), p.code) for p in packages)]
        self.fields["region"].choices = [("", "Any"), *((r.slug, r.name) for r in regions)]
        self.fields["partner"].choices = [("", "Any"), *((o.slug, o.name) for o in partners)]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {"package": d["package"] or None, "region": d["region"] or None, "partner": d["partner"] or None,
                "status": d["status"] or None, "search": d["q"] or None}


# --- Optimisation business cases (paras 90-94, 101) -----------------------------------------------------------


class BusinessCaseForm(GovukFormMixin, forms.Form):
    """The business case's own fields (Annex D's headings, docs/domain.md section 4); its lines are a formset."""

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


# --- Minor post-allocation changes (paras 99-100) -------------------------------------------------------------


class MinorChangeFilterForm(StatusFilterMixin, GovukFormMixin, forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *MinorChangeStatus.choices], required=False)


class MinorChangeForm(GovukFormMixin, forms.Form):
    scheme = forms.ModelChoiceField(queryset=None, empty_label="Choose a scheme")
    lot = forms.TypedChoiceField(choices=LOT_CHOICES, coerce=int, help_text="The lot whose Responsible Partner is "
                                                                            "supported.")
    supporting_partner = forms.ModelChoiceField(queryset=None, empty_label="Choose a partner",
                                                help_text="From any lot (para 99).")
    description = forms.CharField(label="The support given", widget=forms.Textarea(attrs={"rows": 4}),
                                  help_text="No responsibility or liability moves (para 99).")

    def __init__(self, *args, schemes=None, partners=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes
        self.fields["supporting_partner"].queryset = partners
        self.fields["scheme"].label_from_instance = lambda s: f"{s.code} {s.name}"


class MinorAgreementForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "agreement"
    # Sent by the button pressed: "Agree" or "Do not agree".
    agreed = forms.TypedChoiceField(choices=[("yes", "Agree"), ("no", "Do not agree")], coerce=lambda v: v == "yes",
                                    widget=forms.HiddenInput, error_messages={"required": "Choose agree or not."})
    note = forms.CharField(label="Note (optional)", widget=forms.Textarea, required=False)


# --- The client taking Lot 1 (para 102) -----------------------------------------------------------------------


class Lot1ClientForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "lot1"
    schemes = forms.ModelMultipleChoiceField(
        label="Schemes whose Lot 1 work the client takes", queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one scheme."},
    )
    reason = forms.CharField(label="The client's instruction and reason (para 102)", widget=forms.Textarea)

    def __init__(self, *args, schemes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["schemes"].queryset = schemes
        self.fields["schemes"].label_from_instance = lambda s: f"{s.code} {s.name}"


# --- Membership changes (paras 95-98) and the transition plan (para 83) ---------------------------------------


class _PartnerChangeForm(GovukFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, label="Partner")
    effective_on = BoundedDateField(label="Effective date", widget=DateInput())
    reason = forms.CharField(label="Reason or reference (optional)", widget=forms.Textarea, required=False)

    def __init__(self, *args, partners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = partners
        self.fields["organisation"].label_from_instance = lambda o: (
            f"{o.name} (Lot {o.lot.number}{', ' + o.get_area_display() if o.area else ''})")


class MembershipTerminationForm(_PartnerChangeForm):
    pass


class MembershipNewPartnerForm(_PartnerChangeForm):
    pass


class MembershipWithdrawForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "withdraw"
    reason = forms.CharField(label="Why is it withdrawn?", widget=forms.Textarea)


class TransitionPlanDeliverForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "transition"
    on = BoundedDateField(label="Delivered on", widget=DateInput(), required=False, help_text="Leave empty for today.")


# --- Periodic Instructions (paras 103-107) --------------------------------------------------------------------


class PeriodicRequestForm(GovukFormMixin, forms.Form):
    period_start = BoundedDateField(label="Start of the period", widget=DateInput())
    period_end = BoundedDateField(label="End of the period", widget=DateInput())
    scope = forms.CharField(label="Scheme Scope the cost resource profile is to cover (para 104)",
                            widget=forms.Textarea(attrs={"rows": 5}))


class PeriodicProfileForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "profile"
    summary = forms.CharField(label="Cost resource profile", widget=forms.Textarea(attrs={"rows": 6}))
    total = forms.DecimalField(label="Total cost (£)", max_digits=14, decimal_places=2, min_value=0)
    document = forms.FileField(label="Profile document (optional)", required=False,
                               help_text="A PDF, Word, Excel or PowerPoint file, up to 20 MB.")


class PeriodicTableForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "table"
    closes_on = BoundedDateField(label="The Board's decision closes on", widget=DateInput(), required=False,
                                help_text="At 17:00. Leave empty for 14 days from today.")


class PeriodicFilterForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(choices=[("", "Any status"), *PeriodicInstructionStatus.choices], required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {"status": self.cleaned_data["status"] or None}
