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
from govlab.organisations.selectors import organisation_people

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


def _send_once(rows, now, *, is_due, send) -> int:
    """Remind each row whose time has come on its lab's local date, once: the mark and the notification
    in one transaction, the mark conditional (``_claim``) so that a concurrent run sends nothing twice."""
    sent = 0
    for row in rows:
        if not is_due(row, pay.lab_today(row.contract.lab, now)):
            continue
        with transaction.atomic():
            if not _claim(type(row), row.pk, now):
                continue
            send(row, row.contract)
        sent += 1
    return sent


def _remind_line(line, contract) -> None:
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
            gettext_lazy("“{label}” falls due on {day}. Small suppliers depend on being paid on time."),
            label=line.label,
            day=line.due_on.isoformat(),
        ),
        url=_url(contract),
        lab=contract.lab,
    )


def _remind_invoice(payment, contract) -> None:
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


def _remind_report(report, contract) -> None:
    notify(
        recipients=organisation_people(contract.supplier_id),
        kind="contracts.report_overdue",
        subject=format_lazy(
            gettext_lazy("Your progress report on {reference} was due on {day}"),
            reference=contract.reference,
            day=report.due_on.isoformat(),
        ),
        body=gettext_lazy("Submit it on the contract's page: say what was done and how far along it is."),
        url=_url(contract),
        lab=contract.lab,
    )


def send_payment_reminders(now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    lead = dt.timedelta(days=reminder_days())
    horizon = (now + lead + dt.timedelta(days=1)).date()  # a generous bound; each lab's date decides
    invoiced_line = Payment.objects.filter(scheduled=OuterRef("pk"), cancelled_at__isnull=True)
    lines = (
        ScheduledPayment.objects.filter(
            contract__status=ContractStatus.ACTIVE, reminded_at__isnull=True, due_on__lte=horizon
        )
        .exclude(Exists(invoiced_line))
        .select_related("contract__lab", "contract__finance_contact")
    )
    invoices = Payment.objects.filter(
        contract__status=ContractStatus.ACTIVE,
        reminded_at__isnull=True,
        paid_on__isnull=True,
        cancelled_at__isnull=True,
        due_on__lte=horizon,
    ).select_related("contract__lab", "contract__finance_contact")
    reports = ProgressReport.objects.filter(
        contract__status=ContractStatus.ACTIVE,
        status=ReportStatus.DUE,
        reminded_at__isnull=True,
        due_on__lt=(now + dt.timedelta(days=1)).date(),
    ).select_related("contract__lab")

    def soon(row, today) -> bool:
        return today >= row.due_on - lead

    return {
        "scheduled": _send_once(lines, now, is_due=soon, send=_remind_line),
        "invoices": _send_once(invoices, now, is_due=soon, send=_remind_invoice),
        "reports": _send_once(
            reports, now, is_due=lambda row, today: row.due_on < today, send=_remind_report
        ),
    }


@task()
def run_scheduled_task() -> dict[str, int]:
    return send_payment_reminders()
