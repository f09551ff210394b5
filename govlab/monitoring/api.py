"""The monitoring API: a lab's KPI definitions (with targets and manual values), their computed series, the
funnel, the cycle times, the cross-lab view, the registry of computations, and a lab's public results.

Every write calls the service the pages call, with the same rules (``rules``): the lab's manager defines
KPIs and targets; the lab's team reads everything and enters the values of manual KPIs; the public reads
only the results endpoint (the KPIs the lab published). A lab or KPI the caller may not see answers 404;
one they see, with an action they may not take, answers 403 (401 signed out).
"""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from govlab.core.api import ERRORS, ID_PATTERN, ApiError, ServiceViewSetMixin
from govlab.labs.models import Lab

from . import selectors, services
from .computations import COMPUTATIONS
from .models import KpiDefinition, KpiTarget, KpiValue
from .periods import periods_for, recent_years
from .serializers import (
    ComputationSerializer,
    CrossLabSerializer,
    CycleTimesSerializer,
    FunnelSerializer,
    KpiSerializer,
    KpiSeriesSerializer,
    KpiWriteSerializer,
    PointSerializer,
    PublicKpiSerializer,
    TargetSerializer,
    TargetWriteSerializer,
    ValueSerializer,
    ValueWriteSerializer,
)

REFUSAL_MESSAGES = {
    "computed": "This KPI is computed by govlab: its values cannot be entered.",
    "future": "This period has not begun yet.",
}
YEAR = OpenApiParameter("year", int, description="Only the challenges first submitted that calendar year.")
FRESH = OpenApiParameter("fresh", bool, description="Compute now instead of reading the latest snapshot.")
SERIES_YEARS = (
    OpenApiParameter("from", int, description="First year (default: four years before the last)."),
    OpenApiParameter("to", int, description="Last year (default: this year)."),
)


FIRST_YEAR, LAST_YEAR = 1900, 2100


def _int(request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        return int(value)
    except ValueError:
        raise ApiError(
            status_code=400,
            code="invalid",
            message="The request has invalid fields.",
            fields={name: ["A number."]},
        ) from None


def _year(request, name: str = "year") -> int | None:
    """A year parameter: none, or a year the calendar (and so every period of it) can hold."""
    value = _int(request, name)
    if value is not None and not FIRST_YEAR <= value <= LAST_YEAR:
        raise ApiError(
            status_code=400,
            code="invalid",
            message="The request has invalid fields.",
            fields={name: [f"A year from {FIRST_YEAR} to {LAST_YEAR}."]},
        )
    return value


def _years(request) -> range:
    last = _year(request, "to") or recent_years(1)[0]
    first = _year(request, "from") or last - 4
    if first > last or last - first > 30:
        raise ApiError(
            status_code=400,
            code="invalid",
            message="The request has invalid fields.",
            fields={"from": ["At most 31 years, the first before the last."]},
        )
    return range(first, last + 1)


class MonitoringLabViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    """A lab's monitoring: its KPIs, funnel, cycle times; the public results; the cross-lab view."""

    lookup_field = "slug"
    lookup_value_regex = "[-a-zA-Z0-9_]+"
    queryset = Lab.objects.all()
    serializer_class = KpiSerializer
    permission_classes = [permissions.IsAuthenticated]
    refusal_messages = REFUSAL_MESSAGES

    def get_lab(self, perm: str = "view") -> Lab:
        lab = Lab.objects.filter(slug=self.kwargs["slug"]).first()
        user = self.request.user
        if lab is None or not user.has_perm("monitoring.view", lab):
            raise Http404
        if perm != "view" and not user.has_perm(f"monitoring.{perm}", lab):
            raise exceptions.PermissionDenied
        return lab

    @extend_schema(
        methods=["GET"],
        parameters=[OpenApiParameter("active", bool, description="Only the active KPIs (default true).")],
        responses={200: KpiSerializer(many=True), **ERRORS},
        description="The lab's KPI definitions (the lab's team).",
    )
    @extend_schema(
        methods=["POST"],
        request=KpiWriteSerializer,
        responses={201: KpiSerializer, **ERRORS},
        description=(
            "Define a KPI (the lab's manager): computed (``computation`` a key of the registry allowing the "
            "scope) or entered by hand (no computation). ``campaign``, ``call`` or ``challenge`` (ids, of "
            "this lab) say what it measures when its scope is not the whole lab."
        ),
    )
    @action(detail=True, methods=["get", "post"])
    def kpis(self, request, slug=None):
        if request.method == "POST":
            lab = self.get_lab("manage")
            data = self.valid(KpiWriteSerializer)
            kpi = self.call(services.kpi_save, lab=lab, by=request.user, data=data)
            return Response(
                KpiSerializer(kpi, context={"request": request}).data, status=status.HTTP_201_CREATED
            )
        lab = self.get_lab()
        kpis = (
            KpiDefinition.objects.filter(lab=lab)
            .select_related("lab", "challenge")
            .order_by("position", "pk")
        )
        if request.query_params.get("active", "true").lower() != "false":
            kpis = kpis.filter(is_active=True)
        return Response(KpiSerializer(kpis, many=True, context={"request": request}).data)

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="The year shown (default: this year).")],
        responses={200: KpiSeriesSerializer(many=True), **ERRORS},
        description="Each active KPI with its values and targets over five years up to ``year``, and status.",
    )
    @action(detail=True, url_path="kpi-series")
    def kpi_series(self, request, slug=None):
        lab = self.get_lab()
        rows = selectors.lab_kpis(lab, year=_year(request))
        return Response(KpiSeriesSerializer(rows, many=True, context={"request": request}).data)

    @extend_schema(
        parameters=[
            YEAR,
            OpenApiParameter("campaign", int, description="One intake campaign's funnel."),
            OpenApiParameter("call", int, description="One call's funnel."),
            FRESH,
        ],
        responses={200: FunnelSerializer, **ERRORS},
        description=(
            "The funnel: submitted → accepted → ready → in a call → applications → preselected → piloted → "
            "selected → procured → implemented, with conversion rates and the reasons things left it."
        ),
    )
    @action(detail=True)
    def funnel(self, request, slug=None):
        from govlab.calls.models import Call
        from govlab.challenges.models import IntakeCampaign

        lab = self.get_lab()
        campaign_id, call_id = _int(request, "campaign"), _int(request, "call")
        campaign = IntakeCampaign.objects.filter(lab=lab, pk=campaign_id).first() if campaign_id else None
        call = Call.objects.filter(lab=lab, pk=call_id).select_related("lab").first() if call_id else None
        if (campaign_id and campaign is None) or (call_id and call is None):
            raise Http404
        result = selectors.lab_funnel(
            lab,
            year=_year(request),
            campaign=campaign,
            call=call,
            fresh=request.query_params.get("fresh") == "true",
        )
        return Response(FunnelSerializer(result).data)

    @extend_schema(
        parameters=[YEAR, FRESH],
        responses={200: CycleTimesSerializer, **ERRORS},
        description="Days spent in each state and each phase (median, quartiles, mean, distribution).",
    )
    @action(detail=True, url_path="cycle-times")
    def cycle_times(self, request, slug=None):
        lab = self.get_lab()
        result = selectors.lab_cycle_times(
            lab, year=_year(request), fresh=request.query_params.get("fresh") == "true"
        )
        return Response(CycleTimesSerializer(result).data)

    @extend_schema(
        parameters=[OpenApiParameter("year", int, description="The year shown (default: this year).")],
        responses={200: PublicKpiSerializer(many=True), **ERRORS},
        description="A lab's public results: the KPIs it chose to publish, with their figures. No sign-in.",
        auth=[],
    )
    @action(detail=True, permission_classes=[permissions.AllowAny], authentication_classes=[])
    def results(self, request, slug=None):
        lab = Lab.objects.filter(slug=slug, is_active=True).first()
        if lab is None:
            raise Http404
        rows = selectors.lab_kpis(lab, public_only=True, year=_year(request))
        return Response(PublicKpiSerializer(rows, many=True, context={"request": request}).data)

    @extend_schema(
        responses={200: CrossLabSerializer(many=True), **ERRORS},
        description="Per lab you run (every lab for a superuser): funnel, median cycle, KPI count.",
    )
    @action(detail=False, url_path="cross-lab")
    def cross_lab(self, request):
        labs = selectors.monitored_labs(request.user)
        return Response(CrossLabSerializer(selectors.cross_lab(labs), many=True).data)

    @extend_schema(
        responses={200: ComputationSerializer(many=True)},
        description="The registry of computations a computed KPI may use, with the scopes each allows.",
    )
    @action(detail=False)
    def computations(self, request):
        rows = [
            {
                "key": c.key,
                "label": str(c.label),
                "description": str(c.description),
                "unit": c.unit,
                "category": c.category,
                "scopes": sorted(c.scopes),
                "breakdown": c.breakdown,
                "direction": c.direction,
            }
            for c in COMPUTATIONS.values()
        ]
        return Response(ComputationSerializer(rows, many=True).data)


class KpiViewSet(ServiceViewSetMixin, viewsets.GenericViewSet):
    """One KPI: change it, stop following it, read its series, set its targets, enter its values."""

    lookup_value_regex = ID_PATTERN
    queryset = KpiDefinition.objects.all()
    serializer_class = KpiSerializer
    permission_classes = [permissions.IsAuthenticated]
    refusal_messages = REFUSAL_MESSAGES

    def get_kpi(self, perm: str = "view") -> KpiDefinition:
        kpi = (
            KpiDefinition.objects.select_related("lab", "campaign", "call", "challenge")
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        user = self.request.user
        if kpi is None or not user.has_perm("monitoring.view", kpi.lab):
            raise Http404
        if perm != "view" and not user.has_perm(f"monitoring.{perm}", kpi.lab):
            raise exceptions.PermissionDenied
        return kpi

    @extend_schema(responses={200: KpiSerializer, **ERRORS})
    def retrieve(self, request, pk=None):
        return Response(KpiSerializer(self.get_kpi(), context={"request": request}).data)

    @extend_schema(
        request=KpiWriteSerializer,
        responses={200: KpiSerializer, **ERRORS},
        description="Change a KPI (the lab's manager): send any subset of the fields.",
    )
    def partial_update(self, request, pk=None):
        kpi = self.get_kpi("manage")
        data = self.valid(KpiWriteSerializer, partial=True)
        kpi = self.call(services.kpi_save, lab=kpi.lab, by=request.user, data=data, kpi=kpi)
        return Response(KpiSerializer(kpi, context={"request": request}).data)

    @extend_schema(
        responses={204: None, **ERRORS},
        description="Stop following a KPI (the lab's manager): deactivated; its targets and values stay.",
    )
    def destroy(self, request, pk=None):
        kpi = self.get_kpi("manage")
        self.call(services.kpi_delete, kpi=kpi, by=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        parameters=list(SERIES_YEARS),
        responses={200: PointSerializer(many=True), **ERRORS},
        description=(
            "The KPI's value and target per period: computed from govlab's data, or the values entered by "
            "hand with their evidence. A period not begun yet has no value."
        ),
    )
    @action(detail=True)
    def series(self, request, pk=None):
        kpi = self.get_kpi()
        points = selectors.kpi_series(kpi, periods_for(kpi, _years(request)))
        return Response(PointSerializer(points, many=True).data)

    @extend_schema(methods=["GET"], responses={200: TargetSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=TargetWriteSerializer,
        responses={200: TargetSerializer(many=True), **ERRORS},
        description="Set the target of one period (the lab's manager); a null value removes it. Answers all.",
    )
    @action(detail=True, methods=["get", "post"])
    def targets(self, request, pk=None):
        if request.method == "POST":
            kpi = self.get_kpi("manage")
            data = self.valid(TargetWriteSerializer)
            period = data["period"]
            self.call(
                services.target_set,
                kpi=kpi,
                by=request.user,
                period_start=period.start,
                period_end=period.end,
                value=data["value"],
            )
        else:
            kpi = self.get_kpi()
        rows = KpiTarget.objects.filter(kpi=kpi).order_by("period_start")
        return Response(TargetSerializer(rows, many=True).data)

    @extend_schema(methods=["GET"], responses={200: ValueSerializer(many=True), **ERRORS})
    @extend_schema(
        methods=["POST"],
        request=ValueWriteSerializer,
        responses={200: ValueSerializer(many=True), **ERRORS},
        description=(
            "Enter the value of a KPI entered by hand for one period that has begun, with its evidence (the "
            "lab's team). Answers all the values."
        ),
    )
    @action(detail=True, methods=["get", "post"])
    def values(self, request, pk=None):
        if request.method == "POST":
            kpi = self.get_kpi("enter")
            data = self.valid(ValueWriteSerializer)
            period = data["period"]
            self.call(
                services.value_set,
                kpi=kpi,
                by=request.user,
                period_start=period.start,
                period_end=period.end,
                value=data["value"],
                evidence=data.get("evidence", ""),
                evidence_url=data.get("evidence_url", ""),
            )
        else:
            kpi = self.get_kpi()
        rows = KpiValue.objects.filter(kpi=kpi).order_by("period_start")
        return Response(ValueSerializer(rows, many=True).data)


def register(router) -> None:
    """Register this app's API endpoints on the v1 router."""
    router.register("monitoring/labs", MonitoringLabViewSet, basename="monitoring-lab")
    router.register("monitoring/kpis", KpiViewSet, basename="monitoring-kpi")
