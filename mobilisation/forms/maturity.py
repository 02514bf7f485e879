"""Forms of the maturity plan pages: shape only; the rules are the services' (mobilisation.services.maturity)."""

from __future__ import annotations

from django import forms

from alliance.forms import BoundedDateField, DateInput, GovukFormMixin, OnePageFormMixin
from alliance.models import Organisation
from mobilisation.models import MaturityLevel, TargetPeriod
from mobilisation.services.maturity import ERR_MATURITY_ACTION_DESCRIPTION

__all__ = ["MaturityActionForm", "MaturityDraftForm", "MaturityEditForm", "MaturitySubmitForm", "target_field_name"]

LEVEL_CHOICES = [("", "Not set"), *MaturityLevel.choices]


def target_field_name(code: str, period: str) -> str:
    return f"t__{code}__{period}"


class MaturityEditForm(GovukFormMixin, forms.Form):
    """A draft's summary and, for each focus area, one choice of level per period of para 218. Levels may be
    left unset while drafting; submission needs them all."""

    summary = forms.CharField(label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="The plan on a page (para 220): the Alliance's aspirations in a few lines.")

    def __init__(self, *args, grid, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid = grid
        for group in grid:
            for row in group.rows:
                for cell in row.cells:
                    name = target_field_name(row.focus_area.code, cell.period)
                    self.fields[name] = forms.ChoiceField(
                        label=f"{row.focus_area.title}: {cell.period_label}", choices=LEVEL_CHOICES,
                        required=False, widget=forms.Select(attrs={"class": "govuk-select"}))
                    if not self.is_bound:
                        self.initial.setdefault(name, cell.level or "")

    def groups(self):
        """For the template: [(heading, [(focus area, [bound fields by period])])]."""
        return [(group.heading, [(row.focus_area, [self[target_field_name(row.focus_area.code, cell.period)]
                                                   for cell in row.cells]) for row in group.rows])
                for group in self.grid]

    def targets(self) -> dict[str, dict[str, str]]:
        return {row.focus_area.code: {period: self.cleaned_data.get(target_field_name(row.focus_area.code, period))
                                      or "" for period in TargetPeriod.values}
                for group in self.grid for row in group.rows}


class MaturityActionForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "action"
    focus_area = forms.TypedChoiceField(label="Focus area", coerce=int)
    description = forms.CharField(label="Action", widget=forms.Textarea,
                                  error_messages={"required": ERR_MATURITY_ACTION_DESCRIPTION})
    owner = forms.ModelChoiceField(label="Owner organisation", queryset=Organisation.objects.none(), required=False,
                                   empty_label="No owner yet")
    due_on = BoundedDateField(label="Due date", widget=DateInput(), required=False)
    source = forms.CharField(label="Source", max_length=200, required=False,
                             help_text="Where it comes from, for example a gap found by the self-assessment.")

    def __init__(self, *args, plan=None, grid=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].choices = [("", "Choose a focus area")] + [
            (group.heading, [(row.focus_area.pk, row.focus_area.title) for row in group.rows]) for group in grid]
        if plan is not None:
            self.fields["owner"].queryset = Organisation.objects.filter(alliance_id=plan.alliance_id).order_by("name")


class MaturityDraftForm(forms.Form):
    """Nothing to fill in: the button starts the next version."""


class MaturitySubmitForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "submit"
    closes_on = BoundedDateField(label="The Board's decision closes on", widget=DateInput(), required=False,
                                help_text="At 17:00. Leave empty for 14 days from today.")
