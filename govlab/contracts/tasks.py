"""Scheduled work for contracts: remind the buyer's finance contact before a payment falls due, and the
supplier of overdue progress reports.

- A line of the payment schedule, or a recorded unpaid invoice, is reminded once, from
  ``CONTRACTS_PAYMENT_REMINDER_DAYS`` (default 5) days before it falls due (also when it is already
  overdue and was never reminded). The reminder goes to the contract's finance contact, or to the
  buyer's administrators when there is none.
- A progress report still due after its due day is reminded once to the supplier's members.

"Today" is each lab's local date. Every reminder is marked (``reminded_at``) in the same transaction as
its notification, with a conditional update, so running this twice — or twice at once — sends nothing
twice. Run ``manage.py send_payment_reminders`` from cron (daily is enough), or enqueue
``run_scheduled_task``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django_tasks import task

from govlab.notifications.services import notify
from govlab.organisations.models import OrganisationMembership

from . import payments as pay
from .enums import ContractStatus, ReportStatus
from .models import Payment, ProgressReport, ScheduledPayment


def reminder_days() -> int:
    return int(getattr(settings, "CONTRACTS_PAYMENT_REMINDER_DAYS", 5))


def finance_recipients(contract) -> list:
    """The contract's finance contact, else the buyer's administrators."""
    contact = contract.finance_contact
    if contact is not None and contact.is_active:
        return [contact]
    return [
        m.user
        for m in OrganisationMembership.objects.filter(
            organisation_id=contract.buyer_id, role="admin"
        ).select_related("user")
    ]


def _claim(model, pk, now) -> bool:
    """Mark a row reminded unless someone else did: True if this run owns the reminder."""
    return bool(model.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now))


def _url(contract) -> str:
    return reverse("contracts:detail", args=[contract.pk])


def send_payment_reminders(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    lead = dt.timedelta(days=reminder_days())
    horizon = (now + lead + dt.timedelta(days=1)).date()  # a generous bound; each lab's date decides
    done = {"scheduled": 0, "invoices": 0, "reports": 0}

    paid_line = Payment.objects.filter(scheduled=OuterRef("pk"), cancelled_at__isnull=True)
    lines = (
        ScheduledPayment.objects.filter(
            contract__status=ContractStatus.ACTIVE, reminded_at__isnull=True, due_on__lte=horizon
        )
        .exclude(Exists(paid_line))
        .select_related("contract__lab", "contract__finance_contact")
    )
    for line in lines:
        contract = line.contract
        if pay.lab_today(contract.lab, now) < line.due_on - lead:
            continue
        with transaction.atomic():
            if not _claim(ScheduledPayment, line.pk, now):
                continue
            notify(
                recipients=finance_recipients(contract),
                kind="contracts.payment_due",
                subject=format_lazy(
                    gettext_lazy("A payment of {amount} {currency} is due on {day} ({reference})"),
                    amount=f"{line.amount:,.2f}",
                    currency=contract.currency,
                    day=line.due_on.isoformat(),
                    reference=contract.reference,
                ),
                body=format_lazy(
                    gettext_lazy(
                        "“{label}” falls due on {day}. Small suppliers depend on being paid on time."
                    ),
                    label=line.label,
                    day=line.due_on.isoformat(),
                ),
                url=_url(contract),
                lab=contract.lab,
            )
        done["scheduled"] += 1

    invoices = Payment.objects.filter(
        contract__status=ContractStatus.ACTIVE,
        reminded_at__isnull=True,
        paid_on__isnull=True,
        cancelled_at__isnull=True,
        due_on__lte=horizon,
    ).select_related("contract__lab", "contract__finance_contact")
    for payment in invoices:
        contract = payment.contract
        if pay.lab_today(contract.lab, now) < payment.due_on - lead:
            continue
        with transaction.atomic():
            if not _claim(Payment, payment.pk, now):
                continue
            notify(
                recipients=finance_recipients(contract),
                kind="contracts.invoice_due",
                subject=format_lazy(
                    gettext_lazy("Invoice {number} must be paid by {day} ({reference})"),
                    number=payment.invoice_number,
                    day=payment.due_on.isoformat(),
                    reference=contract.reference,
                ),
                body=format_lazy(
                    gettext_lazy(
                        "{amount} {currency}, received on {received}. A due day on a weekend moves to the "
                        "next Monday."
                    ),
                    amount=f"{payment.amount:,.2f}",
                    currency=contract.currency,
                    received=payment.invoice_received_on.isoformat(),
                ),
                url=_url(contract),
                lab=contract.lab,
            )
        done["invoices"] += 1

    reports = ProgressReport.objects.filter(
        contract__status=ContractStatus.ACTIVE,
        status=ReportStatus.DUE,
        reminded_at__isnull=True,
        due_on__lt=(now + dt.timedelta(days=1)).date(),
    ).select_related("contract__lab")
    for report in reports:
        contract = report.contract
        if not report.due_on < pay.lab_today(contract.lab, now):
            continue
        with transaction.atomic():
            if not _claim(ProgressReport, report.pk, now):
                continue
            notify(
                recipients=[
                    m.user
                    for m in OrganisationMembership.objects.filter(
                        organisation_id=contract.supplier_id
                    ).select_related("user")
                ],
                kind="contracts.report_overdue",
                subject=format_lazy(
                    gettext_lazy("Your progress report on {reference} was due on {day}"),
                    reference=contract.reference,
                    day=report.due_on.isoformat(),
                ),
                body=gettext_lazy(
                    "Submit it on the contract's page: say what was done and how far along it is."
                ),
                url=_url(contract),
                lab=contract.lab,
            )
        done["reports"] += 1
    return done


@task()
def run_scheduled_task() -> dict[str, int]:
    return send_payment_reminders()
