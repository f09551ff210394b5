"""Call URLs: the lab's pages under ``lab/<lab_slug>/``, then the public and solver pages."""

from django.urls import include, path

app_name = "calls"
urlpatterns = [
    path("", include("govlab.calls.urls_lab")),
    path("", include("govlab.calls.urls_public")),
]
