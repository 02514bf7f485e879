"""Forms of the Implementation Plan: shape only; the rules are governance.services' (paras 3-6)."""

from __future__ import annotations

import re

from django import forms

from alliance.forms import GovukFormMixin
from governance.models.plan import ChangeProposalStatus

_HEADING_LINE = re.compile(r"^#\s*(?P<number>\S+)\s+(?P<heading>.+?)\s*$")
_RESERVED_MARK = "[client reserved]"


class PlanProposalForm(GovukFormMixin, forms.Form):
    section_number = forms.CharField(
        max_length=20, label="Section number",
        help_text='An existing section\'s number to change it, or a new number to add a section, e.g. "2.5".',
        widget=forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5"}),
    )
    section_heading = forms.CharField(max_length=300, label="Section heading")
    proposed_text = forms.CharField(label="Proposed text of the section", widget=forms.Textarea(attrs={"rows": 12}),
                                    help_text="The whole section as it would read after the change.")
    reason = forms.CharField(label="Why change it?", widget=forms.Textarea(attrs={"rows": 4}))


class PlanReviewForm(GovukFormMixin, forms.Form):
    decision = forms.ChoiceField(
        label="Your decision", widget=forms.RadioSelect,
        choices=[("accept", "Accept it and take it to the Board (para 5)"), ("reject", "Reject it")],
    )
    impact_assessment = forms.CharField(
        label="Impact assessment", widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Its effect on the Alliance's operation, cost, programme and other sections (para 4). "
                  "When you reject the proposal, say why.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["decision"].widget.attrs.pop("class", None)  # rendered as GOV.UK radios by the template


class PlanPublishForm(GovukFormMixin, forms.Form):
    proposals = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label="Approved changes to publish",
        error_messages={"required": "Choose at least one change the Board has approved (para 6)"},
    )
    note = forms.CharField(label="What changed in this version", required=False,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           help_text="Leave empty to list the changes' sections.")

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["proposals"].queryset = proposals
        self.fields["proposals"].widget.attrs.pop("class", None)
        self.fields["proposals"].label_from_instance = lambda p: f"{p.section_number} {p.section_heading}"


class PlanInitialForm(GovukFormMixin, forms.Form):
    """The first version, written as text: each section starts with a line ``# 2.4 Heading``; a heading
    ending in ``[client reserved]`` marks a client reserved matter (para 3)."""

    sections = forms.CharField(
        label="Sections", widget=forms.Textarea(attrs={"rows": 20}),
        help_text='Start each section with a line such as "# 2.4 Proposed instruction to the Alliance Manager"; '
                  'end the heading with "[client reserved]" for a client reserved matter.',
    )
    note = forms.CharField(label="Note", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_sections(self) -> list[dict]:
        rows: list[dict] = []
        for line in self.cleaned_data["sections"].splitlines():
            match = _HEADING_LINE.match(line)
            if match:
                heading = match["heading"]
                reserved = heading.lower().endswith(_RESERVED_MARK)
                if reserved:
                    heading = heading[: -len(_RESERVED_MARK)].strip()
                rows.append({"number": match["number"], "heading": heading, "text": "", "client_reserved": reserved})
            elif rows:
                rows[-1]["text"] += line + "\n"
            elif line.strip():
                raise forms.ValidationError('Start with a section line such as "# 1.1 Purpose".')
        if not rows:
            raise forms.ValidationError('Write at least one section, starting with a line such as "# 1.1 Purpose".')
        return rows


class PlanCompareForm(GovukFormMixin, forms.Form):
    a = forms.TypedChoiceField(label="Compare version", coerce=int)
    b = forms.TypedChoiceField(label="with version", coerce=int)

    def __init__(self, *args, numbers: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(n, f"Version {n}") for n in numbers]
        self.fields["a"].choices = choices
        self.fields["b"].choices = choices


class PlanProposalFilterForm(GovukFormMixin, forms.Form):
    status = forms.ChoiceField(label="Status", required=False,
                               choices=[("", "Any status"), *ChangeProposalStatus.choices])
