"""A lab's procurement processes as CSV and XLSX (one row per process), for the people who run them.

``govlab.core.exports`` writes them: text is made safe (a title starting with "=" stays text); numbers stay
numbers.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from govlab.core.exports import csv_text, xlsx_bytes

from .enums import AwardStatus, ProcessStatus
from .selectors import effective_status, lab_today


def processes_table(lab, processes) -> tuple[list[str], list[list]]:
    header = [
        _("Id"),
        _("Title"),
        _("Challenge"),
        _("Entity"),
        _("Procedure"),
        _("OCDS procurement method"),
        _("Legal regime"),
        _("Estimated value"),
        _("Currency"),
        _("Status"),
        _("Tender opens"),
        _("Tender closes"),
        _("Awarded (UTC)"),
        _("Standstill ends"),
        _("Suppliers awarded"),
        _("Value awarded"),
        _("Rule's source"),
        _("Created (UTC)"),
    ]
    today = lab_today(lab)
    labels = dict(ProcessStatus.choices)
    rows = []
    for process in processes:
        awards = [a for a in process.awards.all() if a.status == AwardStatus.ACTIVE]
        rows.append(
            [
                process.pk,
                process.title,
                process.challenge.reference,
                process.challenge.owner.name,
                str(process.procedure),
                process.procedure.ocds_method,
                str(process.legal_regime),
                process.estimated_value,
                process.currency,
                str(labels[effective_status(process, today=today)]),
                process.tender_starts_on.isoformat() if process.tender_starts_on else "",
                process.tender_ends_on.isoformat() if process.tender_ends_on else "",
                process.awarded_at.strftime("%Y-%m-%d %H:%M:%S") if process.awarded_at else "",
                process.standstill_ends_on.isoformat() if process.standstill_ends_on else "",
                "; ".join(a.supplier.name for a in awards),
                sum((a.value for a in awards), Decimal(0)) if awards else None,
                process.threshold.source_label if process.threshold else process.procedure.source_label,
                process.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            ]
        )
    return header, rows


def processes_csv(lab, processes) -> str:
    return csv_text(processes_table(lab, processes))


def processes_xlsx(lab, processes) -> bytes:
    return xlsx_bytes((_("Procurement"), processes_table(lab, processes)))
