"""URLs: being written (issue 8)."""

urlpatterns: list = []
api_urlpatterns: list = []
