"""The procurement API: the lab's procedure types and thresholds (read by the lab's members, written by its
manager), a challenge's route options, and processes (create, update, steps, award, cancel).

Every write calls the service the pages call, with the same rules (``rules``). Something the caller may
not see answers 404; something they see, with an action they may not take, answers 403 (401 signed out).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from govlab.calls.models import Application
from govlab.challenges.models import Challenge
from govlab.core.api import CONFLICT, ERRORS, ID_PATTERN, Pagination, ServiceViewSetMixin, invalid
from govlab.labs.models import Lab
from govlab.labs.selectors import user_lab_roles

from . import selectors, services
from .models import ProcedureType, ProcessStep, ProcurementProcess, Threshold
from .serializers import (
    AwardDecisionSerializer,
    ProcedureSerializer,
    ProcedureWriteSerializer,
    ProcessCreateSerializer,
    ProcessStepSerializer,
    ProcessStepWriteSerializer,
    ProcessUpdateSerializer,
    ProcurementCancelSerializer,
    ProcurementProcessListSerializer,
    ProcurementProcessSerializer,
    RoutesSerializer,
    ThresholdSerializer,
    ThresholdWriteSerializer,
)

REFUSAL_MESSAGES = {
    "route_unavailable": "This route is not available for the challenge (the reasons are in ``fields``).",
    "not_selected": "A procurement starts when the challenge's solution is selected.",
    "exists": "This challenge already has a procurement process.",
    "awarded": "This process is already awarded.",
    "cancelled": "This process is cancelled.",
    "in_use": "A process was chosen under this threshold.",
    "has_contract": "A contract was made for this process's award.",
}
NOTICE = "Data-driven from the lab's reference data, each rule with its source; not legal advice."


def _reader_lab_ids(user) -> list[int]:
    if getattr(user, "is_superuser", False):
        return list(Lab.objects.values_list("pk", flat=True))
    return [lab_id for lab_id, roles in user_lab_roles(user).items() if roles]


class ProcedureViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    """The procedure types of the labs you belong to, with their thresholds."""

    lookup_value_regex = ID_PATTERN
    queryset = ProcedureType.objects.all()
    serializer_class = ProcedureSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = Pagination
    refusal_messages = REFUSAL_MESSAGES

    def _queryset(self):
        return (
            ProcedureType.objects.filter(lab_id__in=_reader_lab_ids(self.request.user))
            .select_related("lab")
            .prefetch_related(
                Prefetch(
                    "thresholds", queryset=Threshold.objects.select_related("legal_regime").order_by("pk")
                )
            )
            .order_by("lab_id", "jurisdiction", "pk")
        )

    def get_procedure(self, perm: str | None = None) -> ProcedureType:
        procedure = self._queryset().filter(pk=self.kwargs["pk"]).first()
        if procedure is None:
            raise Http404
        if perm and not self.request.user.has_perm(f"procurement.{perm}", procedure.lab):
            raise exceptions.PermissionDenied
        return procedure

    @extend_schema(
        parameters=[OpenApiParameter("lab", str, description="Only this lab's (its short name).")],
        responses={200: ProcedureSerializer(many=True), **ERRORS},
    )
    def list(self, request):
        queryset = self._queryset()
        if request.query_params.get("lab"):
            queryset = queryset.filter(lab__slug=request.query_params["lab"])
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(
            ProcedureSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(responses={200: ProcedureSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        return Response(ProcedureSerializer(self.get_procedure(), context={"request": request}).data)

    def _fresh(self, procedure):
        self.kwargs["pk"] = procedure.pk
        return ProcedureSerializer(self.get_procedure(), context={"request": self.request}).data

    @extend_schema(
        request=ProcedureWriteSerializer,
        responses={201: ProcedureSerializer, **ERRORS},
        description="Add a procedure type to a lab (its manager).",
    )
    def create(self, request):
        data = self.valid(ProcedureWriteSerializer)
        lab = Lab.objects.filter(slug=data.pop("lab"), pk__in=_reader_lab_ids(request.user)).first()
        if lab is None:
            raise invalid(lab="No such lab.")
        if not request.user.has_perm("procurement.manage_reference", lab):
            raise exceptions.PermissionDenied
        procedure = self.call(services.procedure_save, lab=lab, by=request.user, **data)
        return Response(self._fresh(procedure), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ProcedureWriteSerializer,
        responses={200: ProcedureSerializer, **ERRORS},
        description="Change a procedure type (the lab's manager): send any subset of the fields.",
    )
    def partial_update(self, request, pk=None):
        procedure = self.get_procedure("manage_reference")
        data = self.valid(ProcedureWriteSerializer, partial=True)
        data.pop("lab", None)
        current = {name: getattr(procedure, name) for name in services.PROCEDURE_FIELDS}
        procedure = self.call(
            services.procedure_save,
            lab=procedure.lab,
            by=request.user,
            procedure=procedure,
            **{**current, **data},
        )
        return Response(self._fresh(procedure))


class ThresholdViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    """Thresholds of the procedure types: one per procedure, legal regime and currency, over a period."""

    lookup_value_regex = ID_PATTERN
    queryset = Threshold.objects.all()
    serializer_class = ThresholdSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = Pagination
    refusal_messages = REFUSAL_MESSAGES
    not_found_codes = ("not_found",)

    def _queryset(self):
        return (
            Threshold.objects.filter(procedure__lab_id__in=_reader_lab_ids(self.request.user))
            .select_related("procedure__lab", "legal_regime")
            .order_by("procedure_id", "legal_regime_id", "currency", "valid_from", "pk")
        )

    def get_threshold(self, perm: str | None = None) -> Threshold:
        threshold = self._queryset().filter(pk=self.kwargs["pk"]).first()
        if threshold is None:
            raise Http404
        if perm and not self.request.user.has_perm(f"procurement.{perm}", threshold.procedure.lab):
            raise exceptions.PermissionDenied
        return threshold

    @extend_schema(
        parameters=[OpenApiParameter("procedure", int, description="Only this procedure type's.")],
        responses={200: ThresholdSerializer(many=True), **ERRORS},
    )
    def list(self, request):
        queryset = self._queryset()
        raw = request.query_params.get("procedure")
        if raw:
            if not raw.isdigit() or len(raw) > 18:
                raise invalid(procedure="Give a procedure id.")
            queryset = queryset.filter(procedure_id=int(raw))
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(
            ThresholdSerializer(page, many=True, context={"request": request}).data
        )

    @extend_schema(responses={200: ThresholdSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        return Response(ThresholdSerializer(self.get_threshold(), context={"request": request}).data)

    @extend_schema(
        request=ThresholdWriteSerializer,
        responses={201: ThresholdSerializer, **ERRORS},
        description=(
            "Add a threshold (the lab's manager). Minimum inclusive, maximum exclusive, valid until "
            "inclusive; a period overlapping another threshold of the same procedure, regime and "
            "currency is refused."
        ),
    )
    def create(self, request):
        data = self.valid(ThresholdWriteSerializer)
        procedure = (
            ProcedureType.objects.filter(pk=data.pop("procedure"), lab_id__in=_reader_lab_ids(request.user))
            .select_related("lab")
            .first()
        )
        if procedure is None:
            raise invalid(procedure="No such procedure.")
        if not request.user.has_perm("procurement.manage_reference", procedure.lab):
            raise exceptions.PermissionDenied
        threshold = self.call(services.threshold_save, procedure=procedure, by=request.user, **data)
        self.kwargs["pk"] = threshold.pk
        return Response(ThresholdSerializer(self.get_threshold()).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ThresholdWriteSerializer,
        responses={200: ThresholdSerializer, **ERRORS},
        description="Change a threshold (the lab's manager): send any subset of the fields.",
    )
    def partial_update(self, request, pk=None):
        threshold = self.get_threshold("manage_reference")
        data = self.valid(ThresholdWriteSerializer, partial=True)
        data.pop("procedure", None)
        current = {name: getattr(threshold, name) for name in services.THRESHOLD_FIELDS}
        self.call(
            services.threshold_save,
            procedure=threshold.procedure,
            by=request.user,
            threshold=threshold,
            **{**current, **data},
        )
        return Response(ThresholdSerializer(self.get_threshold()).data)

    @extend_schema(
        responses={204: None, **ERRORS}, description="Remove a threshold no process was chosen under."
    )
    def destroy(self, request, pk=None):
        threshold = self.get_threshold("manage_reference")
        self.call(services.threshold_delete, threshold=threshold, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RouteViewSet(viewsets.GenericViewSet):
    """Which procurement routes a challenge may take, and why not the others (every rule with its source)."""

    lookup_field = "reference"
    lookup_value_regex = "[^/]+"
    queryset = Challenge.objects.all()
    serializer_class = RoutesSerializer
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "value", OpenApiTypes.DECIMAL, description="Default: the budget, else the estimate."
            ),
            OpenApiParameter("currency", str, description="ISO 4217 code; default: the value's currency."),
            OpenApiParameter(
                "on", OpenApiTypes.DATE, description="The day judged; default: today in the lab."
            ),
        ],
        responses={200: RoutesSerializer, **ERRORS},
        description="The route options for a challenge (the lab's team and the challenge's entity).",
    )
    def retrieve(self, request, reference=None):
        challenge = selectors.challenge_for_routes(request.user, reference)
        if challenge is None:
            raise Http404
        default_value, default_currency = selectors.challenge_value(challenge)
        params = request.query_params
        try:
            value = selectors.parse_amount(params.get("value"))
        except ValueError:
            raise invalid(value="Give an amount, e.g. 150000.") from None
        value = default_value if value is None else value
        currency = params.get("currency") or default_currency
        if currency not in services.CURRENCIES:
            raise invalid(currency="Give an ISO 4217 currency code.")
        on = selectors.lab_today(challenge.lab)
        if params.get("on"):
            try:
                on = dt.date.fromisoformat(params["on"])
            except ValueError:
                raise invalid(on="Give a date as YYYY-MM-DD.") from None
        options = selectors.route_options(challenge, value=value, currency=currency, on=on)
        data = {
            "challenge": challenge.reference,
            "legal_regime": challenge.legal_regime_id,
            "value": value,
            "currency": currency,
            "on": on,
            "notice": NOTICE,
            "options": options,
        }
        return Response(RoutesSerializer(data, context={"request": request}).data)


class ProcessViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    """Procurement processes: the purchase of a challenge's selected solution(s)."""

    lookup_value_regex = ID_PATTERN
    queryset = ProcurementProcess.objects.all()
    serializer_class = ProcurementProcessSerializer
    permission_classes = [permissions.IsAuthenticated]
    pagination_class = Pagination
    refusal_messages = REFUSAL_MESSAGES
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_process(self, perm: str = "view") -> ProcurementProcess:
        process = selectors.process_detail(self.kwargs["pk"])
        user = self.request.user
        if process is None or not user.has_perm("procurement.view", process):
            raise Http404
        if perm != "view" and not user.has_perm(f"procurement.{perm}", process):
            raise exceptions.PermissionDenied
        return process

    def _fresh(self, process) -> dict:
        self.kwargs["pk"] = process.pk
        return ProcurementProcessSerializer(self.get_process(), context={"request": self.request}).data

    @extend_schema(
        responses={200: ProcurementProcessListSerializer(many=True), **ERRORS},
        description="The processes you may see: your labs', your entities' challenges', your awards'.",
    )
    def list(self, request):
        page = self.paginate_queryset(selectors.visible_processes(request.user))
        return self.get_paginated_response(ProcurementProcessListSerializer(page, many=True).data)

    @extend_schema(responses={200: ProcurementProcessSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        return Response(ProcurementProcessSerializer(self.get_process(), context={"request": request}).data)

    @extend_schema(
        request=ProcessCreateSerializer,
        responses={201: ProcurementProcessSerializer, **ERRORS},
        description=(
            "Start the purchase (the lab's team or the challenge's entity) of a challenge whose solution is "
            "selected, through an available route: the challenge moves to procuring."
        ),
    )
    def create(self, request):
        data = self.valid(ProcessCreateSerializer)
        challenge = selectors.challenge_for_routes(request.user, data.pop("challenge"))
        if challenge is None:
            raise invalid(challenge="No such challenge.")
        procedure = ProcedureType.objects.filter(pk=data.pop("procedure"), lab=challenge.lab).first()
        if procedure is None:
            raise invalid(procedure="No such procedure in the challenge's lab.")
        references = data.pop("applications", None)
        applications = None
        if references is not None:
            applications = list(Application.objects.filter(reference__in=references, challenge=challenge))
            if len(applications) != len(set(references)):
                raise invalid(applications="Give the references of the challenge's selected solutions.")
        process = self.call(
            services.process_create,
            challenge=challenge,
            procedure=procedure,
            by=request.user,
            applications=applications,
            co_buyers=data.pop("co_buyers", []),
            **data,
        )
        return Response(self._fresh(process), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ProcessUpdateSerializer,
        responses={200: ProcurementProcessSerializer, **ERRORS, **CONFLICT},
        description="Change the title, description, tender dates or joint buyers; give the version you read.",
    )
    def partial_update(self, request, pk=None):
        process = self.get_process("manage")
        data = self.valid(ProcessUpdateSerializer, partial=True)
        if "version" not in data:
            raise invalid(version="Give the version you read.")
        kwargs = {
            "tender_starts_on": process.tender_starts_on,
            "tender_ends_on": process.tender_ends_on,
            **data,
        }
        process = self.call(services.process_update, process=process, by=request.user, **kwargs)
        return Response(self._fresh(process))

    @extend_schema(
        request=ProcessStepWriteSerializer,
        responses={200: ProcessStepSerializer, **ERRORS},
        description=(
            "Date a step, note it, attach its document (multipart) and say whether the document is public. "
            "Send every field: the step becomes what you send."
        ),
    )
    @action(detail=True, methods=["put"], url_path=r"steps/(?P<step_pk>[0-9]{1,18})")
    def step(self, request, pk=None, step_pk=None):
        process = self.get_process("manage")
        step = ProcessStep.objects.filter(process=process, pk=step_pk).first()
        if step is None:
            raise Http404
        step.process = process
        data = self.valid(ProcessStepWriteSerializer)
        saved = self.call(services.step_save, step=step, by=request.user, **data)
        return Response(ProcessStepSerializer(saved).data)

    @extend_schema(
        request=AwardDecisionSerializer,
        responses={200: ProcurementProcessSerializer, **ERRORS},
        description=(
            "Record the award decision: each supplier once, with a positive value. With a standstill "
            "period the process is in standstill until ``standstill_ends_on``, then awarded."
        ),
    )
    @action(detail=True, methods=["post"])
    def award(self, request, pk=None):
        process = self.get_process("manage")
        data = self.valid(AwardDecisionSerializer)
        # Solutions are named by reference here, by row in the service; the service checks the rest.
        applications = {a.reference: a for a in process.applications.all()}
        awards = []
        for index, item in enumerate(data["awards"]):
            reference = item.get("application")
            if reference and reference not in applications:
                raise invalid(**{f"awards.{index}.application": "Not a selected solution of this process."})
            awards.append({**item, "application": applications.get(reference) if reference else None})
        process = self.call(
            services.process_award, process=process, by=request.user, reasons=data["reasons"], awards=awards
        )
        return Response(self._fresh(process))

    @extend_schema(
        request=ProcurementCancelSerializer,
        responses={200: ProcurementProcessSerializer, **ERRORS},
        description="Cancel the process: the challenge returns to its selected solution.",
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        process = self.get_process("manage")
        data = self.valid(ProcurementCancelSerializer)
        process = self.call(services.process_cancel, process=process, by=request.user, reason=data["reason"])
        return Response(self._fresh(process))


def register(router) -> None:
    """Register this app's API endpoints on the v1 router."""
    router.register("procurement/procedures", ProcedureViewSet, basename="procurement-procedure")
    router.register("procurement/thresholds", ThresholdViewSet, basename="procurement-threshold")
    router.register("procurement/routes", RouteViewSet, basename="procurement-route")
    router.register("procurement/processes", ProcessViewSet, basename="procurement-process")
