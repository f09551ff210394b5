"""Request-level helpers that every app may rely on."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

# How far back a proxy's arrival stamp may go: beyond this it is taken for a wrong clock, not a queue.
MAX_QUEUE_WAIT = dt.timedelta(minutes=2)


def proxy_arrival(value: str, now: dt.datetime) -> dt.datetime | None:
    """The instant in a request-start header set by the reverse proxy, or None if it is unusable.

    Accepts nginx's ``t=<seconds>.<milliseconds>`` (``proxy_set_header X-Request-Start "t=${msec}";``)
    and plain seconds, milliseconds or microseconds since the epoch.
    """
    text = (value or "").strip()
    if text.startswith("t="):
        text = text[2:]
    try:
        number = float(text)
    except ValueError:
        return None
    for divisor in (1, 1_000, 1_000_000):  # seconds, milliseconds, microseconds
        seconds = number / divisor
        if seconds < 10_000_000_000:  # before the year 2286: the unit fits
            break
    try:
        stamp = dt.datetime.fromtimestamp(seconds, tz=dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None
    if stamp > now or now - stamp > MAX_QUEUE_WAIT:
        return None
    return stamp


class ReceivedAtMiddleware:
    """Stamp ``request.received_at``: when the request reached govlab.

    Deadlines are judged on this instant, not on when the work completes: a submission whose request
    arrived before a call's deadline is accepted even if writing it ends after (see ADR 0010). It is
    first in MIDDLEWARE so that nothing in Django delays the stamp. When app servers are busy, requests
    wait in their listen queue before Django sees them; a reverse proxy that stamps each request on
    arrival closes that gap: set ``REQUEST_START_HEADER`` (e.g. ``X-Request-Start``) and have the proxy
    overwrite that header on every request (so a client cannot set it). A stamp in the future or more
    than two minutes old is ignored.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        header = getattr(settings, "REQUEST_START_HEADER", "")
        self.meta_key = "HTTP_" + header.upper().replace("-", "_") if header else ""

    def __call__(self, request):
        now = timezone.now()
        stamp = None
        if self.meta_key and self.meta_key in request.META:
            stamp = proxy_arrival(request.META[self.meta_key], now)
        request.received_at = stamp or now
        return self.get_response(request)
