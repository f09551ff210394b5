"""Demo Day URLs under ``/demo-day/``: the lab's pages under ``lab/<lab_slug>/`` (names start with ``lab_``),
the jury's pages, a solver's outcome and the lab's public results."""

from django.urls import path

from . import views_jury, views_lab, views_public

app_name = "demoday"

P = "lab/<slug:lab_slug>/<int:pk>/"

urlpatterns = [
    # The lab's team
    path("lab/<slug:lab_slug>/", views_lab.lab_index, name="lab_index"),
    path("lab/<slug:lab_slug>/calls/<int:call_pk>/", views_lab.lab_for_call, name="lab_for_call"),
    path(P, views_lab.detail, name="lab_detail"),
    path(P + "edit/", views_lab.edit, name="lab_edit"),
    path(P + "status/", views_lab.status, name="lab_status"),
    path(P + "agenda/", views_lab.agenda, name="lab_agenda"),
    path(P + "agenda/cohort/", views_lab.agenda_from_cohort, name="lab_agenda_cohort"),
    path(P + "agenda/<int:pitch_pk>/remove/", views_lab.pitch_remove, name="lab_pitch_remove"),
    path(P + "criteria/", views_lab.criteria, name="lab_criteria"),
    path(P + "criteria/copy/", views_lab.criteria_copy, name="lab_criteria_copy"),
    path(P + "criteria/<int:criterion_pk>/remove/", views_lab.criterion_remove, name="lab_criterion_remove"),
    path(P + "jury/", views_lab.jury, name="lab_jury"),
    path(P + "jury/<int:member_pk>/remove/", views_lab.juror_remove, name="lab_juror_remove"),
    path(P + "declarations/", views_lab.declarations, name="lab_declarations"),
    path(P + "ranking/", views_lab.ranking, name="lab_ranking"),
    path(P + "selection/<int:challenge_pk>/", views_lab.selection, name="lab_selection"),
    path(P + "export/scores.csv", views_lab.export_scores_csv, name="lab_export_scores_csv"),
    path(P + "export/scores.xlsx", views_lab.export_scores_xlsx, name="lab_export_scores_xlsx"),
    path(P + "export/ranking.csv", views_lab.export_ranking_csv, name="lab_export_ranking_csv"),
    path(P + "export/ranking.xlsx", views_lab.export_ranking_xlsx, name="lab_export_ranking_xlsx"),
    # The jury
    path("mine/", views_jury.mine, name="mine"),
    path("<int:pk>/jury/", views_jury.jury_day, name="jury_day"),
    path("<int:pk>/jury/<str:reference>/declare/", views_jury.declare, name="declare"),
    path("<int:pk>/jury/<str:reference>/score/", views_jury.score, name="score"),
    # Solvers and the public
    path("outcome/<str:reference>/", views_public.outcome, name="outcome"),
    path("<slug:lab_slug>/results/", views_public.results, name="results"),
]
