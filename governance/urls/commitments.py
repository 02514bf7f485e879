"""URLs of commitments: pages (mounted by alliance/urls.py) and API under /api/governance/."""

from __future__ import annotations

urlpatterns: list = []
api_urlpatterns: list = []
