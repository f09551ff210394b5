"""Monitoring pages.

- ``cross_lab``: one row per lab the person runs (every lab for a superuser), linking to each dashboard.
- ``dashboard`` (the lab's team): KPIs against targets by category, the funnel with its conversion rates
  and exits, cycle times per phase and per state, trends by quarter; a year filter. Every figure links
  to the records it counts; a figure from a snapshot says when it was computed.
- KPI pages: the list (team), define/edit, (re)activate and targets (set or remove; manager), manual
  values with evidence (team).
- ``challenge``: a challenge's time in each state, its KPIs and its pilots' metrics (the lab's team and
  the challenge's entity members).
- ``results``: the lab's public results page (anyone): only the KPIs marked public.
- Exports (team): every KPI series as CSV/XLSX, the funnel and cycle times as CSV, and the printable
  annual report.

Anyone else gets 404; an action a person sees but may not take answers 403. Writes go through
``services``; a refusal comes back on the form, at the field it names, with the input kept.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from govlab.challenges.models import Challenge
from govlab.core.decorators import login_required_keeping_input, restore_kept_input
from govlab.core.exports import download
from govlab.core.i18n import pick
from govlab.labs.models import Lab

from . import charts, cycle_times, exports, selectors, services
from .computations import COMPUTATIONS
from .enums import Category, Periodicity, Source
from .forms import KpiForm, TargetForm, ValueForm, YearForm, apply_errors
from .funnel import STAGES
from .models import KpiDefinition, KpiTarget, KpiValue
from .periods import periods_for, recent_years

# --- Who may see what -----------------------------------------------------------------------------


def _is_team(user, lab) -> bool:
    return user.has_perm("monitoring.view", lab)


def _is_manager(user, lab) -> bool:
    return user.has_perm("monitoring.manage", lab)


def _team_lab(request, lab_slug: str) -> Lab:
    lab = Lab.objects.filter(slug=lab_slug).first()
    if lab is None or not _is_team(request.user, lab):
        raise Http404
    return lab


def _kpi(lab, pk: int) -> KpiDefinition:
    kpi = KpiDefinition.objects.filter(lab=lab, pk=pk).select_related("lab").first()
    if kpi is None:
        raise Http404
    return kpi


def _data(request):
    if request.method == "POST":
        return request.POST
    return restore_kept_input(request) or None


def _base(lab, **extra) -> dict:
    return {
        "lab": lab,
        "current_lab": lab,
        "lab_section": "monitoring",
        "report_year": timezone.localdate().year,
        **extra,
    }


def _year(request) -> tuple[YearForm, int]:
    form = YearForm(request.GET or None)
    return form, form.chosen_year()


# --- Presenting: the figures of the core modules, with their charts ------------------------------


def computation_labels() -> dict:
    return {key: computation.label for key, computation in COMPUTATIONS.items()}


def computation_rows() -> list[dict]:
    return sorted(
        (
            {
                "key": key,
                "label": computation.label,
                "description": getattr(computation, "description", ""),
                "unit": getattr(computation, "unit", ""),
                "category": getattr(computation, "category", ""),
            }
            for key, computation in COMPUTATIONS.items()
        ),
        key=lambda row: str(row["label"]),
    )


def _kpi_name(kpi) -> str:
    return pick(kpi.name, preferred=kpi.lab.languages).text or kpi.code


STATUS_LABELS = {
    "met": _lazy("Target met"),
    "not_met": _lazy("Target not met"),
    "no_target": _lazy("No target"),
}


def _latest(row):
    """The latest point with a value of a KpiRow (in the chosen year): (value, period label, target)."""
    latest = row.latest
    if latest is None:
        return None, "", row.target
    return latest.value, latest.period.label, latest.target


def _helix_label(key) -> str:
    from govlab.organisations.enums import HelixSector

    return str(dict(HelixSector.choices).get(key, key))


def _breakdown_chart(name, unit, value: dict, period_label: str):
    return charts.histogram_chart(
        title=name,
        description=_("%(name)s in %(period)s, by group.") % {"name": name, "period": period_label},
        buckets=[(_helix_label(key), count) for key, count in value.items()],
        unit=unit,
    )


def kpi_entry(row) -> dict:
    """A KpiRow of ``selectors.lab_kpis`` with its chart (values per period against targets)."""
    kpi = row.kpi
    name = _kpi_name(kpi)
    value, period_label, target = _latest(row)
    breakdown = isinstance(value, dict) or any(isinstance(point.value, dict) for point in row.series)
    if breakdown:
        value = value if isinstance(value, dict) else {}
        chart = _breakdown_chart(name, kpi.unit, value, period_label)
        keys = []
        for point in row.series:
            for key in point.value or {}:
                if key not in [k for k, _label in keys]:
                    keys.append((key, _helix_label(key)))
    else:
        keys = []
        points = [charts.Point(point.period.label, point.value, point.target) for point in row.series]
        description = _(
            "%(name)s per period (%(unit)s), bars for the values, dotted lines for the targets."
        ) % {"name": name, "unit": kpi.unit or _("no unit")}
        chart = charts.kpi_chart(title=name, description=description, unit=kpi.unit, points=points)
    status = getattr(row, "status", "no_target")
    return {
        "row": row,
        "kpi": kpi,
        "name": name,
        "description": pick(kpi.description, preferred=kpi.lab.languages).text,
        "series": row.series,
        "latest": value,
        "latest_period": period_label,
        "target": target,
        "status": status,
        "status_label": STATUS_LABELS.get(status, ""),
        "breakdown": breakdown,
        "breakdown_keys": keys,
        "chart": chart,
    }


def _by_category(rows) -> list[dict]:
    groups = []
    for value, label in Category.choices:
        entries = [kpi_entry(row) for row in rows if row.kpi.category == value]
        if entries:
            groups.append({"key": value, "label": label, "entries": entries})
    return groups


def funnel_entry(funnel) -> dict:
    chart = charts.funnel_chart(
        title=_("The funnel"),
        description=_(
            "How many challenges and applications reached each stage, and the share of the stage before."
        ),
        stages=[
            charts.Stage(str(stage.label), stage.count, stage.rate_from_previous) for stage in funnel.stages
        ],
    )
    return {
        "funnel": funnel,
        "chart": chart,
        "stage_labels": {stage.key: stage.label for stage in funnel.stages},
        "computed_at": getattr(funnel, "computed_at", None),
    }


def _spread_rows(items) -> list:
    return [charts.Spread(str(item.label), item.median_days, item.p25, item.p75, item.n) for item in items]


def cycle_entry(cycle) -> dict:
    phases = charts.cycle_time_chart(
        title=_("Cycle times per phase"),
        description=_("Median days per phase, with whiskers from the 25th to the 75th percentile."),
        rows=_spread_rows(cycle.by_phase),
    )
    states = charts.cycle_time_chart(
        title=_("Time in each state"),
        description=_(
            "Median days challenges spent in each state, with whiskers from the 25th to the 75th percentile."
        ),
        rows=_spread_rows(cycle.by_state),
    )
    buckets = []
    for item in cycle.by_phase:
        for label, _count in item.histogram or []:
            if label not in buckets:
                buckets.append(label)
    distribution = [
        {"item": item, "counts": [dict(item.histogram or []).get(label, 0) for label in buckets]}
        for item in cycle.by_phase
    ]
    histograms = [
        {
            "item": item,
            "chart": charts.histogram_chart(
                title=_("Days in %(phase)s") % {"phase": item.label},
                description=_("How many challenges spent each range of days in this phase."),
                buckets=item.histogram or [],
            ),
        }
        for item in cycle.by_phase
        if item.n
    ]
    return {
        "cycle": cycle,
        "phases_chart": phases,
        "states_chart": states,
        "buckets": buckets,
        "distribution": distribution,
        "histograms": histograms,
        "computed_at": getattr(cycle, "computed_at", None),
    }


def trends(rows, year: int) -> dict:
    """The lab's KPIs per quarter of the year: the quarterly ones as they are, the yearly computed ones
    computed per quarter (a yearly KPI entered by hand has no quarters)."""
    quarters = periods_for(Periodicity.QUARTER, [year])
    table = []
    for row in rows:
        kpi = row.kpi
        if getattr(COMPUTATIONS.get(kpi.computation), "breakdown", False):
            continue
        if kpi.periodicity == Periodicity.QUARTER:
            series = [point for point in row.series if point.period.start.year == year]
        elif kpi.source == Source.COMPUTED:
            series = selectors.kpi_series(kpi, quarters, cached=row.cached)
        else:
            continue
        table.append({"kpi": kpi, "name": _kpi_name(kpi), "unit": kpi.unit, "points": series})
    return {"quarters": quarters, "rows": table}


def dashboard_figures(lab, *, year: int, with_trends: bool = True) -> dict:
    """The KPIs by category, the funnel, the cycle times and (for the dashboard, not the report) the
    trends by quarter."""
    rows = selectors.lab_kpis(lab, year=year)
    figures = {
        "groups": _by_category(rows),
        "funnel": funnel_entry(selectors.lab_funnel(lab, year=year)),
        "cycle": cycle_entry(selectors.lab_cycle_times(lab, year=year)),
    }
    if with_trends:
        figures["trends"] = trends(rows, year)
    return figures


def public_figures(lab, *, year: int) -> dict:
    return {"entries": [kpi_entry(row) for row in selectors.lab_kpis(lab, public_only=True, year=year)]}


def challenge_figures(challenge) -> dict:
    timeline = [
        {"state": state, "label": _status_label(state), "entered_at": entered, "left_at": left, "days": days}
        for state, entered, left, days in cycle_times.per_challenge(challenge)
    ]
    chart = charts.cycle_time_chart(
        title=_("Days in each state"),
        description=_("How many days the challenge spent in each state, in order."),
        rows=[charts.Spread(str(step["label"]), step["days"]) for step in timeline],
    )
    kpis = selectors.challenge_kpis(challenge)
    return {
        "timeline": timeline,
        "timeline_chart": chart,
        "kpi_entries": [kpi_entry(row) for row in kpis.kpis],
        "pilot_metrics": kpis.pilot_metrics,
    }


def _status_label(state) -> str:
    from govlab.challenges.models import STATUS_LABELS

    return STATUS_LABELS.get(state, state)


def kpi_figures(kpi) -> dict:
    """The KPI's series over the last five years, with its chart."""
    series = selectors.kpi_series(kpi, periods_for(kpi, recent_years(5)))
    name = _kpi_name(kpi)
    chart = charts.kpi_chart(
        title=name,
        description=_("%(name)s per period (%(unit)s), bars for the values, dotted lines for the targets.")
        % {"name": name, "unit": kpi.unit or _("no unit")},
        unit=kpi.unit,
        points=[charts.Point(point.period.label, point.value, point.target) for point in series],
    )
    return {
        "name": name,
        "series": series,
        "chart": chart,
        "computation": COMPUTATIONS.get(kpi.computation),
    }


# --- Dashboards -----------------------------------------------------------------------------------


@login_required
@require_GET
def cross_lab(request):
    labs = list(selectors.monitored_labs(request.user))
    if not labs:
        raise Http404
    return render(
        request,
        "monitoring/cross_lab.html",
        {"rows": selectors.cross_lab(labs), "stages": [(key, label) for key, label, *_rest in STAGES]},
    )


@login_required
@require_GET
def dashboard(request, lab_slug):
    lab = _team_lab(request, lab_slug)
    year_form, year = _year(request)
    context = _base(
        lab,
        year=year,
        year_form=year_form,
        can_manage=_is_manager(request.user, lab),
        **dashboard_figures(lab, year=year),
    )
    return render(request, "monitoring/dashboard.html", context)


@require_GET
def results(request, lab_slug):
    lab = Lab.objects.filter(slug=lab_slug).first()
    if lab is None or not request.user.has_perm("monitoring.view_public", lab):
        raise Http404
    year_form, year = _year(request)
    context = {
        "lab": lab,
        "current_lab": lab,
        "year": year,
        "year_form": year_form,
        **public_figures(lab, year=year),
    }
    return render(request, "monitoring/results.html", context)


@login_required
@require_GET
def challenge_page(request, reference):
    challenge = Challenge.objects.select_related("lab", "owner").filter(reference=reference).first()
    if challenge is None:
        raise Http404
    user = request.user
    if not user.has_perm("monitoring.view_challenge", challenge):
        raise Http404
    return render(
        request,
        "monitoring/challenge.html",
        {
            "challenge": challenge,
            "lab": challenge.lab,
            "current_lab": challenge.lab,
            "is_team": _is_team(user, challenge.lab),
            **challenge_figures(challenge),
        },
    )


@login_required
@require_GET
def report(request, lab_slug, year):
    lab = _team_lab(request, lab_slug)
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise Http404
    figures = dashboard_figures(lab, year=year, with_trends=False)  # the report shows no trends
    context = _base(lab, year=year, generated_at=timezone.now(), **figures)
    return render(request, "monitoring/report.html", context)


# --- KPI management -------------------------------------------------------------------------------


@login_required
@require_GET
def kpi_list(request, lab_slug):
    lab = _team_lab(request, lab_slug)
    kpis = list(
        KpiDefinition.objects.filter(lab=lab)
        .select_related("campaign", "call", "challenge")
        .order_by("-is_active", "category", "position", "pk")
    )
    order = {value: index for index, (value, _label) in enumerate(Category.choices)}
    kpis.sort(key=lambda kpi: (not kpi.is_active, order.get(kpi.category, 99), kpi.position, kpi.pk))
    return render(
        request,
        "monitoring/kpi_list.html",
        _base(lab, kpis=kpis, can_manage=_is_manager(request.user, lab), labels=computation_labels()),
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def kpi_edit(request, lab_slug, pk=None):
    lab = _team_lab(request, lab_slug)
    if not _is_manager(request.user, lab):
        raise PermissionDenied
    kpi = _kpi(lab, pk) if pk is not None else None
    data = _data(request)
    form = KpiForm(
        data,
        initial=KpiForm.initial_for(kpi)
        if kpi
        else {"scope": "lab", "direction": "up", "periodicity": "year"},
        languages=lab.languages,
        instance=kpi,
        lab=lab,
        prefix="kpi",
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.kpi_save(lab=lab, by=request.user, data=form.kpi_data(), kpi=kpi)
        except ValidationError as error:
            apply_errors(form, error, {f"{name}_id": name for name in ("campaign", "call", "challenge")})
        else:
            messages.success(request, _("The KPI is saved."))
            return redirect(reverse("monitoring:kpi_detail", args=[lab.slug, saved.pk]))
    return render(
        request,
        "monitoring/kpi_form.html",
        _base(lab, kpi=kpi, form=form, computations=computation_rows()),
    )


@login_required
@require_GET
def kpi_detail(request, lab_slug, pk):
    lab = _team_lab(request, lab_slug)
    kpi = _kpi(lab, pk)
    return render(request, "monitoring/kpi_detail.html", _kpi_context(request, lab, kpi))


def _kpi_context(request, lab, kpi, *, target_form=None, value_form=None) -> dict:
    can_manage = _is_manager(request.user, lab)
    return _base(
        lab,
        kpi=kpi,
        can_manage=can_manage,
        can_enter=kpi.source == Source.MANUAL,
        target_form=target_form or (TargetForm(kpi=kpi, prefix="target") if can_manage else None),
        value_form=value_form
        or (ValueForm(kpi=kpi, prefix="value") if kpi.source == Source.MANUAL else None),
        targets=list(KpiTarget.objects.filter(kpi=kpi).order_by("-period_start")),
        values=list(KpiValue.objects.filter(kpi=kpi).select_related("entered_by").order_by("-period_start")),
        **kpi_figures(kpi),
    )


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def target_set(request, lab_slug, pk):
    lab = _team_lab(request, lab_slug)
    kpi = _kpi(lab, pk)
    if not _is_manager(request.user, lab):
        raise PermissionDenied
    form = TargetForm(_data(request), kpi=kpi, prefix="target")
    if request.method == "POST" and form.is_valid():
        start, end = form.bounds()
        try:
            services.target_set(
                kpi=kpi, by=request.user, period_start=start, period_end=end, value=form.cleaned_data["value"]
            )
        except ValidationError as error:
            apply_errors(form, error, {"period_start": "period", "period_end": "period"})
        else:
            messages.success(request, _("The target is saved."))
            return redirect(reverse("monitoring:kpi_detail", args=[lab.slug, kpi.pk]))
    return render(request, "monitoring/kpi_detail.html", _kpi_context(request, lab, kpi, target_form=form))


@login_required
@require_POST
def target_remove(request, lab_slug, pk):
    lab = _team_lab(request, lab_slug)
    kpi = _kpi(lab, pk)
    if not _is_manager(request.user, lab):
        raise PermissionDenied
    try:
        start = dt.date.fromisoformat(request.POST.get("period_start", ""))
        end = dt.date.fromisoformat(request.POST.get("period_end", ""))
    except ValueError:
        raise BadRequest from None
    try:
        services.target_set(kpi=kpi, by=request.user, period_start=start, period_end=end, value=None)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("monitoring:kpi_detail", args=[lab.slug, kpi.pk]))


@login_required_keeping_input
@require_http_methods(["GET", "POST"])
def value_set(request, lab_slug, pk):
    lab = _team_lab(request, lab_slug)
    kpi = _kpi(lab, pk)
    if kpi.source != Source.MANUAL:
        raise Http404
    form = ValueForm(_data(request), kpi=kpi, prefix="value")
    if request.method == "POST" and form.is_valid():
        start, end = form.bounds()
        try:
            services.value_set(
                kpi=kpi,
                by=request.user,
                period_start=start,
                period_end=end,
                value=form.cleaned_data["value"],
                evidence=form.cleaned_data["evidence"],
                evidence_url=form.cleaned_data["evidence_url"],
            )
        except ValidationError as error:
            apply_errors(form, error, {"period_start": "period", "period_end": "period"})
        else:
            messages.success(request, _("The value is saved."))
            return redirect(reverse("monitoring:kpi_detail", args=[lab.slug, kpi.pk]))
    return render(request, "monitoring/kpi_detail.html", _kpi_context(request, lab, kpi, value_form=form))


@login_required
@require_POST
def kpi_deactivate(request, lab_slug, pk):
    lab = _team_lab(request, lab_slug)
    kpi = _kpi(lab, pk)
    if not _is_manager(request.user, lab):
        raise PermissionDenied
    try:
        services.kpi_delete(kpi=kpi, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The KPI is no longer followed."))
    return redirect(reverse("monitoring:kpi_list", args=[lab.slug]))


@login_required
@require_POST
def kpi_reactivate(request, lab_slug, pk):
    """Follow a KPI again (the API's ``is_active``: true)."""
    lab = _team_lab(request, lab_slug)
    kpi = _kpi(lab, pk)
    if not _is_manager(request.user, lab):
        raise PermissionDenied
    try:
        services.kpi_save(lab=lab, by=request.user, data={"is_active": True}, kpi=kpi)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The KPI is saved."))
    return redirect(reverse("monitoring:kpi_detail", args=[lab.slug, kpi.pk]))


# --- Exports --------------------------------------------------------------------------------------


@login_required
@require_GET
def export_csv(request, lab_slug):
    lab = _team_lab(request, lab_slug)
    return download(exports.kpis_csv(lab), f"{lab.slug}-kpis", "csv", dated=False)


@login_required
@require_GET
def export_xlsx(request, lab_slug):
    lab = _team_lab(request, lab_slug)
    _form, year = _year(request)
    return download(exports.lab_xlsx(lab, year=year), f"{lab.slug}-monitoring-{year}", "xlsx", dated=False)


@login_required
@require_GET
def export_funnel_csv(request, lab_slug):
    lab = _team_lab(request, lab_slug)
    _form, year = _year(request)
    return download(exports.funnel_csv(lab, year=year), f"{lab.slug}-funnel-{year}", "csv", dated=False)


@login_required
@require_GET
def export_cycle_times_csv(request, lab_slug):
    lab = _team_lab(request, lab_slug)
    _form, year = _year(request)
    return download(
        exports.cycle_times_csv(lab, year=year), f"{lab.slug}-cycle-times-{year}", "csv", dated=False
    )
