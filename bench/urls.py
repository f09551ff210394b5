"""govlab's URLs plus ``/bench/floor``: the cheapest Django view, through the same middleware."""

from django.http import HttpResponse
from django.urls import path

from govlab.urls import urlpatterns as govlab_urlpatterns


def floor(request):
    """What any page costs at least: WSGI, middleware, URL resolving and a response, no database."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/floor", floor, name="bench-floor"), *govlab_urlpatterns]
