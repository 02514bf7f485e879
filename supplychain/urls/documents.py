"""URLs of the supply chain's overview, its strategy documents and the client's report, under /supply-chain/.
The strategy documents have no API yet: ``api_urlpatterns`` is empty."""

from __future__ import annotations

from django.urls import path

from supplychain.views import documents as views

urlpatterns = [
    path("", views.supply_chain_overview, name="supplychain"),
    path("report/", views.supply_chain_report, name="supplychain-report"),
    # A version by its number first: the kind's slug would match digits too.
    path("documents/<int:pk>/", views.document_detail, name="supplychain-document"),
    path("documents/<int:pk>/edit/", views.document_edit, name="supplychain-document-edit"),
    path("documents/<int:pk>/submit/", views.document_submit, name="supplychain-document-submit"),
    path("documents/<int:pk>/accept/", views.document_accept, name="supplychain-document-accept"),
    path("documents/<int:pk>/return/", views.document_return, name="supplychain-document-return"),
    path("documents/<slug:kind>/", views.documents_kind, name="supplychain-documents"),
    path("documents/<slug:kind>/new/", views.document_draft, name="supplychain-document-draft"),
]
api_urlpatterns: list = []
