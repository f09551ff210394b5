"""Reading a CSV file of observations, every error found at once (``services.observation_import_csv``).

The file (UTF-8, comma, semicolon or tab separated, a header row):

=================  ===========================================================================
column             what
=================  ===========================================================================
metric             the metric's code (required)
unit               the pilot unit's code (optional; required in randomised pilots)
period / arm       "before"/"after" (before/after designs) or "A"/"B" (A/B and randomised; may be
                   left empty when the unit's arm says it). The column may be called ``period``,
                   ``arm`` or ``group``.
observed_on        the day, YYYY-MM-DD (``date`` is accepted as the column's name) (required)
value              the number; a decimal comma is accepted ("12,5"). Rate metrics: 0 or 1.
note               optional text
unit_of_measure    optional: when given, it must be the metric's unit of measure
=================  ===========================================================================

**Wrong units.** A file can say in which unit of measure its values are, in two ways, and both are
checked against each row's metric: a ``unit_of_measure`` column (per row), or the value column's name,
``value_<unit>`` (e.g. ``value_minutes`` for a whole file in minutes). A value in seconds for a metric in
minutes is refused at that row and column, never converted. The comparison ignores case and spaces.

Row numbers are the spreadsheet's: the header is row 1. A row repeating an earlier row's metric, unit,
day and period, or one already recorded, is a duplicate. One error anywhere and nothing is imported.
"""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

MAX_ROWS = 10_000
GROUP_COLUMNS = ("period", "arm", "group")
DATE_COLUMNS = ("observed_on", "date")
KNOWN = {"metric", "unit", "note", "unit_of_measure", *GROUP_COLUMNS, *DATE_COLUMNS}


def same_unit(a: str, b: str) -> bool:
    return " ".join(str(a).split()).casefold() == " ".join(str(b).split()).casefold()


def _decode(content: bytes) -> str | None:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _dialect(text: str):
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample.splitlines()[0] if sample else ",", delimiters=",;\t")
    except csv.Error:
        return csv.excel
    # Only the delimiter is taken from the header; quoting stays as spreadsheets write it ("" inside "").
    dialect.doublequote = True
    return dialect


def read(content: bytes, context) -> tuple[list[tuple[int, dict]], list[tuple[int, str, str]]]:
    """(clean rows as (row number, row), problems as (row number, column, message))."""
    from .services import check_observation

    problems: list[tuple[int, str, str]] = []
    text = _decode(content)
    if text is None:
        return [], [(1, "", str(_("The file is not UTF-8 text: save it as “CSV UTF-8”.")))]
    if not text.strip():
        return [], [(1, "", str(_("The file is empty.")))]
    reader = csv.reader(io.StringIO(text), _dialect(text))
    try:
        records = list(reader)
    except csv.Error as error:
        return [], [(1, "", str(_("The file is not valid CSV: %(error)s") % {"error": error}))]
    header = [name.strip().lower() for name in records[0]]
    body = records[1:]
    value_columns = [name for name in header if name == "value" or name.startswith("value_")]
    group_columns = [name for name in header if name in GROUP_COLUMNS]
    date_columns = [name for name in header if name in DATE_COLUMNS]
    for name in header:
        if name not in KNOWN and name not in value_columns:
            problems.append((1, name, str(_("Unknown column “%(name)s”.") % {"name": name})))
    if len(set(header)) != len(header):
        problems.append((1, "", str(_("A column appears twice."))))
    if "metric" not in header:
        problems.append((1, "metric", str(_("The column “metric” is missing."))))
    if len(date_columns) != 1:
        problems.append((1, "observed_on", str(_("Give exactly one column “observed_on” (the day)."))))
    if len(value_columns) != 1:
        problems.append((1, "value", str(_("Give exactly one value column: “value” or “value_<unit>”."))))
    if len(group_columns) > 1:
        problems.append((1, group_columns[1], str(_("Give the period or the arm in one column only."))))
    if len(body) > MAX_ROWS:
        problems.append((1, "", str(_("Import at most %(max)d rows at once.") % {"max": MAX_ROWS})))
    if problems:
        return [], problems
    value_column, date_column = value_columns[0], date_columns[0]
    group_column = group_columns[0] if group_columns else None
    file_unit = value_column[len("value_") :].replace("_", " ") if value_column != "value" else None
    columns = {
        "metric": "metric",
        "unit": "unit",
        "group": group_column or "period",
        "value": value_column,
        "observed_on": date_column,
        "note": "note",
    }
    rows: list[tuple[int, dict]] = []
    seen: dict[tuple, int] = {}
    for index, record in enumerate(body):
        number = index + 2
        if not any(cell.strip() for cell in record):
            continue
        if len(record) > len(header):
            problems.append((number, "", str(_("This row has more cells than the header."))))
            continue
        cells = dict(zip(header, [cell.strip() for cell in record], strict=False))
        row_problems = []
        code = cells.get("metric", "")
        metric = context.metric_by_code.get(code.casefold()) if code else None
        if not code:
            row_problems.append(("metric", str(_("Give the metric's code."))))
        elif metric is None:
            row_problems.append(
                ("metric", str(_("No metric of this pilot has the code “%(code)s”.") % {"code": code}))
            )
        unit_code = cells.get("unit", "")
        unit = context.unit_by_code.get(unit_code.casefold()) if unit_code else None
        if unit_code and unit is None:
            row_problems.append(
                ("unit", str(_("No unit of this pilot has the code “%(code)s”.") % {"code": unit_code}))
            )
        if metric is not None:
            declared = cells.get("unit_of_measure", "")
            if declared and not same_unit(declared, metric.unit):
                row_problems.append(
                    (
                        "unit_of_measure",
                        str(
                            _("Wrong unit: “%(metric)s” is measured in %(expected)s, not %(given)s.")
                            % {"metric": metric.name, "expected": metric.unit, "given": declared}
                        ),
                    )
                )
            if file_unit is not None and not same_unit(file_unit, metric.unit):
                row_problems.append(
                    (
                        value_column,
                        str(
                            _("Wrong unit: “%(metric)s” is measured in %(expected)s, not %(given)s.")
                            % {"metric": metric.name, "expected": metric.unit, "given": file_unit}
                        ),
                    )
                )
        if len(cells.get("note", "")) > 500:
            row_problems.append(("note", str(_("Keep the note to 500 characters."))))
        errors, clean = check_observation(
            context,
            metric=metric,
            unit=unit,
            group=cells.get(group_column, "") if group_column else "",
            value=cells.get(value_column, ""),
            observed_on=cells.get(date_column, ""),
        )
        for field, messages in errors.items():
            if field in ("metric", "unit") and any(c == field for c, _m in row_problems):
                continue
            if field == "metric" and not code:
                continue
            if field == "group" and unit_code and unit is None:
                continue
            for message in messages:
                row_problems.append((columns[field], str(message)))
        if not row_problems:
            clean["note"] = cells.get("note", "")
            clean["_date_column"] = date_column
            key = (
                clean["metric"].pk,
                clean["unit"].pk if clean["unit"] else None,
                clean["observed_on"],
                clean["group"],
            )
            if key in seen:
                row_problems.append(
                    (
                        date_column,
                        str(
                            _("Duplicate of row %(row)d: same metric, unit, day and period.")
                            % {"row": seen[key]}
                        ),
                    )
                )
            else:
                seen[key] = number
                rows.append((number, clean))
        problems.extend((number, column, message) for column, message in row_problems)
    if not rows and not problems:
        problems.append((1, "", str(_("The file has no observations."))))
    return rows, problems
