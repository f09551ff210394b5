"""Public pages and the entity's workspace (owned by the public/entity side).

Fixed words (``mine``, ``new``, ``campaigns``…) come before ``<str:reference>`` so that they are never read
as a challenge's reference.
"""

from django.urls import path

from . import views_public as views

urlpatterns = [
    path("", views.challenge_list, name="list"),
    path("mine/", views.my_challenges, name="mine"),
    path("new/", views.challenge_create, name="create"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns.ics", views.campaign_calendar, name="campaigns_ics"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("campaigns/<slug:slug>/", views.campaign_detail_by_slug, name="campaign_by_slug"),
    path("<str:reference>/", views.challenge_detail, name="detail"),
    path("<str:reference>/edit/", views.challenge_edit, name="edit"),
    path("<str:reference>/autosave/", views.challenge_autosave, name="autosave"),
    path("<str:reference>/withdraw/", views.challenge_withdraw, name="withdraw"),
    path("<str:reference>/attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<str:reference>/attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("<str:reference>/characterisation/", views.characterisation, name="characterisation"),
    path(
        "<str:reference>/characterisation/start/",
        views.characterisation_start,
        name="characterisation_start",
    ),
    path(
        "<str:reference>/characterisation/budget/",
        views.characterisation_budget,
        name="characterisation_budget",
    ),
    path("<str:reference>/characterisation/team/", views.characterisation_team, name="characterisation_team"),
    path(
        "<str:reference>/characterisation/team/<int:pk>/remove/",
        views.characterisation_team_remove,
        name="characterisation_team_remove",
    ),
    path(
        "<str:reference>/characterisation/worksheets/<slug:kind>/",
        views.worksheet,
        name="worksheet",
    ),
]
