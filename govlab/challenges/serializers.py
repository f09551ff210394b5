"""API representations of campaigns and challenges. Input is validated here, rules are checked by services."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from govlab.core.api import TranslatedTextField as TranslatedField
from govlab.labs.models import CURRENCY_CHOICES, Lab
from govlab.organisations.models import Organisation
from govlab.taxonomy.models import Term

from .enums import (
    ChallengeStatus,
    CriterionAnswer,
    DeclineReason,
    PublicSection,
    TeamRole,
    WorksheetKind,
)
from .models import (
    Challenge,
    ChallengeAttachment,
    ChallengeTeamMember,
    ChallengeTransition,
    CriterionAssessment,
    IntakeCampaign,
    LegalRegime,
    ViabilityCriterion,
    Worksheet,
    WorksheetVersion,
)
from .worksheets import WORKSHEET_FIELDS

TRANSLATED_SCHEMA = {
    "type": "object",
    "additionalProperties": {"type": "string"},
    "description": "One text per language code.",
}


def _terms(vocabulary: str, *, required: bool = False):
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=Term.objects.filter(vocabulary=vocabulary, is_active=True),
        many=True,
        required=required,
    )


# --- Campaigns and legal regimes -------------------------------------------------------------


class CriterionSerializer(serializers.ModelSerializer):
    name = TranslatedField(max_length=200)
    description = TranslatedField(max_length=2000, required=False)

    class Meta:
        model = ViabilityCriterion
        fields = ["id", "name", "description", "position"]
        read_only_fields = ["id"]
        extra_kwargs = {"position": {"required": False}}


class CampaignSerializer(serializers.ModelSerializer):
    lab = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    title = TranslatedField(read_only=True)
    description = TranslatedField(read_only=True)
    criteria = CriterionSerializer(many=True, read_only=True)
    open_to = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    is_open = serializers.SerializerMethodField()
    challenge_count = serializers.SerializerMethodField()

    class Meta:
        model = IntakeCampaign
        fields = [
            "id",
            "lab",
            "slug",
            "title",
            "description",
            "opens_at",
            "closes_at",
            "is_published",
            "is_open",
            "open_to",
            "criteria",
            "challenge_count",
        ]
        read_only_fields = fields

    def get_is_open(self, campaign) -> bool:
        return campaign.is_open()

    def get_challenge_count(self, campaign) -> int | None:
        return getattr(campaign, "challenge_count", None)


class CampaignWriteSerializer(serializers.Serializer):
    lab = serializers.SlugRelatedField(slug_field="slug", queryset=Lab.objects.all())
    slug = serializers.SlugField(max_length=80)
    title = TranslatedField(max_length=200)
    description = TranslatedField(max_length=20000, required=False)
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    is_published = serializers.BooleanField(required=False)
    open_to = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.filter(kind="public_entity"),
        many=True,
        required=False,
    )
    criteria = CriterionSerializer(many=True, required=False)


class CampaignUpdateSerializer(CampaignWriteSerializer):
    """The same fields, all optional; the lab and the criteria are not changed here."""

    lab = None
    criteria = None

    def __init__(self, *args, **kwargs):
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class LegalRegimeSerializer(serializers.ModelSerializer):
    lab = serializers.SlugRelatedField(slug_field="slug", queryset=Lab.objects.all())
    name = TranslatedField(max_length=200)
    description = TranslatedField(max_length=5000, required=False)

    class Meta:
        model = LegalRegime
        fields = ["id", "lab", "name", "description", "source_url", "is_active"]
        read_only_fields = ["id"]


# --- Challenges --------------------------------------------------------------------------------


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["slug", "name"]
        read_only_fields = fields


class CampaignRefSerializer(serializers.ModelSerializer):
    title = TranslatedField(read_only=True)

    class Meta:
        model = IntakeCampaign
        fields = ["id", "slug", "title"]
        read_only_fields = fields


def _codes(items) -> list[str]:
    return [term.code for term in items]


class ChallengeListSerializer(serializers.ModelSerializer):
    lab = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    owner = OrganisationRefSerializer(read_only=True)
    campaign = CampaignRefSerializer(read_only=True)
    title = TranslatedField(read_only=True)
    problem_statement = TranslatedField(read_only=True)
    country = serializers.CharField(source="country.code", read_only=True)
    sdgs = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    sectors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    technologies = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Challenge
        fields = [
            "reference",
            "title",
            "problem_statement",
            "status",
            "lab",
            "owner",
            "campaign",
            "country",
            "sdgs",
            "sectors",
            "technologies",
            "priority_rank",
            "is_public",
            "submitted_at",
            "status_changed_at",
            "updated_at",
        ]
        read_only_fields = fields


class TeamMemberSerializer(serializers.ModelSerializer):
    user = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.filter(is_active=True), required=False, allow_null=True
    )
    user_name = serializers.SerializerMethodField()

    class Meta:
        model = ChallengeTeamMember
        fields = ["id", "role", "user", "user_name", "name", "email", "job_title"]
        read_only_fields = ["id", "user_name"]
        extra_kwargs = {
            "role": {"choices": TeamRole.choices},
            "name": {"required": False},
            "email": {"required": False},
            "job_title": {"required": False},
        }

    def get_user_name(self, member) -> str:
        return str(member.user) if member.user_id else member.name


class AttachmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChallengeAttachment
        fields = ["id", "original_name", "size", "description", "created_at"]
        read_only_fields = fields


class AttachmentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False, use_url=False)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class AssessmentSerializer(serializers.ModelSerializer):
    criterion_name = serializers.SerializerMethodField()

    class Meta:
        model = CriterionAssessment
        fields = ["criterion", "criterion_name", "answer", "note", "updated_at"]
        read_only_fields = ["criterion_name", "updated_at"]

    @extend_schema_field(TRANSLATED_SCHEMA)
    def get_criterion_name(self, assessment) -> dict:
        return assessment.criterion.name


class AssessmentWriteSerializer(serializers.Serializer):
    criterion = serializers.IntegerField(min_value=1)
    answer = serializers.ChoiceField(choices=CriterionAnswer.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)


class TransitionStepSerializer(serializers.ModelSerializer):
    class Meta:
        model = ChallengeTransition
        fields = ["from_status", "to_status", "created_at"]
        read_only_fields = fields


class PrivateTransitionStepSerializer(serializers.ModelSerializer):
    actor = serializers.SerializerMethodField()

    class Meta:
        model = ChallengeTransition
        fields = ["from_status", "to_status", "created_at", "actor", "reason"]
        read_only_fields = fields

    def get_actor(self, step) -> str | None:
        return str(step.actor) if step.actor_id else None


class WorksheetSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = Worksheet
        fields = ["kind", "is_complete", "current_version"]
        read_only_fields = fields


class WorksheetVersionSerializer(serializers.ModelSerializer):
    created_by = serializers.SerializerMethodField()

    class Meta:
        model = WorksheetVersion
        fields = ["number", "data", "created_by", "created_at"]
        read_only_fields = fields

    def get_created_by(self, version) -> str:
        return str(version.created_by)


class WorksheetFieldSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()
    type = serializers.ChoiceField(choices=["text", "long", "list", "rows"])
    columns = serializers.ListField(child=serializers.CharField())
    required = serializers.BooleanField()


class WorksheetSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=WorksheetKind.choices)
    is_complete = serializers.BooleanField()
    current_version = serializers.IntegerField()
    fields = WorksheetFieldSerializer(many=True)
    versions = WorksheetVersionSerializer(many=True)


def worksheet_fields(kind: str) -> list[dict]:
    return [
        {
            "name": field.name,
            "label": str(field.label),
            "type": field.type,
            "columns": [name for name, _label in field.columns],
            "required": field.required,
        }
        for field in WORKSHEET_FIELDS[kind]
    ]


class WorksheetSaveSerializer(serializers.Serializer):
    data = serializers.JSONField()
    complete = serializers.BooleanField(required=False, default=False)


# Which fields each public section opens to the public.
SECTION_FIELDS = {
    PublicSection.BACKGROUND: ("background",),
    PublicSection.AFFECTED: ("affected", "affected_count"),
    PublicSection.EVIDENCE: ("evidence_quantitative", "evidence_qualitative", "evidence_links"),
    PublicSection.OUTCOMES: ("desired_outcomes",),
    PublicSection.CONSTRAINTS: ("constraints",),
    PublicSection.LOCATION: ("region", "latitude", "longitude"),
}
PRIVATE_FIELDS = (
    "version",
    "public_sections",
    "decline_reason",
    "decision_message",
    "technical_characteristics",
    "required_functionalities",
    "expected_duration_months",
    "estimated_cost",
    "estimated_cost_currency",
    "budget_amount",
    "budget_currency",
    "budget_source",
    "budget_confirmed_by",
    "budget_confirmed_at",
    "legal_regime",
    "pilot_infrastructure",
    "pilot_infrastructure_available",
    "readiness_override",
    "team",
    "worksheets",
    "attachments",
    "assessments",
    "created_at",
)


class ChallengeDetailSerializer(ChallengeListSerializer):
    """A challenge as its reader may see it: the public sees only what the entity chose to publish.

    Fields the reader may not see are left out of the answer (not sent empty).
    """

    background = TranslatedField(read_only=True)
    affected = TranslatedField(read_only=True)
    evidence_quantitative = TranslatedField(read_only=True)
    evidence_qualitative = TranslatedField(read_only=True)
    desired_outcomes = TranslatedField(read_only=True)
    constraints = TranslatedField(read_only=True)
    thematic_areas = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    co_owners = OrganisationRefSerializer(many=True, read_only=True)
    technical_characteristics = TranslatedField(read_only=True)
    required_functionalities = TranslatedField(read_only=True)
    pilot_infrastructure = TranslatedField(read_only=True)
    legal_regime = serializers.PrimaryKeyRelatedField(read_only=True)
    budget_confirmed_by = serializers.SerializerMethodField()
    team = TeamMemberSerializer(many=True, read_only=True)
    worksheets = WorksheetSummarySerializer(many=True, read_only=True)
    attachments = AttachmentSerializer(many=True, read_only=True)
    assessments = AssessmentSerializer(many=True, read_only=True)
    timeline = serializers.SerializerMethodField()

    class Meta(ChallengeListSerializer.Meta):
        fields = [
            *ChallengeListSerializer.Meta.fields,
            "thematic_areas",
            "co_owners",
            *(name for names in SECTION_FIELDS.values() for name in names),
            *PRIVATE_FIELDS,
            "timeline",
        ]
        read_only_fields = fields

    def get_budget_confirmed_by(self, challenge) -> str | None:
        return str(challenge.budget_confirmed_by) if challenge.budget_confirmed_by_id else None

    @extend_schema_field(PrivateTransitionStepSerializer(many=True))
    def get_timeline(self, challenge):
        steps = challenge.transitions.all()
        if self.context.get("private"):
            return PrivateTransitionStepSerializer(steps, many=True).data
        return TransitionStepSerializer(steps, many=True).data

    def to_representation(self, challenge):
        data = super().to_representation(challenge)
        if self.context.get("private"):
            return data
        for name in PRIVATE_FIELDS:
            data.pop(name, None)
        for section, names in SECTION_FIELDS.items():
            if not challenge.section_is_public(section):
                for name in names:
                    data.pop(name, None)
        return data


class ChallengeWriteSerializer(serializers.Serializer):
    """What the entity says about its challenge (create and update)."""

    title = TranslatedField(max_length=200, required=False)
    problem_statement = TranslatedField(max_length=5000, required=False)
    background = TranslatedField(max_length=20000, required=False)
    affected = TranslatedField(max_length=10000, required=False)
    affected_count = serializers.IntegerField(min_value=0, required=False, allow_null=True)
    evidence_quantitative = TranslatedField(max_length=20000, required=False)
    evidence_qualitative = TranslatedField(max_length=20000, required=False)
    evidence_links = serializers.ListField(child=serializers.CharField(max_length=2000), required=False)
    desired_outcomes = TranslatedField(max_length=10000, required=False)
    constraints = TranslatedField(max_length=10000, required=False)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)
    region = serializers.CharField(max_length=120, required=False, allow_blank=True)
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    is_public = serializers.BooleanField(required=False)
    public_sections = serializers.ListField(
        child=serializers.ChoiceField(choices=PublicSection.choices), required=False
    )
    campaign = serializers.PrimaryKeyRelatedField(
        queryset=IntakeCampaign.objects.all(), required=False, allow_null=True
    )
    sdgs = _terms("sdg")
    thematic_areas = _terms("thematic_area")
    sectors = _terms("sector")
    technologies = _terms("technology")
    co_owners = serializers.SlugRelatedField(
        slug_field="slug",
        queryset=Organisation.objects.filter(kind="public_entity", is_active=True),
        many=True,
        required=False,
    )


class ChallengeCreateSerializer(ChallengeWriteSerializer):
    lab = serializers.SlugRelatedField(slug_field="slug", queryset=Lab.objects.filter(is_active=True))
    owner = serializers.SlugRelatedField(
        slug_field="slug", queryset=Organisation.objects.filter(is_active=True)
    )


class ChallengeUpdateSerializer(ChallengeWriteSerializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The version you loaded; a newer one on the server answers 409."
    )


class CharacterisationSerializer(serializers.Serializer):
    version = serializers.IntegerField(
        min_value=1, help_text="The version you loaded; a newer one on the server answers 409."
    )
    technical_characteristics = TranslatedField(max_length=20000, required=False)
    required_functionalities = TranslatedField(max_length=20000, required=False)
    expected_duration_months = serializers.IntegerField(
        min_value=1, max_value=120, required=False, allow_null=True
    )
    estimated_cost = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    estimated_cost_currency = serializers.ChoiceField(
        choices=CURRENCY_CHOICES, required=False, allow_blank=True
    )
    legal_regime = serializers.PrimaryKeyRelatedField(
        queryset=LegalRegime.objects.filter(is_active=True), required=False, allow_null=True
    )
    pilot_infrastructure = TranslatedField(max_length=5000, required=False)
    pilot_infrastructure_available = serializers.BooleanField(required=False)


class BudgetSerializer(serializers.Serializer):
    amount = serializers.DecimalField(max_digits=16, decimal_places=2)
    currency = serializers.CharField(max_length=10, help_text="Three-letter ISO 4217 code, e.g. COP or EUR.")
    source = serializers.CharField(max_length=300, allow_blank=True)


class PrioritySerializer(serializers.Serializer):
    rank = serializers.IntegerField(min_value=1, allow_null=True)


class TransitionRequestSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=ChallengeStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    message = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=5000,
        help_text="A message to the entity; used as the reason when no reason is given.",
    )
    reason_category = serializers.ChoiceField(
        choices=DeclineReason.choices, required=False, allow_blank=True, default=""
    )
    override_justification = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=5000
    )


class BatchTransitionRequestSerializer(serializers.Serializer):
    references = serializers.ListField(
        child=serializers.CharField(max_length=30), min_length=1, max_length=200
    )
    to = serializers.ChoiceField(choices=ChallengeStatus.choices)
    reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=5000)
    reason_category = serializers.ChoiceField(
        choices=DeclineReason.choices, required=False, allow_blank=True, default=""
    )


class BatchResultSerializer(serializers.Serializer):
    reference = serializers.CharField()
    ok = serializers.BooleanField()
    status = serializers.ChoiceField(choices=ChallengeStatus.choices, allow_null=True)
    errors = serializers.ListField(child=serializers.CharField())


class GapSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class AvailableTransitionSerializer(serializers.Serializer):
    name = serializers.CharField()
    to = serializers.ChoiceField(choices=ChallengeStatus.choices)
    label = serializers.CharField()
    needs_reason = serializers.BooleanField()
    gaps = GapSerializer(many=True, help_text="What is still missing before this transition is allowed.")
    can_override = serializers.BooleanField(
        help_text="Whether the caller may override the readiness checklist with a justification."
    )


def worksheet_payload(worksheet: Worksheet | None, kind: str) -> dict:
    versions = list(worksheet.versions.all()) if worksheet else []
    return {
        "kind": kind,
        "is_complete": bool(worksheet and worksheet.is_complete),
        "current_version": worksheet.current_version if worksheet else 0,
        "fields": worksheet_fields(kind),
        "versions": WorksheetVersionSerializer(versions, many=True).data,
    }
