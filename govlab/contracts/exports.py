"""A lab's contracts and payments for the people who run it, as CSV and XLSX.

``govlab.core.exports`` writes them: text is made safe (a title starting with "=" stays text); amounts
stay numbers.
Confidential notes are never exported.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from govlab.core.exports import csv_text, xlsx_bytes

from . import selectors


def contracts_table(lab) -> tuple[list[str], list[list]]:
    header = [
        _("Reference"),
        _("Challenge"),
        _("Kind"),
        _("Title"),
        _("Supplier"),
        _("Buyer"),
        _("Value"),
        _("Currency"),
        _("Starts on"),
        _("Ends on"),
        _("Signed on"),
        _("Status"),
        _("Implementation"),
        _("Version"),
        _("Payment terms (days)"),
        _("Invoiced"),
        _("Paid"),
    ]
    rows = [
        [
            c.reference,
            c.challenge.reference,
            c.get_kind_display(),
            c.title,
            c.supplier.name,
            c.buyer.name,
            c.value,
            c.currency,
            c.starts_on.isoformat(),
            c.ends_on.isoformat(),
            c.signed_on.isoformat() if c.signed_on else "",
            c.get_status_display(),
            c.get_implementation_status_display(),
            c.version,
            c.payment_terms_days,
            c.invoiced,
            c.paid,
        ]
        for c in selectors.contracts_for_lab(lab)
    ]
    return header, rows


def payments_table(lab) -> tuple[list[str], list[list]]:
    header = [
        _("Contract"),
        _("Supplier"),
        _("Invoice number"),
        _("Amount"),
        _("Currency"),
        _("Invoice received on"),
        _("Approved on"),
        _("To be paid by"),
        _("Paid on"),
        _("Days to pay"),
        _("Late"),
        _("Days late"),
    ]
    payments, _stats, _today = selectors.lab_payments(lab)
    rows = [
        [
            p.contract.reference,
            p.contract.supplier.name,
            p.invoice_number,
            p.amount,
            p.contract.currency,
            p.invoice_received_on.isoformat(),
            p.approved_on.isoformat() if p.approved_on else "",
            p.due_on.isoformat(),
            p.paid_on.isoformat() if p.paid_on else "",
            p.days,
            _("Yes") if p.late else _("No"),
            p.days_late,
        ]
        for p in payments
    ]
    return header, rows


def as_csv(table) -> str:
    return csv_text(table)


def as_xlsx(title: str, table) -> bytes:
    return xlsx_bytes((title, table))
