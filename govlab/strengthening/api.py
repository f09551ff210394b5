"""The strengthening API: programmes and their cohorts' progress, bootcamps with registrations and
attendance, mentors and their assignments, mentoring sessions and agreed actions, work sessions,
milestones, hours and TRL assessments.

Every write calls the service the HTML views call, with the same rules. A cohort member is fetched and
authorised in one step (``selectors.member_for``): one the caller may not see — another solver's, or, for a
mentor, one not assigned to them — answers 404 as if it did not exist; an action the caller may see but not
take answers 403 (401 signed out). Programmes, their bootcamp plans and the mentors are the lab's team's.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from govlab.calls.models import Call
from govlab.core.api import ERRORS, ID_PATTERN, invalid
from govlab.core.api import ServiceViewSetMixin as BaseServiceViewSetMixin
from govlab.core.timezones import local_to_utc
from govlab.labs.models import Lab
from govlab.labs.rules import is_lab_staff
from govlab.labs.selectors import labs_where_team

from . import selectors, services
from .models import (
    AgreedAction,
    Bootcamp,
    BootcampRegistration,
    CohortMember,
    Mentor,
    MentorAssignment,
    Milestone,
    Programme,
)
from .serializers import (
    ActionSerializer,
    ActionStatusSerializer,
    AttendanceSerializer,
    BootcampInputSerializer,
    BootcampSerializer,
    EvidenceSerializer,
    HoursEntrySerializer,
    HoursInputSerializer,
    HoursTotalsSerializer,
    MemberSerializer,
    MentorAddSerializer,
    MentorAssignmentSerializer,
    MentorAssignSerializer,
    MentoringSessionInputSerializer,
    MentoringSessionSerializer,
    MentorSerializer,
    MilestoneInputSerializer,
    MilestoneReviewSerializer,
    MilestoneSerializer,
    ProgrammeSerializer,
    ProgrammeStartSerializer,
    ProgressSerializer,
    RegisterSerializer,
    RegistrationSerializer,
    TrlAssessmentSerializer,
    TrlInputSerializer,
    WorkSessionInputSerializer,
    WorkSessionSerializer,
)

REFUSAL_MESSAGES = {
    "duplicate": "This is already recorded.",
    "full": "The bootcamp is full.",
}


class ServiceViewSetMixin(BaseServiceViewSetMixin):
    refusal_messages = REFUSAL_MESSAGES
    forbidden_codes = ("not_allowed",)


def _zoned(value, zone: str, field: str):
    """A naive date-time read in the lab's zone; an aware one as given."""
    if value is None or timezone.is_aware(value):
        return value
    try:
        return local_to_utc(value, zone)
    except DjangoValidationError as error:
        raise invalid(**{field: " ".join(error.messages)}) from error


def _can_run(user, lab) -> bool:
    return is_lab_staff(user, lab) or user.is_superuser


def _member(request, pk, perm: str | None = None) -> CohortMember:
    member = selectors.member_for(request.user, pk)
    if member is None:
        raise Http404
    if perm and not request.user.has_perm(perm, member):
        raise exceptions.PermissionDenied
    return member


# --- Programmes ----------------------------------------------------------------------------------------


class ProgrammeViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    """A call's strengthening programme, run by the lab's team."""

    queryset = Programme.objects.all()
    serializer_class = ProgrammeSerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        user = self.request.user
        programmes = Programme.objects.select_related("call", "call__lab").order_by("-starts_on", "pk")
        if user.is_superuser:
            return programmes
        return programmes.filter(call__lab__in=labs_where_team(user))

    def get_programme(self) -> Programme:
        return get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])

    @extend_schema(responses={200: ProgrammeSerializer(many=True), **ERRORS})
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(ProgrammeSerializer(page, many=True).data)

    @extend_schema(responses={200: ProgrammeSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        return Response(ProgrammeSerializer(self.get_programme()).data)

    @extend_schema(
        request=ProgrammeStartSerializer,
        responses={201: ProgrammeSerializer, **ERRORS},
        description=(
            "Start a call's programme (lab staff): its preselected applications form the cohort and its "
            "preselected challenges move to strengthening."
        ),
    )
    def create(self, request):
        data = self.valid(ProgrammeStartSerializer)
        call = Call.objects.select_related("lab").filter(pk=data["call"]).first()
        if call is None or not request.user.has_perm("calls.view_call", call):
            raise invalid(call="No such call.")
        programme = self.call(
            services.programme_start,
            call=call,
            by=request.user,
            starts_on=data.get("starts_on"),
            ends_on=data.get("ends_on"),
            title=data.get("title"),
        )
        return Response(ProgrammeSerializer(programme).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None, responses={200: ProgrammeSerializer, **ERRORS}, description="Close the programme."
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        programme = self.call(services.programme_close, programme=self.get_programme(), by=request.user)
        return Response(ProgrammeSerializer(programme).data)

    @extend_schema(
        responses={200: ProgressSerializer(many=True), **ERRORS},
        description="Each cohort member's progress: done, late and missing, TRL entry and exit, hours.",
    )
    @action(detail=True, methods=["get"])
    def progress(self, request, pk=None):
        return Response(ProgressSerializer(selectors.cohort_progress(self.get_programme()), many=True).data)

    @extend_schema(
        methods=["GET"],
        responses={200: HoursTotalsSerializer, **ERRORS},
        description="Hours per member and for the cohort, by activity.",
    )
    @extend_schema(
        methods=["POST"],
        request=HoursInputSerializer,
        responses={201: HoursEntrySerializer, **ERRORS},
        description="Record hours not recorded with a session (for one member, or the whole cohort).",
    )
    @action(detail=True, methods=["get", "post"])
    def hours(self, request, pk=None):
        programme = self.get_programme()
        if request.method == "GET":
            return Response(HoursTotalsSerializer(selectors.hours_totals(programme)).data)
        data = self.valid(HoursInputSerializer)
        member = None
        if data.get("member"):
            member = CohortMember.objects.filter(programme=programme, pk=data["member"]).first()
            if member is None:
                raise invalid(member="No such member of this programme.")
        entry = self.call(
            services.hours_record,
            programme=programme,
            by=request.user,
            member=member,
            kind=data["kind"],
            hours=data["hours"],
            worked_on=data["worked_on"],
            note=data.get("note", ""),
        )
        return Response(HoursEntrySerializer(entry).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: BootcampSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=BootcampInputSerializer,
        responses={201: BootcampSerializer, **ERRORS},
        description="Plan a bootcamp (the cohort is told).",
    )
    @action(detail=True, methods=["get", "post"])
    def bootcamps(self, request, pk=None):
        programme = self.get_programme()
        if request.method == "GET":
            rows = programme.bootcamps.annotate(registered=Count("registrations"))
            return Response(BootcampSerializer(rows, many=True).data)
        data = self.valid(BootcampInputSerializer)
        zone = programme.call.lab.time_zone
        data["starts_at"] = _zoned(data["starts_at"], zone, "starts_at")
        data["ends_at"] = _zoned(data["ends_at"], zone, "ends_at")
        bootcamp = self.call(services.bootcamp_save, programme=programme, by=request.user, **data)
        return Response(BootcampSerializer(bootcamp).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: WorkSessionSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=WorkSessionInputSerializer,
        responses={201: WorkSessionSerializer, **ERRORS},
        description="Record a work session about one member or (with ``challenge``) a whole challenge.",
    )
    @action(detail=True, methods=["get", "post"], url_path="work-sessions")
    def work_sessions(self, request, pk=None):
        programme = self.get_programme()
        if request.method == "GET":
            rows = programme.work_sessions.select_related("challenge").prefetch_related("attendees")
            return Response(WorkSessionSerializer(rows, many=True).data)
        data = self.valid(WorkSessionInputSerializer)
        member = challenge = None
        if data.get("member"):
            member = CohortMember.objects.filter(programme=programme, pk=data["member"]).first()
            if member is None:
                raise invalid(member="No such member of this programme.")
        elif data.get("challenge"):
            challenge = programme.call.challenges.filter(reference=data["challenge"]).first()
            if challenge is None:
                raise invalid(challenge="This challenge is not part of the call.")
        else:
            raise invalid(challenge="Give the member or the challenge.")
        data.pop("member", None)
        data.pop("challenge", None)
        attendees = list(get_user_model().objects.filter(pk__in=data.pop("attendees", [])))
        data["held_at"] = _zoned(data["held_at"], programme.call.lab.time_zone, "held_at")
        session = self.call(
            services.work_session_record,
            programme=programme,
            member=member,
            challenge=challenge,
            by=request.user,
            attendees=attendees,
            **data,
        )
        return Response(WorkSessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: MemberSerializer(many=True), **ERRORS}, description="The cohort.")
    @action(detail=True, methods=["get"])
    def members(self, request, pk=None):
        rows = CohortMember.objects.filter(programme=self.get_programme()).select_related(
            "application__organisation", "application__challenge"
        )
        return Response(MemberSerializer(rows, many=True).data)


# --- Bootcamps -----------------------------------------------------------------------------------------


class BootcampViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    """A bootcamp: the lab's team changes it and records attendance; the solvers register their people."""

    queryset = Bootcamp.objects.all()
    serializer_class = BootcampSerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = ID_PATTERN

    def get_bootcamp(self) -> Bootcamp:
        bootcamp = get_object_or_404(
            Bootcamp.objects.select_related("programme", "programme__call", "programme__call__lab"),
            pk=self.kwargs["pk"],
        )
        user = self.request.user
        if not (
            _can_run(user, bootcamp.programme.call.lab)
            or selectors.visible_members(user, bootcamp.programme).exists()
        ):
            raise Http404
        return bootcamp

    @extend_schema(responses={200: BootcampSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        return Response(BootcampSerializer(self.get_bootcamp()).data)

    @extend_schema(request=BootcampInputSerializer, responses={200: BootcampSerializer, **ERRORS})
    def partial_update(self, request, pk=None):
        bootcamp = self.get_bootcamp()
        data = self.valid(BootcampInputSerializer, partial=True)
        zone = bootcamp.programme.call.lab.time_zone
        values = {
            name: data.get(name, getattr(bootcamp, name))
            for name in (
                "topic",
                "description",
                "starts_at",
                "ends_at",
                "place",
                "link",
                "facilitator",
                "materials_url",
                "capacity",
            )
        }
        values["starts_at"] = _zoned(values["starts_at"], zone, "starts_at")
        values["ends_at"] = _zoned(values["ends_at"], zone, "ends_at")
        bootcamp = self.call(
            services.bootcamp_save, programme=bootcamp.programme, by=request.user, bootcamp=bootcamp, **values
        )
        return Response(BootcampSerializer(bootcamp).data)

    @extend_schema(
        methods=["GET"],
        responses={200: RegistrationSerializer(many=True), **ERRORS},
        description="The registrations you may see: all for the lab's team, your solvers' otherwise.",
    )
    @extend_schema(
        methods=["POST"],
        request=RegisterSerializer,
        responses={201: RegistrationSerializer, **ERRORS},
        description="Register one of the solver's people.",
    )
    @action(detail=True, methods=["get", "post"])
    def registrations(self, request, pk=None):
        bootcamp = self.get_bootcamp()
        if request.method == "GET":
            rows = BootcampRegistration.objects.filter(bootcamp=bootcamp).order_by("pk")
            if not _can_run(request.user, bootcamp.programme.call.lab):
                rows = rows.filter(member__in=selectors.visible_members(request.user, bootcamp.programme))
            return Response(RegistrationSerializer(rows, many=True).data)
        data = self.valid(RegisterSerializer)
        member = selectors.visible_members(request.user, bootcamp.programme).filter(pk=data["member"]).first()
        if member is None:
            raise invalid(member="No such member of this programme.")
        person = get_user_model().objects.filter(pk=data["person"]).first()
        if person is None:
            raise invalid(person="No such person.")
        registration = self.call(
            services.bootcamp_register, bootcamp=bootcamp, member=member, person=person, by=request.user
        )
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=AttendanceSerializer,
        responses={200: RegistrationSerializer(many=True), **ERRORS},
        description="Record attendance and hours, for one registration or many (lab staff).",
    )
    @action(detail=True, methods=["post"])
    def attendance(self, request, pk=None):
        bootcamp = self.get_bootcamp()
        data = self.valid(AttendanceSerializer)
        rows = self.call(
            services.attendance_record,
            bootcamp=bootcamp,
            by=request.user,
            rows=[dict(r) for r in data["rows"]],
        )
        return Response(RegistrationSerializer(rows, many=True).data)


# --- Mentors -------------------------------------------------------------------------------------------


class MentorViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    """The labs' mentors (the lab's team)."""

    queryset = Mentor.objects.all()
    serializer_class = MentorSerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        user = self.request.user
        mentors = Mentor.objects.select_related("user").order_by("lab_id", "pk")
        return mentors if user.is_superuser else mentors.filter(lab__in=labs_where_team(user))

    @extend_schema(responses={200: MentorSerializer(many=True), **ERRORS})
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(MentorSerializer(page, many=True).data)

    @extend_schema(
        request=MentorAddSerializer,
        responses={201: MentorSerializer, **ERRORS},
        description='Make a person a mentor of the lab (they get the lab role "mentor").',
    )
    def create(self, request):
        data = self.valid(MentorAddSerializer)
        lab = Lab.objects.filter(slug=data["lab"]).first()
        if lab is None:
            raise invalid(lab="No such lab.")
        user = get_user_model().objects.filter(pk=data["user"]).first()
        if user is None:
            raise invalid(user="No such person.")
        mentor = self.call(
            services.mentor_add, lab=lab, user=user, by=request.user, expertise=data.get("expertise", "")
        )
        return Response(MentorSerializer(mentor).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=MentorAssignSerializer,
        responses={201: MentorAssignmentSerializer, **ERRORS},
        description="Assign a mentor to a cohort member (the mentor and the solver are told).",
    )
    @action(detail=False, methods=["post"])
    def assign(self, request):
        data = self.valid(MentorAssignSerializer)
        mentor = self.get_queryset().filter(pk=data["mentor"]).first()
        if mentor is None:
            raise invalid(mentor="No such mentor.")
        member = selectors.visible_members(request.user).filter(pk=data["member"]).first()
        if member is None:
            raise invalid(member="No such member.")
        assignment = self.call(services.mentor_assign, mentor=mentor, member=member, by=request.user)
        return Response(MentorAssignmentSerializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=None,
        responses={200: MentorSerializer, **ERRORS},
        description="Stop a mentor: their current assignments end.",
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        mentor = get_object_or_404(self.get_queryset(), pk=pk)
        mentor = self.call(services.mentor_deactivate, mentor=mentor, by=request.user)
        return Response(MentorSerializer(mentor).data)


class MentorAssignmentViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    queryset = MentorAssignment.objects.all()
    serializer_class = MentorAssignmentSerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = ID_PATTERN

    @extend_schema(request=None, responses={200: MentorAssignmentSerializer, **ERRORS}, description="End it.")
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        assignment = get_object_or_404(
            MentorAssignment.objects.select_related("mentor__user", "member__programme__call__lab"), pk=pk
        )
        if not _can_run(request.user, assignment.member.programme.call.lab):
            raise Http404
        assignment = self.call(services.mentor_unassign, assignment=assignment, by=request.user)
        return Response(MentorAssignmentSerializer(assignment).data)


# --- Cohort members ------------------------------------------------------------------------------------


class MemberViewSet(ServiceViewSetMixin, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Cohort members: the lab's team sees its lab's, a mentor those assigned to them, a solver its own,
    the entity those of its challenges."""

    queryset = CohortMember.objects.all()
    serializer_class = MemberSerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = ID_PATTERN

    def get_queryset(self):
        return selectors.visible_members(self.request.user).order_by("pk")

    @extend_schema(responses={200: ProgressSerializer, **ERRORS}, description="The member's progress.")
    def retrieve(self, request, pk=None):
        (row,) = selectors.progress_for([_member(request, pk)])
        return Response(ProgressSerializer(row).data)

    @extend_schema(
        methods=["GET"],
        responses={200: MentoringSessionSerializer(many=True), **ERRORS},
        description="Mentoring sessions with their agreed actions (the lab, the mentors, the solver).",
    )
    @extend_schema(
        methods=["POST"],
        request=MentoringSessionInputSerializer,
        responses={201: MentoringSessionSerializer, **ERRORS},
        description="Record a session and its agreed actions (an assigned mentor or the lab's team).",
    )
    @action(detail=True, methods=["get", "post"], url_path="mentoring-sessions")
    def mentoring_sessions(self, request, pk=None):
        if request.method == "GET":
            member = _member(request, pk, "strengthening.view_mentoring")
            rows = member.mentoring_sessions.prefetch_related("actions")
            return Response(MentoringSessionSerializer(rows, many=True).data)
        member = _member(request, pk)
        data = self.valid(MentoringSessionInputSerializer)
        mentor = None
        if data.get("mentor"):
            mentor = Mentor.objects.filter(pk=data["mentor"], lab=member.programme.call.lab).first()
            if mentor is None:
                raise invalid(mentor="No such mentor.")
        session = self.call(
            services.mentoring_session_record,
            member=member,
            by=request.user,
            mentor=mentor,
            held_on=data["held_on"],
            hours=data["hours"],
            topics=data["topics"],
            notes=data.get("notes", ""),
            actions=[dict(a) for a in data.get("actions", [])],
        )
        return Response(MentoringSessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: MilestoneSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=MilestoneInputSerializer,
        responses={201: MilestoneSerializer, **ERRORS},
        description="Plan an MVP milestone (the lab's team or an assigned mentor).",
    )
    @action(detail=True, methods=["get", "post"])
    def milestones(self, request, pk=None):
        member = _member(request, pk)
        if request.method == "GET":
            return Response(MilestoneSerializer(member.milestones.all(), many=True).data)
        data = self.valid(MilestoneInputSerializer)
        milestone = self.call(services.milestone_save, member=member, by=request.user, **data)
        return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: TrlAssessmentSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=TrlInputSerializer,
        responses={201: TrlAssessmentSerializer, **ERRORS},
        description="A new TRL assessment: self (the solver) or expert (an assigned mentor or the lab).",
    )
    @action(detail=True, methods=["get", "post"], url_path="trl-assessments")
    def trl_assessments(self, request, pk=None):
        member = _member(request, pk)
        if request.method == "GET":
            rows = member.trl_assessments.order_by("assessed_on", "created_at", "pk")
            return Response(TrlAssessmentSerializer(rows, many=True).data)
        data = self.valid(TrlInputSerializer)
        assessment = self.call(
            services.trl_assess,
            member=member,
            by=request.user,
            kind=data["kind"],
            level=data["level"],
            evidence=data.get("evidence") or {},
            note=data.get("note", ""),
            assessed_on=data.get("assessed_on"),
        )
        return Response(TrlAssessmentSerializer(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: WorkSessionSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=WorkSessionInputSerializer,
        responses={201: WorkSessionSerializer, **ERRORS},
        description="Record a work session with the entity's team (the lab's team or the entity).",
    )
    @action(detail=True, methods=["get", "post"], url_path="work-sessions")
    def work_sessions(self, request, pk=None):
        member = _member(request, pk)
        if request.method == "GET":
            return Response(
                WorkSessionSerializer(
                    member.work_sessions.select_related("challenge").prefetch_related("attendees"), many=True
                ).data
            )
        data = self.valid(WorkSessionInputSerializer)
        data.pop("member", None)
        data.pop("challenge", None)
        attendees = list(get_user_model().objects.filter(pk__in=data.pop("attendees", [])))
        data["held_at"] = _zoned(data["held_at"], member.programme.call.lab.time_zone, "held_at")
        session = self.call(
            services.work_session_record,
            programme=member.programme,
            member=member,
            by=request.user,
            attendees=attendees,
            **data,
        )
        return Response(WorkSessionSerializer(session).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=HoursInputSerializer,
        responses={201: HoursEntrySerializer, **ERRORS},
        description="Record hours for this member (the solver for itself, or the lab's team).",
    )
    @action(detail=True, methods=["post"])
    def hours(self, request, pk=None):
        member = _member(request, pk)
        data = self.valid(HoursInputSerializer)
        data.pop("member", None)
        entry = self.call(
            services.hours_record, programme=member.programme, member=member, by=request.user, **data
        )
        return Response(HoursEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


# --- Actions and milestones ----------------------------------------------------------------------------


class ActionViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    queryset = AgreedAction.objects.all()
    serializer_class = ActionSerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = ID_PATTERN

    @extend_schema(
        request=ActionStatusSerializer,
        responses={200: ActionSerializer, **ERRORS},
        description="Mark an agreed action done, dropped or open again.",
    )
    def partial_update(self, request, pk=None):
        row = get_object_or_404(AgreedAction, pk=pk)
        member = _member(request, row.member_id, "strengthening.view_mentoring")
        row.member = member
        data = self.valid(ActionStatusSerializer)
        row = self.call(
            services.action_set_status,
            action=row,
            by=request.user,
            status=data["status"],
            done_on=data.get("done_on"),
        )
        return Response(ActionSerializer(row).data)


class MilestoneViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    queryset = Milestone.objects.all()
    serializer_class = MilestoneSerializer
    permission_classes = [permissions.IsAuthenticated]
    lookup_value_regex = ID_PATTERN

    def get_milestone(self) -> Milestone:
        row = get_object_or_404(Milestone, pk=self.kwargs["pk"])
        row.member = _member(self.request, row.member_id)
        return row

    @extend_schema(responses={200: MilestoneSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        return Response(MilestoneSerializer(self.get_milestone()).data)

    @extend_schema(
        request=EvidenceSerializer,
        responses={200: MilestoneSerializer, **ERRORS},
        description="Hand in the evidence (the solver); files go through the web page.",
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        milestone = self.get_milestone()
        data = self.valid(EvidenceSerializer)
        milestone = self.call(services.milestone_submit, milestone=milestone, by=request.user, **data)
        return Response(MilestoneSerializer(milestone).data)

    @extend_schema(
        request=MilestoneReviewSerializer,
        responses={200: MilestoneSerializer, **ERRORS},
        description="Accept or reject the evidence (the lab's team or the entity); a rejection needs a note.",
    )
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        milestone = self.get_milestone()
        data = self.valid(MilestoneReviewSerializer)
        milestone = self.call(
            services.milestone_review,
            milestone=milestone,
            by=request.user,
            accept=data["accept"],
            note=data.get("note", ""),
        )
        return Response(MilestoneSerializer(milestone).data)


def register(router) -> None:
    """Register this app's API endpoints on the v1 router."""
    router.register("strengthening/programmes", ProgrammeViewSet, basename="strengthening-programme")
    router.register("strengthening/bootcamps", BootcampViewSet, basename="strengthening-bootcamp")
    router.register("strengthening/mentors", MentorViewSet, basename="strengthening-mentor")
    router.register(
        "strengthening/mentor-assignments",
        MentorAssignmentViewSet,
        basename="strengthening-mentor-assignment",
    )
    router.register("strengthening/members", MemberViewSet, basename="strengthening-member")
    router.register("strengthening/actions", ActionViewSet, basename="strengthening-action")
    router.register("strengthening/milestones", MilestoneViewSet, basename="strengthening-milestone")
