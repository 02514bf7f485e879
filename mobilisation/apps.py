from django.apps import AppConfig


class MobilisationConfig(AppConfig):
    name = "mobilisation"
    verbose_name = "Mobilisation"
