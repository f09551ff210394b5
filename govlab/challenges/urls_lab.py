"""The lab's pages: campaigns, screening, characterisation (owned by the lab side).

Every address starts with ``lab/<lab_slug>/`` so it is never read as a challenge reference.
"""

from django.urls import path

from . import views_lab

urlpatterns = [
    path("lab/<slug:lab_slug>/campaigns/", views_lab.campaign_list, name="lab_campaigns"),
    path("lab/<slug:lab_slug>/campaigns/new/", views_lab.campaign_create, name="lab_campaign_create"),
    path("lab/<slug:lab_slug>/campaigns/<int:pk>/", views_lab.campaign_edit, name="lab_campaign"),
    path(
        "lab/<slug:lab_slug>/campaigns/<int:pk>/export.csv",
        views_lab.campaign_export,
        name="lab_campaign_export",
    ),
    path(
        "lab/<slug:lab_slug>/campaigns/<int:pk>/criteria/",
        views_lab.criterion_add,
        name="lab_criterion_add",
    ),
    path(
        "lab/<slug:lab_slug>/campaigns/<int:pk>/criteria/<int:criterion_pk>/",
        views_lab.criterion_edit,
        name="lab_criterion",
    ),
    path(
        "lab/<slug:lab_slug>/campaigns/<int:pk>/criteria/<int:criterion_pk>/move/<str:direction>/",
        views_lab.criterion_move,
        name="lab_criterion_move",
    ),
    path(
        "lab/<slug:lab_slug>/campaigns/<int:pk>/criteria/<int:criterion_pk>/remove/",
        views_lab.criterion_remove,
        name="lab_criterion_remove",
    ),
    path("lab/<slug:lab_slug>/legal-regimes/", views_lab.legal_regime_list, name="lab_legal_regimes"),
    path("lab/<slug:lab_slug>/legal-regimes/<int:pk>/", views_lab.legal_regime_edit, name="lab_legal_regime"),
    path("lab/<slug:lab_slug>/board/", views_lab.screening_board, name="lab_board"),
    path(
        "lab/<slug:lab_slug>/<str:reference>/screening/",
        views_lab.challenge_screening,
        name="lab_screening",
    ),
    path(
        "lab/<slug:lab_slug>/<str:reference>/characterise/",
        views_lab.challenge_characterise,
        name="lab_characterise",
    ),
    path(
        "lab/<slug:lab_slug>/<str:reference>/characterise/team/<int:member_pk>/remove/",
        views_lab.team_member_remove,
        name="lab_team_remove",
    ),
    path(
        "lab/<slug:lab_slug>/<str:reference>/characterise/worksheets/<str:kind>/",
        views_lab.worksheet_edit,
        name="lab_worksheet",
    ),
]
