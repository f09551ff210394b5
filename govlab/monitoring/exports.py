"""A lab's monitoring data for its team: every KPI series (one row per KPI and period, or per group of a
breakdown), the funnel (its stages, then the exits by reason) and the cycle times (per phase, then per
state), as CSV (one file each) and as one XLSX workbook.

``govlab.core.exports`` writes them: text is made safe (a name starting with "=" stays text); numbers stay
numbers.
"""

from __future__ import annotations

from django.db.models import Min
from django.utils import timezone
from django.utils.translation import gettext as _

from govlab.core.exports import csv_text, plain, xlsx_bytes
from govlab.core.i18n import pick

from .models import KpiDefinition, KpiTarget, KpiValue


def series_years(lab) -> list[int]:
    """From the earliest year the lab has a value or a target for (or its creation) to this year."""
    this_year = timezone.localdate().year
    earliest = [lab.created_at.year if lab.created_at else this_year]
    for model in (KpiValue, KpiTarget):
        first = model.objects.filter(kpi__lab=lab).aggregate(first=Min("period_start"))["first"]
        if first:
            earliest.append(first.year)
    return list(range(min(min(earliest), this_year), this_year + 1))


def kpis_table(lab, *, years: list[int] | None = None) -> tuple[list[str], list[list]]:
    from .periods import periods_for
    from .selectors import kpi_series

    header = [
        _("KPI code"),
        _("KPI"),
        _("Category"),
        _("Scope"),
        _("Source"),
        _("Unit"),
        _("Direction"),
        _("Period"),
        _("Period starts"),
        _("Period ends"),
        _("Group"),
        _("Value"),
        _("Target"),
        _("Evidence"),
        _("Evidence address"),
        _("Records counted"),
    ]
    years = years or series_years(lab)
    rows = []
    kpis = (
        KpiDefinition.objects.filter(lab=lab, is_active=True)
        .select_related("lab", "campaign", "call", "challenge")
        .order_by("category", "position", "pk")
    )
    for kpi in kpis:
        name = pick(kpi.name, preferred=lab.languages).text or kpi.code
        scope = kpi.get_scope_display()
        if kpi.challenge_id:
            scope = f"{scope}: {kpi.challenge.reference}"
        elif kpi.call_id:
            scope = f"{scope}: {kpi.call.slug}"
        elif kpi.campaign_id:
            scope = f"{scope}: {kpi.campaign.slug}"
        for point in kpi_series(kpi, periods_for(kpi, years)):
            period = point.period
            common = [kpi.code, name, kpi.get_category_display(), scope, kpi.get_source_display(), kpi.unit]
            common.append(kpi.get_direction_display())
            common += [period.key, period.start.isoformat(), period.end.isoformat()]
            tail = [point.evidence or "", getattr(point, "evidence_url", "") or "", point.records_url or ""]
            if isinstance(point.value, dict):
                for group, value in point.value.items():
                    rows.append([*common, group, plain(value), plain(point.target), *tail])
            else:
                rows.append([*common, "", plain(point.value), plain(point.target), *tail])
    return header, rows


def funnel_tables(
    lab, *, year: int | None
) -> tuple[tuple[list[str], list[list]], tuple[list[str], list[list]]]:
    from .selectors import lab_funnel

    result = lab_funnel(lab, year=year)
    stages = (
        [
            _("Stage code"),
            _("Stage"),
            _("Count"),
            _("Share of the previous stage (%)"),
            _("Share of the first stage (%)"),
            _("Records"),
        ],
        [
            [
                stage.key,
                str(stage.label),
                stage.count,
                plain(stage.rate_from_previous),
                plain(stage.rate_from_first),
                stage.records_url or "",
            ]
            for stage in result.stages
        ],
    )
    labels = {stage.key: str(stage.label) for stage in result.stages}
    exits = (
        [_("Stage code"), _("Left at"), _("Reason code"), _("Reason"), _("Count")],
        [
            [
                exit.stage_key,
                labels.get(exit.stage_key, exit.stage_key),
                exit.reason_key,
                str(exit.reason_label),
                exit.count,
            ]
            for exit in result.exits
        ],
    )
    return stages, exits


def cycle_times_table(lab, *, year: int | None) -> tuple[list[str], list[list]]:
    from .selectors import lab_cycle_times

    result = lab_cycle_times(lab, year=year)
    buckets: list[str] = []
    for item in [*result.by_phase, *result.by_state]:
        for label, _count in item.histogram or []:
            if label not in buckets:
                buckets.append(label)
    header = [
        _("Kind"),
        _("Code"),
        _("Phase or state"),
        _("Challenges"),
        _("Median days"),
        _("25th percentile"),
        _("75th percentile"),
        _("Mean days"),
        *[_("Days %(range)s") % {"range": bucket} for bucket in buckets],
    ]
    rows = []
    for kind, items in ((_("Phase"), result.by_phase), (_("State"), result.by_state)):
        for item in items:
            counts = dict(item.histogram or [])
            rows.append(
                [
                    kind,
                    item.state,
                    str(item.label),
                    item.n,
                    item.median_days,
                    item.p25,
                    item.p75,
                    item.mean_days,
                    *[counts.get(bucket, 0) for bucket in buckets],
                ]
            )
    return header, rows


def kpis_csv(lab) -> str:
    return csv_text(kpis_table(lab))


def funnel_csv(lab, *, year: int | None) -> str:
    """The stages, an empty line, then the exits by reason."""
    return csv_text(*funnel_tables(lab, year=year))


def cycle_times_csv(lab, *, year: int | None) -> str:
    return csv_text(cycle_times_table(lab, year=year))


def lab_xlsx(lab, *, year: int | None) -> bytes:
    stages, exits = funnel_tables(lab, year=year)
    return xlsx_bytes(
        (_("KPIs"), kpis_table(lab)),
        (_("Funnel"), stages),
        (_("Exits"), exits),
        (_("Cycle times"), cycle_times_table(lab, year=year)),
    )
