"""Forms of the supplier register, accreditation, reviews, spend and the pipeline: shape only; the rules (and
every CSV row's checks) are the services'."""

from __future__ import annotations

from django import forms

from alliance.forms import BoundedDateField, DateInput, GovukFormMixin, NamedPersonField, OnePageFormMixin
from supplychain.models import Segment
from supplychain.permissions import is_supply_chain_team
from supplychain.selectors.suppliers import AccreditationState

__all__ = [
    "AccreditationForm",
    "ChooseSupplierForm",
    "OpportunityForm",
    "PipelineFilterForm",
    "PublishForm",
    "ReviewForm",
    "SmeFeedForm",
    "SpendFilterForm",
    "SpendForm",
    "SpendUploadForm",
    "SupplierFilterForm",
    "SupplierForm",
]

YES_NO_ANY = [("", "Any"), ("yes", "Yes"), ("no", "No")]


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class SupplierForm(GovukFormMixin, forms.Form):
    name = forms.CharField(label="Company name", max_length=200)
    company_number = forms.CharField(label="Company number", max_length=20, required=False)
    category = forms.CharField(max_length=100, help_text="For example Traffic management, Surfacing, Drainage.")
    segment = forms.ChoiceField(label="Relationship segment (para 128)", choices=Segment.choices)
    is_sme = forms.BooleanField(label="Small or medium-sized enterprise (SME)", required=False)
    is_vcse = forms.BooleanField(label="Voluntary, community or social enterprise (VCSE)", required=False)
    inducted_on = BoundedDateField(label="Induction completed on", required=False, widget=DateInput(),
                                  help_text="Leave empty if the supplier has not been inducted yet (para 128).")
    relationship_owner = NamedPersonField(label="Relationship owner (para 136)", required=False,
                                          empty_label="Nobody yet")

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        # The supply chain team assigns relationships across the Alliance (para 136); the owner named before
        # stays on offer when the supplier is edited.
        self.fields["relationship_owner"].offer(actor, across_alliance=is_supply_chain_team(actor),
                                                current=self.initial.get("relationship_owner"))


class AccreditationForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "accreditation"
    assessed_on = BoundedDateField(label="Assessed on", widget=DateInput())
    expires_on = BoundedDateField(label="Expires on", widget=DateInput(),
                                 help_text="A renewal is due on this day, for the relationship owner.")
    safety_performance = forms.BooleanField(label="Safety performance meets the standard", required=False)
    financial_standing = forms.BooleanField(label="Financial standing meets the standard", required=False)
    capacity_and_capability = forms.BooleanField(label="Capacity and capability meet the standard", required=False)
    management_systems = forms.BooleanField(label="Management systems meet the standard", required=False)
    resilience = forms.BooleanField(label="Resilience meets the standard", required=False)
    notes = forms.CharField(widget=forms.Textarea, required=False)


class ReviewForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "review"
    period = forms.CharField(label="Quarter", max_length=7, help_text="For example 2026-Q3.")
    score = forms.IntegerField(label="Score from 0 to 10", min_value=0, max_value=10)
    comments = forms.CharField(widget=forms.Textarea, required=False)


class SpendForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "spend"
    supplier = forms.ChoiceField()
    scheme = forms.ChoiceField()
    period = forms.CharField(label="Quarter", max_length=7, help_text="For example 2026-Q3.")
    amount = forms.DecimalField(label="Amount (£)", min_value=0, max_digits=14, decimal_places=2)

    def __init__(self, *args, suppliers, schemes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].choices = [("", "Choose a supplier"), *((s.name, s.name) for s in suppliers)]
        self.fields["scheme"].choices = [("", "Choose a scheme"), *((s.code, f"{s.code} {s.name}") for s in schemes)]

    def row(self) -> dict:
        return {**self.cleaned_data, "amount": str(self.cleaned_data["amount"])}


class SpendUploadForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "upload"
    file = forms.FileField(label="CSV file", help_text="Columns: supplier,scheme,period,amount (supplier by name, "
                                                       "scheme by code, period like 2026-Q3). A wrong row saves "
                                                       "nothing; a row already recorded is replaced.")


class SmeFeedForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "feed"
    period = forms.CharField(label="Quarter", max_length=7, help_text="For example 2026-Q3.")
    correction_reason = forms.CharField(label="Reason for the correction", widget=forms.Textarea, required=False,
                                        help_text="Only if the quarter's scorecard is already frozen.")


class SupplierFilterForm(GovukFormMixin, forms.Form):
    q = forms.CharField(label="Name", required=False)
    category = forms.ChoiceField(required=False)
    segment = forms.ChoiceField(choices=[("", "Any"), *Segment.choices], required=False)
    sme = forms.ChoiceField(label="SME", choices=YES_NO_ANY, required=False)
    vcse = forms.ChoiceField(label="VCSE", choices=YES_NO_ANY, required=False)
    accreditation = forms.ChoiceField(choices=[("", "Any"), *AccreditationState.choices], required=False)

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "Any"), *((c, c) for c in categories)]

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        return {"search": d["q"] or None, "category": d["category"] or None, "segment": d["segment"] or None,
                "sme": _yes_no(d["sme"]), "vcse": _yes_no(d["vcse"]), "accreditation": d["accreditation"] or None}


class SpendFilterForm(GovukFormMixin, forms.Form):
    period = forms.ChoiceField(label="Quarter", required=False)

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [("", "All quarters"), *((p, p) for p in periods)]


class OpportunityForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "opportunity"
    title = forms.CharField(max_length=200)
    category = forms.CharField(max_length=100)
    value = forms.DecimalField(label="Estimated value (£)", min_value=0, max_digits=14, decimal_places=2)
    route = forms.CharField(label="Procurement route", max_length=100,
                            help_text="For example open tender, framework call-off, CCS agreement.")
    pipeline_year = forms.IntegerField(label="Pipeline year", min_value=2000, max_value=2100)
    advert_on = BoundedDateField(label="Advert on", widget=DateInput(),
                                help_text="When it is advertised on Contracts Finder (para 123).")
    award_on = BoundedDateField(label="Award on", widget=DateInput())


class PublishForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "publish"
    year = forms.IntegerField(label="Pipeline year", min_value=2000, max_value=2100)


class PipelineFilterForm(GovukFormMixin, forms.Form):
    year = forms.TypedChoiceField(label="Pipeline year", coerce=int, empty_value=None, required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "All years"), *((y, y) for y in years)]


class ChooseSupplierForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "choose"
    supplier = forms.ModelChoiceField(queryset=None, empty_label="Choose a supplier")
    override_reason = forms.CharField(label="Reason to choose a supplier without a current accreditation",
                                      widget=forms.Textarea, required=False,
                                      help_text="Needed only when the supplier is not accredited today.")

    def __init__(self, *args, suppliers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = suppliers
