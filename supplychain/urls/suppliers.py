"""URLs of suppliers, spend and the procurement pipeline: pages under /supply-chain/, the read API under
/api/supplychain/."""

from __future__ import annotations

from django.urls import path

from supplychain.api import suppliers as api
from supplychain.views import suppliers as views

urlpatterns = [
    path("suppliers/", views.suppliers, name="supplychain-suppliers"),
    path("suppliers/new/", views.supplier_new, name="supplychain-supplier-new"),
    path("suppliers/spend/", views.spend, name="supplychain-spend"),
    path("suppliers/spend/add/", views.spend_add, name="supplychain-spend-add"),
    path("suppliers/spend/upload/", views.spend_upload, name="supplychain-spend-upload"),
    path("suppliers/spend/feed/", views.spend_feed, name="supplychain-spend-feed"),
    path("suppliers/<int:pk>/", views.supplier_detail, name="supplychain-supplier"),
    path("suppliers/<int:pk>/edit/", views.supplier_edit, name="supplychain-supplier-edit"),
    path("suppliers/<int:pk>/accreditation/", views.supplier_accredit, name="supplychain-supplier-accredit"),
    path("suppliers/<int:pk>/reviews/", views.supplier_review, name="supplychain-supplier-review"),
    path("pipeline/", views.pipeline, name="supplychain-pipeline"),
    path("pipeline.csv", views.pipeline_csv, name="supplychain-pipeline-csv"),
    path("pipeline/add/", views.opportunity_add, name="supplychain-opportunity-add"),
    path("pipeline/publish/", views.pipeline_publish, name="supplychain-pipeline-publish"),
    path("pipeline/<int:pk>/", views.opportunity_detail, name="supplychain-opportunity"),
    path("pipeline/<int:pk>/supplier/", views.opportunity_choose, name="supplychain-opportunity-choose"),
]

api_urlpatterns = [
    path("suppliers/", api.SupplierListView.as_view(), name="api-supplychain-suppliers"),
    path("pipeline/", api.OpportunityListView.as_view(), name="api-supplychain-pipeline"),
]
