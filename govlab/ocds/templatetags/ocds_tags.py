"""Show OCDS values readably: ISO date-times as dates, amounts with their currency, codes as words."""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import formats
from django.utils.translation import gettext_lazy as _

register = template.Library()

CODES = {
    "planning": _("Planning"),
    "planningUpdate": _("Planning update"),
    "tender": _("Tender"),
    "tenderUpdate": _("Tender update"),
    "tenderAmendment": _("Tender amendment"),
    "tenderCancellation": _("Tender cancellation"),
    "award": _("Award"),
    "awardUpdate": _("Award update"),
    "contract": _("Contract"),
    "contractUpdate": _("Contract update"),
    "contractAmendment": _("Contract amendment"),
    "contractTermination": _("Contract termination"),
    "implementation": _("Implementation"),
    "implementationUpdate": _("Implementation update"),
    "active": _("Active"),
    "complete": _("Complete"),
    "cancelled": _("Cancelled"),
    "terminated": _("Terminated"),
    "pending": _("Pending"),
    "scheduled": _("Scheduled"),
    "met": _("Met"),
    "notMet": _("Not met"),
    "partiallyMet": _("Partially met"),
    "open": _("Open"),
    "selective": _("Selective"),
    "limited": _("Limited"),
    "direct": _("Direct"),
    "buyer": _("Buyer"),
    "procuringEntity": _("Procuring entity"),
    "tenderer": _("Tenderer"),
    "supplier": _("Supplier"),
    "payer": _("Payer"),
    "payee": _("Payee"),
    "valid": _("Valid"),
    "withdrawn": _("Withdrawn"),
    "requests": _("Applications received"),
    "bidders": _("Organisations that applied"),
    "qualifiedBidders": _("Preselected"),
}


@register.filter
def ocds_date(value):
    if not value:
        return ""
    try:
        moment = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return value
    return formats.date_format(moment.date(), "DATE_FORMAT")


@register.filter
def ocds_money(value):
    if not value or value.get("amount") is None:
        return ""
    number = formats.number_format(value["amount"], decimal_pos=2, use_l10n=True, force_grouping=True)
    return f"{number} {value.get('currency', '')}"


@register.filter
def ocds_code(value):
    return CODES.get(value, value)


@register.filter
def ocds_codes(values):
    return ", ".join(str(CODES.get(v, v)) for v in values or [])
