"""The spreadsheet writers every export uses: safe text cells, numbers as numbers, CSV with BOM and CRLF,
XLSX with one sheet per table, the download response."""

import io
from decimal import Decimal

import pytest
from freezegun import freeze_time
from openpyxl import load_workbook

from govlab.core.exports import csv_cell, csv_text, download, plain, safe_cell, xlsx_bytes, xlsx_cell


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://evil.example")', '\'=HYPERLINK("http://evil.example")'),
        ("+1", "'+1"),
        ("+1+1", "'+1+1"),
        ("-1", "'-1"),
        ("-2+3", "'-2+3"),
        ("@A1", "'@A1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\t=1", "'\t=1"),
        ("\rx", "'\rx"),
        ("a=1", "a=1"),
        ("Plain text = fine", "Plain text = fine"),
        ("", ""),
        (None, ""),
        (12, "12"),
        (3, "3"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.parametrize(
    ("value", "in_csv", "in_xlsx"),
    [
        (None, "", None),
        (-3, "-3", -3),
        (Decimal("-1.50"), "-1.50", Decimal("-1.50")),
        (0.25, "0.25", 0.25),
        (True, "True", "True"),
        ("-x", "'-x", "'-x"),
        ("a\x01b", "a\x01b", "ab"),
    ],
)
def test_cells_keep_numbers_and_make_text_safe(value, in_csv, in_xlsx):
    assert csv_cell(value) == in_csv
    assert xlsx_cell(value) == in_xlsx


def test_a_control_character_cannot_hide_a_formula_in_xlsx():
    # XML cannot hold \x01, so it is dropped; the quote must go in front of what is left.
    hostile = '\x01=HYPERLINK("http://evil.example","x")'
    assert xlsx_cell(hostile) == '\'=HYPERLINK("http://evil.example","x")'
    book = load_workbook(io.BytesIO(xlsx_bytes(("Sheet", (["Name"], [[hostile]])))))
    cell = book.active["A2"]
    assert cell.data_type == "s"
    assert cell.value == '\'=HYPERLINK("http://evil.example","x")'


def test_csv_has_a_bom_crlf_and_an_empty_line_between_tables():
    text = csv_text((["A", "B"], [["=x", 1], [None, Decimal("2.50")]]), (["C"], [['say "hi", then go']]))
    assert text == '\ufeffA,B\r\n\'=x,1\r\n,2.50\r\n\r\nC\r\n"say ""hi"", then go"\r\n'


def test_xlsx_has_one_sheet_per_table_in_order_with_numbers_as_numbers():
    content = xlsx_bytes(
        ("A sheet title much longer than thirty-one characters", (["N", "T"], [[1.5, "@x"]])),
        ("Second", (["Only"], [])),
    )
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["A sheet title much longer than ", "Second"]
    first = book.worksheets[0]
    assert [[cell.value for cell in row] for row in first.iter_rows()] == [["N", "T"], [1.5, "'@x"]]
    assert first["A2"].data_type == "n"
    assert [[cell.value for cell in row] for row in book.worksheets[1].iter_rows()] == [["Only"]]


def test_plain_drops_trailing_zeros_without_an_exponent():
    assert str(plain(Decimal("27.0000"))) == "27"
    assert str(plain(Decimal("100.00"))) == "100"
    assert str(plain(Decimal("7.5000"))) == "7.5"
    assert plain(None) is None
    assert plain(3) == 3


@freeze_time("2026-03-04 23:30:00")
def test_download_names_the_file_and_its_type():
    response = download("\ufeffa\r\n", "lab-scores", "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="lab-scores-20260304.csv"'
    response = download(b"PK", "lab-kpis", "xlsx", dated=False)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="lab-kpis.xlsx"'
