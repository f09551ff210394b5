"""Due dates (weekends move to Monday), days to pay, lateness, the lab's "today" across time zones, and
the exact on-time statistics."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from govlab.contracts import payments

D = dt.date


def payment(received, due, paid=None, amount="100", cancelled=False, pk=1, lab=None):
    return SimpleNamespace(
        invoice_received_on=received,
        due_on=due,
        paid_on=paid,
        amount=Decimal(amount),
        cancelled_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC) if cancelled else None,
        pk=pk,
        contract=SimpleNamespace(lab=lab),
    )


@pytest.mark.parametrize(
    ("received", "terms", "due"),
    [
        (D(2026, 3, 2), 30, D(2026, 4, 1)),  # Wednesday stays
        (D(2026, 3, 2), 4, D(2026, 3, 6)),  # Friday stays
        (D(2026, 3, 2), 5, D(2026, 3, 9)),  # Saturday → Monday
        (D(2026, 3, 2), 6, D(2026, 3, 9)),  # Sunday → Monday
        (D(2026, 3, 2), 7, D(2026, 3, 9)),  # Monday stays
        (D(2026, 12, 28), 5, D(2027, 1, 4)),  # Saturday 2 January → Monday 4 January, across the year
        (D(2028, 1, 30), 30, D(2028, 2, 29)),  # leap day, a Tuesday
    ],
)
def test_due_date_moves_weekends_to_monday(received, terms, due):
    assert payments.due_date(received, terms) == due


def test_days_to_pay_counts_calendar_days_and_is_none_unpaid():
    assert payments.days_to_pay(payment(D(2026, 3, 2), D(2026, 4, 1), paid=D(2026, 3, 30))) == 28
    assert payments.days_to_pay(payment(D(2026, 3, 2), D(2026, 4, 1), paid=D(2026, 3, 2))) == 0
    assert payments.days_to_pay(payment(D(2026, 3, 2), D(2026, 4, 1))) is None


def test_lateness_paid_and_unpaid():
    due = D(2026, 3, 9)  # a Monday (moved from the weekend)
    assert not payments.is_late(payment(D(2026, 3, 2), due, paid=due), D(2026, 5, 1))  # on the day: on time
    assert payments.is_late(payment(D(2026, 3, 2), due, paid=due + dt.timedelta(days=1)), D(2026, 3, 1))
    assert not payments.is_late(payment(D(2026, 3, 2), due), due)  # unpaid, today is the due day
    assert payments.is_late(payment(D(2026, 3, 2), due), due + dt.timedelta(days=1))
    assert not payments.is_late(payment(D(2026, 3, 2), due, cancelled=True), D(2027, 1, 1))
    assert payments.days_late(payment(D(2026, 3, 2), due), D(2026, 3, 12)) == 3
    assert payments.days_late(payment(D(2026, 3, 2), due, paid=due), D(2026, 3, 12)) == 0


def test_a_saturday_due_day_is_not_late_when_paid_on_the_monday():
    received = D(2026, 3, 2)
    due = payments.due_date(received, 5)  # Saturday 7 → Monday 9
    assert not payments.is_late(payment(received, due, paid=D(2026, 3, 9)), D(2026, 3, 20))
    assert payments.is_late(payment(received, due, paid=D(2026, 3, 10)), D(2026, 3, 20))


NIGHT = dt.datetime(2026, 3, 9, 23, 30, tzinfo=dt.UTC)  # Monday 23:30 UTC


def test_today_at_2330_utc_is_already_tomorrow_in_asia():
    lab = SimpleNamespace(time_zone="Asia/Tokyo")
    assert payments.lab_today(lab, NIGHT) == D(2026, 3, 10)
    # An invoice due on Monday 9 March, unpaid: already late in Tokyo.
    assert payments.is_late(payment(D(2026, 3, 2), D(2026, 3, 9)), payments.lab_today(lab, NIGHT))


def test_today_at_2330_utc_is_still_today_in_bogota():
    lab = SimpleNamespace(time_zone="America/Bogota")
    assert payments.lab_today(lab, NIGHT) == D(2026, 3, 9)
    assert not payments.is_late(payment(D(2026, 3, 2), D(2026, 3, 9)), payments.lab_today(lab, NIGHT))


def test_on_time_stats_exact_values():
    rows = [
        payment(D(2026, 1, 5), D(2026, 2, 4), paid=D(2026, 1, 25), pk=1),  # 20 days, on time
        payment(D(2026, 1, 5), D(2026, 2, 4), paid=D(2026, 2, 4), pk=2),  # 30 days, on time (due day)
        payment(D(2026, 1, 5), D(2026, 2, 4), paid=D(2026, 2, 14), pk=3),  # 40 days, late
        payment(D(2026, 1, 5), D(2026, 2, 4), paid=D(2026, 3, 6), pk=4),  # 60 days, late
        payment(D(2026, 2, 2), D(2026, 3, 4), amount="250.50", pk=5),  # unpaid, overdue on 10 March
        payment(D(2026, 2, 9), D(2026, 3, 2), amount="99.50", pk=6),  # unpaid, overdue (older due)
        payment(D(2026, 3, 1), D(2026, 3, 31), amount="1000", pk=7),  # unpaid, not due yet
        payment(D(2026, 1, 5), D(2026, 1, 6), amount="5000", cancelled=True, pk=8),  # left out
    ]
    stats = payments.on_time_stats(rows, today=D(2026, 3, 10))
    assert stats.paid == 4
    assert stats.paid_on_time == 2
    assert stats.share_on_time == 0.5
    assert stats.percent_on_time == 50
    assert stats.median_days_to_pay == 35.0
    assert stats.mean_days_to_pay == 37.5
    assert stats.late_unpaid == 2
    assert stats.overdue_amount == Decimal("350.00")
    assert [p.pk for p in stats.overdue] == [6, 5]


def test_on_time_stats_of_nothing():
    stats = payments.on_time_stats([], today=D(2026, 3, 10))
    assert (stats.paid, stats.share_on_time, stats.median_days_to_pay, stats.mean_days_to_pay) == (
        0,
        None,
        None,
        None,
    )
    assert stats.overdue_amount == Decimal("0")


def test_on_time_stats_uses_each_labs_today_without_one(monkeypatch):
    tokyo, bogota = SimpleNamespace(time_zone="Asia/Tokyo"), SimpleNamespace(time_zone="America/Bogota")
    monkeypatch.setattr("django.utils.timezone.now", lambda: NIGHT)
    rows = [
        payment(D(2026, 3, 2), D(2026, 3, 9), pk=1, lab=tokyo),
        payment(D(2026, 3, 2), D(2026, 3, 9), pk=2, lab=bogota),
    ]
    stats = payments.on_time_stats(rows)
    assert [p.pk for p in stats.overdue] == [1]
