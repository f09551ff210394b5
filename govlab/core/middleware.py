"""Request-level helpers that every app may rely on."""

from __future__ import annotations

from django.utils import timezone


class ReceivedAtMiddleware:
    """Stamp ``request.received_at`` the moment the request reaches Django.

    Deadlines are judged on this instant, not on when the work completes: a submission whose request
    arrived before a call's deadline is accepted even if writing it ends after (see ADR 0010). It is
    first in MIDDLEWARE so that nothing before it (sessions, authentication) delays the stamp.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.received_at = timezone.now()
        return self.get_response(request)
