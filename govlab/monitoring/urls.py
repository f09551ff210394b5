"""Monitoring pages: the cross-lab view, each lab's dashboard, KPIs, exports and annual report, a
challenge's monitoring page, and each lab's public results page."""

from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("", views.cross_lab, name="cross_lab"),
    path("lab/<slug:lab_slug>/", views.dashboard, name="dashboard"),
    path("lab/<slug:lab_slug>/kpis/", views.kpi_list, name="kpi_list"),
    path("lab/<slug:lab_slug>/kpis/new/", views.kpi_edit, name="kpi_create"),
    path("lab/<slug:lab_slug>/kpis/<int:pk>/", views.kpi_detail, name="kpi_detail"),
    path("lab/<slug:lab_slug>/kpis/<int:pk>/edit/", views.kpi_edit, name="kpi_edit"),
    path("lab/<slug:lab_slug>/kpis/<int:pk>/target/", views.target_set, name="target_set"),
    path("lab/<slug:lab_slug>/kpis/<int:pk>/target/remove/", views.target_remove, name="target_remove"),
    path("lab/<slug:lab_slug>/kpis/<int:pk>/value/", views.value_set, name="value_set"),
    path("lab/<slug:lab_slug>/kpis/<int:pk>/deactivate/", views.kpi_deactivate, name="kpi_deactivate"),
    path("lab/<slug:lab_slug>/kpis/<int:pk>/reactivate/", views.kpi_reactivate, name="kpi_reactivate"),
    path("lab/<slug:lab_slug>/export.csv", views.export_csv, name="export_csv"),
    path("lab/<slug:lab_slug>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("lab/<slug:lab_slug>/funnel.csv", views.export_funnel_csv, name="export_funnel_csv"),
    path("lab/<slug:lab_slug>/cycle-times.csv", views.export_cycle_times_csv, name="export_cycle_times_csv"),
    path("lab/<slug:lab_slug>/report/<int:year>/", views.report, name="report"),
    path("challenge/<str:reference>/", views.challenge_page, name="challenge"),
    path("<slug:lab_slug>/results/", views.results, name="results"),
]
