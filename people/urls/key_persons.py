"""Pages of the Alliance key person selection (paras 48-60) under /people/."""

from __future__ import annotations

from django.urls import path

from people.views import key_persons as views

urlpatterns = [
    path("", views.people_home, name="people"),
    path("chart/", views.organisation_chart, name="people-chart"),
    path("roles/<int:pk>/", views.role_detail, name="people-role"),
    path("roles/<int:pk>/nominate/", views.nominate, name="people-nominate"),
    path("roles/<int:pk>/request-candidates/", views.candidates_request, name="people-request-candidates"),
    path("roles/<int:pk>/refer/", views.refer_to_board, name="people-refer"),
    path("nominations/", views.nominations, name="people-nominations"),
    path("nominations/<int:pk>/", views.nomination_detail, name="people-nomination"),
    path("nominations/<int:pk>/withdraw/", views.nomination_withdraw, name="people-nomination-withdraw"),
    path("nominations/<int:pk>/replace/", views.nomination_replace, name="people-nomination-replace"),
    path("nominations/<int:pk>/shortlist/", views.nomination_shortlist, name="people-nomination-shortlist"),
    path("nominations/<int:pk>/reject/", views.nomination_reject, name="people-nomination-reject"),
    path("nominations/<int:pk>/interview/", views.interview_record, name="people-nomination-interview"),
    path("nominations/<int:pk>/approve/", views.nomination_approve, name="people-nomination-approve"),
    path("nominations/<int:pk>/propose/", views.nomination_propose, name="people-nomination-propose"),
    path("appointments/<int:pk>/leave/", views.appointment_leave, name="people-appointment-leave"),
    path("appointments/<int:pk>/handover/", views.handover_complete, name="people-handover"),
]
