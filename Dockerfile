# The production image: one image for web (gunicorn), Celery worker and Celery beat.
# Debian 13 (trixie): its postgresql-client (17) dumps and restores the compose file's PostgreSQL 16 (bin/backup).
FROM python:3.12-slim-trixie

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VAR_DIR=/app/var \
    STATIC_ROOT=/app/staticfiles

RUN apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system alliance && useradd --system --gid alliance --home /app alliance
WORKDIR /app

COPY pyproject.toml README.md ./
COPY alliance/ alliance/
COPY governance/ governance/
COPY allocation/ allocation/
COPY performance/ performance/
COPY supplychain/ supplychain/
COPY mobilisation/ mobilisation/
RUN pip install --no-cache-dir .

COPY manage.py ./
COPY bin/ bin/
COPY templates/ templates/
COPY static/ static/
# collectstatic needs settings that load; the real secret comes from the environment at run time.
RUN DEBUG=false SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput \
    && mkdir -p /app/var /backups && chown -R alliance:alliance /app/var /backups

USER alliance
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
