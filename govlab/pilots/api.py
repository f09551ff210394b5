"""The pilots API: pilots with their hypotheses, metrics and participants; units and their randomisation;
observations (one, in bulk, or a CSV file); the analysis; the start and the decision.

Every write calls the service the pages call, with the same rules (``rules``): the lab's team and the
challenge's public entity manage a pilot (the lab starts it); the piloted solver's members see it and
record observations. A pilot the caller may not see answers 404; one they see, with an action they may
not take, answers 403 (401 signed out).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from govlab.calls.models import Application
from govlab.core.api import ERRORS, ID_PATTERN, ApiError, Pagination, ServiceViewSetMixin, service_refusal

from . import analysis, selectors, services
from .enums import Source
from .models import Hypothesis, Metric, Observation, Pilot, PilotUnit
from .serializers import (
    AnalysisSerializer,
    DecisionSerializer,
    ImportSerializer,
    ImportUploadSerializer,
    ObservationBulkSerializer,
    ObservationSerializer,
    PilotListSerializer,
    PilotSerializer,
    PilotWriteSerializer,
    UnitSerializer,
    UnitsSerializer,
    VerificationSerializer,
)

REFUSAL_MESSAGES = {
    "not_preselected": "Only a preselected solution can be piloted.",
    "exists": "This solution already has a pilot.",
    "not_ready": "The pilot needs a hypothesis and a metric before it starts.",
    "decided": "This pilot is decided.",
    "duplicate": "An observation of this metric, unit, day and period is already recorded.",
    "csv": "Nothing was imported: the file has errors (by row and column in ``fields``).",
}
PILOT_FIELDS = (
    "title",
    "objective",
    "design",
    "starts_on",
    "ends_on",
    "baseline_starts_on",
    "sites",
    "budget",
    "risks",
    "consent_ethics",
)


class PilotViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    """Pilots of preselected solutions, as experiments."""

    lookup_value_regex = ID_PATTERN
    queryset = Pilot.objects.all()
    serializer_class = PilotSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = Pagination
    refusal_messages = REFUSAL_MESSAGES

    def get_pilot(self, perm: str = "view") -> Pilot:
        pilot = (
            Pilot.objects.select_related(*selectors.BASE_RELATED)
            .prefetch_related(
                Prefetch("hypotheses", queryset=Hypothesis.objects.order_by("order", "pk")),
                "metrics",
                "participants",
                "units",
            )
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        user = self.request.user
        if pilot is None or not user.has_perm("pilots.view", pilot):
            raise Http404
        if perm != "view" and not user.has_perm(f"pilots.{perm}", pilot):
            raise exceptions.PermissionDenied
        return pilot

    def _fresh(self, pilot) -> dict:
        self.kwargs["pk"] = pilot.pk
        return PilotSerializer(self.get_pilot()).data

    @extend_schema(
        responses={200: PilotListSerializer(many=True), **ERRORS},
        description="The pilots you may see: your labs', your entities' challenges', your solvers'.",
    )
    def list(self, request):
        page = self.paginate_queryset(selectors.visible_pilots(request.user))
        return self.get_paginated_response(PilotListSerializer(page, many=True).data)

    @extend_schema(
        request=PilotWriteSerializer,
        responses={201: PilotSerializer, **ERRORS},
        description=(
            "Plan a pilot for a preselected application (the lab's team or the challenge's entity), in "
            "draft. Hypotheses and metrics may come now or later; both are needed to start."
        ),
    )
    def create(self, request):
        data = self.valid(PilotWriteSerializer)
        application = (
            Application.objects.select_related("call__lab", "challenge")
            .filter(pk=data.pop("application"))
            .first()
        )
        if application is None or not request.user.has_perm("pilots.view", application):
            raise ApiError(
                status_code=400,
                code="invalid",
                message="The request has invalid fields.",
                fields={"application": ["No such application."]},
            )
        pilot = self.call(services.pilot_create, application=application, by=request.user, **data)
        return Response(self._fresh(pilot), status=status.HTTP_201_CREATED)

    @extend_schema(responses={200: PilotSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        return Response(PilotSerializer(self.get_pilot()).data)

    @extend_schema(
        request=PilotWriteSerializer,
        responses={200: PilotSerializer, **ERRORS},
        description=(
            "Change a pilot (the lab's team or the entity): send any subset. ``hypotheses`` and ``metrics``, "
            "when sent, replace the lists (give ``id`` to keep a row); a metric with observations stays."
        ),
    )
    def partial_update(self, request, pk=None):
        pilot = self.get_pilot("manage")
        data = self.valid(PilotWriteSerializer, partial=True)
        data.pop("application", None)
        kwargs = {name: data[name] for name in PILOT_FIELDS if name in data}
        for name in ("hypotheses", "metrics", "participants"):
            if name in data:
                kwargs[name] = data[name]
        pilot = self.call(services.pilot_update, pilot=pilot, by=request.user, **kwargs)
        return Response(self._fresh(pilot))

    @extend_schema(
        request=None,
        responses={200: PilotSerializer, **ERRORS},
        description="Start the pilot (the lab's team): the challenge moves to piloting.",
    )
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        pilot = self.call(services.pilot_start, pilot=self.get_pilot("start"), by=request.user)
        return Response(self._fresh(pilot))

    @extend_schema(
        request=None,
        responses={200: PilotSerializer, **ERRORS},
        description="End observation: the pilot is analysed.",
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        pilot = self.call(services.pilot_end, pilot=self.get_pilot("manage"), by=request.user)
        return Response(self._fresh(pilot))

    @extend_schema(methods=["GET"], responses={200: UnitSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["PUT"],
        request=UnitsSerializer,
        responses={200: UnitSerializer(many=True), **ERRORS},
        description="Replace the units (code, label, arm — arms by hand for A/B designs only).",
    )
    @action(detail=True, methods=["get", "put"])
    def units(self, request, pk=None):
        if request.method == "GET":
            pilot = self.get_pilot()
            return Response(UnitSerializer(PilotUnit.objects.filter(pilot=pilot), many=True).data)
        pilot = self.get_pilot("manage")
        data = self.valid(UnitsSerializer)
        self.call(services.units_set, pilot=pilot, by=request.user, units=data["units"])
        return Response(UnitSerializer(PilotUnit.objects.filter(pilot=pilot), many=True).data)

    @extend_schema(
        request=None,
        responses={200: PilotSerializer, **ERRORS},
        description=(
            "Randomised designs: the platform draws a seed, records it with the algorithm and the "
            "assignment's fingerprint, and assigns the units to arms A and B (balanced). Once only."
        ),
    )
    @action(detail=True, methods=["post"])
    def randomise(self, request, pk=None):
        pilot = self.call(services.pilot_randomise, pilot=self.get_pilot("manage"), by=request.user)
        return Response(self._fresh(pilot))

    @extend_schema(
        responses={200: VerificationSerializer, **ERRORS},
        description="Redo the draw from the recorded seed: is the stored assignment the one it gives?",
    )
    @action(detail=True, methods=["get"])
    def assignment(self, request, pk=None):
        verification = selectors.verify_assignment(self.get_pilot())
        return Response(VerificationSerializer(verification).data)

    @extend_schema(
        methods=["GET"],
        parameters=[OpenApiParameter("metric", str, description="A metric's code.")],
        responses={200: ObservationSerializer(many=True), **ERRORS},
    )
    @extend_schema(
        methods=["POST"],
        request=ObservationBulkSerializer,
        responses={201: ObservationSerializer(many=True), **ERRORS},
        description=(
            "Record observations (the pilot's team and the solver): all or none. Errors are keyed "
            "``observations.<index>.<field>``. Send one as a list of one."
        ),
    )
    @action(detail=True, methods=["get", "post"])
    def observations(self, request, pk=None):
        if request.method == "GET":
            pilot = self.get_pilot()
            queryset = (
                Observation.objects.filter(pilot=pilot)
                .select_related("metric", "unit")
                .order_by("metric__order", "observed_on", "pk")
            )
            code = (request.query_params.get("metric") or "").strip()
            if code:
                queryset = queryset.filter(metric__code=code)
            page = self.paginate_queryset(queryset)
            return self.get_paginated_response(ObservationSerializer(page, many=True).data)
        pilot = self.get_pilot("record")
        data = self.valid(ObservationBulkSerializer)
        rows = [
            {**row, "unit": row.get("unit", ""), "group": row.get("group", ""), "note": row.get("note", "")}
            for row in data["observations"]
        ]
        try:
            made = services.observations_record(pilot=pilot, by=request.user, rows=rows, source=Source.API)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                prefixed = ValidationError(
                    {
                        (f"observations.{name}" if name[:1].isdigit() else name): messages
                        for name, messages in error.message_dict.items()
                    }
                )
                prefixed.code = getattr(error, "code", "invalid")
                error = prefixed
            raise service_refusal(error, messages=REFUSAL_MESSAGES) from error
        for observation in made:
            observation.metric = next(m for m in pilot.metrics.all() if m.pk == observation.metric_id)
        return Response(ObservationSerializer(made, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request={"multipart/form-data": ImportUploadSerializer},
        responses={201: ImportSerializer, **ERRORS},
        description=(
            "Import a CSV file of observations: all rows or none. On error (code ``csv``) every problem "
            "is listed in ``fields`` as ``<row>.<column>`` (the header is row 1)."
        ),
    )
    @action(detail=True, methods=["post"], url_path="import", parser_classes=[MultiPartParser, FormParser])
    def import_csv(self, request, pk=None):
        pilot = self.get_pilot("record")
        upload = request.FILES.get("file")
        if upload is None:
            raise ApiError(
                status_code=400,
                code="invalid",
                message="The request has invalid fields.",
                fields={"file": ["Send the CSV file."]},
            )
        if upload.size > 2 * 1024 * 1024:
            raise ApiError(
                status_code=400,
                code="invalid",
                message="The request has invalid fields.",
                fields={"file": ["The file is larger than 2 MB."]},
            )
        try:
            batch = services.observation_import_csv(
                pilot=pilot, by=request.user, content=upload.read(), file_name=upload.name
            )
        except services.ImportRefused as error:
            fields: dict[str, list[str]] = {}
            for row, column, message in error.rows:
                fields.setdefault(f"{row}.{column or 'row'}", []).append(message)
            raise ApiError(
                status_code=400, code="csv", message=" ".join(error.messages), fields=fields
            ) from error
        except ValidationError as error:
            raise service_refusal(error, messages=REFUSAL_MESSAGES) from error
        return Response(ImportSerializer(batch).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={200: AnalysisSerializer, **ERRORS},
        description=(
            "The analysis per metric: groups, the method (Welch's t-test for means, two-proportion z-test "
            "for rates, one-sample t-test against the baseline value when a before/after pilot has no "
            "“before” data), the difference B - A with its 95% interval and p-value, the change against the "
            "baseline, whether the target is met, and a plain-language summary (or why it cannot conclude)."
        ),
    )
    @action(detail=True, methods=["get"])
    def analysis(self, request, pk=None):
        pilot = self.get_pilot()
        result = analysis.analyse(pilot, metrics=list(Metric.objects.filter(pilot=pilot)))
        return Response(analysis.snapshot(result))

    @extend_schema(
        request=DecisionSerializer,
        responses={200: PilotSerializer, **ERRORS},
        description=(
            "Decide (the lab's team or the entity): scale, iterate or stop, with the rationale. It needs an "
            "analysis (observations of every metric); the analysis is kept with the decision. A stopped "
            "pilot stays visible as learning."
        ),
    )
    @action(detail=True, methods=["post"])
    def decision(self, request, pk=None):
        pilot = self.get_pilot("manage")
        data = self.valid(DecisionSerializer)
        pilot = self.call(
            services.pilot_decide,
            pilot=pilot,
            by=request.user,
            decision=data["decision"],
            rationale=data["rationale"],
            lessons=data.get("lessons", ""),
        )
        return Response(self._fresh(pilot))


def register(router) -> None:
    """Register this app's API endpoints on the v1 router."""
    router.register("pilots", PilotViewSet, basename="pilot")
