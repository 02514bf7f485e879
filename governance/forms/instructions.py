"""Forms of client instructions: shape only (a date is a date); the rules are the services'."""

from __future__ import annotations

from django import forms

from alliance.forms import BoundedDateField, DateInput, GovukFormMixin, OnePageFormMixin
from governance.models.instructions import InstructionStage


class InstructionIssueForm(GovukFormMixin, forms.Form):
    title = forms.CharField(max_length=300)
    description = forms.CharField(label="What the client proposes to instruct", widget=forms.Textarea, required=False)
    issued_on = BoundedDateField(label="Issue date", widget=DateInput(),
                                help_text="The impact assessment is due 28 days later, 14 if ministerial (paras 27, 31).")
    ministerial = forms.BooleanField(label="This is a ministerial requirement (para 31)", required=False)
    document = forms.FileField(label="Attachment (optional)", required=False,
                               help_text="A PDF, Word, Excel or PowerPoint file, up to 20 MB.")


class ImpactAssessmentForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "assessment"
    summary = forms.CharField(label="Impact assessment and recommendation to the Board", widget=forms.Textarea(
        attrs={"rows": 6}))
    cost_effect = forms.DecimalField(label="Effect on cost (£)", required=False, max_digits=14, decimal_places=2,
                                     help_text="Negative for a saving.")
    time_effect_days = forms.IntegerField(label="Effect on time (days)", required=False)
    risk_effect = forms.CharField(label="Effect on risk", widget=forms.Textarea, required=False)
    submitted_on = BoundedDateField(label="Submitted on", widget=DateInput(), required=False,
                                   help_text="Leave empty for today.")
    document = forms.FileField(label="Assessment document (optional)", required=False,
                               help_text="A PDF, Word, Excel or PowerPoint file, up to 20 MB.")


class ClientDecisionForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "client"
    # Sent by the button pressed: "Accept" or "Reject" (the template renders the two buttons, not this field).
    accept = forms.TypedChoiceField(choices=[("yes", "Accept"), ("no", "Reject")], coerce=lambda v: v == "yes",
                                    widget=forms.HiddenInput, error_messages={"required": "Choose accept or reject."})
    reason = forms.CharField(label="Reason (required to reject)", widget=forms.Textarea, required=False)


class InstructForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "instruct"
    instruction_text = forms.CharField(label="What the Alliance is instructed to do (para 30)", widget=forms.Textarea)


class WithdrawForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "withdraw"
    reason = forms.CharField(label="Why is it withdrawn?", widget=forms.Textarea)


class InstructionFilterForm(GovukFormMixin, forms.Form):
    stage = forms.ChoiceField(choices=[("", "Any stage"), *InstructionStage.choices], required=False)
    overdue = forms.ChoiceField(label="Clock", choices=[("", "Any"), ("true", "Overdue"), ("false", "Not overdue")],
                                required=False)
    ministerial = forms.ChoiceField(choices=[("", "Any"), ("true", "Ministerial"), ("false", "Not ministerial")],
                                    required=False)

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        flag = {"true": True, "false": False, "": None}
        data = self.cleaned_data
        return {"stage": data["stage"] or None, "overdue": flag[data["overdue"]], "ministerial": flag[data["ministerial"]]}


class InstructionDocumentForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "document"
    document = forms.FileField(label="Document", help_text="A PDF, Word, Excel or PowerPoint file, up to 20 MB.")
