"""The project package: settings, URLs, the Celery app, WSGI and ASGI (cookiecutter-django's layout).

The Celery app is loaded with Django so that ``@shared_task`` uses it (``celery -A config``)."""

from config.celery import app as celery_app

__all__ = ("celery_app",)
