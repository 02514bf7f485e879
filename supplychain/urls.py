"""URLs of the supply chain: ``urlpatterns`` are the pages under /supply-chain/, ``api_urlpatterns`` the API under
/api/supplychain/ (config/urls.py mounts both). The strategy documents have no API yet."""

from __future__ import annotations

from django.urls import path

from supplychain import api
from supplychain.views import documents, plans, risks, suppliers

urlpatterns = [
    # The overview, the strategy documents and the client's report.
    path("", documents.supply_chain_overview, name="supplychain"),
    path("report/", documents.supply_chain_report, name="supplychain-report"),
    # A version by its number first: the kind's slug would match digits too.
    path("documents/<int:pk>/", documents.document_detail, name="supplychain-document"),
    path("documents/<int:pk>/edit/", documents.document_edit, name="supplychain-document-edit"),
    path("documents/<int:pk>/submit/", documents.document_submit, name="supplychain-document-submit"),
    path("documents/<int:pk>/accept/", documents.document_accept, name="supplychain-document-accept"),
    path("documents/<int:pk>/return/", documents.document_return, name="supplychain-document-return"),
    path("documents/<slug:kind>/", documents.documents_kind, name="supplychain-documents"),
    path("documents/<slug:kind>/new/", documents.document_draft, name="supplychain-document-draft"),
    # The Supply Chain Management Plan.
    path("plans/", plans.plans_index, name="supplychain-plans"),
    path("plans/new/", plans.plan_new, name="supplychain-plan-new"),
    path("plans/significant-change/", plans.plan_change, name="supplychain-plan-change"),
    path("plans/<int:pk>/", plans.plan_detail, name="supplychain-plan"),
    path("plans/<int:pk>/edit/", plans.plan_edit, name="supplychain-plan-edit"),
    path("plans/<int:pk>/submit/", plans.plan_submit, name="supplychain-plan-submit"),
    path("plans/<int:pk>/accept/", plans.plan_accept, name="supplychain-plan-accept"),
    path("plans/<int:pk>/return/", plans.plan_return, name="supplychain-plan-return"),
    path("plans/<int:pk>/compare/", plans.plan_compare, name="supplychain-plan-compare"),
    # Suppliers, spend and the procurement pipeline.
    path("suppliers/", suppliers.suppliers, name="supplychain-suppliers"),
    path("suppliers/new/", suppliers.supplier_new, name="supplychain-supplier-new"),
    path("suppliers/spend/", suppliers.spend, name="supplychain-spend"),
    path("suppliers/spend/add/", suppliers.spend_add, name="supplychain-spend-add"),
    path("suppliers/spend/upload/", suppliers.spend_upload, name="supplychain-spend-upload"),
    path("suppliers/spend/feed/", suppliers.spend_feed, name="supplychain-spend-feed"),
    path("suppliers/<int:pk>/", suppliers.supplier_detail, name="supplychain-supplier"),
    path("suppliers/<int:pk>/edit/", suppliers.supplier_edit, name="supplychain-supplier-edit"),
    path("suppliers/<int:pk>/accreditation/", suppliers.supplier_accredit, name="supplychain-supplier-accredit"),
    path("suppliers/<int:pk>/reviews/", suppliers.supplier_review, name="supplychain-supplier-review"),
    path("pipeline/", suppliers.pipeline, name="supplychain-pipeline"),
    path("pipeline.csv", suppliers.pipeline_csv, name="supplychain-pipeline-csv"),
    path("pipeline/add/", suppliers.opportunity_add, name="supplychain-opportunity-add"),
    path("pipeline/publish/", suppliers.pipeline_publish, name="supplychain-pipeline-publish"),
    path("pipeline/<int:pk>/", suppliers.opportunity_detail, name="supplychain-opportunity"),
    path("pipeline/<int:pk>/supplier/", suppliers.opportunity_choose, name="supplychain-opportunity-choose"),
    # The risk register (seed 002).
    path("risks/", risks.risks, name="supplychain-risks"),
    path("risks/export.csv", risks.risks_csv, name="supplychain-risks-csv"),
    path("risks/export.xlsx", risks.risks_xlsx, name="supplychain-risks-xlsx"),
    path("risks/new/", risks.risk_new, name="supplychain-risk-new"),
    path("risks/<int:pk>/", risks.risk_detail, name="supplychain-risk"),
    path("risks/<int:pk>/update/", risks.risk_update, name="supplychain-risk-update"),
    path("risks/<int:pk>/actions/", risks.risk_action_add, name="supplychain-risk-action-add"),
    path("risks/<int:pk>/actions/progress/", risks.risk_action_progress, name="supplychain-risk-action-progress"),
    path("risks/<int:pk>/close/", risks.risk_close, name="supplychain-risk-close"),
    path("risks/<int:pk>/escalate/", risks.risk_escalate, name="supplychain-risk-escalate"),
]

api_urlpatterns = [
    path("management-plans/", api.PlanListView.as_view(), name="api-supplychain-plans"),
    path("management-plans/checklist/", api.ChecklistView.as_view(), name="api-supplychain-checklist"),
    path("management-plans/<int:pk>/", api.PlanDetailView.as_view(), name="api-supplychain-plan"),
    path("management-plans/<int:pk>/submit/", api.PlanSubmitView.as_view(), name="api-supplychain-plan-submit"),
    path("management-plans/<int:pk>/accept/", api.PlanAcceptView.as_view(), name="api-supplychain-plan-accept"),
    path("management-plans/<int:pk>/return/", api.PlanReturnView.as_view(), name="api-supplychain-plan-return"),
    path("suppliers/", api.SupplierListView.as_view(), name="api-supplychain-suppliers"),
    path("pipeline/", api.OpportunityListView.as_view(), name="api-supplychain-pipeline"),
    path("risks/", api.RiskListView.as_view(), name="api-supplychain-risks"),
    path("risks/<int:pk>/", api.RiskDetailView.as_view(), name="api-supplychain-risk"),
    path("risks/<int:pk>/updates/", api.RiskUpdateCreateView.as_view(), name="api-supplychain-risk-updates"),
]
