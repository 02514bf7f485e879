from __future__ import annotations

from django.urls import path

from governance.api import board as api
from governance.views import board as views

urlpatterns = [
    path("", views.board, name="board"),
    path("decisions.csv", views.decisions_csv, name="board-decisions-csv"),
    path("decisions/new/", views.decision_table, name="board-decision-new"),
    path("decisions/<int:pk>/", views.decision_detail, name="board-decision"),
    path("decisions/<int:pk>/vote/", views.decision_vote, name="board-decision-vote"),
    path("decisions/<int:pk>/close/", views.decision_close, name="board-decision-close"),
    path("decisions/<int:pk>/delegate/", views.decision_delegate, name="board-decision-delegate"),
    path("meetings/new/", views.meeting_schedule, name="board-meeting-new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="board-meeting"),
    path("meetings/<int:pk>/open/", views.meeting_open, name="board-meeting-open"),
    path("meetings/<int:pk>/end/", views.meeting_end, name="board-meeting-end"),
    path("meetings/<int:pk>/rearrange/", views.meeting_rearrange, name="board-meeting-rearrange"),
    path("meetings/<int:pk>/delegate/", views.meeting_delegate, name="board-meeting-delegate"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="board-meeting-attendance"),
    path("meetings/<int:pk>/agenda/", views.meeting_agenda_add, name="board-meeting-agenda"),
    path("meetings/<int:pk>/papers/", views.meeting_paper_add, name="board-meeting-paper"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes, name="board-minutes"),
    path("meetings/<int:pk>/minutes.pdf", views.meeting_minutes_pdf, name="board-minutes-pdf"),
    path("meetings/<int:pk>/minutes/approve/", views.meeting_minutes_approve, name="board-minutes-approve"),
    path("papers/<int:pk>/", views.paper_download, name="board-paper"),
    path("matrix/", views.matrix, name="board-matrix"),
    path("matrix/new/", views.matrix_edit, name="board-matrix-new"),
    path("matrix/<int:pk>/", views.matrix_edit, name="board-matrix-edit"),
]

api_urlpatterns = [
    path("decision-types/", api.DecisionTypeListView.as_view(), name="api-decision-types"),
    path("decisions/", api.DecisionListView.as_view(), name="api-decisions"),
    path("decisions/<int:pk>/", api.DecisionDetailView.as_view(), name="api-decision"),
    path("decisions/<int:pk>/vote/", api.DecisionVoteView.as_view(), name="api-decision-vote"),
    path("decisions/<int:pk>/close/", api.DecisionCloseView.as_view(), name="api-decision-close"),
    path("voting-organisations/", api.VotingOrganisationListView.as_view(), name="api-voting-organisations"),
]
