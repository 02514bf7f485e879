"""Forms of the mobilisation pages: shape only, the rules are in the services."""

from __future__ import annotations

from django import forms

from alliance.forms import BoundedDateField, DateInput, GovukFormMixin, NamedPersonField, OnePageFormMixin
from alliance.models import Organisation
from mobilisation.models import (
    AssessmentOutcome,
    CriterionLevel,
    DeliverableStatus,
    Dimension,
    DuePeriod,
    MaturityLevel,
    PhaseKind,
    PlanReviewVerdict,
    Stage,
    TargetPeriod,
)
from mobilisation.services.maturity import ERR_MATURITY_ACTION_DESCRIPTION

# --- Deliverables -------------------------------------------------------------------------------------------
# Forms of the mobilisation plan pages: shape only (the rules are in services.deliverables).

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


# --- Phases -------------------------------------------------------------------------------------------------
# Forms of the phases and go / no-go pages: shape only (the rules of para 209 are the service's).

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


# --- Maturity -----------------------------------------------------------------------------------------------
# Forms of the maturity plan pages: shape only; the rules are the services' (mobilisation.services.maturity).

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


# --- Assessment ---------------------------------------------------------------------------------------------
# Forms of the self-assessment pages: shape only (who may rate, the 1-to-5 rule and the close are the
# services').

SCORE_CHOICES = [
    ("", "Not rated"),
    ("1", "1 – not at all"),
    ("2", "2 – a little"),
    ("3", "3 – partly"),
    ("4", "4 – largely"),
    ("5", "5 – fully"),
]


class AssessmentOpenForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title", max_length=200, help_text="For example “Self-assessment, November 2026”.")
    opens_on = BoundedDateField(label="Ratings open on", widget=DateInput())
    closes_on = BoundedDateField(label="Ratings close on", widget=DateInput())


class AssessmentCloseForm(forms.Form):
    """Closing has nothing to fill in."""


class RatingsForm(GovukFormMixin, forms.Form):
    """One field per outcome of the Code, named by the outcome's code; a field left "Not rated" is skipped."""

    def __init__(self, *args, outcomes=(), **kwargs):
        super().__init__(*args, **kwargs)
        for outcome in outcomes:
            self.fields[outcome.code] = forms.TypedChoiceField(
                label=outcome.text, choices=SCORE_CHOICES, coerce=int, empty_value=None, required=False)
        # Added after the mixin's __init__, which gives the other forms' fields their classes.
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "govuk-select")

    def scores(self) -> dict[str, int | None]:
        return {code: self.cleaned_data.get(code) for code in self.fields}


class GapActionForm(GovukFormMixin, forms.Form):
    theme = forms.CharField(widget=forms.HiddenInput)
    phase = forms.CharField(widget=forms.HiddenInput)
    focus_area = forms.TypedChoiceField(label="Focus area of the draft maturity plan", coerce=int, choices=())
    description = forms.CharField(label="The action", required=False, widget=forms.Textarea(attrs={"rows": 2}),
                                  help_text="Left blank, the action says which theme and phase to improve.")
    due_on = BoundedDateField(label="Due on", required=False, widget=DateInput())

    def __init__(self, *args, focus_areas=(), **kwargs):
        """``focus_areas``: (id, title) pairs, read once for every gap's form (a queryset would be read by each)."""
        super().__init__(*args, **kwargs)
        self.fields["focus_area"].choices = [("", "Choose a focus area"), *focus_areas]
