"""API representations of the Demo Day. Input shapes are checked here; the rules (who, when, conflicts,
the scale of a score, what may be selected) by ``govlab.demoday.services``, which the API calls.

Times are ISO 8601 instants; one given without an offset is read in the lab's time zone. Times are
returned with the lab's offset."""

from __future__ import annotations

import zoneinfo

from rest_framework import serializers

from govlab.calls.serializers import CallCriterionSerializer, LocalDateTimeField, zoned
from govlab.core.api import TranslatedTextField
from govlab.core.i18n import pick

from .enums import DemoDayStatus, JurorRole

MAX_ID = 2**63 - 1


def _id(**kwargs):
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _zone(obj):
    lab = obj.call.lab if hasattr(obj, "call") else obj.demo_day.call.lab
    return zoneinfo.ZoneInfo(lab.time_zone or "UTC")


class DemoDaySerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    call = _id(source="call_id", help_text="The call's id (on create).")
    title = TranslatedTextField(max_length=200)
    starts_at = LocalDateTimeField()
    ends_at = LocalDateTimeField()
    place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    link = serializers.URLField(required=False, allow_blank=True)
    description = TranslatedTextField(max_length=5000, required=False)
    status = serializers.CharField(
        read_only=True, help_text="planned, scoring_open, scoring_closed or decided."
    )
    scoring_closed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    time_zone = serializers.SerializerMethodField()

    def get_time_zone(self, obj) -> str:
        return obj.call.lab.time_zone or "UTC"

    def to_representation(self, instance):
        data = super().to_representation(instance)
        zone = _zone(instance)
        for key in ("starts_at", "ends_at", "scoring_closed_at"):
            data[key] = zoned(getattr(instance, key), zone)
        return data


class DemoDayStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=[DemoDayStatus.SCORING_OPEN, DemoDayStatus.SCORING_CLOSED])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class DemoDayPitchSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    application = _id(source="application_id")
    reference = serializers.CharField(source="application.reference", read_only=True)
    organisation = serializers.CharField(source="application.organisation.name", read_only=True)
    challenge = serializers.CharField(source="application.challenge.reference", read_only=True)
    order = serializers.IntegerField(min_value=0, max_value=1000, required=False)
    starts_at = LocalDateTimeField(required=False, allow_null=True)
    minutes = serializers.IntegerField(min_value=1, max_value=240, required=False, default=10)
    title = serializers.CharField(max_length=200, required=False, allow_blank=True)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["starts_at"] = zoned(instance.starts_at, _zone(instance))
        return data


class DemoDayCriterionSerializer(CallCriterionSerializer):
    class Meta(CallCriterionSerializer.Meta):
        from .models import DemoDayCriterion

        model = DemoDayCriterion
        fields = ["id", "name", "description", "weight", "scale", "position"]
        read_only_fields = ["id", "position"]


class DemoDayCriteriaSerializer(serializers.Serializer):
    criteria = DemoDayCriterionSerializer(many=True)


class DemoDayJurorSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    user = _id(source="user_id")
    name = serializers.SerializerMethodField()
    role = serializers.ChoiceField(choices=JurorRole.choices, default=JurorRole.MEMBER)
    removed_at = serializers.DateTimeField(read_only=True, allow_null=True)

    def get_name(self, obj) -> str:
        return getattr(obj.user, "full_name", "") or obj.user.email


class DemoDayDeclarationSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    juror = serializers.IntegerField(source="member_id", read_only=True)
    application = _id(source="application_id")
    has_conflict = serializers.BooleanField()
    reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    declared_at = serializers.DateTimeField(read_only=True)


class DemoDayScoreInputSerializer(serializers.Serializer):
    application = _id(source="application_id")
    scores = serializers.DictField(
        child=serializers.IntegerField(allow_null=True),
        help_text="{criterion id: level, or null to clear it}",
    )
    comments = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=2000), required=False
    )


class DemoDayScoreSerializer(serializers.Serializer):
    juror = serializers.IntegerField(source="member_id")
    application = serializers.IntegerField(source="application_id")
    criterion = serializers.IntegerField(source="criterion_id")
    score = serializers.IntegerField()
    comment = serializers.CharField()
    updated_at = serializers.DateTimeField()


class DemoDayRankingRowSerializer(serializers.Serializer):
    application = serializers.IntegerField(source="application_id")
    reference = serializers.CharField()
    challenge = serializers.IntegerField(source="challenge_id")
    organisation = serializers.CharField()
    solution = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    jurors = serializers.IntegerField(source="n_jurors")
    mean = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    stdev = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    spread = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    criterion_means = serializers.DictField(
        child=serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    )


class DemoDaySelectionInputSerializer(serializers.Serializer):
    challenge = serializers.CharField(max_length=40, help_text="The challenge's reference.")
    application = _id(help_text="The selected application's id.")
    also = serializers.ListField(
        child=_id(), required=False, help_text="More selected applications, if several."
    )
    reasons = serializers.CharField(max_length=5000)
    feedback = serializers.DictField(
        child=serializers.CharField(allow_blank=True, max_length=5000),
        required=False,
        help_text="{application id: feedback} for every other preselected application of the challenge.",
    )


class DemoDaySelectionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    challenge = serializers.CharField(source="challenge.reference")
    challenge_title = serializers.SerializerMethodField()
    application = serializers.IntegerField(source="application_id")
    reference = serializers.CharField(source="application.reference")
    organisation = serializers.CharField(source="application.organisation.name")
    reasons = serializers.CharField()
    final_score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    decided_at = serializers.DateTimeField()

    def get_challenge_title(self, obj) -> str:
        return pick(obj.challenge.title).text
