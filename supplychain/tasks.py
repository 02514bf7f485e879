"""Celery tasks of the supply chain: thin, idempotent wrappers around services (CONVENTIONS.md)."""

from __future__ import annotations
