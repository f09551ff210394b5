"""The calls demo's MiLAB 2025 cohort: a call of an earlier year, closed, with its dates on the calendar."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from govlab.calls.demo import timeline
from govlab.calls.demo_data import APPLICATIONS
from govlab.calls.enums import ApplicationStatus, CallStatus
from govlab.calls.models import Application, Call
from govlab.demo.loader import load

pytestmark = pytest.mark.django_db

BOGOTA = ZoneInfo("America/Bogota")


def test_timeline_takes_calendar_dates_or_offsets():
    now = dt.datetime(2026, 12, 4, 15, 30, tzinfo=dt.UTC)
    spec = {
        "publishes": dt.date(2025, 2, 3),
        "deadline": dt.date(2025, 4, 11),
        "deadline_hour": 17,
        "enquiries_close": -2,
        "evaluation_ends": 21,
        "preselection": dt.date(2025, 5, 9),
        "strengthening": (dt.date(2025, 6, 2), 168),
        "demo_day": dt.date(2025, 10, 16),
    }
    dates = timeline(spec, BOGOTA, now)
    assert dates == {
        "publishes_at": dt.datetime(2025, 2, 3, 9, tzinfo=BOGOTA),
        "enquiries_close_at": dt.datetime(2025, 4, 9, 17, tzinfo=BOGOTA),
        "deadline": dt.datetime(2025, 4, 11, 17, tzinfo=BOGOTA),
        "evaluation_ends_at": dt.datetime(2025, 5, 2, 17, tzinfo=BOGOTA),
        "preselection_on": dt.date(2025, 5, 9),
        "strengthening_starts_on": dt.date(2025, 6, 2),
        "strengthening_ends_on": dt.date(2025, 9, 26),
        "demo_day_on": dt.date(2025, 10, 16),
    }
    # Offsets still count from the moment of loading (the open and recent calls).
    relative = timeline({**spec, "publishes": -3, "deadline": 4}, BOGOTA, now)
    assert relative["publishes_at"] == dt.datetime(2026, 12, 1, 15, tzinfo=dt.UTC)
    assert relative["deadline"] == dt.datetime(2026, 12, 8, 17, tzinfo=BOGOTA)


def test_the_2025_cohort_call_is_closed_with_its_2025_dates():
    load()
    call = Call.objects.get(lab__slug="milab", slug="cohorte-govtech-2025")
    now = timezone.now()
    assert call.status == CallStatus.PUBLISHED
    assert call.title["en"] == "Call for GovTech solutions — 2025 cohort"
    assert call.max_preselected == 3
    assert call.currency == "COP"
    assert call.deadline == dt.datetime(2025, 4, 11, 17, tzinfo=BOGOTA)
    assert call.deadline < now
    assert call.publishes_at == call.published_at == dt.datetime(2025, 2, 3, 9, tzinfo=BOGOTA)
    assert call.enquiries_close_at == dt.datetime(2025, 4, 9, 17, tzinfo=BOGOTA)
    assert call.evaluation_ends_at == dt.datetime(2025, 5, 2, 17, tzinfo=BOGOTA)
    assert (
        call.preselection_on,
        call.strengthening_starts_on,
        call.strengthening_ends_on,
        call.demo_day_on,
    ) == (dt.date(2025, 5, 9), dt.date(2025, 6, 2), dt.date(2025, 9, 26), dt.date(2025, 10, 16))
    assert not call.enquiries_open(now)
    assert call not in Call.objects.open_for_submissions(now)
    # Three challenges of the same entities as the 2026 call, but not the same challenges.
    assert sorted(call.challenges.values_list("owner__slug", "title__en")) == [
        ("fondo-nacional-del-ahorro", "Housing credit for self-employed and informal workers"),
        ("invima", "Detecting the illegal online sale of medicines and medical devices"),
        ("sic", "Automatic classification of consumer complaints"),
    ]
    open_call = Call.objects.get(lab__slug="milab", slug="primera-cohorte-govtech-2026")
    assert not set(call.challenges.all()) & set(open_call.challenges.all())
    # Ten submissions (received before the deadline, in 2025) and five drafts left unsent.
    applications = Application.objects.filter(call=call)
    assert applications.count() == 15 == sum(1 for a in APPLICATIONS if a["call"] == call.slug)
    submitted = applications.filter(status=ApplicationStatus.SUBMITTED)
    assert submitted.count() == 10
    assert applications.filter(status=ApplicationStatus.DRAFT).count() == 5
    for application in submitted:
        (revision,) = application.revisions.all()
        assert dt.datetime(2025, 2, 3, tzinfo=BOGOTA) < revision.received_at < call.deadline
    # The three new Colombian start-ups applied, each to one challenge.
    assert sorted(
        applications.filter(
            organisation__slug__in=["rastro-digital", "nido-fintech", "trebol-analitica"]
        ).values_list("organisation__slug", "organisation__country", "challenge__owner__slug")
    ) == [
        ("nido-fintech", "CO", "fondo-nacional-del-ahorro"),
        ("rastro-digital", "CO", "invima"),
        ("trebol-analitica", "CO", "fondo-nacional-del-ahorro"),
    ]
