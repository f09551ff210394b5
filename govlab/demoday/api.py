"""The Demo Day API: the event, agenda, criteria, jury, conflict-of-interest declarations, the jury's
scores, the ranking and the selection per challenge.

Every write calls the service the HTML views call; ``demoday.manage`` is the lab's team, ``demoday.judge``
an active juror. A Demo Day the caller is neither staff nor juror of answers 404; an action they may not
take 403 (401 signed out). A juror reaches only their own declarations and scores; an application that does
not pitch answers 404. Scores are judged by when the request arrived (``received_at``): a score sent after
the lab closed scoring is refused with ``scoring_closed``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from govlab.calls.models import Application, Call
from govlab.core.api import ERRORS, ID_PATTERN, invalid
from govlab.core.api import ServiceViewSetMixin as BaseServiceViewSetMixin
from govlab.core.timezones import local_to_utc
from govlab.labs.rules import is_lab_staff

from . import aggregation, services
from .models import DemoDay, JuryDeclaration, JuryMember, JuryScore, Selection
from .selectors import juror_of, pitches
from .serializers import (
    DemoDayCriteriaSerializer,
    DemoDayCriterionSerializer,
    DemoDayDeclarationSerializer,
    DemoDayJurorSerializer,
    DemoDayPitchSerializer,
    DemoDayRankingRowSerializer,
    DemoDayScoreInputSerializer,
    DemoDayScoreSerializer,
    DemoDaySelectionInputSerializer,
    DemoDaySelectionSerializer,
    DemoDaySerializer,
    DemoDayStatusSerializer,
)

MANAGE = "demoday.manage"
JUDGE = "demoday.judge"

REFUSAL_MESSAGES = {
    "scoring_closed": "Scoring is closed.",
    "scoring_not_open": "Scoring has not opened yet.",
    "scoring_not_closed": "Close the jury's scoring before selecting a solution.",
    "not_preselected": "This application was not preselected.",
    "not_declared": "Declare whether you have a conflict of interest first.",
    "conflicted": "A conflict of interest was declared.",
}
FORBIDDEN_CODES = ("not_allowed", "not_member", "not_declared", "conflicted")
NOT_FOUND_CODES = ("not_pitching",)

CHALLENGE_PARAMETER = OpenApiParameter("challenge", str, description="A challenge's reference.")
MEMBER_PARAMETER = OpenApiParameter(
    "member_id", int, OpenApiParameter.PATH, description="A jury member's id."
)


class ServiceViewSetMixin(BaseServiceViewSetMixin):
    refusal_messages = REFUSAL_MESSAGES
    forbidden_codes = FORBIDDEN_CODES
    not_found_codes = NOT_FOUND_CODES


def _instant(value, lab, field: str):
    if value is None or timezone.is_aware(value):
        return value
    try:
        return local_to_utc(value, lab.time_zone or "UTC")
    except DjangoValidationError as error:
        raise invalid(**{field: " ".join(error.messages)}) from error


class DemoDayViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    """Demo Days: run by the lab's team, scored by the jury."""

    lookup_value_regex = ID_PATTERN
    lookup_url_kwarg = "demo_day_id"
    queryset = DemoDay.objects.all()
    serializer_class = DemoDaySerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_demo_day(self, perm: str = MANAGE) -> DemoDay:
        demo_day = get_object_or_404(
            DemoDay.objects.select_related("call", "call__lab"), pk=self.kwargs["demo_day_id"]
        )
        user = self.request.user
        if not (user.has_perm(MANAGE, demo_day) or user.has_perm(JUDGE, demo_day)):
            raise Http404
        if not user.has_perm(perm, demo_day):
            raise exceptions.PermissionDenied
        return demo_day

    def _application(self, demo_day, pk: int, field: str = "application") -> Application:
        application = (
            Application.objects.select_related("call", "call__lab", "challenge", "organisation")
            .filter(pk=pk, call=demo_day.call)
            .first()
        )
        if application is None:
            raise invalid(**{field: "No such application in this call."})
        return application

    # --- The event ---

    @extend_schema(responses={200: DemoDaySerializer(many=True), **ERRORS})
    def list(self, request):
        """The Demo Days of the labs you run and those you are on the jury of."""
        from django.db.models import Q

        from govlab.labs.enums import LAB_TEAM_ROLES
        from govlab.labs.selectors import user_lab_roles

        user = request.user
        staff_labs = [lab_id for lab_id, roles in user_lab_roles(user).items() if roles & set(LAB_TEAM_ROLES)]
        days = (
            DemoDay.objects.filter(
                Q(call__lab_id__in=staff_labs) | Q(jury__user=user, jury__removed_at__isnull=True)
            )
            .select_related("call", "call__lab")
            .distinct()
            .order_by("-starts_at", "pk")
        )
        page = self.paginate_queryset(days)
        return self.get_paginated_response(DemoDaySerializer(page, many=True).data)

    @extend_schema(request=DemoDaySerializer, responses={201: DemoDaySerializer, **ERRORS})
    def create(self, request):
        """Plan a call's Demo Day (lab staff); times without an offset are in the lab's time zone."""
        data = self.valid(DemoDaySerializer)
        call = Call.objects.select_related("lab").filter(pk=data.pop("call_id")).first()
        if call is None or not (
            request.user.has_perm("calls.view_call", call) or is_lab_staff(request.user, call.lab)
        ):
            raise invalid(call="No such call.")
        for key in ("starts_at", "ends_at"):
            data[key] = _instant(data[key], call.lab, key)
        demo_day = self.call(services.demo_day_create, call=call, by=request.user, **data)
        return Response(DemoDaySerializer(demo_day).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: DemoDaySerializer, **ERRORS})
    def retrieve(self, request, demo_day_id=None):
        return Response(DemoDaySerializer(self.get_demo_day(JUDGE if not self._staff() else MANAGE)).data)

    def _staff(self) -> bool:
        demo_day = (
            DemoDay.objects.select_related("call__lab").filter(pk=self.kwargs.get("demo_day_id")).first()
        )
        return bool(demo_day and self.request.user.has_perm(MANAGE, demo_day))

    @extend_schema(request=DemoDaySerializer, responses={200: DemoDaySerializer, **ERRORS})
    def partial_update(self, request, demo_day_id=None):
        """Change the title, times, place, link or description (lab staff)."""
        demo_day = self.get_demo_day()
        data = self.valid(DemoDaySerializer, partial=True)
        data.pop("call_id", None)
        values = {
            "title": data.get("title", demo_day.title),
            "starts_at": _instant(data.get("starts_at", demo_day.starts_at), demo_day.call.lab, "starts_at"),
            "ends_at": _instant(data.get("ends_at", demo_day.ends_at), demo_day.call.lab, "ends_at"),
            "place": data.get("place", demo_day.place),
            "link": data.get("link", demo_day.link),
            "description": data.get("description", demo_day.description),
        }
        demo_day = self.call(services.demo_day_update, demo_day=demo_day, by=request.user, **values)
        return Response(DemoDaySerializer(demo_day).data)

    @extend_schema(
        request=DemoDayStatusSerializer,
        responses={200: DemoDaySerializer, **ERRORS},
        description="Open the jury's scoring, or close it (lab staff). Decided follows the last selection.",
    )
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, demo_day_id=None):
        demo_day = self.get_demo_day()
        data = self.valid(DemoDayStatusSerializer)
        demo_day = self.call(services.demo_day_set_status, demo_day=demo_day, by=request.user, **data)
        return Response(DemoDaySerializer(demo_day).data)

    # --- Agenda ---

    @extend_schema(methods=["GET"], responses={200: DemoDayPitchSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=DemoDayPitchSerializer,
        responses={201: DemoDayPitchSerializer, **ERRORS},
        description="Put a preselected application on the agenda (lab staff); any other is refused "
        "with not_preselected.",
    )
    @action(detail=True, methods=["get", "post"])
    def pitches(self, request, demo_day_id=None):
        if request.method == "GET":
            demo_day = self.get_demo_day(JUDGE if not self._staff() else MANAGE)
            return Response(DemoDayPitchSerializer(pitches(demo_day), many=True).data)
        demo_day = self.get_demo_day()
        data = self.valid(DemoDayPitchSerializer)
        application = self._application(demo_day, data["application_id"])
        pitch = self.call(
            services.pitch_save,
            demo_day=demo_day,
            by=request.user,
            application=application,
            order=data.get("order"),
            starts_at=_instant(data.get("starts_at"), demo_day.call.lab, "starts_at"),
            minutes=data.get("minutes", 10),
            title=data.get("title", ""),
        )
        return Response(DemoDayPitchSerializer(pitch).data, status=status.HTTP_201_CREATED)

    # --- Criteria ---

    @extend_schema(methods=["GET"], responses={200: DemoDayCriterionSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["PUT"],
        request=DemoDayCriteriaSerializer,
        responses={200: DemoDayCriterionSerializer(many=True), **ERRORS},
        description="Replace the jury's criteria (lab staff, before scoring opens).",
    )
    @action(detail=True, methods=["get", "put"])
    def criteria(self, request, demo_day_id=None):
        if request.method == "GET":
            demo_day = self.get_demo_day(JUDGE if not self._staff() else MANAGE)
            return Response(
                DemoDayCriterionSerializer(demo_day.criteria.order_by("position", "pk"), many=True).data
            )
        demo_day = self.get_demo_day()
        data = self.valid(DemoDayCriteriaSerializer)
        saved = self.call(
            services.criteria_set,
            demo_day=demo_day,
            by=request.user,
            criteria=[dict(item) for item in data["criteria"]],
        )
        return Response(DemoDayCriterionSerializer(saved, many=True).data)

    @extend_schema(
        request=None,
        responses={200: DemoDayCriterionSerializer(many=True), **ERRORS},
        description="Replace the jury's criteria with a copy of the call's evaluation criteria.",
    )
    @action(detail=True, methods=["post"], url_path="criteria/copy-from-call")
    def copy_criteria(self, request, demo_day_id=None):
        demo_day = self.get_demo_day()
        saved = self.call(services.criteria_copy_from_call, demo_day=demo_day, by=request.user)
        return Response(DemoDayCriterionSerializer(saved, many=True).data)

    # --- Jury ---

    @extend_schema(methods=["GET"], responses={200: DemoDayJurorSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"], request=DemoDayJurorSerializer, responses={201: DemoDayJurorSerializer, **ERRORS}
    )
    @action(detail=True, methods=["get", "post"])
    def jury(self, request, demo_day_id=None):
        demo_day = self.get_demo_day()
        if request.method == "GET":
            members = JuryMember.objects.filter(demo_day=demo_day).select_related("user").order_by("pk")
            return Response(DemoDayJurorSerializer(members, many=True).data)
        from django.contrib.auth import get_user_model

        data = self.valid(DemoDayJurorSerializer)
        user = get_user_model().objects.filter(pk=data["user_id"]).first()
        if user is None:
            raise invalid(user="No such person.")
        member = self.call(
            services.juror_add, demo_day=demo_day, user=user, role=data["role"], by=request.user
        )
        return Response(DemoDayJurorSerializer(member).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[MEMBER_PARAMETER], request=None, responses={200: DemoDayJurorSerializer, **ERRORS}
    )
    @action(detail=True, methods=["post"], url_path=r"jury/(?P<member_id>[0-9]{1,18})/remove")
    def remove_juror(self, request, demo_day_id=None, member_id=None):
        demo_day = self.get_demo_day()
        member = get_object_or_404(JuryMember.objects.select_related("user"), pk=member_id, demo_day=demo_day)
        member.demo_day = demo_day
        member = self.call(services.juror_remove, member=member, by=request.user)
        return Response(DemoDayJurorSerializer(member).data)

    # --- Declarations and scores (the juror's own; the lab's team reads all) ---

    @extend_schema(methods=["GET"], responses={200: DemoDayDeclarationSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=DemoDayDeclarationSerializer,
        responses={201: DemoDayDeclarationSerializer, **ERRORS},
        description="Your declaration for one pitching application (jurors), once, before scoring it.",
    )
    @action(detail=True, methods=["get", "post"])
    def declarations(self, request, demo_day_id=None):
        staff = self._staff()
        if request.method == "GET":
            demo_day = self.get_demo_day(MANAGE if staff else JUDGE)
            rows = JuryDeclaration.objects.filter(member__demo_day=demo_day)
            if not staff:
                rows = rows.filter(member__user=request.user)
            return Response(DemoDayDeclarationSerializer(rows.order_by("pk"), many=True).data)
        demo_day = self.get_demo_day(JUDGE)
        member = juror_of(request.user, demo_day)
        member.demo_day = demo_day
        data = self.valid(DemoDayDeclarationSerializer)
        application = self._application(demo_day, data["application_id"])
        declaration = self.call(
            services.jury_declare,
            member=member,
            application=application,
            has_conflict=data["has_conflict"],
            reason=data.get("reason", ""),
            by=request.user,
        )
        return Response(DemoDayDeclarationSerializer(declaration).data, status=status.HTTP_201_CREATED)

    @extend_schema(methods=["GET"], responses={200: DemoDayScoreSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=DemoDayScoreInputSerializer,
        responses={200: DemoDayScoreSerializer(many=True), **ERRORS},
        description="Save your levels for one pitch (jurors) while scoring is open; judged on the request's "
        "arrival. After scoring closed: 400 scoring_closed. With a declared conflict: 403 conflicted.",
    )
    @action(detail=True, methods=["get", "post"])
    def scores(self, request, demo_day_id=None):
        staff = self._staff()
        if request.method == "GET":
            demo_day = self.get_demo_day(MANAGE if staff else JUDGE)
            rows = JuryScore.objects.filter(member__demo_day=demo_day)
            if not staff:
                rows = rows.filter(member__user=request.user)
            return Response(
                DemoDayScoreSerializer(
                    rows.order_by("application_id", "member_id", "criterion_id"), many=True
                ).data
            )
        demo_day = self.get_demo_day(JUDGE)
        member = juror_of(request.user, demo_day)
        member.demo_day = demo_day
        data = self.valid(DemoDayScoreInputSerializer)
        application = self._application(demo_day, data["application_id"])
        saved = self.call(
            services.score_save,
            member=member,
            application=application,
            by=request.user,
            scores=data["scores"],
            comments=data.get("comments") or {},
            received_at=self.received_at(),
        )
        return Response(DemoDayScoreSerializer(saved, many=True).data)

    # --- Ranking and selection ---

    @extend_schema(
        parameters=[CHALLENGE_PARAMETER],
        responses={200: DemoDayRankingRowSerializer(many=True), **ERRORS},
        description="Per application: the mean of the non-recused jurors' weighted totals (0–100), their "
        "number, standard deviation and spread; ranks are within a challenge (lab staff).",
    )
    @action(detail=True, methods=["get"])
    def ranking(self, request, demo_day_id=None):
        demo_day = self.get_demo_day()
        challenge = None
        reference = (request.query_params.get("challenge") or "").strip()
        if reference:
            challenge = demo_day.call.challenges.filter(reference=reference).first()
            if challenge is None:
                raise invalid(challenge="This challenge is not part of the call.")
        rows = aggregation.ranking(demo_day, challenge)
        for row in rows:
            row.criterion_means = {str(k): v for k, v in row.criterion_means.items()}
        return Response(DemoDayRankingRowSerializer(rows, many=True).data)

    @extend_schema(methods=["GET"], responses={200: DemoDaySelectionSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=DemoDaySelectionInputSerializer,
        responses={201: DemoDaySelectionSerializer(many=True), **ERRORS},
        description="Select the solution of one challenge (lab staff) after scoring closed: moves the "
        "challenge to solution_selected and tells every preselected solver. An application that was not "
        "preselected is refused with not_preselected; a second selection with decided.",
    )
    @action(detail=True, methods=["get", "post"])
    def selections(self, request, demo_day_id=None):
        demo_day = self.get_demo_day()
        if request.method == "GET":
            rows = Selection.objects.filter(demo_day=demo_day).select_related(
                "challenge", "application", "application__organisation"
            )
            return Response(DemoDaySelectionSerializer(rows, many=True).data)
        data = self.valid(DemoDaySelectionInputSerializer)
        challenge = demo_day.call.challenges.filter(reference=data["challenge"]).first()
        if challenge is None:
            raise invalid(challenge="This challenge is not part of the call.")
        application = Application.objects.filter(pk=data["application"]).first()
        if application is None:
            raise invalid(application="No such application.")
        also = list(Application.objects.filter(pk__in=data.get("also") or []))
        selections = self.call(
            services.select_solution,
            demo_day=demo_day,
            challenge=challenge,
            application=application,
            also=also,
            reasons=data["reasons"],
            feedback=data.get("feedback") or {},
            by=request.user,
        )
        rows = Selection.objects.filter(pk__in=[s.pk for s in selections]).select_related(
            "challenge", "application", "application__organisation"
        )
        return Response(DemoDaySelectionSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)


def register(router) -> None:
    """Register this app's API endpoints on the v1 router."""
    router.register("demo-day/days", DemoDayViewSet, basename="demoday")
