"""API representations of evaluation: panels and phases, declarations, assignments, reviews, the ranking,
consensus, preselection and feedback.

Input is validated here (shapes, lengths, types); the rules (who, when, conflicts, the scale of a score,
the preselection limit) are checked by govlab.evaluation.services, which the views call. What an
evaluator reads never names the applicant while the phase is blind: the serializers they get carry no
organisation, person or original file name unless the view says identities are visible.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from govlab.calls.serializers import CallTimeField, LocalDateTimeField, zoned
from govlab.core.api import TranslatedTextField as TranslatedField
from govlab.taxonomy.models import Term

from .enums import EvaluatorRole, OutcomeReason, Recommendation, ReviewStatus, SeeOthers
from .models import EvaluationSettings, FeedbackLetter, ReviewPhase

MAX_ID = 2**63 - 1
DECISIONS = ("none", "conflict")
TRANSLATED_SCHEMA = {
    "type": "object",
    "additionalProperties": {"type": "string"},
    "description": "One text per language code.",
}


def _id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _one_of(values) -> str:
    return "One of: " + ", ".join(values) + "."


def _choice_field(choices, *, listed: bool = True, **kwargs) -> serializers.ChoiceField:
    """A choice field whose values the schema lists inline. ``listed=False`` names them in the
    description instead: a "role" or "status" of other components with other choice sets would otherwise
    make drf-spectacular's enum names collide."""
    values = [value for value, _label in choices]
    schema = {"type": "string", "enum": values}
    if not listed:
        schema = {"type": "string", "description": _one_of(values)}

    @extend_schema_field(schema)
    class InlineChoiceField(serializers.ChoiceField):
        pass

    return InlineChoiceField(choices=choices, **kwargs)


def _terms(vocabulary: str):
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=Term.objects.filter(vocabulary=vocabulary, is_active=True),
        many=True,
        required=False,
    )


# --- Settings and phases -----------------------------------------------------------------------------


class SettingsSerializer(serializers.ModelSerializer):
    review_deadline = LocalDateTimeField(
        required=False,
        help_text="When reviews are due (ISO 8601; without an offset, read in the call's time zone).",
    )
    disagreement_threshold = serializers.DecimalField(
        max_digits=5,
        decimal_places=2,
        min_value=0,
        required=False,
        help_text="Standard deviation of the weighted totals (0–100) above which evaluators disagree.",
    )

    class Meta:
        model = EvaluationSettings
        fields = ["reviews_per_application", "prefer_expertise", "disagreement_threshold", "review_deadline"]
        extra_kwargs = {
            "reviews_per_application": {"required": False, "min_value": 1, "max_value": 10},
            "prefer_expertise": {"required": False},
        }

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["review_deadline"] = zoned(instance.review_deadline, instance.call.zone)
        return data


class PhaseSerializer(serializers.ModelSerializer):
    name = TranslatedField(max_length=200)
    see_others = _choice_field(SeeOthers.choices, required=False)

    class Meta:
        model = ReviewPhase
        fields = ["id", "name", "position", "can_review", "see_others", "identities_visible", "is_active"]
        read_only_fields = ["id", "is_active"]
        extra_kwargs = {
            "position": {"required": False, "min_value": 0, "max_value": 1000},
            "can_review": {"required": False},
            "identities_visible": {"required": False},
        }


# --- The panel -----------------------------------------------------------------------------------------


class EvaluatorPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    full_name = serializers.CharField(read_only=True)
    email = serializers.EmailField(read_only=True)


class EvaluatorSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    user = EvaluatorPersonSerializer(read_only=True)
    role = _choice_field(EvaluatorRole.choices, listed=False, read_only=True)
    sectors = serializers.SerializerMethodField()
    technologies = serializers.SerializerMethodField()
    is_active = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    removed_at = serializers.DateTimeField(read_only=True)
    assigned = serializers.IntegerField(
        read_only=True, default=None, help_text="Applications assigned now (not withdrawn)."
    )
    submitted = serializers.IntegerField(read_only=True, default=None, help_text="Reviews submitted.")

    def _codes(self, evaluator, vocabulary) -> list[str]:
        return sorted(term.code for term in evaluator.expertise.all() if term.vocabulary == vocabulary)

    def get_sectors(self, evaluator) -> list[str]:
        return self._codes(evaluator, "sector")

    def get_technologies(self, evaluator) -> list[str]:
        return self._codes(evaluator, "technology")


class EvaluatorAddSerializer(serializers.Serializer):
    user = _id_field(help_text="The person's id.")
    role = _choice_field(EvaluatorRole.choices, listed=False)
    sectors = _terms("sector")
    technologies = _terms("technology")


# --- Assignments (the lab's view) ----------------------------------------------------------------------


class ApplicationRefSerializer(serializers.Serializer):
    """An application as the lab's staff see it in lists (they always see who applied)."""

    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(read_only=True)
    challenge = serializers.CharField(source="challenge.reference", read_only=True)
    organisation = serializers.CharField(source="organisation.name", read_only=True)


class StaffAssignmentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    application = ApplicationRefSerializer(read_only=True)
    evaluator = serializers.SerializerMethodField()
    automatic = serializers.BooleanField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)
    withdrawn_at = serializers.DateTimeField(read_only=True)
    declaration = serializers.SerializerMethodField()
    review_status = serializers.SerializerMethodField()

    @extend_schema_field(
        {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "full_name": {"type": "string"}},
        }
    )
    def get_evaluator(self, assignment) -> dict:
        evaluator = assignment.evaluator
        return {"id": evaluator.pk, "full_name": str(evaluator)}

    @extend_schema_field({"type": "string", "nullable": True, "description": _one_of(DECISIONS)})
    def get_declaration(self, assignment) -> str | None:
        declarations = self.context.get("declarations") or {}
        value = declarations.get((assignment.evaluator_id, assignment.application_id))
        if value is None:
            return None
        return "conflict" if value else "none"

    @extend_schema_field({"type": "string", "nullable": True, "description": _one_of(ReviewStatus.values)})
    def get_review_status(self, assignment) -> str | None:
        review = getattr(assignment, "review", None)
        return review.status if review is not None else None


class AssignSerializer(serializers.Serializer):
    application = _id_field(help_text="The application's id.")
    evaluator = _id_field(help_text="The evaluator's id (on this call's panel).")


class AutoAssignSerializer(serializers.Serializer):
    applications = serializers.ListField(
        child=_id_field(),
        required=False,
        max_length=10000,
        help_text="Only these applications (ids); all the call's submitted applications if left out.",
    )


class AutoAssignResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="How many assignments were made.")
    gaps = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Evaluators still missing, by application reference (only those with a gap).",
    )


# --- The evaluator's side ----------------------------------------------------------------------------


class QueueItemSerializer(serializers.Serializer):
    """One assignment in the evaluator's queue. Never names the applicant: the content endpoint does,
    when the phase allows."""

    id = serializers.IntegerField(read_only=True)
    reference = serializers.CharField(source="application.reference", read_only=True)
    call = serializers.SerializerMethodField()
    challenge = serializers.SerializerMethodField()
    due = serializers.SerializerMethodField()
    declaration = serializers.SerializerMethodField()
    review_status = serializers.SerializerMethodField()

    @extend_schema_field(
        {
            "type": "object",
            "properties": {"id": {"type": "integer"}, "title": TRANSLATED_SCHEMA},
        }
    )
    def get_call(self, assignment) -> dict:
        call = assignment.application.call
        return {"id": call.pk, "title": dict(call.title or {})}

    @extend_schema_field(
        {
            "type": "object",
            "properties": {"reference": {"type": "string"}, "title": TRANSLATED_SCHEMA},
        }
    )
    def get_challenge(self, assignment) -> dict:
        challenge = assignment.application.challenge
        return {"reference": challenge.reference, "title": dict(challenge.title or {})}

    @extend_schema_field({"type": "string", "format": "date-time", "nullable": True})
    def get_due(self, assignment) -> str | None:
        call = assignment.application.call
        settings_row = getattr(call, "evaluation_settings", None)
        return zoned(getattr(settings_row, "review_deadline", None), call.zone)

    @extend_schema_field({"type": "string", "nullable": True, "description": _one_of(DECISIONS)})
    def get_declaration(self, assignment) -> str | None:
        declarations = self.context.get("declarations") or {}
        value = declarations.get(assignment.application_id)
        if value is None:
            return None
        return "conflict" if value else "none"

    @extend_schema_field({"type": "string", "nullable": True, "description": _one_of(ReviewStatus.values)})
    def get_review_status(self, assignment) -> str | None:
        review = getattr(assignment, "review", None)
        return review.status if review is not None else None


class DeclarationSerializer(serializers.Serializer):
    decision = _choice_field(
        [(value, value) for value in DECISIONS],
        listed=False,
        help_text="none: no conflict of interest (the content opens); conflict: you recuse yourself.",
    )
    reason = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="", help_text="Required for a conflict."
    )
    declared_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, declaration):
        return {
            "decision": "conflict" if declaration.has_conflict else "none",
            "reason": declaration.reason,
            "declared_at": serializers.DateTimeField().to_representation(declaration.declared_at),
        }


class DeclarationContextSerializer(serializers.Serializer):
    organisation = serializers.CharField(allow_null=True, help_text="Null while the evaluation is blind.")
    applicants = serializers.ListField(
        child=serializers.CharField(),
        allow_null=True,
        help_text="While blind: every organisation and partner that applied to the challenge, in order.",
    )
    declaration = DeclarationSerializer(allow_null=True)


class ContentQuestionSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()
    label = serializers.JSONField(help_text="One text per language code.")
    answer = serializers.JSONField(allow_null=True)


class ContentFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    question_key = serializers.CharField()
    name = serializers.CharField(help_text="A neutral name (the uploaded file's name is never shown).")
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    url = serializers.CharField()


class ContentOrganisationSerializer(serializers.Serializer):
    name = serializers.CharField()
    country = serializers.CharField()
    kind = serializers.CharField()


class ApplicationContentSerializer(serializers.Serializer):
    """The submitted application as the evaluator may read it (built by the view, not from a model)."""

    reference = serializers.CharField()
    call = serializers.JSONField()
    challenge = serializers.JSONField()
    stage = serializers.CharField()
    revision = serializers.IntegerField(allow_null=True, help_text="The submitted revision shown.")
    submitted_at = serializers.CharField(allow_null=True)
    identities_visible = serializers.BooleanField(
        help_text="False while the evaluation is blind: no organisation, partners or identifying answers."
    )
    organisation = ContentOrganisationSerializer(allow_null=True)
    partners = serializers.JSONField(allow_null=True)
    questions = ContentQuestionSerializer(many=True)
    files = ContentFileSerializer(many=True)


class ReviewCriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.JSONField(help_text="One text per language code.")
    weight = serializers.DecimalField(max_digits=6, decimal_places=2)
    scale = serializers.JSONField(help_text='[{"value": 0, "label": {"en": "…"}}, …]')


class ReviewRevisionSerializer(serializers.Serializer):
    number = serializers.IntegerField()
    weighted_total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    submitted_at = serializers.DateTimeField()


class ReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    assignment = serializers.IntegerField(source="assignment_id")
    status = _choice_field(ReviewStatus.choices, listed=False)
    scores = serializers.JSONField(help_text='{"<criterion id>": level value, or null for not applicable}')
    comments = serializers.JSONField(help_text='{"<criterion id>": "comment"}')
    strengths = serializers.CharField()
    weaknesses = serializers.CharField()
    recommendation = serializers.CharField(help_text="One of: " + ", ".join(Recommendation.values) + ".")
    confidence = serializers.IntegerField(allow_null=True)
    weighted_total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    version = serializers.IntegerField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    updated_at = serializers.DateTimeField()
    can_edit = serializers.SerializerMethodField()
    criteria = serializers.SerializerMethodField()
    revisions = serializers.SerializerMethodField()

    def get_can_edit(self, review) -> bool:
        return bool(self.context.get("can_edit"))

    @extend_schema_field(ReviewCriterionSerializer(many=True))
    def get_criteria(self, review):
        return ReviewCriterionSerializer(self.context.get("criteria") or [], many=True).data

    @extend_schema_field(ReviewRevisionSerializer(many=True))
    def get_revisions(self, review):
        return ReviewRevisionSerializer(review.revisions.order_by("-number"), many=True).data


class ReviewSaveSerializer(serializers.Serializer):
    version = _id_field(help_text="The version you loaded; a newer one on the server answers 409.")
    scores = serializers.DictField(
        child=serializers.IntegerField(allow_null=True, min_value=-1000, max_value=1000),
        required=False,
        help_text='By criterion id: a level of its scale, or null for "not applicable".',
    )
    comments = serializers.DictField(
        child=serializers.CharField(max_length=5000, allow_blank=True), required=False
    )
    strengths = serializers.CharField(max_length=5000, allow_blank=True, required=False)
    weaknesses = serializers.CharField(max_length=5000, allow_blank=True, required=False)
    recommendation = _choice_field(Recommendation.choices, allow_blank=True, required=False)
    confidence = serializers.IntegerField(min_value=1, max_value=5, allow_null=True, required=False)


class ReviewSubmitSerializer(serializers.Serializer):
    version = _id_field(
        required=False, allow_null=True, help_text="The version you saw; if it changed since, 409 (optional)."
    )


class OtherReviewSerializer(serializers.Serializer):
    """Another evaluator's submitted review, as the phase lets an evaluator see it (not who wrote it)."""

    number = serializers.IntegerField(help_text="Reviewer 1, 2…: the same number for the same reviewer.")
    scores = serializers.JSONField()
    comments = serializers.JSONField()
    strengths = serializers.CharField()
    weaknesses = serializers.CharField()
    recommendation = serializers.CharField()
    confidence = serializers.IntegerField(allow_null=True)
    weighted_total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)


# --- Ranking, consensus, preselection ----------------------------------------------------------------


class RankingRowSerializer(serializers.Serializer):
    rank = serializers.IntegerField(allow_null=True)
    application = ApplicationRefSerializer()
    n_reviews = serializers.IntegerField()
    mean = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    median = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    stdev = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    range = serializers.DecimalField(
        max_digits=6, decimal_places=2, allow_null=True, help_text="Highest minus lowest weighted total."
    )
    disagreement = serializers.BooleanField()
    zscore = serializers.DecimalField(
        max_digits=8,
        decimal_places=2,
        allow_null=True,
        help_text="Mean of the evaluators' z-scores (each within that evaluator's reviews in the call).",
    )
    consensus_total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    final = serializers.DecimalField(
        max_digits=6,
        decimal_places=2,
        allow_null=True,
        help_text="The consensus total if any, else the mean.",
    )
    selected = serializers.BooleanField(allow_null=True, help_text="The preselection decision, if made.")


class ConsensusClearSerializer(serializers.Serializer):
    application = _id_field(help_text="The application's id.")
    criterion = _id_field(help_text="The criterion's id.")


class ConsensusSerializer(serializers.Serializer):
    application = _id_field(help_text="The application's id.")
    criterion = _id_field(help_text="The criterion's id.")
    score = serializers.IntegerField(min_value=-1000, max_value=1000, help_text="A level of the scale.")
    rationale = serializers.CharField(max_length=5000)
    set_at = serializers.DateTimeField(read_only=True)

    def to_representation(self, consensus):
        return {
            "application": consensus.application_id,
            "criterion": consensus.criterion_id,
            "score": consensus.score,
            "rationale": consensus.rationale,
            "set_at": serializers.DateTimeField().to_representation(consensus.set_at),
        }


class DecisionInputSerializer(serializers.Serializer):
    application = _id_field(help_text="The application's id.")
    selected = serializers.BooleanField()
    reason_category = _choice_field(OutcomeReason.choices)
    reason = serializers.CharField(max_length=5000)


class PreselectionSerializer(serializers.Serializer):
    challenge = serializers.CharField(max_length=40, help_text="The challenge's reference.")
    decisions = DecisionInputSerializer(many=True, max_length=10000)

    def validate_decisions(self, decisions):
        ids = [row["application"] for row in decisions]
        if len(ids) != len(set(ids)):
            raise serializers.ValidationError("Give each application once.")
        return decisions


class DecisionSerializer(serializers.Serializer):
    application = serializers.IntegerField(source="application_id")
    reference = serializers.CharField(source="application.reference")
    selected = serializers.BooleanField()
    reason_category = serializers.CharField()
    reason = serializers.CharField()
    final_score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    rank = serializers.IntegerField(allow_null=True)
    decided_at = serializers.DateTimeField()


# --- Feedback ------------------------------------------------------------------------------------------


class FeedbackTemplateSerializer(serializers.Serializer):
    language = serializers.CharField(max_length=10, help_text="One of the lab's languages.")
    subject = serializers.CharField(max_length=300)
    body = serializers.CharField(max_length=20000)


class FeedbackPrepareSerializer(serializers.Serializer):
    challenge = serializers.CharField(
        max_length=40,
        required=False,
        allow_blank=True,
        help_text="One challenge's reference (all if left out).",
    )
    released_reviews = serializers.ListField(
        child=_id_field(),
        required=False,
        max_length=100000,
        help_text="Ids of the reviews whose comments the applicants may read (anonymised).",
    )


class FeedbackSendSerializer(serializers.Serializer):
    letters = serializers.ListField(
        child=_id_field(),
        required=False,
        max_length=100000,
        help_text="Ids of the prepared letters to send; every unsent letter of the call if left out.",
    )


class FeedbackSentSerializer(serializers.Serializer):
    sent = serializers.IntegerField()


class FeedbackLetterSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="application.reference", read_only=True)
    sent_at = CallTimeField(call_attr="application.call")
    created_at = CallTimeField(call_attr="application.call")

    class Meta:
        model = FeedbackLetter
        fields = ["id", "reference", "language", "subject", "body", "data", "sent_at", "created_at"]
        read_only_fields = fields
