from django.urls import path

from . import views

app_name = "labs"
urlpatterns = [
    path("", views.lab_list, name="list"),
    path("new/", views.lab_create, name="create"),
    path("<slug:slug>/", views.lab_detail, name="detail"),
    path("<slug:slug>/theme.css", views.lab_theme, name="theme"),
    path("<slug:slug>/settings/", views.lab_settings, name="settings"),
    path("<slug:slug>/team/", views.lab_team, name="team"),
    path("<slug:slug>/team/remove/", views.lab_team_remove, name="team_remove"),
    path("<slug:slug>/audit/", views.lab_audit, name="audit"),
]
