"""Challenge URLs. The lab's pages first, then the public ones, whose fixed words come before
<reference> so they are never read as a reference (see urls_public)."""

from django.urls import include, path

app_name = "challenges"
urlpatterns = [
    path("", include("govlab.challenges.urls_lab")),
    path("", include("govlab.challenges.urls_public")),
]
