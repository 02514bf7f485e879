"""The navigation bar: the areas the apps registered (alliance/portal_registry.py), in the menu's order
(portal/navigation.py), each shown only to the roles that use it."""

from __future__ import annotations

import pytest

from alliance.models import Organisation
from alliance.portal_registry import nav_entries
from portal.navigation import MENU

pytestmark = pytest.mark.django_db


def test_navigation_shows_only_what_the_role_may_use(smp, client_for, partner_staff):
    admin_page = client_for(Organisation.objects.get(slug="national-highways").people.get(username="admin")).get("/")
    staff_page = client_for(partner_staff).get("/")
    assert "Administration" in [i["label"] for i in admin_page.context["nav_items"]]
    assert "Administration" not in [i["label"] for i in staff_page.context["nav_items"]]
    assert [i["label"] for i in staff_page.context["nav_items"]] == [
        "Home", "What's due", "Implementation Plan", "Commitments", "Performance Table", "Allocation", "Scorecard",
        "People", "Supply chain", "Mobilisation", "Alliance"]
    manager = client_for(Organisation.objects.get(slug="national-highways").people.get(username="alliance-manager"))
    assert [i["label"] for i in manager.get("/").context["nav_items"]] == [
        "Home", "What's due", "Board", "Instructions", "Implementation Plan", "Commitments", "Performance Table",
        "Assurance", "Allocation", "Scorecard", "People", "Supply chain", "Mobilisation", "Alliance", "Audit"]


def test_the_menu_places_every_registered_area_and_only_those():
    assert sorted(entry.url_name for entry in nav_entries()) == sorted(MENU)
