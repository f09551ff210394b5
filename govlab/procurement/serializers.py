"""What the procurement API reads and writes. Writes only shape input: the services check every rule."""

from __future__ import annotations

from rest_framework import serializers

from govlab.core.api import LocalisedTextField, TranslatedTextField
from govlab.labs.models import CURRENCY_CHOICES

from .enums import OcdsMethod, ProcedureKind, StepKind
from .models import Award, ProcedureType, ProcessStep, ProcurementProcess, Threshold

MONEY = {"max_digits": 16, "decimal_places": 2}
# Kinds and steps are documented as text: their enum names collide with other apps' "kind" fields.
KINDS = ", ".join(ProcedureKind.values)
STEPS = ", ".join(StepKind.values)


class ThresholdSerializer(serializers.ModelSerializer):
    procedure = serializers.IntegerField(source="procedure_id", read_only=True)
    legal_regime = serializers.IntegerField(source="legal_regime_id", read_only=True)
    legal_regime_name = LocalisedTextField(source="legal_regime.name")

    class Meta:
        model = Threshold
        fields = [
            "id",
            "procedure",
            "legal_regime",
            "legal_regime_name",
            "currency",
            "min_value",
            "max_value",
            "valid_from",
            "valid_until",
            "source_label",
            "source_url",
            "note",
        ]


class ThresholdWriteSerializer(serializers.Serializer):
    procedure = serializers.IntegerField(help_text="The procedure type's id (on create).")
    legal_regime = serializers.IntegerField(help_text="A legal regime of the same lab.")
    currency = serializers.ChoiceField(choices=CURRENCY_CHOICES)
    min_value = serializers.DecimalField(**MONEY, required=False, allow_null=True)
    max_value = serializers.DecimalField(**MONEY, required=False, allow_null=True)
    valid_from = serializers.DateField()
    valid_until = serializers.DateField(required=False, allow_null=True)
    source_label = serializers.CharField(max_length=300)
    source_url = serializers.URLField(required=False, allow_blank=True, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000, default="")


class ProcedureSerializer(serializers.ModelSerializer):
    lab = serializers.CharField(source="lab.slug", read_only=True)
    name = TranslatedTextField(read_only=True)
    name_text = LocalisedTextField(source="name")
    description = TranslatedTextField(read_only=True)
    kind = serializers.CharField(read_only=True, help_text=f"The kind of procedure: {KINDS}.")
    steps = serializers.ListField(
        child=serializers.CharField(), read_only=True, help_text=f"In order: {STEPS}."
    )
    thresholds = ThresholdSerializer(many=True, read_only=True)

    class Meta:
        model = ProcedureType
        fields = [
            "id",
            "lab",
            "jurisdiction",
            "code",
            "kind",
            "name",
            "name_text",
            "description",
            "ocds_method",
            "ocds_method_details",
            "steps",
            "standstill_days",
            "source_label",
            "source_url",
            "is_active",
            "thresholds",
        ]


class ProcedureWriteSerializer(serializers.Serializer):
    lab = serializers.SlugField(help_text="The lab's short name (on create).")
    jurisdiction = serializers.CharField(max_length=80)
    code = serializers.SlugField(max_length=60)
    kind = serializers.CharField(max_length=30, help_text=f"The kind of procedure: {KINDS}.")
    name = TranslatedTextField(max_length=200)
    description = TranslatedTextField(max_length=5000, required=False)
    ocds_method = serializers.ChoiceField(choices=OcdsMethod.choices)
    ocds_method_details = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    steps = serializers.ListField(
        child=serializers.CharField(max_length=30), required=False, help_text=f"The steps, in order: {STEPS}."
    )
    standstill_days = serializers.IntegerField(min_value=0, max_value=365, required=False, default=0)
    source_label = serializers.CharField(max_length=300)
    source_url = serializers.URLField(required=False, allow_blank=True, default="")
    is_active = serializers.BooleanField(required=False, default=True)


class RouteOptionSerializer(serializers.Serializer):
    procedure = serializers.IntegerField(source="procedure.pk")
    code = serializers.CharField(source="procedure.code")
    name = LocalisedTextField(source="procedure.name")
    ocds_method = serializers.CharField(source="procedure.ocds_method")
    source_label = serializers.CharField(source="procedure.source_label")
    source_url = serializers.CharField(source="procedure.source_url")
    available = serializers.BooleanField()
    threshold = ThresholdSerializer(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())


class RoutesSerializer(serializers.Serializer):
    challenge = serializers.CharField()
    legal_regime = serializers.IntegerField(allow_null=True)
    value = serializers.DecimalField(**MONEY, allow_null=True)
    currency = serializers.CharField()
    on = serializers.DateField()
    notice = serializers.CharField()
    options = RouteOptionSerializer(many=True)


class ProcessStepSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=f"The step: {STEPS}.")
    document = serializers.SerializerMethodField()

    class Meta:
        model = ProcessStep
        fields = [
            "id",
            "kind",
            "position",
            "planned_on",
            "done_on",
            "notes",
            "document",
            "document_name",
            "document_is_public",
        ]

    def get_document(self, step) -> bool:
        """Whether a document is attached (download it on the process's page)."""
        return bool(step.document)


class ProcessStepWriteSerializer(serializers.Serializer):
    planned_on = serializers.DateField(required=False, allow_null=True)
    done_on = serializers.DateField(required=False, allow_null=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")
    document = serializers.FileField(required=False, allow_null=True)
    document_is_public = serializers.BooleanField(required=False, default=True)
    remove_document = serializers.BooleanField(required=False, default=False)


class AwardSerializer(serializers.ModelSerializer):
    supplier = serializers.IntegerField(source="supplier_id", read_only=True)
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
    application = serializers.CharField(source="application.reference", read_only=True, allow_null=True)

    class Meta:
        model = Award
        fields = [
            "id",
            "supplier",
            "supplier_name",
            "application",
            "title",
            "value",
            "currency",
            "status",
            "decided_at",
        ]


class ProcurementProcessSerializer(serializers.ModelSerializer):
    challenge = serializers.CharField(source="challenge.reference", read_only=True)
    lab = serializers.CharField(source="lab.slug", read_only=True)
    procedure = serializers.IntegerField(source="procedure_id", read_only=True)
    legal_regime = serializers.IntegerField(source="legal_regime_id", read_only=True)
    threshold = serializers.IntegerField(source="threshold_id", read_only=True, allow_null=True)
    status = serializers.SerializerMethodField(help_text="A standstill whose end has passed is awarded.")
    applications = serializers.SerializerMethodField()
    co_buyers = serializers.SerializerMethodField()
    steps = ProcessStepSerializer(many=True, read_only=True)
    awards = AwardSerializer(many=True, read_only=True)

    class Meta:
        model = ProcurementProcess
        fields = [
            "id",
            "lab",
            "challenge",
            "title",
            "description",
            "procedure",
            "legal_regime",
            "threshold",
            "estimated_value",
            "currency",
            "route_justification",
            "status",
            "tender_starts_on",
            "tender_ends_on",
            "award_reasons",
            "awarded_at",
            "standstill_ends_on",
            "cancelled_reason",
            "applications",
            "co_buyers",
            "steps",
            "awards",
            "version",
            "created_at",
            "updated_at",
        ]

    def get_status(self, process) -> str:
        from .selectors import effective_status

        return effective_status(process)

    def get_applications(self, process) -> list[str]:
        return [application.reference for application in process.applications.all()]

    def get_co_buyers(self, process) -> list[int]:
        return [organisation.pk for organisation in process.co_buyers.all()]


class ProcurementProcessListSerializer(serializers.ModelSerializer):
    challenge = serializers.CharField(source="challenge.reference", read_only=True)
    lab = serializers.CharField(source="lab.slug", read_only=True)
    procedure = serializers.IntegerField(source="procedure_id", read_only=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = ProcurementProcess
        fields = [
            "id",
            "lab",
            "challenge",
            "title",
            "procedure",
            "estimated_value",
            "currency",
            "status",
            "version",
        ]

    def get_status(self, process) -> str:
        from .selectors import effective_status

        return effective_status(process)


class ProcessCreateSerializer(serializers.Serializer):
    challenge = serializers.CharField(help_text="The challenge's reference.")
    procedure = serializers.IntegerField(
        help_text="An available route's procedure id (see the route options)."
    )
    estimated_value = serializers.DecimalField(**MONEY)
    currency = serializers.ChoiceField(choices=CURRENCY_CHOICES)
    route_justification = serializers.CharField(max_length=5000)
    applications = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="References of the selected solutions bought; by default all the Demo Day selected.",
    )
    co_buyers = serializers.ListField(
        child=serializers.IntegerField(), required=False, help_text="Ids of other public entities of the lab."
    )
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    tender_starts_on = serializers.DateField(required=False, allow_null=True)
    tender_ends_on = serializers.DateField(required=False, allow_null=True)


class ProcessUpdateSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The version you read: a newer one answers 409.")
    title = serializers.CharField(max_length=200, required=False)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    tender_starts_on = serializers.DateField(required=False, allow_null=True)
    tender_ends_on = serializers.DateField(required=False, allow_null=True)
    co_buyers = serializers.ListField(child=serializers.IntegerField(), required=False)


class AwardItemSerializer(serializers.Serializer):
    supplier = serializers.IntegerField(help_text="The supplier organisation's id.")
    application = serializers.CharField(
        required=False, allow_blank=True, help_text="The solution's reference."
    )
    value = serializers.DecimalField(**MONEY)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AwardDecisionSerializer(serializers.Serializer):
    reasons = serializers.CharField(max_length=5000)
    awards = AwardItemSerializer(many=True)


class ProcurementCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=5000)
