"""allocation's services, selectors, forms and serializers are packages re-exporting one module per workflow
with star imports: two modules exporting the same name would silently shadow one another."""

from __future__ import annotations

import importlib

import pytest

from tests.governance.test_packages import _exported

WORKFLOWS = ["packages", "business_cases", "minor_changes", "lot1", "membership", "periodic"]
# _shared holds what the optimisation workflows share; it re-exports names too (BOARD_DAYS, BoardSubmitForm).
SHARED = {"services": ["_shared"], "forms": ["_shared"]}
# The client taking Lot 1 has no API, so no serializers.
NOT_SPLIT = {"serializers": {"lot1"}}


@pytest.mark.parametrize("package", ["services", "selectors", "forms", "serializers"])
def test_no_two_workflow_modules_export_the_same_name(package):
    seen: dict[str, str] = {}
    for workflow in WORKFLOWS + SHARED.get(package, []):
        if workflow in NOT_SPLIT.get(package, ()):
            continue
        module = importlib.import_module(f"allocation.{package}.{workflow}")
        for name in _exported(module):
            assert name not in seen, f"allocation.{package}: {name} is exported by both {seen[name]} and {workflow}"
            seen[name] = workflow


def test_the_split_keeps_every_name_of_the_optimisation_modules():
    """The names optimisation's modules exported before they were split (business cases, minor changes, Lot 1)
    are still reached through each package."""
    from allocation import forms, selectors, serializers, services

    for package, names in {
        services: ["BOARD_DAYS", "BUSINESS_CASE_STEPS", "ERR_CLOSES_ON_PAST", "MINOR_CHANGE_STEPS", "ProposedChange",
                   "business_case_client_decide", "business_case_draft", "business_case_edit",
                   "business_case_submit", "lot1_client_take", "minor_change_agree", "minor_change_raise",
                   "minor_change_table", "ERR_LOT1_NOT_CLIENT", "ERR_MINOR_NOT_AM", "ERR_CASE_NOT_AM",
                   "can_record_membership_change", "can_apply_membership_change", "can_record_transition_plan",
                   "can_request_periodic_instruction", "can_prepare_periodic_instruction",
                   "can_issue_periodic_instruction"],
        selectors: ["agreeing_organisation", "business_case_for", "business_case_history", "business_case_lines",
                    "business_case_timeline", "business_cases_of", "lot1_allocations", "lot1_takeable_schemes",
                    "minor_change_agreements", "minor_change_for", "minor_change_history", "minor_change_timeline",
                    "minor_changes_of", "optimisation_candidates", "optimisation_partners", "optimisation_schemes",
                    "optimisation_supporters"],
        forms: ["BoardSubmitForm", "BusinessCaseClientForm", "BusinessCaseFilterForm", "BusinessCaseForm",
                "ChangeLineForm", "ChangeLineFormSet", "Lot1ClientForm", "MinorAgreementForm", "MinorChangeFilterForm",
                "MinorChangeForm"],
        serializers: ["BusinessCaseChangeSerializer", "BusinessCaseQuerySerializer", "BusinessCaseSerializer",
                      "MinorChangeQuerySerializer", "MinorChangeSerializer", "PartnerAgreementSerializer"],
    }.items():
        missing = [name for name in names if not hasattr(package, name)]
        assert not missing, f"{package.__name__} lost {missing}"
