from __future__ import annotations

from django.urls import path

from twofactor import views

# Under /accounts/ (config/urls.py), beside Django's sign-in pages.
urlpatterns = [
    path("two-factor/", views.two_factor_verify, name="two-factor"),
    path("two-factor/setup/", views.two_factor_setup, name="two-factor-setup"),
]
