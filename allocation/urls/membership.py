"""URLs of membership: pages under /allocation/ and the API under /api/allocation/."""

from __future__ import annotations

urlpatterns: list = []
api_urlpatterns: list = []
