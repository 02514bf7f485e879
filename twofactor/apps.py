from django.apps import AppConfig


class TwoFactorConfig(AppConfig):
    """The second factor at sign-in (django-otp): its pages, its middleware and the API's session check."""

    name = "twofactor"
    verbose_name = "Two-factor authentication"
