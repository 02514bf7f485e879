"""The URLs of performance, one module per workflow, mounted at /performance/; the API under /api/performance/."""

from performance.urls import framework, improvement, scorecard

urlpatterns = scorecard.urlpatterns + improvement.urlpatterns + framework.urlpatterns
api_urlpatterns = scorecard.api_urlpatterns + improvement.api_urlpatterns
