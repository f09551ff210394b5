"""request.received_at: when the request arrived, from the clock or from a trusted proxy's stamp."""

import datetime as dt

import pytest
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.utils import timezone
from freezegun import freeze_time

from govlab.core.middleware import ReceivedAtMiddleware, proxy_arrival

NOW = dt.datetime(2027, 3, 12, 15, 59, 59, 500000, tzinfo=dt.UTC)


def stamp_of(headers=None):
    seen = {}

    def view(request):
        seen["at"] = request.received_at
        return HttpResponse()

    ReceivedAtMiddleware(view)(RequestFactory().get("/", headers=headers or {}))
    return seen["at"]


@freeze_time(NOW)
def test_the_clock_without_a_proxy():
    assert stamp_of({"X-Request-Start": "t=1"}) == NOW


@freeze_time(NOW)
@override_settings(REQUEST_START_HEADER="X-Request-Start")
@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (f"t={NOW.timestamp() - 3:.3f}", NOW - dt.timedelta(seconds=3)),  # nginx ${msec}
        (str(int((NOW.timestamp() - 1) * 1000)), NOW - dt.timedelta(seconds=1)),  # milliseconds
        (str(int((NOW.timestamp() - 2) * 1_000_000)), NOW - dt.timedelta(seconds=2)),  # microseconds
        (f"t={NOW.timestamp() + 5:.3f}", NOW),  # from the future: ignored
        (f"t={NOW.timestamp() - 600:.3f}", NOW),  # ten minutes old: ignored
        ("t=soon", NOW),
    ],
)
def test_a_trusted_proxy_stamp(header, expected):
    assert stamp_of({"X-Request-Start": header}) == expected


def test_proxy_arrival_rejects_garbage():
    now = timezone.now()
    assert proxy_arrival("", now) is None
    assert proxy_arrival("t=1e400", now) is None
