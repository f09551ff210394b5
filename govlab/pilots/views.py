"""Pilot pages.

- ``lab_call``: the lab's list of a call's cohort and its pilots (lab team only; 404 otherwise).
- ``mine``: the pilots a signed-in person takes part in (lab team, entity, solver).
- Each pilot's pages: seen by the lab's team, the challenge's public entity and the piloted solver
  (anyone else: 404). The lab and the entity manage the pilot (edit, units, randomise, decide; the lab
  starts it); the solver records observations (one by one or by CSV). An action a person sees but may
  not take answers 403.

Writes go through ``services``; a refusal comes back on the form that caused it, at the field (or the
row), with everything typed kept. Pages keep a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govlab.calls.models import Application, Call
from govlab.core.decorators import login_required_keeping_input, restore_kept_input
from govlab.core.exports import download
from govlab.labs.rules import is_lab_staff, team_lab_or_404

from . import analysis, charts, exports, selectors, services
from .enums import Design, PilotStatus
from .forms import (
    DecisionForm,
    HypothesisFormSet,
    ImportForm,
    MetricFormSet,
    ObservationForm,
    PilotForm,
    UnitsForm,
    apply_errors,
    apply_experiment_errors,
    hypotheses_data,
    metrics_data,
)
from .models import Hypothesis, Metric, Observation, ObservationImport, Pilot, PilotUnit

OBSERVATIONS_PAGE = 100


# --- Fetch and authorise ------------------------------------------------------------------------


def _pilot(request, pk: int, perm: str = "view"):
    pilot = selectors.pilot_for(request.user, pk)
    if perm != "view" and not request.user.has_perm(f"pilots.{perm}", pilot):
        raise PermissionDenied
    return pilot


def _data(request):
    if request.method == "POST":
        return request.POST
    return restore_kept_input(request) or None


def _refusal(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def _roles(request, pilot) -> dict:
    user = request.user
    return {
        "can_manage": user.has_perm("pilots.manage", pilot),
        "can_start": user.has_perm("pilots.start", pilot),
        "can_record": user.has_perm("pilots.record", pilot),
        "is_team": is_lab_staff(user, pilot.lab),
    }


def _context(request, pilot, tab: str, **extra) -> dict:
    return {
        "pilot": pilot,
        "lab": pilot.lab,
        "current_lab": pilot.lab,
        "lab_section": "calls",
        "call": pilot.call,
        "tab": tab,
        **_roles(request, pilot),
        **extra,
    }


def _url(pilot, name: str = "detail", *args) -> str:
    return reverse(f"pilots:{name}", args=[pilot.pk, *args])


# --- Lists -------------------------------------------------------------------------------------------


@login_required
@require_GET
def call_pilots(request, lab_slug, call_pk):
    """The call's cohort (its preselected applications) and each one's pilot: the lab's entry page."""
    lab = team_lab_or_404(request, lab_slug)
    call = Call.objects.filter(lab=lab, pk=call_pk).first()
    if call is None:
        raise Http404
    call.lab = lab
    cohort = selectors.cohort_for_call(call)
    return render(
        request,
        "pilots/call.html",
        {"lab": lab, "current_lab": lab, "lab_section": "calls", "call": call, "cohort": cohort},
    )


@login_required
@require_GET
def mine(request):
    pilots = list(selectors.visible_pilots(request.user)[:200])
    pilotable = list(selectors.pilotable_for_entity(request.user)[:200])
    return render(request, "pilots/mine.html", {"pilots": pilots, "pilotable": pilotable})


# --- The pilot and its experiment ---------------------------------------------------------------


def _formsets(data, pilot=None):
    if pilot is not None and data is None:
        hypotheses = [{"id": h.pk, "statement": h.statement} for h in pilot.hypotheses.all()]
        order = {h["id"]: index for index, h in enumerate(hypotheses, start=1)}
        metrics = [
            {
                "id": m.pk,
                "code": m.code,
                "name": m.name,
                "unit": m.unit,
                "kind": m.kind,
                "direction": m.direction,
                "baseline": f"{m.baseline.normalize():f}",
                "target": f"{m.target.normalize():f}",
                "how_measured": m.how_measured,
                "hypothesis": str(order.get(m.hypothesis_id, "")),
            }
            for m in pilot.metrics.all()
        ]
        return (
            HypothesisFormSet(initial=hypotheses, prefix="hypotheses"),
            MetricFormSet(initial=metrics, prefix="metrics"),
        )
    return HypothesisFormSet(data, prefix="hypotheses"), MetricFormSet(data, prefix="metrics")


def _save_pilot(request, form, hypotheses, metrics, *, application=None, pilot=None):
    hypothesis_rows, hypothesis_indexes = hypotheses_data(hypotheses)
    metric_rows, metric_indexes = metrics_data(metrics)
    try:
        if pilot is None:
            return services.pilot_create(
                application=application,
                by=request.user,
                participants=form.participants(),
                hypotheses=hypothesis_rows,
                metrics=metric_rows,
                **form.pilot_fields(),
            )
        return services.pilot_update(
            pilot=pilot,
            by=request.user,
            participants=form.participants(),
            hypotheses=hypothesis_rows,
            metrics=metric_rows,
            **form.pilot_fields(),
        )
    except ValidationError as error:
        apply_experiment_errors(
            error,
            form,
            {"hypotheses": (hypotheses, hypothesis_indexes), "metrics": (metrics, metric_indexes)},
        )
        return None


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def pilot_create(request, reference):
    application = (
        Application.objects.select_related("call__lab", "challenge", "organisation")
        .filter(reference=reference)
        .first()
    )
    if application is None or not request.user.has_perm("pilots.view", application):
        raise Http404
    if not request.user.has_perm("pilots.manage", application):
        raise PermissionDenied
    existing = Pilot.objects.filter(application=application).first()
    if existing is not None:
        return redirect(_url(existing))
    if not services.is_preselected(application):
        raise Http404
    lab = application.call.lab
    data = _data(request)
    form = PilotForm(data, languages=lab.languages, currency=lab.currency, prefix="pilot")
    hypotheses, metrics = _formsets(data)
    if request.method == "POST":
        valid = form.is_valid() & hypotheses.is_valid() & metrics.is_valid()
        if valid:
            pilot = _save_pilot(request, form, hypotheses, metrics, application=application)
            if pilot is not None:
                messages.success(request, _("The pilot is created as a draft. Add its units, then start it."))
                return redirect(_url(pilot))
    return render(
        request,
        "pilots/form.html",
        {
            "application": application,
            "lab": lab,
            "current_lab": lab,
            "call": application.call,
            "form": form,
            "hypotheses": hypotheses,
            "metrics": metrics,
            "pilot": None,
        },
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def pilot_edit(request, pk):
    pilot = _pilot(request, pk, "manage")
    if pilot.status == PilotStatus.DECIDED:
        messages.error(request, _("A decided pilot is kept as it was decided."))
        return redirect(_url(pilot))
    lab = pilot.lab
    data = _data(request)
    form = PilotForm(
        data,
        initial=PilotForm.initial_for(pilot),
        languages=lab.languages,
        currency=pilot.currency,
        instance=pilot,
        prefix="pilot",
    )
    hypotheses, metrics = _formsets(data, pilot)
    if request.method == "POST":
        valid = form.is_valid() & hypotheses.is_valid() & metrics.is_valid()
        if valid and _save_pilot(request, form, hypotheses, metrics, pilot=pilot) is not None:
            messages.success(request, _("The pilot is saved."))
            return redirect(_url(pilot))
    return render(
        request,
        "pilots/form.html",
        _context(
            request,
            pilot,
            "edit",
            application=pilot.application,
            form=form,
            hypotheses=hypotheses,
            metrics=metrics,
        ),
    )


@login_required
@require_GET
def detail(request, pk):
    pilot = _pilot(request, pk)
    verification = selectors.verify_assignment(pilot) if pilot.seed is not None else None
    return render(
        request,
        "pilots/detail.html",
        _context(
            request,
            pilot,
            "overview",
            hypotheses=list(Hypothesis.objects.filter(pilot=pilot)),
            metrics=list(Metric.objects.filter(pilot=pilot).select_related("hypothesis")),
            participants=list(pilot.participants.all()),
            units=list(PilotUnit.objects.filter(pilot=pilot)),
            start_gaps=services.start_gaps(pilot) if pilot.status == PilotStatus.DRAFT else [],
            verification=verification,
            observation_count=Observation.objects.filter(pilot=pilot).count(),
        ),
    )


@login_required
@require_POST
def start(request, pk):
    pilot = _pilot(request, pk, "start")
    try:
        services.pilot_start(pilot=pilot, by=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The pilot has started: record its observations as it runs."))
    return redirect(_url(pilot))


@login_required
@require_POST
def end(request, pk):
    pilot = _pilot(request, pk, "manage")
    try:
        services.pilot_end(pilot=pilot, by=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("Observation has ended: read the analysis and decide."))
    return redirect(_url(pilot))


# --- Units and randomisation -------------------------------------------------------------------------


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def units(request, pk):
    pilot = _pilot(request, pk, "manage")
    data = _data(request)
    form = UnitsForm(data, pilot=pilot, prefix="units")
    if request.method == "POST" and form.is_valid():
        try:
            services.units_set(pilot=pilot, by=request.user, units=form.rows())
        except ValidationError as error:
            messages_by_line = []
            for name, texts in getattr(error, "message_dict", {"__all__": error.messages}).items():
                if name.startswith("units."):
                    line = int(name.split(".")[1]) + 1
                    messages_by_line.extend(
                        _("Line %(line)d: %(message)s") % {"line": line, "message": t} for t in texts
                    )
                else:
                    messages_by_line.extend(texts)
            form.add_error("units", messages_by_line)
        else:
            messages.success(request, _("The units are saved."))
            return redirect(_url(pilot) + "#units-title")
    return render(request, "pilots/units.html", _context(request, pilot, "units", form=form))


@login_required
@require_POST
def randomise(request, pk):
    pilot = _pilot(request, pk, "manage")
    try:
        pilot = services.pilot_randomise(pilot=pilot, by=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(
            request,
            _("The units are randomised with seed %(seed)d; the draw is recorded.") % {"seed": pilot.seed},
        )
    return redirect(_url(pilot) + "#units-title")


# --- Observations ------------------------------------------------------------------------------------


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def observations(request, pk):
    pilot = _pilot(request, pk)
    metrics = list(Metric.objects.filter(pilot=pilot))
    units_list = list(PilotUnit.objects.filter(pilot=pilot))
    can_record = request.user.has_perm("pilots.record", pilot)
    data = _data(request)
    if request.method == "POST" and not can_record:
        raise PermissionDenied
    form = ObservationForm(data, pilot=pilot, metrics=metrics, units=units_list, prefix="observation")
    if request.method == "POST" and form.is_valid():
        try:
            services.observation_record(pilot=pilot, by=request.user, **form.values())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The observation is recorded."))
            return redirect(_url(pilot, "observations"))
    queryset = (
        Observation.objects.filter(pilot=pilot)
        .select_related("metric", "unit", "recorded_by")
        .order_by("-observed_on", "-pk")
    )
    page = Paginator(queryset, OBSERVATIONS_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "pilots/observations.html",
        _context(
            request,
            pilot,
            "observations",
            form=form,
            page=page,
            recording=pilot.status != PilotStatus.DECIDED,
            imports=list(ObservationImport.objects.filter(pilot=pilot).select_related("imported_by")[:20]),
        ),
    )


@login_required
@require_POST
def observation_delete(request, pk, observation_pk):
    pilot = _pilot(request, pk, "record")
    observation = Observation.objects.filter(pilot=pilot, pk=observation_pk).first()
    if observation is None:
        raise Http404
    observation.pilot = pilot
    try:
        services.observation_delete(observation=observation, by=request.user)
    except ValidationError as error:
        _refusal(request, error)
    else:
        messages.success(request, _("The observation is removed (the audit log keeps it)."))
    return redirect(_url(pilot, "observations"))


@login_required
@require_http_methods(["GET", "POST"])
def import_csv(request, pk):
    pilot = _pilot(request, pk, "record")
    form = ImportForm(request.POST or None, request.FILES or None, prefix="import")
    problems = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = services.observation_import_csv(
                pilot=pilot, by=request.user, content=upload.read(), file_name=upload.name
            )
        except services.ImportRefused as error:
            problems = error.rows
            form.add_error("file", error.messages)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("%(count)d observations are imported from %(file)s.")
                % {"count": batch.rows, "file": batch.file_name},
            )
            return redirect(_url(pilot, "observations"))
    return render(
        request,
        "pilots/import.html",
        _context(
            request,
            pilot,
            "observations",
            form=form,
            problems=problems,
            metrics=list(Metric.objects.filter(pilot=pilot)),
        ),
    )


# --- Analysis and decision ---------------------------------------------------------------------------


def _chart_items(pilot, result) -> list[dict]:
    items = []
    for item in result.metrics:
        metric = item.metric
        scale = 100 if item.is_rate else 1
        unit = "%" if item.is_rate else metric.unit
        baseline, target = float(metric.baseline) * scale, float(metric.target) * scale
        groups = [item.reference, item.treated]
        bars = [
            charts.Bar(
                label=group.label, value=None if group.summary.mean is None else group.summary.mean * scale
            )
            for group in groups
        ]
        if item.compared_to_baseline_value:
            bars[0] = charts.Bar(label=_("Baseline value"), value=baseline)
        comparison = charts.comparison_chart(
            title=_("%(metric)s by %(what)s")
            % {
                "metric": metric.name,
                "what": _("period") if pilot.design == Design.BEFORE_AFTER else _("arm"),
            },
            description=item.sentence,
            unit=unit,
            bars=bars,
            baseline=baseline,
            target=target,
        )
        timeline = charts.timeline_chart(
            title=_("%(metric)s over time") % {"metric": metric.name},
            description=_("Daily mean of the observations of each group, with the baseline and the target."),
            unit=unit,
            series=[
                charts.Series(label=group.label, points=[(day, value * scale) for day, value in group.by_day])
                for group in groups
                if group.by_day
            ],
            baseline=baseline,
            target=target,
        )
        days = sorted({day for group in groups for day, _value in group.by_day})
        per_day = [(day, [dict(group.by_day).get(day) for group in groups]) for day in days]
        items.append(
            {
                "item": item,
                "comparison": comparison,
                "timeline": timeline,
                "scale": scale,
                "groups": groups,
                "per_day": [
                    (day, [None if v is None else v * scale for v in values]) for day, values in per_day
                ],
                "unit": unit,
            }
        )
    return items


@login_required
@require_GET
def analysis_page(request, pk):
    pilot = _pilot(request, pk)
    result = analysis.analyse(pilot)
    return render(
        request,
        "pilots/analysis.html",
        _context(request, pilot, "analysis", result=result, items=_chart_items(pilot, result)),
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def decide(request, pk):
    pilot = _pilot(request, pk)
    can_decide = request.user.has_perm("pilots.manage", pilot)
    if request.method == "POST" and not can_decide:
        raise PermissionDenied
    data = _data(request) if can_decide and pilot.status != PilotStatus.DECIDED else None
    form = DecisionForm(data, prefix="decision")
    if request.method == "POST" and form.is_valid():
        try:
            services.pilot_decide(
                pilot=pilot,
                by=request.user,
                decision=form.cleaned_data["decision"],
                rationale=form.cleaned_data["rationale"],
                lessons=form.cleaned_data["lessons"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The decision is recorded with the analysis it rests on."))
            return redirect(_url(pilot))
    result = analysis.analyse(pilot) if pilot.status != PilotStatus.DECIDED else None
    return render(
        request,
        "pilots/decide.html",
        _context(request, pilot, "decision", form=form, can_decide=can_decide, result=result),
    )


# --- Exports -----------------------------------------------------------------------------------------


def _download(content, pilot, name: str, extension: str) -> HttpResponse:
    return download(content, f"pilot-{pilot.pk}-{name}", extension)


@login_required
@require_GET
def export_observations_csv(request, pk):
    pilot = _pilot(request, pk)
    return _download(exports.observations_csv(pilot), pilot, "observations", "csv")


@login_required
@require_GET
def export_analysis_csv(request, pk):
    pilot = _pilot(request, pk)
    return _download(exports.analysis_csv(pilot), pilot, "analysis", "csv")


@login_required
@require_GET
def export_xlsx(request, pk):
    """Both tables in one workbook: the observations and the analysis."""
    pilot = _pilot(request, pk)
    return _download(exports.pilot_xlsx(pilot), pilot, "data", "xlsx")
