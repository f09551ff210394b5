"""What the pilots API reads and writes. Writes only shape input: the services check every rule."""

from __future__ import annotations

from rest_framework import serializers

from govlab.core.api import LocalisedTextField, TranslatedTextField
from govlab.organisations.enums import HelixSector

from .enums import Arm, Decision, Design, Direction, Group, MetricKind
from .models import Hypothesis, Metric, Observation, ObservationImport, Pilot, PilotUnit

DECIMAL = {"max_digits": 18, "decimal_places": 6, "coerce_to_string": True}


class HypothesisSerializer(serializers.ModelSerializer):
    class Meta:
        model = Hypothesis
        fields = ["id", "statement", "order"]


class MetricSerializer(serializers.ModelSerializer):
    hypothesis = serializers.SerializerMethodField(help_text="The number (1, 2…) of the hypothesis it tests.")
    baseline = serializers.DecimalField(**DECIMAL, read_only=True)
    target = serializers.DecimalField(**DECIMAL, read_only=True)

    class Meta:
        model = Metric
        fields = [
            "id",
            "code",
            "name",
            "unit",
            "kind",
            "direction",
            "baseline",
            "target",
            "how_measured",
            "hypothesis",
        ]

    def get_hypothesis(self, metric) -> int | None:
        order = self.context.get("hypothesis_numbers", {})
        return order.get(metric.hypothesis_id)


class UnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = PilotUnit
        fields = ["id", "code", "label", "arm"]


class ParticipantsSerializer(serializers.Serializer):
    sector = serializers.ChoiceField(choices=HelixSector.choices)
    count = serializers.IntegerField()


class PilotSerializer(serializers.ModelSerializer):
    """A pilot as its team sees it."""

    application = serializers.CharField(source="application.reference", read_only=True)
    organisation = serializers.CharField(source="application.organisation.name", read_only=True)
    challenge = serializers.CharField(source="challenge.reference", read_only=True)
    call = serializers.IntegerField(source="call_id", read_only=True)
    objective = TranslatedTextField(read_only=True)
    objective_text = LocalisedTextField(source="objective", read_only=True)
    budget = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True, allow_null=True)
    hypotheses = serializers.SerializerMethodField()
    metrics = serializers.SerializerMethodField()
    participants = serializers.SerializerMethodField()
    units = serializers.SerializerMethodField()

    class Meta:
        model = Pilot
        fields = [
            "id",
            "application",
            "organisation",
            "challenge",
            "call",
            "title",
            "objective",
            "objective_text",
            "sites",
            "starts_on",
            "ends_on",
            "baseline_starts_on",
            "budget",
            "currency",
            "risks",
            "consent_ethics",
            "design",
            "status",
            "seed",
            "randomisation_algorithm",
            "assignment_fingerprint",
            "randomised_at",
            "decision",
            "decision_rationale",
            "lessons",
            "decided_at",
            "started_at",
            "created_at",
            "hypotheses",
            "metrics",
            "participants",
            "units",
        ]
        read_only_fields = fields

    def _hypotheses(self, pilot):
        cache = getattr(pilot, "_api_hypotheses", None)
        if cache is None:
            cache = pilot._api_hypotheses = list(pilot.hypotheses.all())
        return cache

    def get_hypotheses(self, pilot) -> list[dict]:
        return HypothesisSerializer(self._hypotheses(pilot), many=True).data

    def get_metrics(self, pilot) -> list[dict]:
        numbers = {h.pk: index for index, h in enumerate(self._hypotheses(pilot), start=1)}
        return MetricSerializer(pilot.metrics.all(), many=True, context={"hypothesis_numbers": numbers}).data

    def get_participants(self, pilot) -> dict[str, int]:
        return {row.sector: row.count for row in pilot.participants.all()}

    def get_units(self, pilot) -> list[dict]:
        return UnitSerializer(pilot.units.all(), many=True).data


class PilotListSerializer(serializers.ModelSerializer):
    application = serializers.CharField(source="application.reference", read_only=True)
    organisation = serializers.CharField(source="application.organisation.name", read_only=True)
    challenge = serializers.CharField(source="challenge.reference", read_only=True)
    metrics = serializers.IntegerField(source="n_metrics", read_only=True)
    observations = serializers.IntegerField(source="n_observations", read_only=True)

    class Meta:
        model = Pilot
        fields = [
            "id",
            "application",
            "organisation",
            "challenge",
            "title",
            "design",
            "status",
            "decision",
            "starts_on",
            "ends_on",
            "metrics",
            "observations",
        ]
        read_only_fields = fields


class HypothesisInSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True, help_text="Keep this hypothesis (its id).")
    statement = serializers.CharField(max_length=2000, allow_blank=True)


class MetricInSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False, allow_null=True, help_text="Keep this metric (its id).")
    code = serializers.CharField(max_length=50)
    name = serializers.CharField(max_length=200)
    unit = serializers.CharField(max_length=40, help_text="The unit of measure.")
    kind = serializers.ChoiceField(choices=MetricKind.choices, default=MetricKind.MEAN)
    direction = serializers.ChoiceField(choices=Direction.choices)
    baseline = serializers.DecimalField(max_digits=18, decimal_places=6)
    target = serializers.DecimalField(max_digits=18, decimal_places=6)
    how_measured = serializers.CharField(max_length=2000)
    hypothesis = serializers.IntegerField(
        required=False, allow_null=True, help_text="The number (1, 2…) of the hypothesis it tests."
    )


class PilotWriteSerializer(serializers.Serializer):
    """Create (all required fields) or change (any subset) a pilot. Lists replace the pilot's lists."""

    application = serializers.IntegerField(help_text="The preselected application's id (creation only).")
    title = serializers.CharField(max_length=200)
    objective = TranslatedTextField(max_length=5000)
    design = serializers.ChoiceField(choices=Design.choices)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    baseline_starts_on = serializers.DateField(required=False, allow_null=True)
    sites = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    budget = serializers.DecimalField(max_digits=14, decimal_places=2, required=False, allow_null=True)
    risks = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    consent_ethics = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    participants = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        required=False,
        help_text="Participants per quadruple-helix sector: government, academia, business, civil_society.",
    )
    hypotheses = HypothesisInSerializer(many=True, required=False)
    metrics = MetricInSerializer(many=True, required=False)


class UnitInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=50)
    label = serializers.CharField(max_length=200, required=False, allow_blank=True)
    arm = serializers.ChoiceField(choices=[("", "—"), *Arm.choices], required=False, allow_blank=True)


class UnitsSerializer(serializers.Serializer):
    units = UnitInSerializer(many=True)


class VerificationSerializer(serializers.Serializer):
    ok = serializers.BooleanField(help_text="The stored arms are exactly those the recorded seed gives.")
    seed = serializers.IntegerField(allow_null=True)
    algorithm = serializers.CharField()
    stored_fingerprint = serializers.CharField()
    recomputed_fingerprint = serializers.CharField()
    mismatched_units = serializers.ListField(child=serializers.CharField())


class ObservationSerializer(serializers.ModelSerializer):
    metric = serializers.CharField(source="metric.code", read_only=True)
    unit = serializers.CharField(source="unit.code", read_only=True, allow_null=True, default=None)
    value = serializers.DecimalField(**DECIMAL, read_only=True)
    batch = serializers.IntegerField(source="batch_id", read_only=True, allow_null=True)

    class Meta:
        model = Observation
        fields = [
            "id",
            "metric",
            "unit",
            "group",
            "observed_on",
            "value",
            "note",
            "source",
            "batch",
            "created_at",
        ]
        read_only_fields = fields


class ObservationInSerializer(serializers.Serializer):
    metric = serializers.CharField(max_length=50, help_text="The metric's code.")
    unit = serializers.CharField(
        max_length=50, required=False, allow_blank=True, help_text="The unit's code."
    )
    group = serializers.ChoiceField(
        choices=Group.choices,
        required=False,
        allow_blank=True,
        help_text="before/after, or A/B (may be left out when the unit's arm says it).",
    )
    observed_on = serializers.DateField()
    value = serializers.CharField(
        max_length=40, help_text="A number (a decimal comma is accepted). Rates: 0 or 1."
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class ObservationBulkSerializer(serializers.Serializer):
    observations = ObservationInSerializer(many=True)


class ImportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ObservationImport
        fields = ["id", "file_name", "sha256", "rows", "imported_at"]
        read_only_fields = fields


class ImportUploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="The CSV file (UTF-8; columns metric, unit, period/arm, observed_on, value, note)."
    )


class GroupSummarySerializer(serializers.Serializer):
    group = serializers.CharField()
    n = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True)
    sd = serializers.FloatField(allow_null=True)
    median = serializers.FloatField(allow_null=True)
    minimum = serializers.FloatField(allow_null=True)
    maximum = serializers.FloatField(allow_null=True)


class MetricAnalysisSerializer(serializers.Serializer):
    metric = serializers.CharField()
    name = serializers.CharField()
    unit = serializers.CharField()
    kind = serializers.CharField()
    direction = serializers.CharField()
    baseline = serializers.CharField()
    target = serializers.CharField()
    groups = GroupSummarySerializer(many=True)
    method = serializers.CharField(help_text="welch_t, one_sample_t or two_proportion_z.")
    method_label = serializers.CharField()
    n_a = serializers.IntegerField()
    n_b = serializers.IntegerField()
    estimate_a = serializers.FloatField(allow_null=True)
    estimate_b = serializers.FloatField(allow_null=True)
    difference = serializers.FloatField(allow_null=True, help_text="B - A (after - before).")
    ci_low = serializers.FloatField(allow_null=True)
    ci_high = serializers.FloatField(allow_null=True)
    p_value = serializers.FloatField(allow_null=True)
    statistic = serializers.FloatField(allow_null=True)
    df = serializers.FloatField(allow_null=True)
    confidence = serializers.FloatField()
    conclusive = serializers.BooleanField()
    significant = serializers.BooleanField()
    reason = serializers.CharField(help_text="Why it cannot conclude (a code), or empty.")
    reason_text = serializers.CharField()
    change_vs_baseline = serializers.FloatField(allow_null=True)
    change_vs_baseline_pct = serializers.FloatField(allow_null=True)
    target_met = serializers.BooleanField(allow_null=True)
    summary = serializers.CharField()


class AnalysisSerializer(serializers.Serializer):
    design = serializers.ChoiceField(choices=Design.choices)
    observations = serializers.IntegerField()
    metrics = MetricAnalysisSerializer(many=True)


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Decision.choices)
    rationale = serializers.CharField(max_length=10000)
    lessons = serializers.CharField(max_length=10000, required=False, allow_blank=True)
