"""Forms of the supply chain pages: shape only, the rules are in the services."""

from __future__ import annotations

from django import forms

from alliance.forms import BoundedDateField, DateInput, GovukFormMixin, NamedPersonField, OnePageFormMixin
from supplychain.checklists import MANAGEMENT_PLAN_CHECKLIST
from supplychain.models import EscalationTarget, RiskStatus, RiskStrategy, Segment
from supplychain.permissions import is_supply_chain_team
from supplychain.selectors.risks import risk_people
from supplychain.selectors.suppliers import AccreditationState
from supplychain.services.documents import (
    DOCUMENT_SECTIONS,
    ERR_DOCUMENT_COMMENTS,
    ERR_DOCUMENT_HORIZON,
    ERR_DOCUMENT_TITLE,
)

# --- Documents ----------------------------------------------------------------------------------------------
# Forms of the strategy document pages: shape only; the rules are the services'
# (supplychain.services.documents).

def section_field_name(code: str) -> str:
    return f"section_{code.replace('-', '_')}"


class DocumentEditForm(GovukFormMixin, forms.Form):
    """A draft: its title, the first year of its five-year horizon (para 112) and one text box per section of its
    kind's catalogue. Sections may be left empty while drafting; submission needs them all."""

    title = forms.CharField(label="Title", max_length=200, error_messages={"required": ERR_DOCUMENT_TITLE})
    horizon_from = forms.IntegerField(
        label="First year of the five-year horizon", min_value=2000, max_value=2100,
        help_text="The document covers five years from this one (para 112).",
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-4", "inputmode": "numeric",
                                      "spellcheck": "false"}),
        error_messages={"required": ERR_DOCUMENT_HORIZON, "invalid": ERR_DOCUMENT_HORIZON,
                        "min_value": ERR_DOCUMENT_HORIZON, "max_value": ERR_DOCUMENT_HORIZON},
    )

    def __init__(self, *args, kind: str, **kwargs):
        self.catalogue = DOCUMENT_SECTIONS[kind]
        super().__init__(*args, **kwargs)
        for code, heading, paragraph in self.catalogue:
            self.fields[section_field_name(code)] = forms.CharField(
                label=heading, required=False, help_text=f"Seeds, {paragraph}.",
                widget=forms.Textarea(attrs={"class": "govuk-textarea", "rows": 5}),
            )

    def section_fields(self):
        return [self[section_field_name(code)] for code, _heading, _paragraph in self.catalogue]

    def sections(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(section_field_name(code)) or "" for code, _h, _p in self.catalogue}


def initial_for(document) -> dict:
    return {"title": document.title, "horizon_from": document.horizon_from,
            **{section_field_name(code): document.sections.get(code, "")
               for code, _heading, _paragraph in DOCUMENT_SECTIONS[document.kind]}}


class DocumentSubmitForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "submit"
    closes_on = BoundedDateField(label="The Board's decision closes on", widget=DateInput(), required=False,
                                help_text="At 17:00. Leave empty for 14 days from today.")


class DocumentAcceptForm(forms.Form):
    """Nothing to fill in: the button accepts the version."""


class DocumentReturnForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "return"
    comments = forms.CharField(label="Comments for the Alliance Supply Chain team", widget=forms.Textarea,
                               error_messages={"required": ERR_DOCUMENT_COMMENTS})


# --- Plans --------------------------------------------------------------------------------------------------
# Forms of the Supply Chain Management Plan pages: shape only (the checklist rule is the service's).

class PlanSectionsForm(GovukFormMixin, forms.Form):
    """One text per item of the para 133 checklist; an item may be left blank while drafting."""

    change_note = forms.CharField(label="What changed since the previous version (para 134)", required=False,
                                  widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code, text in MANAGEMENT_PLAN_CHECKLIST:
            self.fields[code] = forms.CharField(label=text, required=False, widget=forms.Textarea(
                attrs={"rows": 4, "class": "govuk-textarea"}))
        self.order_fields([code for code, _ in MANAGEMENT_PLAN_CHECKLIST] + ["change_note"])

    def sections(self) -> dict[str, str]:
        return {code: self.cleaned_data.get(code, "") for code, _ in MANAGEMENT_PLAN_CHECKLIST}


class PlanConfirmForm(forms.Form):
    """A step with nothing to fill in (submit, accept)."""


class PlanReturnForm(GovukFormMixin, forms.Form):
    missing = forms.MultipleChoiceField(
        label="Items the plan does not address", choices=MANAGEMENT_PLAN_CHECKLIST, required=False,
        widget=forms.CheckboxSelectMultiple, help_text="The items left blank are ticked for you.")
    comments = forms.CharField(label="Comments for the partner", required=False, widget=forms.Textarea(attrs={"rows": 4}))


class PlanChangeForm(GovukFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(label="Partner", queryset=None, empty_label=None)
    reason = forms.CharField(label="The significant change", widget=forms.Textarea(attrs={"rows": 3}))
    due_date = BoundedDateField(label="Resubmit by", widget=DateInput())

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations


# --- Suppliers ----------------------------------------------------------------------------------------------
# Forms of the supplier register, accreditation, reviews, spend and the pipeline: shape only; the rules (and
# every CSV row's checks) are the services'.

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


# --- Risks --------------------------------------------------------------------------------------------------
# Forms of the risk register pages: shape only; the rules are in supplychain.services.risks.

LIKELIHOOD_CHOICES = [(1, "1 – rare"), (2, "2 – unlikely"), (3, "3 – possible"), (4, "4 – likely"),
                      (5, "5 – almost certain")]
IMPACT_CHOICES = [(1, "1 – negligible"), (2, "2 – minor"), (3, "3 – moderate"), (4, "4 – major"), (5, "5 – severe")]

_TEXT = {"class": "govuk-input"}
_AREA = {"class": "govuk-textarea", "rows": 3}
_SELECT = {"class": "govuk-select"}
_CHECK = {"class": "govuk-checkboxes__input"}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, person):
        return f"{person.get_full_name() or person.username} ({person.organisation.name})"


def _named_owner(label: str) -> NamedPersonField:
    """A risk's or an action's owner: only the people the user may name (supplychain.services.risks)."""
    return NamedPersonField(label=label, widget=forms.Select(attrs=_SELECT), empty_label="Choose a person")


def _offer_owners(form: forms.Form, actor) -> None:
    form.fields["owner"].offer(actor, across_alliance=is_supply_chain_team(actor))


def _owner_field(alliance_id: int, label: str, *, required: bool = True) -> PersonChoiceField:
    return PersonChoiceField(queryset=risk_people(alliance_id), label=label, required=required,
                             widget=forms.Select(attrs=_SELECT), empty_label="Anyone" if not required else "Choose a person")


def _score(choices, label: str, required: bool = True) -> forms.TypedChoiceField:
    blank = [] if required else [("", "As it is")]
    return forms.TypedChoiceField(choices=blank + choices, coerce=int, empty_value=None, label=label,
                                  required=required, widget=forms.Select(attrs=_SELECT))


class RiskRaiseForm(forms.Form):
    title = forms.CharField(max_length=300, widget=forms.TextInput(attrs=_TEXT))
    owner = _named_owner("Owner")
    cause = forms.CharField(required=False, widget=forms.Textarea(attrs=_AREA))
    effect = forms.CharField(required=False, widget=forms.Textarea(attrs=_AREA))
    likelihood = _score(LIKELIHOOD_CHOICES, "Likelihood")
    impact = _score(IMPACT_CHOICES, "Impact")
    strategy = forms.ChoiceField(choices=RiskStrategy.choices, widget=forms.Select(attrs=_SELECT),
                                 help_text="Accept, tolerate, transfer or treat (seed 002).")
    financial_exposure = forms.DecimalField(max_digits=14, decimal_places=2, required=False, min_value=0,
                                            label="Financial exposure (£)",
                                            widget=forms.NumberInput(attrs=_TEXT | {"step": "0.01"}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_owners(self, actor)


class RiskUpdateForm(forms.Form):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs=_AREA),
                           help_text="Required every month, even when nothing changed.")
    no_change = forms.BooleanField(required=False, label="No change this month",
                                   widget=forms.CheckboxInput(attrs=_CHECK))
    likelihood = _score(LIKELIHOOD_CHOICES, "Likelihood now", required=False)
    impact = _score(IMPACT_CHOICES, "Impact now", required=False)


class RiskActionForm(forms.Form):
    description = forms.CharField(widget=forms.Textarea(attrs=_AREA))
    owner = _named_owner("Action owner")
    due_on = BoundedDateField(label="Due on", help_text="For example, 31/12/2026",
                             widget=forms.DateInput(attrs=_TEXT | {"type": "date"}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        _offer_owners(self, actor)


class RiskActionProgressForm(forms.Form):
    action = forms.IntegerField(widget=forms.HiddenInput)
    progress = forms.CharField(widget=forms.Textarea(attrs=_AREA))
    done = forms.BooleanField(required=False, label="The action is done", widget=forms.CheckboxInput(attrs=_CHECK))


class RiskCloseForm(forms.Form):
    reason = forms.CharField(label="Why close the risk", widget=forms.Textarea(attrs=_AREA))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "close_%s")  # the escalation form on the same page has a "reason" too
        super().__init__(*args, **kwargs)


class RiskEscalateForm(forms.Form):
    target = forms.ChoiceField(choices=EscalationTarget.choices, label="Escalate to",
                               widget=forms.Select(attrs=_SELECT))
    reason = forms.CharField(widget=forms.Textarea(attrs=_AREA))


class RiskFilterForm(forms.Form):
    strategy = forms.ChoiceField(choices=[("", "Any")] + RiskStrategy.choices, required=False,
                                 widget=forms.Select(attrs=_SELECT))
    status = forms.ChoiceField(choices=[("", "Any")] + RiskStatus.choices, required=False,
                               widget=forms.Select(attrs=_SELECT))
    stale = forms.BooleanField(required=False, label="Stale only (no update for more than a month)",
                               widget=forms.CheckboxInput(attrs=_CHECK))

    def __init__(self, *args, alliance_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"] = _owner_field(alliance_id, "Owner", required=False)
        self.order_fields(["strategy", "owner", "status", "stale"])
