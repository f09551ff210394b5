"""Procurement pages: the lab's processes and reference data, a challenge's route options and the start
of its process, then each process's pages (for the lab, the entity and the awarded suppliers)."""

from django.urls import path

from . import views

app_name = "procurement"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("lab/<slug:lab_slug>/", views.lab_list, name="lab_list"),
    path("lab/<slug:lab_slug>/export/processes.csv", views.lab_export_csv, name="lab_export_csv"),
    path("lab/<slug:lab_slug>/export/processes.xlsx", views.lab_export_xlsx, name="lab_export_xlsx"),
    path("lab/<slug:lab_slug>/procedures/", views.procedures, name="procedures"),
    path("lab/<slug:lab_slug>/procedures/<int:pk>/", views.procedure, name="procedure"),
    path(
        "lab/<slug:lab_slug>/procedures/<int:pk>/thresholds/<int:threshold_pk>/",
        views.threshold,
        name="threshold",
    ),
    path(
        "lab/<slug:lab_slug>/procedures/<int:pk>/thresholds/<int:threshold_pk>/delete/",
        views.threshold_delete,
        name="threshold_delete",
    ),
    path("routes/<str:reference>/", views.routes, name="routes"),
    path("new/<str:reference>/<int:procedure_pk>/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/award/", views.award, name="award"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/steps/<int:step_pk>/", views.step, name="step"),
    path("<int:pk>/steps/<int:step_pk>/document/", views.step_document, name="step_document"),
]
