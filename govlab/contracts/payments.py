"""Paying on time: when an invoice falls due, how long a payment took, whether it was late, and the
statistics a lab reads on its payments page.

Rules (shown on the payments page and the contract page too):

- **Due date.** An invoice falls due ``payment_terms_days`` calendar days after the day it was received
  (in the lab's time zone). When that day is a Saturday or a Sunday it moves to the next Monday. Public
  holidays are not taken into account.
- **Days to pay.** Calendar days from the day the invoice was received to the day it was paid (``None``
  while unpaid).
- **Late.** Paid after its due date, or still unpaid when "today" (the lab's local date) is after it.
  A payment paid on its due date is on time. Cancelled invoices are never late and are not counted.

Nothing here is stored: each figure is computed from the dated steps, so correcting a date corrects it.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.utils import timezone

SATURDAY, SUNDAY = 5, 6


def lab_today(lab, now: dt.datetime | None = None) -> dt.date:
    """The lab's local date now (``now`` for tests): 23:30 UTC may already be tomorrow, or still today."""
    zone = ZoneInfo(getattr(lab, "time_zone", "") or "UTC")
    return timezone.localtime(now or timezone.now(), zone).date()


def due_date(invoice_received_on: dt.date, terms_days: int) -> dt.date:
    """The invoice day plus the terms; a Saturday or Sunday moves to the next Monday."""
    day = invoice_received_on + dt.timedelta(days=int(terms_days))
    if day.weekday() == SATURDAY:
        day += dt.timedelta(days=2)
    elif day.weekday() == SUNDAY:
        day += dt.timedelta(days=1)
    return day


def days_to_pay(payment) -> int | None:
    """Calendar days from the invoice received to the payment (None while unpaid)."""
    if payment.paid_on is None:
        return None
    return (payment.paid_on - payment.invoice_received_on).days


def is_late(payment, today: dt.date) -> bool:
    """Paid after its due date, or unpaid and ``today`` is after it. Cancelled invoices are never late."""
    if getattr(payment, "cancelled_at", None):
        return False
    if payment.paid_on is not None:
        return payment.paid_on > payment.due_on
    return today > payment.due_on


def days_late(payment, today: dt.date) -> int:
    """How many days past its due date (0 when on time)."""
    if not is_late(payment, today):
        return 0
    end = payment.paid_on or today
    return (end - payment.due_on).days


@dataclass(frozen=True)
class OnTimeStats:
    paid: int = 0
    paid_on_time: int = 0
    share_on_time: float | None = None  # 0..1; None when nothing is paid
    median_days_to_pay: float | None = None
    mean_days_to_pay: float | None = None
    late_unpaid: int = 0
    overdue_amount: Decimal = Decimal("0")
    overdue: list = field(default_factory=list)  # the late unpaid payments, oldest due first

    @property
    def percent_on_time(self) -> int | None:
        return None if self.share_on_time is None else round(self.share_on_time * 100)


def on_time_stats(payments, today: dt.date | None = None) -> OnTimeStats:
    """The on-time figures of these payments (cancelled ones left out).

    ``today`` decides which unpaid payments are overdue; without it each payment's own lab's local date
    is used (``payment.contract.lab``: select it with the payments).
    """
    paid_days: list[int] = []
    on_time = 0
    overdue = []
    for payment in payments:
        if payment.cancelled_at:
            continue
        if payment.paid_on is not None:
            paid_days.append(days_to_pay(payment))
            if payment.paid_on <= payment.due_on:
                on_time += 1
            continue
        day = today if today is not None else lab_today(payment.contract.lab)
        if is_late(payment, day):
            overdue.append(payment)
    overdue.sort(key=lambda p: (p.due_on, p.pk or 0))
    paid = len(paid_days)
    return OnTimeStats(
        paid=paid,
        paid_on_time=on_time,
        share_on_time=(on_time / paid) if paid else None,
        median_days_to_pay=float(statistics.median(paid_days)) if paid else None,
        mean_days_to_pay=round(statistics.fmean(paid_days), 1) if paid else None,
        late_unpaid=len(overdue),
        overdue_amount=sum((p.amount for p in overdue), Decimal("0")),
        overdue=overdue,
    )
