"""Spreadsheet exports for the lab's team, shared by every app: a table (a header and rows) written as CSV
or as an XLSX workbook, and the HTTP response that hands the file over.

A cell is text or a number. Numbers (int, float, Decimal; not bool) stay numbers: an XLSX cell holds the
number, a CSV cell its ``str``. Text goes through ``safe_cell``: text a spreadsheet would run as a formula
(= + - @, tab, carriage return) gets a leading quote, so a hostile name such as ``=HYPERLINK(...)`` stays
text. In XLSX the control characters XML cannot hold are dropped first, so none of them can hide a formula
from the quote. None is an empty cell.

CSV is UTF-8 with a byte order mark (spreadsheet programs read it as UTF-8 only then) and CRLF line ends;
several tables go one after the other with an empty line between them. XLSX has one sheet per table.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

__all__ = [
    "BOM",
    "CONTENT_TYPES",
    "csv_cell",
    "csv_text",
    "download",
    "plain",
    "safe_cell",
    "xlsx_bytes",
    "xlsx_cell",
]

BOM = "\ufeff"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER = (int, float, Decimal)
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

Table = tuple[Sequence, Iterable[Sequence]]


def safe_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection): such text gets a leading quote."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def _is_number(value) -> bool:
    return isinstance(value, NUMBER) and not isinstance(value, bool)


def csv_cell(value) -> str:
    """A CSV cell: a number as it is, text made safe, None empty."""
    if value is None:
        return ""
    if _is_number(value):
        return str(value)
    return safe_cell(value)


def xlsx_cell(value):
    """An XLSX cell: a number stays a number; text without the characters XML cannot hold, then made safe."""
    if value is None:
        return None
    if _is_number(value):
        return value
    return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", str(value)))


def plain(value):
    """27.0000 → 27, 7.5000 → 7.5 (never 1E+2), for a CSV cell; anything but a Decimal as it is."""
    if isinstance(value, Decimal):
        return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()
    return value


def csv_text(*tables: Table) -> str:
    """The tables as one CSV text, an empty line between two tables."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for index, (header, rows) in enumerate(tables):
        if index:
            writer.writerow([])
        writer.writerow([csv_cell(cell) for cell in header])
        writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    return BOM + out.getvalue()


def xlsx_bytes(*sheets: tuple[str, Table]) -> bytes:
    """A workbook with one sheet per ``(title, (header, rows))``, in that order."""
    workbook = Workbook(write_only=True)
    for title, (header, rows) in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])  # the most a sheet's name may have
        sheet.append([xlsx_cell(cell) for cell in header])
        for row in rows:
            sheet.append([xlsx_cell(cell) for cell in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def download(content, name: str, extension: str, *, dated: bool = True) -> HttpResponse:
    """The file as an attachment named ``name-YYYYMMDD.extension`` (today, UTC), or ``name.extension``."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[extension])
    stamp = f"-{timezone.now():%Y%m%d}" if dated else ""
    response["Content-Disposition"] = f'attachment; filename="{name}{stamp}.{extension}"'
    return response
