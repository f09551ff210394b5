"""A pilot's data for the people who run it: its observations (one row each) and its analysis (one row per
metric, the same figures as the analysis page), as CSV (one file each) and as one XLSX workbook.

``govlab.core.exports`` writes them: text is made safe (a note starting with "=" stays text); numbers stay
numbers.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from govlab.core.exports import csv_text, plain, xlsx_bytes

from . import analysis
from .models import Observation


def observations_table(pilot) -> tuple[list[str], list[list]]:
    header = [
        _("Metric"),
        _("Unit of measure"),
        _("Unit"),
        _("Period or arm"),
        _("Observed on"),
        _("Value"),
        _("Note"),
        _("Source"),
        _("Import file"),
        _("Recorded by"),
        _("Recorded (UTC)"),
    ]
    rows = []
    for observation in (
        Observation.objects.filter(pilot=pilot)
        .select_related("metric", "unit", "recorded_by", "batch")
        .order_by("metric__order", "metric_id", "observed_on", "unit__code", "pk")
    ):
        rows.append(
            [
                observation.metric.code,
                observation.metric.unit,
                observation.unit.code if observation.unit else "",
                observation.group,
                observation.observed_on.isoformat(),
                plain(observation.value),
                observation.note,
                observation.get_source_display(),
                observation.batch.file_name if observation.batch else "",
                getattr(
                    observation.recorded_by, "full_name", ""
                ),  # a name, never an address (solvers export too)
                observation.created_at.strftime("%Y-%m-%d %H:%M:%S"),
            ]
        )
    return header, rows


def analysis_table(pilot) -> tuple[list[str], list[list]]:
    header = [
        _("Metric"),
        _("Name"),
        _("Unit of measure"),
        _("Kind"),
        _("Direction"),
        _("Baseline"),
        _("Target"),
        _("Method"),
        _("n (A / before)"),
        _("n (B / after)"),
        _("Estimate A / before"),
        _("Estimate B / after"),
        _("Difference (B - A)"),
        _("CI low"),
        _("CI high"),
        _("p-value"),
        _("Statistic"),
        _("Degrees of freedom"),
        _("Conclusive"),
        _("Significant"),
        _("Why no conclusion"),
        _("Change vs baseline"),
        _("Target met"),
        _("Summary"),
    ]
    rows = []
    for item in analysis.analyse(pilot).metrics:
        data = analysis.metric_dict(item)
        yes_no = {True: _("Yes"), False: _("No"), None: ""}
        rows.append(
            [
                data["metric"],
                data["name"],
                data["unit"],
                item.metric.get_kind_display(),
                item.metric.get_direction_display(),
                item.metric.baseline,
                item.metric.target,
                data["method_label"],
                data["n_a"],
                data["n_b"],
                data["estimate_a"],
                data["estimate_b"],
                data["difference"],
                data["ci_low"],
                data["ci_high"],
                data["p_value"],
                data["statistic"],
                data["df"],
                yes_no[data["conclusive"]],
                yes_no[data["significant"]],
                data["reason_text"],
                data["change_vs_baseline"],
                yes_no[data["target_met"]],
                data["summary"],
            ]
        )
    return header, rows


def observations_csv(pilot) -> str:
    return csv_text(observations_table(pilot))


def analysis_csv(pilot) -> str:
    return csv_text(analysis_table(pilot))


def pilot_xlsx(pilot) -> bytes:
    return xlsx_bytes(
        (_("Observations"), observations_table(pilot)),
        (_("Analysis"), analysis_table(pilot)),
    )
