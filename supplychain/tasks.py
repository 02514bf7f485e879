"""Celery tasks of the supply chain: thin, idempotent wrappers around services (docs/architecture.md)."""

from __future__ import annotations
