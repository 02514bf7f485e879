"""Forms of the phases and go / no-go pages: shape only (the rules of para 209 are the service's)."""

from __future__ import annotations

from django import forms

from alliance.forms import BoundedDateField, DateInput, GovukFormMixin
from mobilisation.models import AssessmentOutcome, CriterionLevel

__all__ = [
    "ACTION_ROWS",
    "AssessmentPrepareForm",
    "CriteriaMarkForm",
    "CriterionAddForm",
    "OutcomeForm",
    "PhaseConfirmForm",
]

ACTION_ROWS = 3  # rows offered on the page for a no go's actions; a later assessment can set more
MARK_CHOICES = [("met", "Met"), ("not_met", "Not met"), ("", "Not assessed")]
_MARK_VALUES = {"met": True, "not_met": False, "": None}


class PhaseConfirmForm(forms.Form):
    """A step with nothing to fill in (lay out the phases, mark an action done)."""


class AssessmentPrepareForm(GovukFormMixin, forms.Form):
    held_on = BoundedDateField(label="Date of the assessment", required=False, widget=DateInput(),
                              help_text="Leave blank for today.")
    scheme_criteria = forms.CharField(
        label="Scheme-level criteria", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One criterion a line: the Schemes starting shortly after the Alliance Start Date (para 209).")
    alliance_criteria = forms.CharField(
        label="Alliance-level criteria", required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One criterion a line: the broader SMP over the longer term (para 209).")

    def criteria(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [(level, line.strip()) for level, key in ((CriterionLevel.SCHEME, "scheme_criteria"),
                                                           (CriterionLevel.ALLIANCE, "alliance_criteria"))
                for line in (data.get(key) or "").splitlines() if line.strip()]


class CriterionAddForm(GovukFormMixin, forms.Form):
    level = forms.ChoiceField(label="Level", choices=CriterionLevel.choices)
    text = forms.CharField(label="Criterion", max_length=300)


class CriteriaMarkForm(GovukFormMixin, forms.Form):
    """Met, not met or not yet assessed, and the evidence, for each criterion of an assessment."""

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            mark = "" if criterion.met is None else ("met" if criterion.met else "not_met")
            self.fields[f"met_{criterion.pk}"] = forms.ChoiceField(
                label=f"Mark: {criterion.text}", choices=MARK_CHOICES, required=False, initial=mark)
            self.fields[f"evidence_{criterion.pk}"] = forms.CharField(
                label=f"Evidence: {criterion.text}", required=False, initial=criterion.evidence,
                widget=forms.Textarea(attrs={"rows": 2}))
        # The mixin styled the fields that existed when it ran; these were added after.
        for field in self.fields.values():
            widget = field.widget
            widget.attrs.setdefault("class", "govuk-select" if isinstance(widget, forms.Select) else "govuk-textarea")

    def marks(self) -> dict[int, tuple[bool | None, str]]:
        return {c.pk: (_MARK_VALUES[self.cleaned_data.get(f"met_{c.pk}") or ""],
                       self.cleaned_data.get(f"evidence_{c.pk}") or "") for c in self.criteria}

    def rows(self):
        """(criterion, its mark field, its evidence field) for the template."""
        return [(c, self[f"met_{c.pk}"], self[f"evidence_{c.pk}"]) for c in self.criteria]


class OutcomeForm(GovukFormMixin, forms.Form):
    outcome = forms.ChoiceField(label="Outcome", choices=AssessmentOutcome.choices, widget=forms.RadioSelect)
    notes = forms.CharField(label="Reasons and notes", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text="Required for a no go.")

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, ACTION_ROWS + 1):
            self.fields[f"action_{n}_description"] = forms.CharField(
                label=f"Action {n}", required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "govuk-textarea"}))
            self.fields[f"action_{n}_owner"] = forms.ModelChoiceField(
                label=f"Action {n}: owner organisation", queryset=organisations, required=False,
                widget=forms.Select(attrs={"class": "govuk-select"}))
            self.fields[f"action_{n}_due_on"] = BoundedDateField(
                label=f"Action {n}: due date", required=False, widget=DateInput())

    def actions(self) -> list[dict]:
        """The rows with anything filled in; an incomplete row is the service's to refuse."""
        rows = []
        for n in range(1, ACTION_ROWS + 1):
            row = {key: self.cleaned_data.get(f"action_{n}_{key}") for key in ("description", "owner", "due_on")}
            if any(row.values()):
                rows.append(row)
        return rows

    def action_rows(self):
        return [(n, self[f"action_{n}_description"], self[f"action_{n}_owner"], self[f"action_{n}_due_on"])
                for n in range(1, ACTION_ROWS + 1)]
