"""Reads for contracts: lists in a fixed number of queries, what a person may see, a contract's page
(versions, documents, milestones, schedule, payments with days to pay and lateness, reports, issues), and
a lab's payments with their on-time statistics."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, DecimalField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from govlab.labs.enums import LAB_TEAM_ROLES
from govlab.labs.selectors import user_lab_roles
from govlab.organisations.selectors import user_organisation_roles

from . import payments as pay
from .enums import ReportStatus
from .models import (
    Contract,
    ContractDocument,
    ContractMilestone,
    ContractVersion,
    ImplementationIssue,
    Payment,
    ProgressReport,
    ScheduledPayment,
)

BASE_RELATED = (
    "lab",
    "challenge",
    "challenge__lab",
    "supplier",
    "buyer",
    "finance_contact",
    "award__process",
    "pilot",
)
ZERO = Value(0, output_field=DecimalField(max_digits=16, decimal_places=2))


def _sum(condition: Q):
    rows = (
        Payment.objects.filter(condition, contract=OuterRef("pk"), cancelled_at__isnull=True)
        .order_by()
        .values("contract")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=DecimalField(max_digits=16, decimal_places=2)), ZERO)


def with_totals(queryset: QuerySet[Contract]) -> QuerySet[Contract]:
    return queryset.select_related(*BASE_RELATED).annotate(
        invoiced=_sum(Q()),
        paid=_sum(Q(paid_on__isnull=False)),
    )


def _visible_condition(user) -> Q | None:
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    if user.is_superuser:
        return None
    lab_ids = [lab for lab, roles in user_lab_roles(user).items() if roles & set(LAB_TEAM_ROLES)]
    organisation_ids = list(user_organisation_roles(user))
    return (
        Q(lab_id__in=lab_ids)
        | Q(supplier_id__in=organisation_ids)
        | Q(buyer_id__in=organisation_ids)
        | Q(challenge__owner_id__in=organisation_ids)
        | Q(challenge__co_owners__in=organisation_ids)
    )


def visible_contracts(user) -> QuerySet[Contract]:
    """Every contract this person may see: their labs' (team), their entities' (buyer), their own."""
    condition = _visible_condition(user)
    queryset = Contract.objects.all()
    if condition is not None:
        queryset = Contract.objects.filter(pk__in=Contract.objects.filter(condition).values("pk"))
    return with_totals(queryset).order_by("-created_at", "-pk")


def contracts_for_lab(lab) -> QuerySet[Contract]:
    return with_totals(Contract.objects.filter(lab=lab)).order_by("challenge__reference", "reference")


def contract_for(user, pk: int) -> Contract:
    """Fetch and authorise in one step: 404 alike for "does not exist" and "may not see"."""
    contract = Contract.objects.select_related(*BASE_RELATED).filter(pk=pk).first()
    if contract is None or not user.has_perm("contracts.view", contract):
        raise Http404
    return contract


@dataclass
class ContractPage:
    versions: list
    documents: list
    milestones: list
    schedule: list
    payments: list
    reports: list
    issues: list
    stats: pay.OnTimeStats
    today: object
    invoiced: object
    paid: object
    scheduled: object


def contract_page(contract: Contract, *, documents_public_only: bool = False) -> ContractPage:
    """Everything the contract's page shows, in a fixed number of queries."""
    today = pay.lab_today(contract.lab)
    payment_rows = list(
        Payment.objects.filter(contract=contract)
        .select_related("scheduled")
        .order_by("invoice_received_on", "pk")
    )
    for payment in payment_rows:
        payment.contract = contract
        payment.days = pay.days_to_pay(payment)
        payment.late = pay.is_late(payment, today)
        payment.days_late = pay.days_late(payment, today)
    reports = list(
        ProgressReport.objects.filter(contract=contract).select_related("submitted_by", "reviewed_by")
    )
    for report in reports:
        report.overdue = report.status == ReportStatus.DUE and report.due_on < today
    schedule = list(ScheduledPayment.objects.filter(contract=contract).select_related("milestone"))
    live = [p for p in payment_rows if not p.cancelled_at]
    documents = ContractDocument.objects.filter(contract=contract).select_related("uploaded_by")
    if documents_public_only:
        documents = documents.filter(is_public=True)
    return ContractPage(
        versions=list(ContractVersion.objects.filter(contract=contract).select_related("created_by")),
        documents=list(documents),
        milestones=list(ContractMilestone.objects.filter(contract=contract)),
        schedule=schedule,
        payments=payment_rows,
        reports=reports,
        issues=list(ImplementationIssue.objects.filter(contract=contract).select_related("raised_by")),
        stats=pay.on_time_stats(live, today=today),
        today=today,
        invoiced=sum((p.amount for p in live), 0),
        paid=sum((p.amount for p in live if p.paid_on), 0),
        scheduled=sum((line.amount for line in schedule), 0),
    )


def payments_for_lab(lab) -> QuerySet[Payment]:
    return (
        Payment.objects.filter(contract__lab=lab, cancelled_at__isnull=True)
        .select_related("contract", "contract__lab", "contract__supplier", "contract__challenge")
        .order_by("due_on", "pk")
    )


def lab_payments(lab) -> tuple[list[Payment], pay.OnTimeStats, object]:
    today = pay.lab_today(lab)
    rows = list(payments_for_lab(lab))
    for payment in rows:
        payment.days = pay.days_to_pay(payment)
        payment.late = pay.is_late(payment, today)
        payment.days_late = pay.days_late(payment, today)
    return rows, pay.on_time_stats(rows, today=today), today


def report_counts(contract_ids) -> dict[int, int]:
    rows = (
        ProgressReport.objects.filter(contract_id__in=list(contract_ids), status=ReportStatus.DUE)
        .values("contract_id")
        .annotate(n=Count("pk"))
    )
    return {row["contract_id"]: row["n"] for row in rows}
