"""Forms of Production Hub resourcing (paras 63-71): shape only; the rules are the services'
(people.services.hub)."""

from __future__ import annotations

from django import forms

from alliance.dates import local_today
from alliance.forms import BoundedDateField, DateInput, GovukFormMixin, OnePageFormMixin
from people.services.cvs import ERR_CV_REQUIRED
from people.services.hub import (
    ERR_CALL_NO_SERVICES,
    ERR_CALL_ROLES,
    ERR_CALL_SERVICE,
    ERR_PORTFOLIO_EMPTY,
    ERR_PORTFOLIO_SUMMARY,
    ERR_PRESENCE_SERVICE,
    ERR_PROPOSAL_COMMENTS,
    ERR_PROPOSAL_TITLE,
)

_CLOSES_ON_HELP = "At 17:00. Leave empty for 14 days from today."
_CV_HELP = "A PDF or Word (.docx) file, up to 10 MB. CVs are personal data: only your organisation, the Alliance " \
           "Manager and the Board while it decides can open it."


class ProposalRequestForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Name of the round", max_length=200,
                            help_text='For example "Alliance Start Date" or "Package 3".',
                            error_messages={"required": ERR_PROPOSAL_TITLE})
    due_date = BoundedDateField(
        label="Selection complete by", widget=DateInput(), required=False,
        help_text="Leave empty: three months after the Alliance Start Date for the first round (para 66), three "
                  "months from today for a later one.")


class ProposalServicesForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "services"
    services = forms.ModelMultipleChoiceField(
        label="Services the Production Management Partner provides core capability for (para 65)",
        queryset=None, widget=forms.CheckboxSelectMultiple, required=False,
    )
    note = forms.CharField(label="Summary of the proposal", widget=forms.Textarea, required=False)

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = services


class HubCandidateForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    """A candidate's CV for a Production Hub service: in the PMP's proposal (para 65) or a call (para 67)."""

    id_prefix = "candidate"
    hub_service = forms.ModelChoiceField(label="Service", queryset=None, empty_label="Choose a service",
                                         error_messages={"invalid_choice": ERR_CALL_SERVICE})
    person_name = forms.CharField(label="Candidate's name", max_length=200)
    statement = forms.CharField(label="Why this candidate suits the role", widget=forms.Textarea, required=False)
    cv = forms.FileField(label="CV", help_text=_CV_HELP, error_messages={"required": ERR_CV_REQUIRED})

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hub_service"].queryset = services


class ProposalSubmitForm(forms.Form):
    """Nothing to fill in: the button submits the proposal."""


class ProposalReturnForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "return"
    comments = forms.CharField(label="Comments for the Production Management Partner", widget=forms.Textarea,
                               error_messages={"required": ERR_PROPOSAL_COMMENTS})


class ProposalApproveForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "approve"
    closes_on = BoundedDateField(label="The Board's decision closes on", widget=DateInput(), required=False,
                                help_text=_CLOSES_ON_HELP)


class CallIssueForm(GovukFormMixin, forms.Form):
    title = forms.CharField(label="Title of the call", max_length=200)
    roles = forms.CharField(label="The remaining roles the call is for", widget=forms.Textarea(attrs={"rows": 5}),
                            error_messages={"required": ERR_CALL_ROLES})
    services = forms.ModelMultipleChoiceField(
        label="Production Hub services of those roles", queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": ERR_CALL_NO_SERVICES},
    )
    opens_on = BoundedDateField(label="Opens on", widget=DateInput(), required=False,
                               help_text="Leave empty for today.",
                               error_messages={"invalid": "Enter the day the call opens as a real date"})
    closes_on = BoundedDateField(label="Closes on", widget=DateInput(),
                                help_text="Partners have two to four weeks: 14 to 28 days after it opens (para 67).",
                                error_messages={"required": "Enter the day the call closes",
                                                "invalid": "Enter the day the call closes as a real date"})

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["services"].queryset = services
        self.fields["opens_on"].initial = local_today()


class PortfolioRecommendForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "recommend"
    candidates = forms.ModelMultipleChoiceField(
        label="Shortlisted candidates in the portfolio", queryset=None, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": ERR_PORTFOLIO_EMPTY},
    )
    summary = forms.CharField(label="How the portfolio is balanced (para 68)", widget=forms.Textarea(attrs={"rows": 5}),
                              error_messages={"required": ERR_PORTFOLIO_SUMMARY})
    closes_on = BoundedDateField(label="The Board's decision closes on", widget=DateInput(), required=False,
                                help_text=_CLOSES_ON_HELP)

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Every candidate of the call is a valid choice here: the service says which may be recommended.
        self.fields["candidates"].queryset = candidates
        self.fields["candidates"].label_from_instance = (
            lambda c: f"{c.person_name} ({c.organisation}) for {c.hub_service}")


class PortfolioCommentsForm(OnePageFormMixin, GovukFormMixin, forms.Form):
    id_prefix = "comments"
    comments = forms.CharField(label="The Board's comments (para 69)", widget=forms.Textarea(attrs={"rows": 5}))


class PresenceForm(GovukFormMixin, forms.Form):
    """Offers the services where the client keeps a presence (para 46); the service refuses any other."""

    hub_service = forms.ModelChoiceField(label="Service", queryset=None, empty_label="Choose a service",
                                         error_messages={"invalid_choice": ERR_PRESENCE_SERVICE})
    person_name = forms.CharField(label="Name of the client's person", max_length=200)

    def __init__(self, *args, services=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hub_service"].queryset = services.filter(client_presence=True)
