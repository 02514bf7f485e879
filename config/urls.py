from __future__ import annotations

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from alliance import api, views
from alliance.api_support import api_not_found
from allocation.urls import api_urlpatterns as allocation_api
from governance.urls import api_urlpatterns as governance_api
from mobilisation.urls import api_urlpatterns as mobilisation_api
from people.urls import api_urlpatterns as people_api
from performance.urls import api_urlpatterns as performance_api
from supplychain.urls import api_urlpatterns as supplychain_api

api_patterns = [
    path("me/", api.MeView.as_view(), name="api-me"),
    path("obligations/", api.ObligationListView.as_view(), name="api-obligations"),
    path("obligations/<int:pk>/", api.ObligationDetailView.as_view(), name="api-obligation"),
    path("obligations/<int:pk>/meet/", api.ObligationMeetView.as_view(), name="api-obligation-meet"),
    path("obligations/<int:pk>/cancel/", api.ObligationCancelView.as_view(), name="api-obligation-cancel"),
    path("obligations/<int:pk>/redate/", api.ObligationRedateView.as_view(), name="api-obligation-redate"),
    path("notifications/", api.NotificationListView.as_view(), name="api-notifications"),
    path("notifications/<int:pk>/read/", api.NotificationReadView.as_view(), name="api-notification-read"),
    path("governance/", include(governance_api)),
    path("allocation/", include(allocation_api)),
    path("performance/", include(performance_api)),
    path("people/", include(people_api)),
    path("supplychain/", include(supplychain_api)),
    path("mobilisation/", include(mobilisation_api)),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    re_path(r"^.*$", api_not_found),
]

urlpatterns = [
    path("", include("portal.urls")),  # the home page
    path("due/", views.whats_due, name="whats-due"),
    path("due/new/", views.obligation_add, name="obligation-add"),
    path("due/<int:pk>/", views.obligation_detail, name="obligation-detail"),
    path("due/<int:pk>/meet/", views.obligation_meet, name="obligation-meet"),
    path("due/<int:pk>/cancel/", views.obligation_cancel, name="obligation-cancel"),
    path("due/<int:pk>/redate/", views.obligation_redate, name="obligation-redate"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications-read-all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification-read"),
    path("calendar/", views.calendar_settings, name="calendar-settings"),
    path("calendar/new/", views.calendar_issue, name="calendar-issue"),
    path("calendar/revoke/", views.calendar_revoke, name="calendar-revoke"),
    path("calendar/<str:key>.ics", views.calendar_feed, name="calendar-feed"),
    path("alliance/", views.alliance_directory, name="alliance-directory"),
    path("audit/", include("audit.urls")),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("twofactor.urls")),  # /accounts/two-factor/, /accounts/two-factor/setup/
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("board/", include("governance.urls.board")),
    path("instructions/", include("governance.urls.instructions")),
    path("plan/", include("governance.urls.plan")),
    path("allocation/", include("allocation.urls")),
    path("performance/", include("performance.urls")),
    path("people/", include("people.urls")),
    path("supply-chain/", include("supplychain.urls")),
    path("mobilisation/", include("mobilisation.urls")),
    path("", include("governance.urls.commitments")),  # /commitments/, /performance-table/, /assurance/
    path("admin/", admin.site.urls),
    path("api/", include(api_patterns)),
]

# Django's own answers (no such page, a server error, a bad request, a refusal): JSON in the API's error shape
# under /api/, the site's pages elsewhere (alliance/error_views.py).
handler400 = "alliance.error_views.bad_request"
handler403 = "alliance.error_views.permission_denied"
handler404 = "alliance.error_views.page_not_found"
handler500 = "alliance.error_views.server_error"
