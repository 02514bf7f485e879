"""The URLs of governance, one module per workflow; config/urls.py mounts the pages of each.

The API of all of them is one list under /api/governance/.
"""

from governance.urls import board, commitments, instructions, plan

api_urlpatterns = board.api_urlpatterns + instructions.api_urlpatterns + plan.api_urlpatterns + commitments.api_urlpatterns
