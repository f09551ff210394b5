"""What the monitoring API reads and writes. Writes only shape input: the services check every rule."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from govlab.core.api import LocalisedTextField, TranslatedTextField

from .enums import Category, Direction, Periodicity, Scope, Source
from .models import KpiDefinition
from .periods import Period, parse_key

DECIMAL = {"max_digits": 18, "decimal_places": 4, "coerce_to_string": True}


class KpiSerializer(serializers.ModelSerializer):
    """A KPI definition as the lab's team sees it."""

    name = TranslatedTextField(read_only=True)
    description = TranslatedTextField(read_only=True)
    name_localised = LocalisedTextField(source="name")
    lab = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    campaign = serializers.PrimaryKeyRelatedField(read_only=True)
    call = serializers.PrimaryKeyRelatedField(read_only=True)
    challenge = serializers.SlugRelatedField(slug_field="reference", read_only=True)

    class Meta:
        model = KpiDefinition
        fields = [
            "id",
            "lab",
            "code",
            "name",
            "name_localised",
            "description",
            "category",
            "scope",
            "campaign",
            "call",
            "challenge",
            "unit",
            "direction",
            "source",
            "computation",
            "periodicity",
            "is_public",
            "position",
            "is_active",
            "created_at",
            "updated_at",
        ]


class KpiWriteSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=60)
    name = TranslatedTextField(max_length=200)
    description = TranslatedTextField(max_length=5000, required=False)
    category = serializers.ChoiceField(choices=Category.choices)
    scope = serializers.ChoiceField(choices=Scope.choices, required=False)
    campaign = serializers.IntegerField(required=False, allow_null=True, help_text="The campaign's id.")
    call = serializers.IntegerField(required=False, allow_null=True, help_text="The call's id.")
    challenge = serializers.IntegerField(required=False, allow_null=True, help_text="The challenge's id.")
    source = serializers.ChoiceField(choices=Source.choices)
    computation = serializers.CharField(
        max_length=60,
        required=False,
        allow_blank=True,
        help_text="A key of the registry (GET computations/).",
    )
    unit = serializers.CharField(max_length=40, required=False, allow_blank=True)
    direction = serializers.ChoiceField(choices=Direction.choices, required=False)
    periodicity = serializers.ChoiceField(choices=Periodicity.choices, required=False)
    is_public = serializers.BooleanField(required=False)
    position = serializers.IntegerField(required=False, min_value=0, max_value=32767)
    is_active = serializers.BooleanField(required=False)


class PeriodField(serializers.CharField):
    """A period as ``2025`` (a year) or ``2025-Q2`` (a quarter)."""

    def to_internal_value(self, data):
        period = parse_key(str(data))
        if period is None:
            raise serializers.ValidationError("Give a year (2025) or a quarter (2025-Q2).")
        return period


class TargetWriteSerializer(serializers.Serializer):
    period = PeriodField(help_text="2025 for a yearly KPI, 2025-Q2 for a quarterly one.")
    value = serializers.DecimalField(
        max_digits=18, decimal_places=4, allow_null=True, help_text="null removes it."
    )


class ValueWriteSerializer(serializers.Serializer):
    period = PeriodField(help_text="2025 for a yearly KPI, 2025-Q2 for a quarterly one; not a future period.")
    value = serializers.DecimalField(max_digits=18, decimal_places=4)
    evidence = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    evidence_url = serializers.CharField(max_length=200, required=False, allow_blank=True)


@extend_schema_field(OpenApiTypes.STR)
class _PeriodKey(serializers.Field):
    def __init__(self, **kwargs):
        kwargs["source"] = "*"
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return Period(value.period_start, value.period_end, "").key


class TargetSerializer(serializers.Serializer):
    period = _PeriodKey(help_text="2025 or 2025-Q2.")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    value = serializers.DecimalField(**DECIMAL)


class ValueSerializer(serializers.Serializer):
    period = _PeriodKey(help_text="2025 or 2025-Q2.")
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    value = serializers.DecimalField(**DECIMAL)
    evidence = serializers.CharField()
    evidence_url = serializers.CharField()
    entered_at = serializers.DateTimeField()


class PointSerializer(serializers.Serializer):
    period = serializers.CharField(source="period.key")
    label = serializers.CharField(source="period.label")
    period_start = serializers.DateField(source="period.start")
    period_end = serializers.DateField(source="period.end")
    value = serializers.JSONField(
        help_text="A number as a string, an object of numbers (breakdowns), or null."
    )
    target = serializers.DecimalField(**DECIMAL, allow_null=True)
    source = serializers.CharField()
    records_url = serializers.CharField(allow_null=True)
    evidence = serializers.CharField()
    evidence_url = serializers.CharField()

    def to_representation(self, instance):
        data = super().to_representation(instance)
        value = instance.value
        if isinstance(value, dict):
            data["value"] = {key: str(number) for key, number in value.items()}
        elif value is not None:
            data["value"] = str(value)
        return data


class KpiSeriesSerializer(serializers.Serializer):
    kpi = KpiSerializer()
    series = PointSerializer(many=True)
    latest = PointSerializer(allow_null=True)
    target = serializers.DecimalField(**DECIMAL, allow_null=True)
    status = serializers.ChoiceField(choices=["met", "not_met", "no_target"])


class PublicKpiSerializer(serializers.Serializer):
    """A published KPI: its name, unit and figures only."""

    code = serializers.CharField(source="kpi.code")
    name = LocalisedTextField(source="kpi.name")
    description = LocalisedTextField(source="kpi.description")
    category = serializers.CharField(source="kpi.category")
    unit = serializers.CharField(source="kpi.unit")
    series = PointSerializer(many=True)
    latest = PointSerializer(allow_null=True)
    target = serializers.DecimalField(**DECIMAL, allow_null=True)
    status = serializers.CharField()


class StageSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    unit = serializers.CharField()
    count = serializers.IntegerField()
    rate_from_previous = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    rate_from_first = serializers.DecimalField(max_digits=7, decimal_places=1, allow_null=True)
    records_url = serializers.CharField(allow_null=True)


class ExitSerializer(serializers.Serializer):
    stage_key = serializers.CharField()
    reason_key = serializers.CharField()
    reason_label = serializers.CharField()
    count = serializers.IntegerField()


class FunnelSerializer(serializers.Serializer):
    stages = StageSerializer(many=True)
    exits = ExitSerializer(many=True)
    computed_at = serializers.DateTimeField(allow_null=True)


class StateTimeSerializer(serializers.Serializer):
    state = serializers.CharField()
    label = serializers.CharField()
    n = serializers.IntegerField()
    median_days = serializers.FloatField(allow_null=True)
    p25 = serializers.FloatField(allow_null=True)
    p75 = serializers.FloatField(allow_null=True)
    mean_days = serializers.FloatField(allow_null=True)
    histogram = serializers.SerializerMethodField()

    def get_histogram(self, item) -> list[dict]:
        return [{"bucket": str(label), "count": count} for label, count in item.histogram]


class CycleTimesSerializer(serializers.Serializer):
    by_state = StateTimeSerializer(many=True)
    by_phase = StateTimeSerializer(many=True)
    total_median_days = serializers.FloatField(allow_null=True)
    total_n = serializers.IntegerField()
    challenges = serializers.IntegerField()
    computed_at = serializers.DateTimeField(allow_null=True)


class CrossLabSerializer(serializers.Serializer):
    lab = serializers.CharField(source="lab.slug")
    funnel = serializers.DictField(child=serializers.IntegerField())
    median_cycle_days = serializers.FloatField(allow_null=True)
    cycle_n = serializers.IntegerField()
    kpi_count = serializers.IntegerField()
    computed_at = serializers.DateTimeField(allow_null=True)


class ComputationSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    description = serializers.CharField()
    unit = serializers.CharField()
    category = serializers.CharField()
    scopes = serializers.ListField(child=serializers.CharField())
    breakdown = serializers.BooleanField()
    direction = serializers.CharField()
