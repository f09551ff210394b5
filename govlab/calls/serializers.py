"""API representations of calls, their forms and Q&A, applications, receipts and follows.

Input is validated here (shapes, lengths, types); the rules (who, when, eligibility, deadlines) are
checked by govlab.calls.services, which the views call. Instants are shown in the call's time zone
(ISO 8601 with its offset), beside the zone's name.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from govlab.core.api import LocalisedTextField
from govlab.core.api import TranslatedTextField as TranslatedField
from govlab.core.timezones import local_to_utc
from govlab.labs.models import CURRENCY_CHOICES, Lab
from govlab.organisations.enums import TRL_LEVELS, OrganisationKind

from . import forms_engine
from .enums import ApplicationStatus, CallStatus, FollowKind, QuestionKind, Stage
from .models import (
    Application,
    ApplicationFile,
    ApplicationRevision,
    Call,
    CallCriterion,
    CallDocument,
    DeadlineExtension,
    Enquiry,
    FormQuestion,
)

TRANSLATED_SCHEMA = {
    "type": "object",
    "additionalProperties": {"type": "string"},
    "description": "One text per language code.",
}
TRL_VALUES = [value for value, _label in TRL_LEVELS]
MAX_ID = 2**63 - 1  # ids and versions: a larger number would not fit the database's integer


def _id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _choice_field(choices, *, listed: bool = True, **kwargs) -> serializers.ChoiceField:
    """A choice field whose values the schema lists inline. ``listed=False`` names them in the
    description instead: a "status" shown by several components with different choice sets (calls,
    applications, challenges) would otherwise make drf-spectacular's enum names collide."""
    values = [value for value, _label in choices]
    schema = {"type": "string", "enum": values}
    if not listed:
        schema = {"type": "string", "description": "One of: " + ", ".join(values) + "."}

    @extend_schema_field(schema)
    class InlineChoiceField(serializers.ChoiceField):
        pass

    return InlineChoiceField(choices=choices, **kwargs)


def zoned(value, zone: ZoneInfo) -> str | None:
    """An instant as ISO 8601 in the given zone, with its offset (None stays None)."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.astimezone(zone).isoformat()
    return value.isoformat()


@extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
class CallTimeField(serializers.Field):
    """Read-only: an instant of a call (or of an application's call) in the call's time zone."""

    def __init__(self, *, call_attr: str | None = None, **kwargs):
        self.call_attr = call_attr
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        call = instance
        for name in (self.call_attr or "").split(".") if self.call_attr else ():
            call = getattr(call, name)
        return super().get_attribute(instance), call.zone

    def to_representation(self, value):
        instant, zone = value
        return zoned(instant, zone)


class LocalDateTimeField(serializers.DateTimeField):
    """An instant given with an offset, or without one: then it is read in the call's time zone.

    Naive values stay naive here; the serializer's ``validate`` places them in the call's zone.
    """

    def enforce_timezone(self, value):
        if timezone.is_naive(value):
            return value
        return super().enforce_timezone(value)


# --- Calls: parts --------------------------------------------------------------------------------


class ScaleLevelSerializer(serializers.Serializer):
    value = serializers.IntegerField(min_value=0, max_value=1000)
    label = TranslatedField(max_length=200)


class CallCriterionSerializer(serializers.ModelSerializer):
    name = TranslatedField(max_length=200)
    description = TranslatedField(max_length=2000, required=False)
    weight = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0)
    scale = ScaleLevelSerializer(many=True, min_length=2, max_length=20)

    class Meta:
        model = CallCriterion
        fields = ["id", "name", "description", "weight", "scale", "position"]
        read_only_fields = ["id", "position"]


class CriteriaSetSerializer(serializers.Serializer):
    criteria = CallCriterionSerializer(many=True, max_length=50)


class EligibilitySerializer(serializers.Serializer):
    kinds = serializers.ListField(
        child=_choice_field(OrganisationKind.choices),
        source="eligible_kinds",
        required=False,
        max_length=len(OrganisationKind.values),
        help_text="Organisation kinds that may apply; empty means any.",
    )
    countries = serializers.ListField(
        child=serializers.CharField(min_length=2, max_length=2),
        source="eligible_countries",
        required=False,
        max_length=300,
        help_text="ISO 3166-1 alpha-2 codes of the countries that may apply; empty means any.",
    )
    min_trl = serializers.ChoiceField(
        choices=TRL_VALUES, allow_null=True, required=False, help_text="Minimum TRL of the solution (1–9)."
    )
    consortium_allowed = serializers.BooleanField(required=False)

    def validate_countries(self, value):
        return sorted({code.upper() for code in value})


TIMELINE_INSTANTS = (
    "publishes_at",
    "enquiries_close_at",
    "deadline",
    "proposal_deadline",
    "evaluation_ends_at",
)
TIMELINE_DATES = ("preselection_on", "strengthening_starts_on", "strengthening_ends_on", "demo_day_on")


class TimelineSerializer(serializers.Serializer):
    """The call's timeline. Read: instants in the call's time zone with their offset."""

    time_zone = serializers.CharField(
        max_length=64, required=False, help_text="IANA name, e.g. Europe/Luxembourg."
    )
    publishes_at = LocalDateTimeField(required=False, allow_null=True)
    enquiries_close_at = LocalDateTimeField(required=False, allow_null=True)
    deadline = LocalDateTimeField(
        required=False, help_text="Submissions arriving at or after this instant are refused."
    )
    proposal_deadline = LocalDateTimeField(
        required=False, allow_null=True, help_text="Two-stage calls: when full proposals are due."
    )
    evaluation_ends_at = LocalDateTimeField(required=False, allow_null=True)
    preselection_on = serializers.DateField(required=False, allow_null=True)
    strengthening_starts_on = serializers.DateField(required=False, allow_null=True)
    strengthening_ends_on = serializers.DateField(required=False, allow_null=True)
    demo_day_on = serializers.DateField(required=False, allow_null=True)

    def to_representation(self, call):
        zone = call.zone
        data = {"time_zone": call.time_zone}
        for name in (*TIMELINE_INSTANTS, *TIMELINE_DATES):
            data[name] = zoned(getattr(call, name), zone)
        return data

    def validate_time_zone(self, value):
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise serializers.ValidationError(
                "Give a time zone by its IANA name, e.g. Europe/Luxembourg."
            ) from None
        return value


class SupportSerializer(serializers.Serializer):
    currency = serializers.ChoiceField(choices=CURRENCY_CHOICES, required=False)
    strengthening_budget = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    pilot_budget = serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=0, required=False, allow_null=True
    )
    text = TranslatedField(max_length=5000, required=False, source="support")


class ChallengeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    title = TranslatedField(read_only=True)
    status = serializers.CharField(read_only=True)


class QuestionSerializer(serializers.ModelSerializer):
    stage = _choice_field(Stage.choices, required=False)
    kind = _choice_field(QuestionKind.choices)
    label = TranslatedField(max_length=500)
    help_text = TranslatedField(max_length=2000, required=False)
    config = serializers.JSONField(
        required=False, help_text="What the kind needs: max_length, choices, extensions and max_mb, fields…"
    )
    key = serializers.CharField(
        max_length=60,
        required=False,
        help_text="Stable key of the answers; made from the label if not given.",
    )
    position = serializers.IntegerField(min_value=0, max_value=1000, required=False, allow_null=True)

    class Meta:
        model = FormQuestion
        fields = [
            "id",
            "stage",
            "key",
            "kind",
            "label",
            "help_text",
            "required",
            "identifying",
            "config",
            "position",
        ]
        read_only_fields = ["id"]
        extra_kwargs = {"required": {"required": False}, "identifying": {"required": False}}


class QuestionsByStageSerializer(serializers.Serializer):
    """The form's questions by stage: ``eoi`` only in two-stage calls."""

    eoi = QuestionSerializer(many=True, required=False)
    proposal = QuestionSerializer(many=True)


class DocumentSerializer(serializers.ModelSerializer):
    title = TranslatedField(read_only=True)
    url = serializers.SerializerMethodField()

    class Meta:
        model = CallDocument
        fields = ["id", "title", "original_name", "size", "is_template", "url", "created_at"]
        read_only_fields = fields

    def get_url(self, document) -> str:
        """Where the document is downloaded (the call's page serves it to whoever may see the call)."""
        call = document.call
        return reverse(
            "calls:document", kwargs={"lab_slug": call.lab.slug, "slug": call.slug, "pk": document.pk}
        )


class DocumentUploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=False, use_url=False)
    title = serializers.JSONField(help_text='One text per language code, e.g. {"en": "Terms of reference"}.')
    is_template = serializers.BooleanField(required=False, default=False)

    def validate_title(self, value):
        return TranslatedField(max_length=200).to_internal_value(value)


class PublicEnquirySerializer(serializers.ModelSerializer):
    """A published question and its answer, without the asker."""

    question = serializers.SerializerMethodField()
    answer = TranslatedField(read_only=True)

    class Meta:
        model = Enquiry
        fields = ["id", "question", "answer", "published_at"]
        read_only_fields = fields

    @extend_schema_field(TRANSLATED_SCHEMA)
    def get_question(self, enquiry) -> dict:
        if enquiry.public_question:
            return dict(enquiry.public_question)
        return {enquiry.language or "en": enquiry.question}


class EnquirySerializer(PublicEnquirySerializer):
    """An enquiry as lab staff see it (or its asker): what was asked, by which organisation."""

    asked_question = serializers.CharField(source="question", read_only=True)
    organisation = serializers.SerializerMethodField()

    class Meta(PublicEnquirySerializer.Meta):
        fields = [
            "id",
            "question",
            "asked_question",
            "language",
            "organisation",
            "answer",
            "answered_at",
            "is_published",
            "published_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_organisation(self, enquiry) -> str | None:
        return enquiry.organisation.name if enquiry.organisation_id else None


class EnquiryAskSerializer(serializers.Serializer):
    question = serializers.CharField(max_length=4000)
    organisation = _id_field(
        required=False, allow_null=True, help_text="The id of your organisation asking (optional)."
    )


class EnquiryAnswerSerializer(serializers.Serializer):
    answer = TranslatedField(max_length=10000)
    public_question = TranslatedField(
        max_length=4000,
        required=False,
        help_text="The question as published (rephrased to keep the asker anonymous).",
    )
    publish = serializers.BooleanField(required=False, default=True)


class ExtensionSerializer(serializers.ModelSerializer):
    organisation = serializers.IntegerField(source="organisation_id")
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    until = CallTimeField(call_attr="call")
    stage = serializers.CharField(read_only=True)

    class Meta:
        model = DeadlineExtension
        fields = ["id", "organisation", "organisation_name", "stage", "until", "reason", "created_at"]
        read_only_fields = fields


class ExtensionGrantSerializer(serializers.Serializer):
    organisation = _id_field(help_text="The applicant organisation's id.")
    until = serializers.DateTimeField(help_text="ISO 8601 with offset.")
    reason = serializers.CharField(max_length=2000)
    stage = _choice_field(Stage.choices, required=False, allow_null=True)


# --- Calls -----------------------------------------------------------------------------------------


class CallListSerializer(serializers.ModelSerializer):
    lab = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    title = TranslatedField(read_only=True)
    display_title = LocalisedTextField(source="title")
    summary = TranslatedField(read_only=True)
    status = _choice_field(CallStatus.choices, listed=False, read_only=True)
    challenges = ChallengeRefSerializer(many=True, read_only=True)
    deadline = CallTimeField()
    publishes_at = CallTimeField()
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = Call
        fields = [
            "id",
            "lab",
            "slug",
            "title",
            "display_title",
            "summary",
            "status",
            "challenges",
            "publishes_at",
            "deadline",
            "time_zone",
            "two_stage",
            "is_open",
            "updated_at",
        ]
        read_only_fields = fields

    def get_is_open(self, call) -> bool:
        now = self.context.get("now") or timezone.now()
        return call.is_visible(now) and call.deadline > now


class CallDetailSerializer(CallListSerializer):
    description = TranslatedField(read_only=True)
    eligibility = EligibilitySerializer(source="*", read_only=True)
    timeline = TimelineSerializer(source="*", read_only=True)
    support = SupportSerializer(source="*", read_only=True)
    criteria = CallCriterionSerializer(many=True, read_only=True)
    questions = serializers.SerializerMethodField()
    documents = DocumentSerializer(many=True, read_only=True)
    enquiries = serializers.SerializerMethodField()
    enquiries_open = serializers.SerializerMethodField()

    class Meta(CallListSerializer.Meta):
        fields = [
            *CallListSerializer.Meta.fields,
            "description",
            "eligibility",
            "timeline",
            "max_preselected",
            "support",
            "criteria",
            "questions",
            "documents",
            "enquiries",
            "enquiries_open",
            "form_version",
            "published_at",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(QuestionsByStageSerializer)
    def get_questions(self, call) -> dict:
        stages: dict[str, list] = {}
        stage_values = [Stage.EXPRESSION_OF_INTEREST, Stage.PROPOSAL] if call.two_stage else [Stage.PROPOSAL]
        for stage in stage_values:
            stages[stage] = []
        for question in call.questions.all():
            stages.setdefault(question.stage, []).append(QuestionSerializer(question).data)
        return stages

    @extend_schema_field(PublicEnquirySerializer(many=True))
    def get_enquiries(self, call):
        published = [enquiry for enquiry in call.enquiries.all() if enquiry.is_published]
        return PublicEnquirySerializer(published, many=True).data

    def get_enquiries_open(self, call) -> bool:
        return call.enquiries_open(self.context.get("now"))


class CallWriteSerializer(serializers.Serializer):
    """What lab staff say about a call (create; PATCH with any subset)."""

    lab = serializers.SlugRelatedField(slug_field="slug", queryset=Lab.objects.all())
    slug = serializers.SlugField(max_length=80)
    title = TranslatedField(max_length=200)
    summary = TranslatedField(max_length=1000)
    description = TranslatedField(max_length=20000, required=False)
    challenges = serializers.ListField(
        child=serializers.CharField(max_length=40),
        required=False,
        max_length=50,
        help_text="References of the lab's challenges that are ready for a call.",
    )
    eligibility = EligibilitySerializer(required=False)
    timeline = TimelineSerializer(required=False)
    support = SupportSerializer(required=False)
    max_preselected = serializers.IntegerField(min_value=1, max_value=20, required=False)
    two_stage = serializers.BooleanField(required=False)
    criteria = CallCriterionSerializer(many=True, required=False, max_length=50)

    def __init__(self, *args, call: Call | None = None, **kwargs):
        self.call = call
        super().__init__(*args, **kwargs)

    def validate(self, data):
        timeline = data.get("timeline")
        if timeline is not None:
            zone_name = timeline.get("time_zone") or (self.call.time_zone if self.call else None)
            if zone_name is None:
                lab = data.get("lab")
                zone_name = getattr(lab, "time_zone", None) or "UTC"
            refused = {}
            for name in TIMELINE_INSTANTS:
                value = timeline.get(name)
                if value is not None and timezone.is_naive(value):
                    # A local time the clocks skip or repeat at a daylight-saving change is refused.
                    try:
                        timeline[name] = local_to_utc(value, zone_name)
                    except DjangoValidationError as error:
                        refused[name] = error.messages
            if refused:
                raise serializers.ValidationError({"timeline": refused})
            if self.call is None and "deadline" not in timeline:
                raise serializers.ValidationError(
                    {"timeline": {"deadline": [_("Give the submission deadline.")]}}
                )
        elif self.call is None:
            raise serializers.ValidationError(
                {"timeline": {"deadline": [_("Give the submission deadline.")]}}
            )
        return data

    def model_fields(self) -> dict:
        """The validated data as the model fields the services take (challenges and criteria apart)."""
        data = dict(self.validated_data)
        fields = {}
        for name in ("slug", "title", "summary", "description", "max_preselected", "two_stage"):
            if name in data:
                fields[name] = data[name]
        for group in ("eligibility", "timeline", "support"):
            fields.update(data.get(group) or {})
        return fields


class CallUpdateSerializer(CallWriteSerializer):
    lab = None
    criteria = None

    def __init__(self, *args, **kwargs):
        kwargs["partial"] = True
        super().__init__(*args, **kwargs)


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


# --- Applications ----------------------------------------------------------------------------------


class ApplicantSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.CharField(read_only=True)
    name = serializers.CharField(read_only=True)


class CallRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    slug = serializers.CharField(read_only=True)
    title = TranslatedField(read_only=True)
    lab = serializers.CharField(source="lab.slug", read_only=True)


class ApplicationFileSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicationFile
        fields = ["id", "question_key", "original_name", "content_type", "size", "sha256", "created_at"]
        read_only_fields = fields


class ApplicationListSerializer(serializers.ModelSerializer):
    call = CallRefSerializer(read_only=True)
    challenge = ChallengeRefSerializer(read_only=True)
    organisation = ApplicantSerializer(read_only=True)
    stage = _choice_field(Stage.choices, read_only=True)
    status = _choice_field(ApplicationStatus.choices, listed=False, read_only=True)
    deadline = serializers.SerializerMethodField()
    submitted_at = CallTimeField(call_attr="call")

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "call",
            "challenge",
            "organisation",
            "stage",
            "status",
            "version",
            "has_unsubmitted_changes",
            "deadline",
            "created_at",
            "updated_at",
            "submitted_at",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
    def get_deadline(self, application) -> str | None:
        """The deadline that holds for this organisation (an extension counts), in the call's zone."""
        deadlines = self.context.get("deadlines") or {}
        value = deadlines.get(application.pk, application.deadline)
        return zoned(value, application.call.zone)


class ApplicationDetailSerializer(ApplicationListSerializer):
    answers = serializers.JSONField(read_only=True)
    partners = serializers.JSONField(read_only=True)
    declarations = serializers.JSONField(read_only=True)
    files = ApplicationFileSerializer(many=True, read_only=True)
    withdrawn_at = CallTimeField(call_attr="call")

    class Meta(ApplicationListSerializer.Meta):
        fields = [
            *ApplicationListSerializer.Meta.fields,
            "form_version",
            "answers",
            "partners",
            "declarations",
            "files",
            "invited_at",
            "withdrawn_at",
            "withdrawal_reason",
        ]
        read_only_fields = fields


class ApplicationSavedSerializer(ApplicationDetailSerializer):
    """The draft after a save, with what could not be validated (kept as typed, listed by key)."""

    answer_errors = serializers.SerializerMethodField()

    class Meta(ApplicationDetailSerializer.Meta):
        fields = [*ApplicationDetailSerializer.Meta.fields, "answer_errors"]
        read_only_fields = fields

    @extend_schema_field(
        {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}
    )
    def get_answer_errors(self, application) -> dict:
        return self.context.get("answer_errors") or {}


class ApplicationStartSerializer(serializers.Serializer):
    call = _id_field(help_text="The call's id.")
    challenge = serializers.CharField(max_length=40, help_text="The challenge's reference.")
    organisation = _id_field(
        help_text="The id of the solver organisation you apply for (you must be a member)."
    )


class PartnerSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")
    role = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    organisation = _id_field(required=False, allow_null=True, default=None)


class ApplicationSaveSerializer(serializers.Serializer):
    version = _id_field(help_text="The version you loaded; a newer one on the server answers 409.")
    answers = serializers.DictField(
        child=serializers.JSONField(allow_null=True),
        required=False,
        help_text="Answers by question key, merged into the draft (a key sent as null clears it).",
    )
    partners = PartnerSerializer(many=True, required=False, max_length=50)
    declarations = serializers.DictField(child=serializers.BooleanField(), required=False)

    def validate_answers(self, answers):
        too_large = {
            key: [str(forms_engine.TOO_LARGE % {"max": forms_engine.STORED_TEXT_MAX})]
            for key, value in answers.items()
            if forms_engine.oversized(value)
        }
        if too_large:
            raise serializers.ValidationError(too_large)
        return answers


class FileUploadSerializer(serializers.Serializer):
    question_key = serializers.SlugField(max_length=60)
    file = serializers.FileField(allow_empty_file=False, use_url=False)


class SubmitSerializer(serializers.Serializer):
    version = _id_field(
        required=False,
        allow_null=True,
        help_text="The version you reviewed; if the draft changed since, 409 (optional).",
    )


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RevisionSerializer(serializers.ModelSerializer):
    received_at = CallTimeField(call_attr="application.call")
    submitted_at = CallTimeField(call_attr="application.call")

    class Meta:
        model = ApplicationRevision
        fields = ["number", "receipt_code", "content_hash", "received_at", "submitted_at", "form_version"]
        read_only_fields = fields


class RevisionDetailSerializer(RevisionSerializer):
    class Meta(RevisionSerializer.Meta):
        fields = [*RevisionSerializer.Meta.fields, "answers", "partners", "declarations"]
        read_only_fields = fields


class GapsSerializer(serializers.Serializer):
    complete = serializers.BooleanField()
    gaps = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="What a submit would refuse now, by question key (declarations, partners…).",
    )


# --- Receipts and follows --------------------------------------------------------------------------


class ReceiptVerifySerializer(serializers.Serializer):
    receipt_code = serializers.CharField(max_length=40)
    content_hash = serializers.CharField(max_length=64)


class ReceiptResultSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    call = CallRefSerializer(allow_null=True)
    received_at = serializers.CharField(
        allow_null=True,
        help_text="When it arrived, the instant judged against the deadline (ISO 8601, in the call's zone).",
    )
    submitted_at = serializers.CharField(allow_null=True, help_text="ISO 8601 in the call's time zone.")


class FollowSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    kind = _choice_field(FollowKind.choices)
    target = serializers.CharField(
        max_length=80,
        help_text="A lab's slug, a challenge's reference, or a sector or technology code.",
    )
    created_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, follow):
        if follow.kind == FollowKind.LAB:
            target = follow.lab.slug
        elif follow.kind == FollowKind.CHALLENGE:
            target = follow.challenge.reference
        else:
            target = follow.term.code
        return {
            "id": follow.pk,
            "kind": follow.kind,
            "target": target,
            "created_at": serializers.DateTimeField().to_representation(follow.created_at),
        }
