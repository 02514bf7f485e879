"""URLs of the performance framework's threshold changes (paras 147-148)."""

from __future__ import annotations

from django.urls import path

from performance.views import framework as views

urlpatterns = [path("framework/", views.framework_changes, name="framework-changes")]
api_urlpatterns: list = []
