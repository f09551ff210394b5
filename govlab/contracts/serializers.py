"""What the contracts API reads and writes. Writes only shape input: the services check every rule."""

from __future__ import annotations

from rest_framework import serializers

from . import payments as pay
from .enums import (
    ContractKind,
    ContractStatus,
    ImplementationStatus,
    IpTerms,
    IssueKind,
    IssueStatus,
    MilestoneStatus,
    ReportStatus,
    Severity,
)
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

MONEY = {"max_digits": 16, "decimal_places": 2}


def codes(choices) -> str:
    return ", ".join(value for value, _label in choices)


class ContractListSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=codes(ContractKind.choices))
    status = serializers.CharField(
        read_only=True, help_text="OCDS contractStatus: " + codes(ContractStatus.choices)
    )
    challenge = serializers.CharField(source="challenge.reference", read_only=True)
    lab = serializers.CharField(source="lab.slug", read_only=True)
    supplier = serializers.CharField(source="supplier.name", read_only=True)
    supplier_id = serializers.IntegerField(read_only=True)
    buyer = serializers.CharField(source="buyer.name", read_only=True)
    buyer_id = serializers.IntegerField(read_only=True)
    invoiced = serializers.DecimalField(read_only=True, **MONEY)
    paid = serializers.DecimalField(read_only=True, **MONEY)

    class Meta:
        model = Contract
        fields = [
            "id",
            "reference",
            "lab",
            "challenge",
            "kind",
            "award",
            "pilot",
            "title",
            "supplier",
            "supplier_id",
            "buyer",
            "buyer_id",
            "value",
            "currency",
            "starts_on",
            "ends_on",
            "signed_on",
            "status",
            "implementation_status",
            "version",
            "invoiced",
            "paid",
        ]
        read_only_fields = fields


class ContractSerializer(ContractListSerializer):
    class Meta(ContractListSerializer.Meta):
        fields = [
            *ContractListSerializer.Meta.fields,
            "scope",
            "ip_terms",
            "ip_details",
            "payment_terms_days",
            "finance_contact",
            "report_every_days",
            "confidential_notes",
            "ended_on",
            "end_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ContractWriteSerializer(serializers.Serializer):
    award = serializers.IntegerField(required=False, help_text="Create from this award (a purchase).")
    pilot = serializers.IntegerField(
        required=False, help_text="Create from this phase-4 pilot (an agreement)."
    )
    title = serializers.CharField(required=False, max_length=200)
    scope = serializers.CharField(required=False, max_length=10000)
    value = serializers.DecimalField(
        required=False,
        allow_null=True,
        help_text="Pilot agreements only: a purchase's is the award's.",
        **MONEY,
    )
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    ip_terms = serializers.ChoiceField(choices=IpTerms.choices, required=False)
    ip_details = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    payment_terms_days = serializers.IntegerField(required=False, min_value=1, max_value=120)
    finance_contact = serializers.IntegerField(
        required=False, allow_null=True, help_text="A user id: a member of the buyer."
    )
    report_every_days = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=366)
    confidential_notes = serializers.CharField(required=False, allow_blank=True, max_length=10000)


class ContractSignSerializer(serializers.Serializer):
    signed_on = serializers.DateField(help_text="The day it was signed (the lab's local date).")


class ContractAmendSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)
    title = serializers.CharField(required=False, max_length=200)
    scope = serializers.CharField(required=False, max_length=10000)
    value = serializers.DecimalField(required=False, **MONEY)
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    ip_terms = serializers.ChoiceField(choices=IpTerms.choices, required=False)
    ip_details = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    payment_terms_days = serializers.IntegerField(required=False, min_value=1, max_value=120)


class ContractEndSerializer(serializers.Serializer):
    ended_on = serializers.DateField(required=False)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ContractStatusSerializer(serializers.Serializer):
    implementation_status = serializers.ChoiceField(choices=ImplementationStatus.choices)


class ContractVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractVersion
        fields = ["number", "reason", "value", "ends_on", "terms", "changes", "created_at"]
        read_only_fields = fields


class ContractDocumentUploadSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    file = serializers.FileField(help_text="PDF, office or OpenDocument files, CSV, text or an image.")
    is_public = serializers.BooleanField(
        required=False, default=False, help_text="Publish it with the contract."
    )


class ContractDocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ContractDocument
        fields = ["id", "title", "is_public", "uploaded_at"]
        read_only_fields = fields


class ContractMilestoneSerializer(serializers.ModelSerializer):
    status = serializers.CharField(
        read_only=True, help_text="OCDS milestoneStatus: " + codes(MilestoneStatus.choices)
    )

    class Meta:
        model = ContractMilestone
        fields = ["id", "contract", "title", "deliverables", "due_on", "status", "met_on"]
        read_only_fields = ["id", "contract"]


class ContractMilestoneWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    deliverables = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    due_on = serializers.DateField()
    status = serializers.CharField(required=False, help_text=codes(MilestoneStatus.choices))
    met_on = serializers.DateField(required=False, allow_null=True)


class ContractScheduleSerializer(serializers.ModelSerializer):
    class Meta:
        model = ScheduledPayment
        fields = ["id", "contract", "label", "amount", "due_on", "milestone"]
        read_only_fields = ["id", "contract"]


class ContractScheduleWriteSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=200)
    amount = serializers.DecimalField(**MONEY)
    due_on = serializers.DateField()
    milestone = serializers.IntegerField(required=False, allow_null=True)


class ContractPaymentSerializer(serializers.ModelSerializer):
    days_to_pay = serializers.SerializerMethodField()
    late = serializers.SerializerMethodField()
    currency = serializers.CharField(source="contract.currency", read_only=True)

    class Meta:
        model = Payment
        fields = [
            "id",
            "contract",
            "scheduled",
            "invoice_number",
            "amount",
            "currency",
            "invoice_received_on",
            "approved_on",
            "due_on",
            "paid_on",
            "cancelled_at",
            "days_to_pay",
            "late",
        ]
        read_only_fields = fields

    def get_days_to_pay(self, payment) -> int | None:
        return pay.days_to_pay(payment)

    def get_late(self, payment) -> bool:
        """Paid after its due day, or unpaid after it (the lab's local date)."""
        today = self.context.get("today") or pay.lab_today(payment.contract.lab)
        return pay.is_late(payment, today)


class ContractInvoiceSerializer(serializers.Serializer):
    invoice_number = serializers.CharField(max_length=60)
    amount = serializers.DecimalField(**MONEY)
    invoice_received_on = serializers.DateField()
    scheduled = serializers.IntegerField(required=False, allow_null=True)


class ContractApproveSerializer(serializers.Serializer):
    approved_on = serializers.DateField()


class ContractPaySerializer(serializers.Serializer):
    paid_on = serializers.DateField()


class ContractCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class ContractReportSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=codes(ReportStatus.choices))

    class Meta:
        model = ProgressReport
        fields = [
            "id",
            "contract",
            "period",
            "due_on",
            "status",
            "summary",
            "percent_complete",
            "submitted_at",
            "review_notes",
            "reviewed_at",
        ]
        read_only_fields = fields


class ContractReportSubmitSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=10000)
    percent_complete = serializers.IntegerField(min_value=0, max_value=100)


class ContractReviewSerializer(serializers.Serializer):
    review_notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ContractIssueSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(help_text=codes(IssueKind.choices))
    status = serializers.CharField(required=False, help_text=codes(IssueStatus.choices))

    class Meta:
        model = ImplementationIssue
        fields = [
            "id",
            "contract",
            "kind",
            "title",
            "description",
            "severity",
            "status",
            "mitigation",
            "created_at",
        ]
        read_only_fields = ["id", "contract", "created_at"]


class ContractIssueWriteSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text=codes(IssueKind.choices))
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    severity = serializers.ChoiceField(choices=Severity.choices, required=False)
    status = serializers.CharField(required=False, help_text=codes(IssueStatus.choices))
    mitigation = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ContractLessonsSerializer(serializers.ModelSerializer):
    challenge = serializers.CharField(source="challenge.reference", read_only=True)

    class Meta:
        model = LessonsLearned
        fields = [
            "challenge",
            "successes",
            "failures",
            "entity_would_change",
            "solver_would_change",
            "is_public",
            "updated_at",
        ]
        read_only_fields = ["challenge", "updated_at"]


class ContractCloseSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class ContractStatsSerializer(serializers.Serializer):
    paid = serializers.IntegerField()
    paid_on_time = serializers.IntegerField()
    share_on_time = serializers.FloatField(allow_null=True)
    median_days_to_pay = serializers.FloatField(allow_null=True)
    mean_days_to_pay = serializers.FloatField(allow_null=True)
    late_unpaid = serializers.IntegerField()
    overdue_amount = serializers.DecimalField(**MONEY)
    overdue = ContractPaymentSerializer(many=True)
