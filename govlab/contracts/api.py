"""The contracts API: contracts (from an award or a pilot; sign, amend, versions, finish, cancel), their
milestones, payment schedule, invoices and payments, progress reports, issues and risks; lessons learned
and the close of a case; a lab's on-time payment statistics.

Every write calls the service the pages call, with the same rules (``rules``): the lab's team and the
buyer's members manage a contract (sign, amend, pay, finish, cancel, close the case); the supplier's
members see it and submit its progress reports. A contract the caller may not see answers 404;
one they see, with an action they may not take, answers 403 (401 signed out).
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from govlab.challenges.models import Challenge
from govlab.core.api import ERRORS, ID_PATTERN, Pagination, ServiceViewSetMixin, invalid
from govlab.labs.models import Lab
from govlab.labs.rules import is_lab_staff
from govlab.pilots.models import Pilot
from govlab.procurement.models import Award

from . import payments as pay
from . import selectors, services
from .models import (
    Contract,
    ContractDocument,
    ContractMilestone,
    ContractVersion,
    ImplementationIssue,
    LessonsLearned,
    Payment,
    ProgressReport,
    ScheduledPayment,
)
from .serializers import (
    ContractAmendSerializer,
    ContractApproveSerializer,
    ContractCancelSerializer,
    ContractCloseSerializer,
    ContractDocumentSerializer,
    ContractDocumentUploadSerializer,
    ContractEndSerializer,
    ContractInvoiceSerializer,
    ContractIssueSerializer,
    ContractIssueWriteSerializer,
    ContractLessonsSerializer,
    ContractListSerializer,
    ContractMilestoneSerializer,
    ContractMilestoneWriteSerializer,
    ContractPaymentSerializer,
    ContractPaySerializer,
    ContractReportSerializer,
    ContractReportSubmitSerializer,
    ContractReviewSerializer,
    ContractScheduleSerializer,
    ContractScheduleWriteSerializer,
    ContractSerializer,
    ContractSignSerializer,
    ContractStatsSerializer,
    ContractStatusSerializer,
    ContractVersionSerializer,
    ContractWriteSerializer,
)

REFUSAL_MESSAGES = {
    "exists": "This award or pilot already has its contract.",
    "award_cancelled": "The award was cancelled.",
    "standstill": "The standstill period has not ended.",
    "over_value": "A payment larger than the contract.",
    "before_invoice": "A payment before the invoice.",
    "before_approval": "Paid before it was approved.",
    "below_paid": "The value cannot be lower than what was already paid.",
    "below_invoiced": "The value cannot be lower than what was invoiced.",
    "below_schedule": "The value cannot be lower than the payment schedule.",
    "no_change": "Nothing changes.",
}


class ContractsBase(ServiceViewSetMixin, viewsets.GenericViewSet):
    lookup_value_regex = ID_PATTERN
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = Pagination
    refusal_messages = REFUSAL_MESSAGES

    def contract(self, pk, perm: str = "view") -> Contract:
        contract = selectors.contract_for(self.request.user, pk)
        if perm != "view" and not self.request.user.has_perm(f"contracts.{perm}", contract):
            raise exceptions.PermissionDenied
        return contract

    def child(self, model, perm: str = "view"):
        row = model.objects.filter(pk=self.kwargs["pk"]).first()
        if row is None:
            raise Http404
        contract = self.contract(row.contract_id, perm)
        row.contract = contract
        return row


class ContractViewSet(ContractsBase):
    """Contracts: purchases awarded in a procurement process, and phase-4 pilot agreements."""

    queryset = Contract.objects.all()
    serializer_class = ContractSerializer

    def _fresh(self, contract) -> dict:
        return ContractSerializer(selectors.with_totals(Contract.objects.filter(pk=contract.pk)).get()).data

    @extend_schema(responses={200: ContractListSerializer(many=True), **ERRORS})
    def list(self, request):
        """The contracts you may see: your labs', your entities' (buyer), your organisations' (supplier)."""
        page = self.paginate_queryset(selectors.visible_contracts(request.user))
        return self.get_paginated_response(ContractListSerializer(page, many=True).data)

    @extend_schema(
        request=ContractWriteSerializer,
        responses={201: ContractSerializer, **ERRORS},
        description=(
            "Create a contract, pending signature, from an ``award`` (a purchase: supplier, value and "
            "currency are the award's) or a ``pilot`` (a pilot agreement: the solver, the pilot's "
            "budget unless ``value`` is given). The buyer is the challenge's public entity; the reference is "
            "``<challenge>-C<n>``."
        ),
    )
    def create(self, request):
        data = self.valid(ContractWriteSerializer)
        award_id, pilot_id = data.pop("award", None), data.pop("pilot", None)
        if (award_id is None) == (pilot_id is None):
            raise invalid(award="Give an award or a pilot (one of them).")
        source = {}
        if award_id is not None:
            award = Award.objects.select_related("process__challenge").filter(pk=award_id).first()
            if award is None or not request.user.has_perm("contracts.manage", award.process.challenge):
                raise invalid(award="No such award.")
            source["award"] = award
        else:
            pilot = Pilot.objects.select_related("challenge").filter(pk=pilot_id).first()
            if pilot is None or not request.user.has_perm("contracts.manage", pilot.challenge):
                raise invalid(pilot="No such pilot.")
            source["pilot"] = pilot
        contract = self.call(services.contract_create, by=request.user, **source, **data)
        return Response(self._fresh(contract), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: ContractSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        self.contract(pk)
        return Response(self._fresh(Contract(pk=pk)))

    @extend_schema(
        request=ContractWriteSerializer,
        responses={200: ContractSerializer, **ERRORS},
        description="Change the terms before signature (after: amend). ``award`` and ``pilot`` are ignored.",
    )
    def partial_update(self, request, pk=None):
        contract = self.contract(pk, "manage")
        data = self.valid(ContractWriteSerializer, partial=True)
        data.pop("award", None)
        data.pop("pilot", None)
        self.call(services.contract_update, contract=contract, by=request.user, **data)
        return Response(self._fresh(contract))

    @extend_schema(
        request=ContractSignSerializer,
        responses={200: ContractSerializer, **ERRORS},
        description=(
            "Record the signature (the lab and the buyer): version 1 keeps the terms. Refused during the "
            "procurement's standstill period (code ``standstill``) or for a cancelled award. The first "
            "signed purchase contract moves the challenge to implementing."
        ),
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        contract = self.contract(pk, "manage")
        data = self.valid(ContractSignSerializer)
        self.call(services.contract_sign, contract=contract, by=request.user, signed_on=data["signed_on"])
        return Response(self._fresh(contract))

    @extend_schema(
        request=ContractAmendSerializer,
        responses={201: ContractVersionSerializer, **ERRORS},
        description=(
            "Amend a signed contract: send the reason and the terms that change. A new version (number + 1) "
            "records the terms and the changes. Refused: no change (``no_change``), a value below what was "
            "paid (``below_paid``), invoiced (``below_invoiced``) or scheduled (``below_schedule``)."
        ),
    )
    @action(detail=True, methods=["post"])
    def amend(self, request, pk=None):
        contract = self.contract(pk, "manage")
        data = self.valid(ContractAmendSerializer)
        reason = data.pop("reason")
        version = self.call(
            services.contract_amend, contract=contract, by=request.user, reason=reason, **data
        )
        return Response(ContractVersionSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: ContractVersionSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"])
    def versions(self, request, pk=None):
        """The contract as signed (1) and after each amendment, with the reasons and changes."""
        contract = self.contract(pk)
        return Response(
            ContractVersionSerializer(ContractVersion.objects.filter(contract=contract), many=True).data
        )

    @extend_schema(request=ContractEndSerializer, responses={200: ContractSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def finish(self, request, pk=None):
        """Finish the contract (OCDS ``terminated``; the lab and the buyer): invoices paid or cancelled."""
        contract = self.contract(pk, "manage")
        data = self.valid(ContractEndSerializer)
        self.call(services.contract_finish, contract=contract, by=request.user, **data)
        return Response(self._fresh(contract))

    @extend_schema(request=ContractEndSerializer, responses={200: ContractSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a contract (the lab and the buyer, with a reason): pending, or signed with nothing paid."""
        contract = self.contract(pk, "manage")
        data = self.valid(ContractEndSerializer)
        self.call(
            services.contract_cancel,
            contract=contract,
            by=request.user,
            reason=data.get("reason", ""),
            ended_on=data.get("ended_on"),
        )
        return Response(self._fresh(contract))

    @extend_schema(request=ContractStatusSerializer, responses={200: ContractSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="implementation-status")
    def implementation_status(self, request, pk=None):
        """Set the implementation status (the lab and the buyer)."""
        contract = self.contract(pk, "manage")
        data = self.valid(ContractStatusSerializer)
        self.call(services.implementation_status_set, contract=contract, by=request.user, **data)
        return Response(self._fresh(contract))

    @extend_schema(methods=["GET"], responses={200: ContractDocumentSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": ContractDocumentUploadSerializer},
        responses={201: ContractDocumentSerializer, **ERRORS},
        description="Attach a document (checked like every upload: type by content, size). "
        "``is_public`` publishes it.",
    )
    @action(detail=True, methods=["get", "post"], parser_classes=[MultiPartParser, FormParser, JSONParser])
    def documents(self, request, pk=None):
        if request.method == "GET":
            contract = self.contract(pk)
            return Response(
                ContractDocumentSerializer(ContractDocument.objects.filter(contract=contract), many=True).data
            )
        contract = self.contract(pk, "manage")
        data = self.valid(ContractDocumentUploadSerializer)
        row = self.call(services.document_upload, contract=contract, by=request.user, **data)
        return Response(ContractDocumentSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: ContractMilestoneSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=ContractMilestoneWriteSerializer,
        responses={201: ContractMilestoneSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"])
    def milestones(self, request, pk=None):
        """The milestones (deliverables, due day, OCDS status); add one (the lab and the buyer)."""
        if request.method == "GET":
            contract = self.contract(pk)
            return Response(
                ContractMilestoneSerializer(
                    ContractMilestone.objects.filter(contract=contract), many=True
                ).data
            )
        contract = self.contract(pk, "manage")
        data = self.valid(ContractMilestoneWriteSerializer)
        row = self.call(services.milestone_save, contract=contract, by=request.user, **data)
        return Response(ContractMilestoneSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: ContractScheduleSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=ContractScheduleWriteSerializer,
        responses={201: ContractScheduleSerializer, **ERRORS},
        description="Add a line to the payment schedule; its total never exceeds the value (``over_value``).",
    )
    @action(detail=True, methods=["get", "post"])
    def schedule(self, request, pk=None):
        if request.method == "GET":
            contract = self.contract(pk)
            return Response(
                ContractScheduleSerializer(ScheduledPayment.objects.filter(contract=contract), many=True).data
            )
        contract = self.contract(pk, "manage")
        data = self.valid(ContractScheduleWriteSerializer)
        row = self.call(services.schedule_save, contract=contract, by=request.user, **data)
        return Response(ContractScheduleSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: ContractPaymentSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=ContractInvoiceSerializer,
        responses={201: ContractPaymentSerializer, **ERRORS},
        description=(
            "Record an invoice received (the lab and the buyer). It falls due after the payment terms; a due "
            "day on a Saturday or Sunday moves to the next Monday. Refused: invoices above the contract's "
            "value (``over_value``), a number used twice, a date in the future."
        ),
    )
    @action(detail=True, methods=["get", "post"])
    def payments(self, request, pk=None):
        if request.method == "GET":
            contract = self.contract(pk)
            rows = list(Payment.objects.filter(contract=contract))
            for row in rows:
                row.contract = contract
            return Response(
                ContractPaymentSerializer(
                    rows, many=True, context={"today": pay.lab_today(contract.lab)}
                ).data
            )
        contract = self.contract(pk, "manage")
        data = self.valid(ContractInvoiceSerializer)
        row = self.call(services.invoice_record, contract=contract, by=request.user, **data)
        return Response(ContractPaymentSerializer(row).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: ContractReportSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"])
    def reports(self, request, pk=None):
        """The progress reports, due every ``report_every_days`` from the signature to the end."""
        contract = self.contract(pk)
        return Response(
            ContractReportSerializer(ProgressReport.objects.filter(contract=contract), many=True).data
        )

    @extend_schema(methods=["GET"], responses={200: ContractIssueSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=ContractIssueWriteSerializer,
        responses={201: ContractIssueSerializer, **ERRORS},
    )
    @action(detail=True, methods=["get", "post"])
    def issues(self, request, pk=None):
        """Issues and risks; record one (the lab and the buyer)."""
        if request.method == "GET":
            contract = self.contract(pk)
            return Response(
                ContractIssueSerializer(ImplementationIssue.objects.filter(contract=contract), many=True).data
            )
        contract = self.contract(pk, "manage")
        data = self.valid(ContractIssueWriteSerializer)
        row = self.call(services.issue_save, contract=contract, by=request.user, **data)
        return Response(ContractIssueSerializer(row).data, status=status.HTTP_201_CREATED)


class MilestoneViewSet(ContractsBase):
    queryset = ContractMilestone.objects.all()
    serializer_class = ContractMilestoneSerializer

    @extend_schema(
        request=ContractMilestoneWriteSerializer, responses={200: ContractMilestoneSerializer, **ERRORS}
    )
    def update(self, request, pk=None):
        """Change a milestone (met or partially met: say the day it was met)."""
        row = self.child(ContractMilestone, "manage")
        data = self.valid(ContractMilestoneWriteSerializer)
        row = self.call(
            services.milestone_save, contract=row.contract, by=request.user, milestone=row, **data
        )
        return Response(ContractMilestoneSerializer(row).data)


class ScheduleViewSet(ContractsBase):
    queryset = ScheduledPayment.objects.all()
    serializer_class = ContractScheduleSerializer

    @extend_schema(
        request=ContractScheduleWriteSerializer, responses={200: ContractScheduleSerializer, **ERRORS}
    )
    def update(self, request, pk=None):
        row = self.child(ScheduledPayment, "manage")
        data = self.valid(ContractScheduleWriteSerializer)
        row = self.call(services.schedule_save, contract=row.contract, by=request.user, line=row, **data)
        return Response(ContractScheduleSerializer(row).data)

    @extend_schema(responses={204: None, **ERRORS})
    def destroy(self, request, pk=None):
        row = self.child(ScheduledPayment, "manage")
        self.call(services.schedule_delete, line=row, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class PaymentViewSet(ContractsBase):
    queryset = Payment.objects.all()
    serializer_class = ContractPaymentSerializer

    @extend_schema(responses={200: ContractPaymentSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        """One invoice and its payment, with days to pay and whether it is late."""
        return Response(ContractPaymentSerializer(self.child(Payment)).data)

    @extend_schema(
        request=ContractApproveSerializer,
        responses={200: ContractPaymentSerializer, **ERRORS},
        description="Approve the invoice, on or after the day it was received (``before_invoice``).",
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        row = self.child(Payment, "manage")
        data = self.valid(ContractApproveSerializer)
        row = self.call(services.payment_approve, payment=row, by=request.user, **data)
        return Response(ContractPaymentSerializer(row).data)

    @extend_schema(
        request=ContractPaySerializer,
        responses={200: ContractPaymentSerializer, **ERRORS},
        description=(
            "Record the payment: on or after the approval (``not_approved``, ``before_approval``) and the "
            "invoice (``before_invoice``), never in the future."
        ),
    )
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        row = self.child(Payment, "manage")
        data = self.valid(ContractPaySerializer)
        row = self.call(services.payment_pay, payment=row, by=request.user, **data)
        return Response(ContractPaymentSerializer(row).data)

    @extend_schema(request=ContractCancelSerializer, responses={200: ContractPaymentSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel an unpaid invoice (it no longer counts towards the value)."""
        row = self.child(Payment, "manage")
        data = self.valid(ContractCancelSerializer)
        row = self.call(services.payment_cancel, payment=row, by=request.user, **data)
        return Response(ContractPaymentSerializer(row).data)


class ReportViewSet(ContractsBase):
    queryset = ProgressReport.objects.all()
    serializer_class = ContractReportSerializer

    @extend_schema(
        request=ContractReportSubmitSerializer, responses={200: ContractReportSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """Submit a progress report (the supplier's members)."""
        row = self.child(ProgressReport, "report")
        data = self.valid(ContractReportSubmitSerializer)
        row = self.call(services.report_submit, report=row, by=request.user, **data)
        return Response(ContractReportSerializer(row).data)

    @extend_schema(request=ContractReviewSerializer, responses={200: ContractReportSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Review a submitted report (the lab and the buyer)."""
        row = self.child(ProgressReport, "manage")
        data = self.valid(ContractReviewSerializer)
        row = self.call(services.report_review, report=row, by=request.user, **data)
        return Response(ContractReportSerializer(row).data)


class IssueViewSet(ContractsBase):
    queryset = ImplementationIssue.objects.all()
    serializer_class = ContractIssueSerializer

    @extend_schema(request=ContractIssueWriteSerializer, responses={200: ContractIssueSerializer, **ERRORS})
    def update(self, request, pk=None):
        row = self.child(ImplementationIssue, "manage")
        data = self.valid(ContractIssueWriteSerializer)
        row = self.call(services.issue_save, contract=row.contract, by=request.user, issue=row, **data)
        return Response(ContractIssueSerializer(row).data)


class LessonsViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    """A challenge's lessons learned (by the challenge's reference) and the close of its case."""

    lookup_field = "reference"
    lookup_value_regex = "[A-Za-z0-9-]{1,30}"
    queryset = LessonsLearned.objects.all()
    serializer_class = ContractLessonsSerializer
    permission_classes = [permissions.IsAuthenticated]
    refusal_messages = REFUSAL_MESSAGES

    def challenge(self) -> Challenge:
        challenge = (
            Challenge.objects.select_related("lab", "owner")
            .filter(reference=self.kwargs["reference"])
            .first()
        )
        if challenge is None or not self.request.user.has_perm("contracts.manage", challenge):
            raise Http404
        return challenge

    @extend_schema(responses={200: ContractLessonsSerializer, **ERRORS})
    def retrieve(self, request, reference=None):
        row = LessonsLearned.objects.filter(challenge=self.challenge()).select_related("challenge").first()
        if row is None:
            raise Http404
        return Response(ContractLessonsSerializer(row).data)

    @extend_schema(
        request=ContractLessonsSerializer,
        responses={200: ContractLessonsSerializer, **ERRORS},
        description="Write the lessons learned (successes required); ``is_public`` publishes them.",
    )
    def update(self, request, reference=None):
        challenge = self.challenge()
        data = self.valid(ContractLessonsSerializer)
        row = self.call(services.lessons_save, challenge=challenge, by=request.user, **data)
        row.challenge = challenge
        return Response(ContractLessonsSerializer(row).data)

    @extend_schema(
        request=ContractCloseSerializer,
        responses={200: None, **ERRORS},
        description=(
            "Close the case (the lab and the buyer): lessons learned written, every purchase contract "
            "finished or cancelled (``not_ready`` lists what is missing). The challenge becomes closed."
        ),
    )
    @action(detail=True, methods=["post"])
    def close(self, request, reference=None):
        challenge = self.challenge()
        data = self.valid(ContractCloseSerializer)
        challenge = self.call(services.case_close, challenge=challenge, by=request.user, **data)
        return Response({"challenge": challenge.reference, "status": challenge.status})


class PaymentStatsViewSet(viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ContractStatsSerializer
    queryset = Payment.objects.none()

    @extend_schema(
        parameters=[OpenApiParameter("lab", str, required=True, description="The lab's slug.")],
        responses={200: ContractStatsSerializer, **ERRORS},
        description=(
            "A lab's on-time payment statistics (the lab's team): invoices paid, paid on time and their "
            "share, median and mean days to pay, overdue unpaid invoices and their amount. Today is the "
            "lab's local date."
        ),
    )
    def list(self, request):
        lab = Lab.objects.filter(slug=request.query_params.get("lab", "")).first()
        if lab is None or not (is_lab_staff(request.user, lab) or request.user.is_superuser):
            raise Http404
        _rows, stats, today = selectors.lab_payments(lab)
        data = {
            "paid": stats.paid,
            "paid_on_time": stats.paid_on_time,
            "share_on_time": stats.share_on_time,
            "median_days_to_pay": stats.median_days_to_pay,
            "mean_days_to_pay": stats.mean_days_to_pay,
            "late_unpaid": stats.late_unpaid,
            "overdue_amount": stats.overdue_amount,
            "overdue": stats.overdue,
        }
        return Response(ContractStatsSerializer(data, context={"today": today}).data)


def register(router) -> None:
    """Register this app's API endpoints on the v1 router."""
    router.register("contracts/milestones", MilestoneViewSet, basename="contract-milestone")
    router.register("contracts/schedule", ScheduleViewSet, basename="contract-schedule")
    router.register("contracts/payments", PaymentViewSet, basename="contract-payment")
    router.register("contracts/reports", ReportViewSet, basename="contract-report")
    router.register("contracts/issues", IssueViewSet, basename="contract-issue")
    router.register("contracts/lessons", LessonsViewSet, basename="contract-lessons")
    router.register("contracts/payment-stats", PaymentStatsViewSet, basename="contract-payment-stats")
    router.register("contracts", ContractViewSet, basename="contract")
