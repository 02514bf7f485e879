from django.apps import AppConfig


class SupplychainConfig(AppConfig):
    name = "supplychain"
    verbose_name = "Supply chain"
