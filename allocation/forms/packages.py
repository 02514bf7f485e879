"""Forms of packages and schemes: shape only; the rules (and every row's checks) are the services'."""

from __future__ import annotations

from django import forms

from alliance.forms import BoundedDateField, DateInput, GovukFormMixin, OnePageFormMixin
from alliance.models import Region
from allocation.models import SchemeStatus, SchemeType

__all__ = ["AwardForm", "PackageForm", "SchemeCancelForm", "SchemeFilterForm", "SchemeForm", "SchemeUploadForm"]


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
