"""The URLs of allocation: pages mounted at /allocation/ (``urlpatterns``), the API under /api/allocation/
(``api_urlpatterns``), one section per workflow."""

from __future__ import annotations

from django.urls import path

from allocation import api
from allocation.views import business_cases, lot1, membership, minor_changes, packages, periodic

urlpatterns = [
    # Packages, schemes and allocation runs.
    path("", packages.overview, name="allocation"),
    path("schemes/", packages.schemes, name="allocation-schemes"),
    path("schemes.csv", packages.schemes_csv, name="allocation-schemes-csv"),
    path("schemes/<int:pk>/cancel/", packages.scheme_cancel, name="allocation-scheme-cancel"),
    path("packages/new/", packages.package_new, name="allocation-package-new"),
    path("packages/<int:pk>/", packages.package_detail, name="allocation-package"),
    path("packages/<int:pk>/schemes/", packages.package_schemes_add, name="allocation-package-schemes"),
    path("packages/<int:pk>/upload/", packages.package_schemes_upload, name="allocation-package-upload"),
    path("packages/<int:pk>/allocate/", packages.package_allocate, name="allocation-package-allocate"),
    path("packages/<int:pk>/award/", packages.package_award, name="allocation-package-award"),
    path("runs/<int:pk>/", packages.run_detail, name="allocation-run"),
    path("runs/<int:pk>/trace.csv", packages.run_trace_csv, name="allocation-run-trace-csv"),
    # Optimisation: business cases, minor changes, the client taking Lot 1.
    path("business-cases/", business_cases.business_cases, name="business-cases"),
    path("business-cases/new/", business_cases.business_case_new, name="business-case-new"),
    path("business-cases/<int:pk>/", business_cases.business_case, name="business-case"),
    path("business-cases/<int:pk>/edit/", business_cases.business_case_edit, name="business-case-edit"),
    path("business-cases/<int:pk>/submit/", business_cases.business_case_submit, name="business-case-submit"),
    path("business-cases/<int:pk>/client-decision/", business_cases.business_case_client_decision,
         name="business-case-client-decision"),
    path("business-cases/<int:pk>/withdraw/", business_cases.business_case_withdraw, name="business-case-withdraw"),
    path("minor-changes/", minor_changes.minor_changes, name="minor-changes"),
    path("minor-changes/new/", minor_changes.minor_change_new, name="minor-change-new"),
    path("minor-changes/<int:pk>/", minor_changes.minor_change, name="minor-change"),
    path("minor-changes/<int:pk>/agree/", minor_changes.minor_change_agree, name="minor-change-agree"),
    path("minor-changes/<int:pk>/table/", minor_changes.minor_change_table, name="minor-change-table"),
    path("minor-changes/<int:pk>/withdraw/", minor_changes.minor_change_withdraw, name="minor-change-withdraw"),
    path("lot1/", lot1.lot1_client, name="lot1-client"),
    # Membership changes and the transition plan.
    path("membership/", membership.changes, name="membership-changes"),
    path("membership/termination/", membership.termination_new, name="membership-termination-new"),
    path("membership/new-partner/", membership.new_partner, name="membership-new-partner"),
    path("membership/transition-plan/", membership.transition_plan_deliver, name="membership-transition-plan"),
    path("membership/<int:pk>/", membership.detail, name="membership-change"),
    path("membership/<int:pk>/apply/", membership.apply, name="membership-change-apply"),
    path("membership/<int:pk>/repropose/", membership.repropose, name="membership-change-repropose"),
    path("membership/<int:pk>/withdraw/", membership.withdraw, name="membership-change-withdraw"),
    # Periodic Instructions.
    path("periodic-instructions/", periodic.register, name="periodic-instructions"),
    path("periodic-instructions/new/", periodic.request_new, name="periodic-instruction-new"),
    path("periodic-instructions/<int:pk>/", periodic.detail, name="periodic-instruction"),
    path("periodic-instructions/<int:pk>/profile/", periodic.profile, name="periodic-instruction-profile"),
    path("periodic-instructions/<int:pk>/table/", periodic.table, name="periodic-instruction-table"),
    path("periodic-instructions/<int:pk>/issue/", periodic.issue, name="periodic-instruction-issue"),
]

api_urlpatterns = [
    path("packages/", api.PackageListView.as_view(), name="api-allocation-packages"),
    path("packages/<int:pk>/schemes/", api.PackageSchemesView.as_view(), name="api-allocation-package-schemes"),
    path("packages/<int:pk>/allocate/", api.PackageAllocateView.as_view(), name="api-allocation-package-allocate"),
    path("schemes/", api.SchemeListView.as_view(), name="api-allocation-schemes"),
    path("business-cases/", api.BusinessCaseListView.as_view(), name="api-business-cases"),
    path("business-cases/<int:pk>/", api.BusinessCaseDetailView.as_view(), name="api-business-case"),
    path("minor-changes/", api.MinorChangeListView.as_view(), name="api-minor-changes"),
    path("membership-changes/", api.MembershipChangeListView.as_view(), name="api-membership-changes"),
    path("membership-changes/<int:pk>/", api.MembershipChangeDetailView.as_view(), name="api-membership-change"),
    path("membership-changes/<int:pk>/apply/", api.MembershipChangeApplyView.as_view(),
         name="api-membership-change-apply"),
    path("periodic-instructions/", api.PeriodicInstructionListView.as_view(), name="api-periodic-instructions"),
    path("periodic-instructions/<int:pk>/", api.PeriodicInstructionDetailView.as_view(),
         name="api-periodic-instruction"),
]
