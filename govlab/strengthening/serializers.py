"""API representations of the strengthening programme. Input is checked here for shape; the rules (who,
when, limits) are the services'."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from govlab.calls.serializers import LocalDateTimeField
from govlab.core.api import TranslatedTextField

from .enums import ActionStatus, ActivityKind, AssessmentKind, MilestoneStatus, ProgrammeStatus
from .models import (
    AgreedAction,
    Bootcamp,
    BootcampRegistration,
    CohortMember,
    HoursEntry,
    Mentor,
    MentorAssignment,
    MentoringSession,
    Milestone,
    Programme,
    TrlAssessment,
    WorkSession,
)

MAX_ID = 2**63 - 1
HOURS = {"max_digits": 7, "decimal_places": 2, "min_value": 0, "max_value": 10000}


def _id_field(**kwargs) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=1, max_value=MAX_ID, **kwargs)


def _choice_field(choices, **kwargs) -> serializers.ChoiceField:
    """A choice field whose values the schema names in its description (several components have a
    "status" or a "kind" with other choices: named enums would collide)."""
    values = [value for value, _label in choices]

    @extend_schema_field({"type": "string", "description": "One of: " + ", ".join(values) + "."})
    class InlineChoiceField(serializers.ChoiceField):
        pass

    return InlineChoiceField(choices=choices, **kwargs)


def _read_choice(choices) -> serializers.ChoiceField:
    return _choice_field(choices, read_only=True)


# --- Output --------------------------------------------------------------------------------------------


class ProgrammeSerializer(serializers.ModelSerializer):
    title = TranslatedTextField(read_only=True)
    description = TranslatedTextField(read_only=True)
    status = _read_choice(ProgrammeStatus.choices)
    lab = serializers.SlugRelatedField(source="call.lab", slug_field="slug", read_only=True)

    class Meta:
        model = Programme
        fields = ["id", "call", "lab", "title", "description", "starts_on", "ends_on", "status", "created_at"]
        read_only_fields = fields


class MemberSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(source="application.reference", read_only=True)
    organisation = serializers.CharField(source="application.organisation.name", read_only=True)
    organisation_id = serializers.IntegerField(source="application.organisation_id", read_only=True)
    challenge = serializers.CharField(source="application.challenge.reference", read_only=True)

    class Meta:
        model = CohortMember
        fields = [
            "id",
            "programme",
            "reference",
            "organisation",
            "organisation_id",
            "challenge",
            "joined_at",
            "left_at",
        ]
        read_only_fields = fields


class CountsSerializer(serializers.Serializer):
    done = serializers.IntegerField()
    late = serializers.IntegerField()
    open = serializers.IntegerField()


class HoursByKindSerializer(serializers.Serializer):
    bootcamp = serializers.DecimalField(max_digits=12, decimal_places=2)
    mentoring = serializers.DecimalField(max_digits=12, decimal_places=2)
    work_session = serializers.DecimalField(max_digits=12, decimal_places=2)
    mvp = serializers.DecimalField(max_digits=12, decimal_places=2)
    other = serializers.DecimalField(max_digits=12, decimal_places=2)


class ProgressSerializer(serializers.Serializer):
    member = MemberSerializer()
    milestones = CountsSerializer()
    actions = CountsSerializer()
    bootcamps_attended = serializers.IntegerField()
    bootcamps_missed = serializers.IntegerField()
    trl_entry = serializers.SerializerMethodField()
    trl_exit = serializers.SerializerMethodField()
    mentors = serializers.SerializerMethodField()
    hours = HoursByKindSerializer()
    hours_total = serializers.DecimalField(max_digits=12, decimal_places=2)
    missing = serializers.ListField(child=serializers.CharField())

    def get_trl_entry(self, row) -> int | None:
        return row.trl_entry.level if row.trl_entry else None

    def get_trl_exit(self, row) -> int | None:
        return row.trl_exit.level if row.trl_exit else None

    def get_mentors(self, row) -> list[int]:
        return [mentor.pk for mentor in row.mentors]


class HoursTotalsSerializer(serializers.Serializer):
    class MemberHours(serializers.Serializer):
        member = serializers.IntegerField(source="member.pk")
        by_kind = HoursByKindSerializer()
        total = serializers.DecimalField(max_digits=12, decimal_places=2)

    members = MemberHours(many=True)
    shared = HoursByKindSerializer()
    cohort = HoursByKindSerializer()
    total = serializers.DecimalField(max_digits=12, decimal_places=2)


class BootcampSerializer(serializers.ModelSerializer):
    registered = serializers.IntegerField(read_only=True, required=False)

    class Meta:
        model = Bootcamp
        fields = [
            "id",
            "programme",
            "topic",
            "description",
            "starts_at",
            "ends_at",
            "place",
            "link",
            "facilitator",
            "materials_url",
            "capacity",
            "registered",
        ]
        read_only_fields = fields


class RegistrationSerializer(serializers.ModelSerializer):
    class Meta:
        model = BootcampRegistration
        fields = ["id", "bootcamp", "member", "person", "registered_at", "attended", "hours"]
        read_only_fields = fields


class MentorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Mentor
        fields = ["id", "lab", "user", "name", "expertise", "is_active"]
        read_only_fields = fields


class MentorAssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = MentorAssignment
        fields = ["id", "mentor", "member", "assigned_at", "ended_at"]
        read_only_fields = fields


class ActionSerializer(serializers.ModelSerializer):
    status = _read_choice(ActionStatus.choices)

    class Meta:
        model = AgreedAction
        fields = ["id", "session", "member", "description", "owner", "due_on", "status", "done_on"]
        read_only_fields = fields


class MentoringSessionSerializer(serializers.ModelSerializer):
    actions = ActionSerializer(many=True, read_only=True)

    class Meta:
        model = MentoringSession
        fields = ["id", "member", "mentor", "held_on", "hours", "topics", "notes", "actions"]
        read_only_fields = fields


class WorkSessionSerializer(serializers.ModelSerializer):
    challenge = serializers.CharField(source="challenge.reference", read_only=True)

    class Meta:
        model = WorkSession
        fields = [
            "id",
            "programme",
            "member",
            "challenge",
            "held_at",
            "agenda",
            "attendees",
            "other_attendees",
            "minutes",
            "decisions",
            "alignment_issues",
            "hours",
        ]
        read_only_fields = fields


class MilestoneSerializer(serializers.ModelSerializer):
    status = _read_choice(MilestoneStatus.choices)
    has_file = serializers.SerializerMethodField()

    class Meta:
        model = Milestone
        fields = [
            "id",
            "member",
            "title",
            "description",
            "due_on",
            "status",
            "evidence_text",
            "evidence_url",
            "has_file",
            "submitted_at",
            "reviewed_by",
            "reviewed_at",
            "review_note",
        ]
        read_only_fields = fields

    def get_has_file(self, milestone) -> bool:
        return bool(milestone.evidence_file)


class HoursEntrySerializer(serializers.ModelSerializer):
    kind = _read_choice(ActivityKind.choices)

    class Meta:
        model = HoursEntry
        fields = ["id", "programme", "member", "person", "kind", "hours", "worked_on", "note"]
        read_only_fields = fields


class TrlAssessmentSerializer(serializers.ModelSerializer):
    kind = _read_choice(AssessmentKind.choices)
    level = serializers.IntegerField(read_only=True, help_text="The TRL, 1 to 9.")
    evidence = serializers.DictField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = TrlAssessment
        fields = [
            "id",
            "member",
            "kind",
            "level",
            "evidence",
            "note",
            "assessed_by",
            "assessed_on",
            "created_at",
        ]
        read_only_fields = fields


# --- Input ---------------------------------------------------------------------------------------------


class ProgrammeStartSerializer(serializers.Serializer):
    call = _id_field(help_text="The call whose preselected applications form the cohort.")
    starts_on = serializers.DateField(required=False)
    ends_on = serializers.DateField(required=False)
    title = TranslatedTextField(max_length=200, required=False)


class BootcampInputSerializer(serializers.Serializer):
    topic = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    starts_at = LocalDateTimeField(help_text="ISO 8601; without an offset, read in the lab's time zone.")
    ends_at = LocalDateTimeField(help_text="ISO 8601; without an offset, read in the lab's time zone.")
    place = serializers.CharField(max_length=300, required=False, allow_blank=True)
    link = serializers.URLField(required=False, allow_blank=True)
    facilitator = serializers.CharField(max_length=200, required=False, allow_blank=True)
    materials_url = serializers.URLField(required=False, allow_blank=True)
    capacity = serializers.IntegerField(min_value=1, required=False, allow_null=True)


class RegisterSerializer(serializers.Serializer):
    member = _id_field()
    person = _id_field(help_text="A member of the solver's organisation.")


class AttendanceRowSerializer(serializers.Serializer):
    registration = _id_field()
    attended = serializers.BooleanField()
    hours = serializers.DecimalField(required=False, allow_null=True, **HOURS)


class AttendanceSerializer(serializers.Serializer):
    rows = AttendanceRowSerializer(many=True, min_length=1)


class MentorAddSerializer(serializers.Serializer):
    lab = serializers.SlugField()
    user = _id_field()
    expertise = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class MentorAssignSerializer(serializers.Serializer):
    mentor = _id_field()
    member = _id_field()


class ActionInputSerializer(serializers.Serializer):
    description = serializers.CharField(max_length=500)
    owner = serializers.CharField(max_length=200, required=False, allow_blank=True)
    due_on = serializers.DateField()


class MentoringSessionInputSerializer(serializers.Serializer):
    mentor = _id_field(required=False, help_text="Default: your own assignment to this solver.")
    held_on = serializers.DateField()
    hours = serializers.DecimalField(**HOURS)
    topics = serializers.CharField(max_length=500)
    notes = serializers.CharField(max_length=10000, required=False, allow_blank=True)
    actions = ActionInputSerializer(many=True, required=False)


class ActionStatusSerializer(serializers.Serializer):
    status = _choice_field(ActionStatus.choices)
    done_on = serializers.DateField(required=False, allow_null=True)


class WorkSessionInputSerializer(serializers.Serializer):
    member = _id_field(required=False, help_text="The solver; or leave out and give the challenge.")
    challenge = serializers.CharField(max_length=40, required=False, help_text="A challenge's reference.")
    held_at = LocalDateTimeField(help_text="ISO 8601; without an offset, read in the lab's time zone.")
    agenda = serializers.CharField(max_length=5000)
    attendees = serializers.ListField(child=_id_field(), required=False)
    other_attendees = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    minutes = serializers.CharField(max_length=20000, required=False, allow_blank=True)
    decisions = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    alignment_issues = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    hours = serializers.DecimalField(**HOURS)


class MilestoneInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    due_on = serializers.DateField()


class EvidenceSerializer(serializers.Serializer):
    evidence_text = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    evidence_url = serializers.URLField(required=False, allow_blank=True)


class MilestoneReviewSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)


class HoursInputSerializer(serializers.Serializer):
    member = _id_field(required=False, allow_null=True)
    kind = _choice_field(ActivityKind.choices)
    hours = serializers.DecimalField(**HOURS)
    worked_on = serializers.DateField()
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class TrlInputSerializer(serializers.Serializer):
    kind = _choice_field(AssessmentKind.choices)
    level = serializers.IntegerField(min_value=1, max_value=9)
    evidence = serializers.DictField(
        child=serializers.CharField(max_length=2000, allow_blank=True),
        required=False,
        help_text='Evidence per level: {"4": "…", "5": "…"}; the chosen level needs one.',
    )
    note = serializers.CharField(max_length=5000, required=False, allow_blank=True)
    assessed_on = serializers.DateField(required=False)
