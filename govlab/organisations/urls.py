from django.urls import path

from . import views

app_name = "organisations"
urlpatterns = [
    path("", views.organisation_list, name="list"),
    path("new/", views.organisation_create, name="create"),
    path("<slug:slug>/", views.organisation_detail, name="detail"),
    path("<slug:slug>/edit/", views.organisation_edit, name="edit"),
    path("<slug:slug>/members/", views.organisation_members_view, name="members"),
    path("<slug:slug>/members/<int:pk>/change/", views.organisation_member_change, name="member_change"),
    path("<slug:slug>/members/<int:pk>/remove/", views.organisation_member_remove, name="member_remove"),
]
