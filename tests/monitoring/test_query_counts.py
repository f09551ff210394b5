"""The lab dashboard, the annual report and the public results page make as many queries with many
challenges, applications, targets and values as with few."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from govlab.challenges.enums import ChallengeStatus as S
from govlab.monitoring.enums import Category, Periodicity, Source
from govlab.monitoring.models import KpiTarget, KpiValue
from tests.monitoring.conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def kpis(build):
    computed = build.kpi("identified", is_public=True, unit="challenges")
    quarterly = build.kpi(
        "accepted", computation="challenges_accepted", periodicity=Periodicity.QUARTER, is_public=True
    )
    manual = build.kpi("hours", source=Source.MANUAL, category=Category.IMPACT, is_public=True)
    return computed, quarterly, manual


def grow(build, kpis, start: int, count: int) -> None:
    """``count`` more challenges (each with its history and an application to a call), and targets and
    values for more years."""
    call = build.call(published=at(2025, 1, 10))
    for index in range(start, start + count):
        month = index % 12 + 1
        challenge = build.challenge(
            (S.SUBMITTED, at(2025, month, 1)),
            (S.MORE_INFO_REQUESTED, at(2025, month, 3)),
            (S.SUBMITTED, at(2025, month, 5)),
            (S.ACCEPTED, at(2025, month, 20)),
        )
        build.application(call, challenge, submitted=at(2025, month, 21))
    computed, _quarterly, manual = kpis
    for year in range(2021 - start, 2026 - start // 2):
        start_day, end_day = dt.date(year, 1, 1), dt.date(year, 12, 31)
        KpiTarget.objects.get_or_create(
            kpi=computed, period_start=start_day, defaults={"period_end": end_day, "value": Decimal(year % 7)}
        )
        KpiValue.objects.get_or_create(
            kpi=manual,
            period_start=start_day,
            defaults={"period_end": end_day, "value": Decimal(year % 5), "entered_by": build.user},
        )


def queries(client, address) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(address)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize(
    ("name", "args", "signed_in"),
    [
        ("monitoring:dashboard", [], True),
        ("monitoring:report", [2025], True),
        ("monitoring:results", [], False),
    ],
)
def test_queries_do_not_grow_with_the_data(name, args, signed_in, client, login, build, mlab, mmanager, kpis):
    browser = login(mmanager) if signed_in else client
    address = reverse(name, args=[mlab.slug, *args])
    if name != "monitoring:report":
        address += "?year=2025"
    grow(build, kpis, 0, 2)
    queries(browser, address)  # warm the caches (sessions, the lab's roles)
    few = queries(browser, address)
    grow(build, kpis, 2, 20)
    many = queries(browser, address)
    assert many == few


def test_with_a_snapshot_a_computed_kpi_adds_no_query_to_the_dashboard(login, build, mlab, mmanager):
    """Its yearly values and its quarters in the trends both come from the lab's snapshot, read once."""
    from govlab.monitoring import services

    browser = login(mmanager)
    address = reverse("monitoring:dashboard", args=[mlab.slug]) + f"?year={timezone.localdate().year - 1}"
    build.kpi("identified")
    services.snapshot_refresh(mlab)
    queries(browser, address)  # warm the caches (sessions, the lab's roles)
    one = queries(browser, address)
    build.kpi("accepted", computation="challenges_accepted")
    build.kpi("connected", computation="challenges_connected")
    services.snapshot_refresh(mlab)
    assert queries(browser, address) == one
