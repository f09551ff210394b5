"""The lab's evaluation pages: ``lab/<lab_slug>/<call pk>/…`` (names start with ``lab_``)."""

from django.urls import path

from . import views_lab as views

P = "lab/<slug:lab_slug>/<int:pk>/"

urlpatterns = [
    path(P, views.dashboard, name="lab_dashboard"),
    path(P + "panel/", views.panel, name="lab_panel"),
    path(P + "panel/phases/new/", views.phase_create, name="lab_phase_create"),
    path(P + "panel/phases/<int:phase_pk>/", views.phase_edit, name="lab_phase"),
    path(P + "panel/phases/<int:phase_pk>/activate/", views.phase_activate, name="lab_phase_activate"),
    path(P + "panel/evaluators/add/", views.evaluator_add, name="lab_evaluator_add"),
    path(
        P + "panel/evaluators/<int:evaluator_pk>/remove/", views.evaluator_remove, name="lab_evaluator_remove"
    ),
    path(P + "assignments/", views.assignments, name="lab_assignments"),
    path(P + "assignments/assign/", views.assign, name="lab_assign"),
    path(P + "assignments/automatic/", views.assign_automatically, name="lab_assign_automatically"),
    path(P + "assignments/<int:assignment_pk>/unassign/", views.unassign, name="lab_unassign"),
    path(P + "ranking/", views.ranking, name="lab_ranking"),
    path(P + "applications/<str:reference>/consensus/", views.consensus, name="lab_consensus"),
    path(P + "preselection/", views.preselection_index, name="lab_preselection_index"),
    path(P + "preselection/<int:challenge_pk>/", views.preselection, name="lab_preselection"),
    path(P + "feedback/", views.feedback, name="lab_feedback"),
    path(P + "feedback/templates/<str:language>/", views.feedback_template, name="lab_feedback_template"),
    path(P + "feedback/prepare/", views.feedback_prepare, name="lab_feedback_prepare"),
    path(P + "feedback/letters/<int:letter_pk>/", views.feedback_letter, name="lab_feedback_letter"),
    path(P + "feedback/send/", views.feedback_send, name="lab_feedback_send"),
    path(P + "export/scores.csv", views.export_scores_csv, name="lab_export_scores_csv"),
    path(P + "export/scores.xlsx", views.export_scores_xlsx, name="lab_export_scores_xlsx"),
    path(P + "export/ranking.csv", views.export_ranking_csv, name="lab_export_ranking_csv"),
    path(P + "export/ranking.xlsx", views.export_ranking_xlsx, name="lab_export_ranking_xlsx"),
]
