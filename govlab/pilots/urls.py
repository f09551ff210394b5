"""Pilot pages: the lab's list per call, then each pilot's pages (for the lab, the entity and the solver,
each seeing and doing what ``rules`` allows), and the person's own list."""

from django.urls import path

from . import views

app_name = "pilots"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("lab/<slug:lab_slug>/<int:call_pk>/", views.call_pilots, name="lab_call"),
    path("new/<str:reference>/", views.pilot_create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.pilot_edit, name="edit"),
    path("<int:pk>/start/", views.start, name="start"),
    path("<int:pk>/end/", views.end, name="end"),
    path("<int:pk>/units/", views.units, name="units"),
    path("<int:pk>/randomise/", views.randomise, name="randomise"),
    path("<int:pk>/observations/", views.observations, name="observations"),
    path(
        "<int:pk>/observations/<int:observation_pk>/delete/",
        views.observation_delete,
        name="observation_delete",
    ),
    path("<int:pk>/import/", views.import_csv, name="import"),
    path("<int:pk>/analysis/", views.analysis_page, name="analysis"),
    path("<int:pk>/decision/", views.decide, name="decide"),
    path("<int:pk>/export/observations.csv", views.export_observations_csv, name="export_observations_csv"),
    path("<int:pk>/export/analysis.csv", views.export_analysis_csv, name="export_analysis_csv"),
    path("<int:pk>/export/pilot.xlsx", views.export_xlsx, name="export_xlsx"),
]
