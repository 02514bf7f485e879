"""Production settings: check --deploy is clean; secrets and booleans are strict."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.settings import env_bool

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}} | env
    return subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120, check=False)


def test_check_deploy_prints_no_warning_with_production_settings(tmp_path):
    result = _manage("check", "--deploy", "--fail-level", "WARNING", DEBUG="false",
                     SECRET_KEY="a-long-random-production-secret-key-" + "x" * 40, ALLOWED_HOSTS="alliance.example.org",
                     VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_secret_key_is_required_when_debug_is_off(tmp_path):
    result = _manage("check", DEBUG="false", VAR_DIR=str(tmp_path))
    assert result.returncode != 0
    assert "SECRET_KEY is required when DEBUG is off" in result.stderr


@pytest.mark.parametrize(("raw", "value"), [("true", True), ("1", True), ("off", False), ("False", False)])
def test_booleans_parse_strictly(monkeypatch, raw, value):
    monkeypatch.setenv("SOME_FLAG", raw)
    assert env_bool("SOME_FLAG", not value) is value


def test_a_mistyped_boolean_is_an_error_not_a_guess(monkeypatch):
    monkeypatch.setenv("SOME_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="SOME_FLAG must be true or false"):
        env_bool("SOME_FLAG", False)


def test_content_security_policy_header_is_sent(client_for, partner_staff):
    response = client_for(partner_staff).get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy


def test_health_check_answers_without_sign_in(db):
    from django.test import Client

    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok\n"
