"""URLs: being written (issue 9)."""

urlpatterns: list = []
api_urlpatterns: list = []
