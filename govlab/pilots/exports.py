"""A pilot's data for the people who run it: its observations (one row each) and its analysis (one row per
metric, the same figures as the analysis page), as CSV (one file each) and as one XLSX workbook.

Text cells go through ``safe_cell`` (a note starting with "=" stays text); numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from govlab.calls.exports import BOM, safe_cell

from . import analysis
from .models import Observation

NUMBER = (int, float, Decimal)


def plain(value: Decimal) -> Decimal:
    """12.000000 → 12, 7.500000 → 7.5 (never 1E+2)."""
    return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()


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


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, NUMBER) and not isinstance(value, bool):
        return str(value)
    return safe_cell(value)


def _xlsx(value):
    if value is None:
        return None
    if isinstance(value, NUMBER) and not isinstance(value, bool):
        return value
    return ILLEGAL_CHARACTERS_RE.sub("", safe_cell(value))


def _csv(table) -> str:
    header, rows = table
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_text(cell) for cell in header])
    writer.writerows([_text(cell) for cell in row] for row in rows)
    return BOM + out.getvalue()


def observations_csv(pilot) -> str:
    return _csv(observations_table(pilot))


def analysis_csv(pilot) -> str:
    return _csv(analysis_table(pilot))


def pilot_xlsx(pilot) -> bytes:
    workbook = Workbook(write_only=True)
    for title, (header, rows) in (
        (_("Observations"), observations_table(pilot)),
        (_("Analysis"), analysis_table(pilot)),
    ):
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append([_xlsx(cell) for cell in header])
        for row in rows:
            sheet.append([_xlsx(cell) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
