"""Importing observations from CSV: all rows or none, every error by row and column, units of measure
checked (never converted), duplicates within the file and against what is recorded."""

from decimal import Decimal

import pytest

from govlab.audit.models import AuditEntry
from govlab.pilots import services
from govlab.pilots.enums import Design
from govlab.pilots.models import Observation, ObservationImport
from tests.pilots.conftest import member_of, rate_metric

pytestmark = pytest.mark.django_db


def csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def imported(pilot, by, content, name="data.csv"):
    return services.observation_import_csv(pilot=pilot, by=by, content=content, file_name=name)


def refused_rows(pilot, by, content) -> list[tuple[int, str, str]]:
    before = (Observation.objects.count(), ObservationImport.objects.count(), AuditEntry.objects.count())
    with pytest.raises(services.ImportRefused) as caught:
        imported(pilot, by, content)
    assert caught.value.code == "csv"
    assert (
        Observation.objects.count(),
        ObservationImport.objects.count(),
        AuditEntry.objects.count(),
    ) == before
    return caught.value.rows


@pytest.fixture
def pilot(make_pilot):
    return make_pilot(metrics=[{"code": "wait", "hypothesis": 1} | _wait(), rate_metric()])


def _wait():
    return {
        "name": "Waiting time",
        "unit": "minutes",
        "kind": "mean",
        "direction": "decrease",
        "baseline": "12",
        "target": "8",
        "how_measured": "Logs.",
    }


def test_a_good_file_is_imported_whole(pilot, lab_staff):
    content = csv(
        "metric,unit,period,observed_on,value,note",
        "wait,,before,2026-01-05,12,",
        'wait,,after,2026-03-02,"8,5",decimal comma',
        "person,,after,2026-03-02,1,",
        "PERSON,,After,2026-03-03,0,case and spaces are forgiven",
    )
    batch = imported(pilot, lab_staff, content, "week1.csv")
    assert (batch.rows, batch.file_name, len(batch.sha256)) == (4, "week1.csv", 64)
    rows = list(
        Observation.objects.order_by("pk").values_list(
            "metric__code", "group", "value", "source", "batch", "note"
        )
    )
    assert rows == [
        ("wait", "before", Decimal("12"), "csv", batch.pk, ""),
        ("wait", "after", Decimal("8.5"), "csv", batch.pk, "decimal comma"),
        ("person", "after", Decimal("1"), "csv", batch.pk, ""),
        ("person", "after", Decimal("0"), "csv", batch.pk, "case and spaces are forgiven"),
    ]
    entry = AuditEntry.objects.get(action="pilot.observations.import")
    assert entry.changes["observations"] == [None, 4]


def test_semicolons_and_a_bom_are_understood(pilot, lab_staff):
    content = "\ufeffmetric;period;observed_on;value\nwait;after;2026-03-02;7,25\n".encode()
    assert imported(pilot, lab_staff, content).rows == 1
    assert Observation.objects.get().value == Decimal("7.25")


def test_every_bad_row_is_reported_and_nothing_is_imported(pilot, lab_staff):
    content = csv(
        "metric,unit,period,observed_on,value,note",
        "wait,,after,2026-03-02,8,fine",
        "speed,,after,2026-03-02,8,",
        "wait,,after,2026-02-30,8,",
        "wait,,after,2026-06-30,8,",
        "wait,,during,2026-03-03,8,",
        "wait,,after,2026-03-04,eight,",
        "person,,after,2026-03-04,0.5,",
        "wait,site-9,after,2026-03-05,8,",
        "wait,,before,2026-03-06,8,",
    )
    rows = refused_rows(pilot, lab_staff, content)
    assert [(row, column) for row, column, _message in rows] == [
        (3, "metric"),
        (4, "observed_on"),
        (5, "observed_on"),
        (6, "period"),
        (7, "value"),
        (8, "value"),
        (9, "unit"),
        (10, "observed_on"),
    ]
    messages = {row: message for row, _column, message in rows}
    assert messages[3] == "No metric of this pilot has the code “speed”."
    assert messages[5] == "This date is outside the pilot (2026-03-02 to 2026-05-29)."
    assert messages[8] == "“Calls reaching a person” is a rate: each observation is 0 or 1."


def test_wrong_units_of_measure_are_refused(pilot, lab_staff):
    by_column = csv(
        "metric,period,observed_on,value,unit_of_measure",
        "wait,after,2026-03-02,480,seconds",
        "wait,after,2026-03-03,8,Minutes",
    )
    assert refused_rows(pilot, lab_staff, by_column) == [
        (2, "unit_of_measure", "Wrong unit: “Waiting time” is measured in minutes, not seconds.")
    ]
    by_header = csv("metric,period,observed_on,value_seconds", "wait,after,2026-03-02,480")
    assert refused_rows(pilot, lab_staff, by_header) == [
        (2, "value_seconds", "Wrong unit: “Waiting time” is measured in minutes, not seconds.")
    ]
    right_header = csv("metric,period,observed_on,value_minutes", "wait,after,2026-03-02,8")
    assert imported(pilot, lab_staff, right_header).rows == 1


def test_duplicates_within_the_file_and_against_stored_data(pilot, lab_staff):
    services.observation_record(
        pilot=pilot,
        by=lab_staff,
        metric=pilot.metrics.get(code="wait"),
        value="9",
        observed_on="2026-03-02",
        group="after",
    )
    content = csv(
        "metric,period,observed_on,value",
        "wait,after,2026-03-03,8",
        "wait,after,2026-03-03,8.5",
        "wait,after,2026-03-02,8",
    )
    rows = refused_rows(pilot, lab_staff, content)
    assert rows == [
        (3, "observed_on", "Duplicate of row 2: same metric, unit, day and period."),
    ]
    only_stored = csv("metric,period,observed_on,value", "wait,after,2026-03-02,8")
    assert refused_rows(pilot, lab_staff, only_stored) == [
        (2, "observed_on", "An observation of this metric, unit, day and period is already recorded.")
    ]


def test_bad_headers_are_reported_on_row_1(pilot, lab_staff):
    rows = refused_rows(
        pilot, lab_staff, csv("metrik,period,when,value,value_kg", "wait,after,2026-03-02,8,8")
    )
    assert [(row, column) for row, column, _m in rows] == [
        (1, "metric"),
        (1, "metrik"),
        (1, "observed_on"),
        (1, "value"),
        (1, "when"),
    ]
    assert refused_rows(pilot, lab_staff, b"\xff\xfe\x00m") == [
        (1, "", "The file is not UTF-8 text: save it as “CSV UTF-8”.")
    ]
    assert refused_rows(pilot, lab_staff, csv("metric,period,observed_on,value")) == [
        (1, "", "The file has no observations.")
    ]


def test_units_and_arms_in_an_ab_pilot(make_pilot, lab_staff, cohort):
    pilot = make_pilot(design=Design.AB)
    services.units_set(
        pilot=pilot, by=lab_staff, units=[{"code": "desk-1", "arm": "A"}, {"code": "desk-2", "arm": "B"}]
    )
    content = csv(
        "metric,unit,arm,observed_on,value",
        "wait,desk-1,,2026-03-02,11",
        "wait,desk-2,B,2026-03-02,7",
        "wait,desk-2,A,2026-03-03,7",
    )
    assert refused_rows(pilot, lab_staff, content) == [(4, "arm", "This unit is in arm B.")]
    assert imported(pilot, member_of(pilot.application), csv(*content.decode().splitlines()[:3])).rows == 2
    assert list(Observation.objects.order_by("pk").values_list("unit__code", "group")) == [
        ("desk-1", "A"),
        ("desk-2", "B"),
    ]


def test_another_solver_may_not_import(pilot, cohort):
    with pytest.raises(services.ValidationError) as caught:
        imported(
            pilot, member_of(cohort[1]), csv("metric,period,observed_on,value", "wait,after,2026-03-02,8")
        )
    assert caught.value.code == "not_allowed"
    assert Observation.objects.count() == 0


def test_a_quoted_note_with_doubled_quotes_is_read_as_spreadsheets_write_it(pilot, lab_staff):
    content = csv(
        "metric,unit,period,observed_on,value,note",
        'wait,,after,2026-03-02,8,"He said ""fine"", then left"',
    )
    imported(pilot, lab_staff, content)
    assert Observation.objects.get().note == 'He said "fine", then left'
