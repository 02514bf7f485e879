"""``manage.py check --deploy --fail-level WARNING`` passes with production settings, in a fresh process (settings
are read once, at start-up): DEBUG off, a 50-character random SECRET_KEY, ALLOWED_HOSTS and DATABASE_URL set.
It covers the security middleware and cookies, django-axes' and drf-spectacular's own checks (the API's
authentication classes must all be described in the schema)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management.utils import get_random_secret_key

ROOT = Path(__file__).resolve().parents[2]


def _database_urls(tmp_path: Path) -> list[str]:
    urls = [f"sqlite:///{tmp_path / 'deploy.sqlite3'}"]
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        urls.append(os.environ["DATABASE_URL"])
    return urls


@pytest.mark.parametrize("database", ["sqlite", "env"])
def test_check_deploy_passes_with_production_settings(tmp_path, database):
    urls = _database_urls(tmp_path)
    if database == "env" and len(urls) == 1:
        pytest.skip("DATABASE_URL is not PostgreSQL")
    secret_key = get_random_secret_key()
    assert len(secret_key) == 50
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    } | {
        "DEBUG": "false",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "alliance.example.org",
        "DATABASE_URL": urls[0] if database == "sqlite" else urls[1],
        "VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=180, check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
