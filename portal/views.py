"""The portal's pages: the home page. Thin: read what the apps contribute, render."""

from __future__ import annotations

from django.shortcuts import render

from alliance import permissions, selectors
from alliance.dates import local_today
from portal.home import home_for


def home(request):
    today = local_today()
    context = {
        "today": today,
        "home": home_for(request.user, today=today),
        "roles": selectors.person_role_labels(request.user),
        "recent_notifications": selectors.unread_notifications(request.user)[:5],
        "can_manage_obligations": permissions.can_manage_obligations(request.user),
    }
    return render(request, "portal/home.html", context)
