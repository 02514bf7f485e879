"""Every page and endpoint that names a record by id answers an id no table can hold (above 2**63 - 1) as a
missing record, never a server error, on SQLite (the README's default, whose integers stop there: a larger
parameter is an OverflowError) as on PostgreSQL. Generated over every URL pattern with an ``<int:…>`` part."""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from alliance.database import ID_MAX
from alliance.models import Person

pytestmark = pytest.mark.django_db

HUGE_IDS = (ID_MAX + 1, 10**30)


def _named_patterns_with_ids(patterns=None, namespace: str = "") -> list[tuple[str, list[str]]]:
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += _named_patterns_with_ids(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            converters = getattr(entry.pattern, "converters", {})
            ints = [name for name, converter in converters.items() if type(converter).__name__ == "IntConverter"]
            if ints and set(ints) == set(converters):
                found.append((namespace + entry.name, ints))
    return found


PATTERNS = _named_patterns_with_ids()


def test_the_generator_finds_the_id_patterns():
    assert len(PATTERNS) > 100 and ("api-obligation", ["pk"]) in PATTERNS


@pytest.mark.parametrize("persona", ["alliance-manager", "wsp-staff"])
def test_ids_beyond_the_databases_integers_are_not_found_not_a_server_error(smp, client_for, persona):
    c = client_for(Person.objects.get(username=persona))
    failures = []
    for name, ints in PATTERNS:
        for huge in HUGE_IDS:
            url = reverse(name, kwargs=dict.fromkeys(ints, huge))
            for method in (c.get, c.post):
                try:
                    status = method(url).status_code
                except Exception as error:  # noqa: BLE001 - the test client re-raises the view's exception
                    status = f"{type(error).__name__}: {error}"
                if status == 500 or isinstance(status, str):
                    failures.append(f"{method.__name__.upper()} {url}: {status}")
    assert failures == []


def test_a_package_filter_beyond_the_databases_integers_is_refused_as_bad_input(smp, client_for, alliance_manager):
    c = client_for(alliance_manager)
    for huge in HUGE_IDS:
        response = c.get(reverse("api-allocation-schemes"), {"package": huge})
        assert response.status_code == 400 and "package" in response.json()["errors"], response.content[:300]
    assert c.get(reverse("api-allocation-schemes"), {"package": ID_MAX}).json()["count"] == 0
