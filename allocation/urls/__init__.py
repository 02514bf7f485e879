"""The URLs of allocation, one module per workflow, mounted at /allocation/; the API under /api/allocation/."""

from allocation.urls import membership, optimisation, packages, periodic

urlpatterns = packages.urlpatterns + optimisation.urlpatterns + membership.urlpatterns + periodic.urlpatterns
api_urlpatterns = (packages.api_urlpatterns + optimisation.api_urlpatterns + membership.api_urlpatterns
                   + periodic.api_urlpatterns)
