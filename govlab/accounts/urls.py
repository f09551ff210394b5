from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("profile/export/", views.export, name="export"),
    path("profile/deactivate/", views.deactivate, name="deactivate"),
    path("profile/erase/", views.erase, name="erase"),
]
