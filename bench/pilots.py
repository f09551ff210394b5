"""Time a pilot's analysis at 100,000 observations, its charts, and a CSV import of 10,000 rows (issue 6).

    .venv/bin/python bench/pilots.py                      # SQLite file under var/bench/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/govlab_pilots .venv/bin/python bench/pilots.py

Steps: migrate a dedicated database (created with ``createdb`` on PostgreSQL when missing) and load the
demo (``load_demo``; a second run finds it). Then, unless they are there already, two randomised pilots
on the "Bye bye Robots!" call's preselected applications that have none, made through the services
(``pilot_create``, ``units_set`` with ``--units`` units, ``pilot_randomise``, ``pilot_start``):

- *analysis*: a mean metric and a rate metric, with ``--observations`` observations in bulk (half per
  metric, spread over the units and the pilot's days: the volume, not the services, is what is timed);
- *import*: the same two metrics, empty, for the CSV import.

Timed, ``--runs`` times each (5; the first run counts like the others): ``pilots.analysis.analyse`` of
the analysis pilot (its queries and the statistics in Python), the two charts of its analysis page
(``charts.comparison_chart`` and ``charts.timeline_chart`` for both metrics), and
``services.observation_import_csv`` of a 10,000-row CSV on the import pilot (each run rolled back, so
every run imports the same file into an empty pilot). Prints min / median / max and the SQL queries of
one analysis; exits 1 when the analysis's median is over ``--limit`` seconds (1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench"
CALL = ("govtech-lab-luxembourg", "bye-bye-robots")
TITLES = {"analysis": "Benchmark pilot: analysis", "import": "Benchmark pilot: CSV import"}
START = dt.date(2026, 1, 5)
DAYS = 50
CSV_ROWS = 10_000


def _setup(url: str) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    parsed = urlparse(url)
    if parsed.scheme in ("postgres", "postgresql"):
        command = ["createdb", "-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432)]
        if parsed.username:
            command += ["-U", parsed.username]
        result = subprocess.run(  # noqa: S603 (the local PostgreSQL client)
            [*command, parsed.path.lstrip("/")], capture_output=True, text=True, check=False
        )
        if result.returncode and "already exists" not in result.stderr:
            sys.exit(f"createdb failed: {result.stderr.strip()}")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings

    call_command("migrate", "--no-input", "-v", "0")
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        call_command("load_demo", "-v", "0", stdout=open(os.devnull, "w"))  # noqa: SIM115


def _metrics() -> list[dict]:
    return [
        {
            "code": "wait",
            "name": "Waiting time",
            "unit": "minutes",
            "kind": "mean",
            "direction": "decrease",
            "baseline": "12",
            "target": "8",
            "how_measured": "Call logs, per caller.",
            "hypothesis": 1,
        },
        {
            "code": "person",
            "name": "Calls reaching a person",
            "unit": "share of calls",
            "kind": "rate",
            "direction": "increase",
            "baseline": "0.40",
            "target": "0.60",
            "how_measured": "Switchboard logs.",
            "hypothesis": 1,
        },
    ]


def _pilot(kind: str, units: int):
    """The benchmark's pilot of this kind, made through the services when missing."""
    from govlab.calls.models import Call
    from govlab.evaluation.selectors import preselected_applications
    from govlab.labs.models import LabMembership
    from govlab.pilots import services
    from govlab.pilots.models import Pilot

    pilot = Pilot.objects.filter(title=TITLES[kind]).first()
    if pilot is not None:
        return pilot
    call = Call.objects.get(lab__slug=CALL[0], slug=CALL[1])
    staff = LabMembership.objects.filter(lab=call.lab, role__in=["manager", "staff"]).first().user
    application = next(
        (a for a in preselected_applications(call) if not Pilot.objects.filter(application=a).exists()), None
    )
    if application is None:
        sys.exit("No preselected application without a pilot is left on the Bye bye Robots! call.")
    pilot = services.pilot_create(
        application=application,
        by=staff,
        title=TITLES[kind],
        objective={"en": "Synthetic pilot made by bench/pilots.py."},
        design="randomised",
        starts_on=START,
        ends_on=START + dt.timedelta(days=DAYS - 1),
        hypotheses=[{"statement": "Routing to a person first cuts waiting time."}],
        metrics=_metrics(),
    )
    services.units_set(
        pilot=pilot, by=staff, units=[{"code": f"U{n:05d}", "label": ""} for n in range(1, units + 1)]
    )
    services.pilot_randomise(pilot=pilot, by=staff)
    return services.pilot_start(pilot=Pilot.objects.get(pk=pilot.pk), by=staff)


def _fill(pilot, observations: int, seed: int = 2026) -> str:
    """Bulk observations for the analysis pilot (when it has fewer than asked)."""
    import random
    from decimal import Decimal

    from govlab.pilots.models import Observation

    have = Observation.objects.filter(pilot=pilot).count()
    if have >= observations:
        return f"{have:,} observations there already"
    Observation.objects.filter(pilot=pilot).delete()
    generator = random.Random(seed)
    metrics = {m.code: m for m in pilot.metrics.all()}
    units = list(pilot.units.order_by("code"))
    by = pilot.created_by
    rows = []
    for number in range(observations):
        metric = metrics["wait" if number % 2 == 0 else "person"]
        unit = units[(number // 2) % len(units)]
        day = START + dt.timedelta(days=(number // (2 * len(units))) % DAYS)
        if metric.code == "wait":
            value = Decimal(f"{max(0.5, generator.gauss(9.0 if unit.arm == 'B' else 11.0, 3.0)):.2f}")
        else:
            value = Decimal(int(generator.random() < (0.55 if unit.arm == "B" else 0.42)))
        rows.append(
            Observation(
                pilot=pilot,
                metric=metric,
                unit=unit,
                group=unit.arm,
                value=value,
                observed_on=day,
                source="api",
                recorded_by=by,
            )
        )
    started = time.perf_counter()
    Observation.objects.bulk_create(rows, batch_size=5000)
    return f"{observations:,} observations written in {time.perf_counter() - started:.1f} s"


def _csv(pilot) -> bytes:
    units = list(pilot.units.order_by("code").values_list("code", "arm"))
    lines = ["metric,unit,arm,observed_on,value"]
    for number in range(CSV_ROWS):
        code, arm = units[number % len(units)]
        day = START + dt.timedelta(days=number // len(units))
        lines.append(f"wait,{code},{arm},{day.isoformat()},{8 + (number % 7) * 0.5}")
    return ("\n".join(lines) + "\n").encode()


class _Rollback(Exception):
    pass


def _time(function, runs: int) -> list[float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        timings.append(time.perf_counter() - started)
    return timings


def _line(name: str, timings: list[float]) -> str:
    return (
        f"{name:<34} min {min(timings) * 1000:8.1f} ms   median {statistics.median(timings) * 1000:8.1f} ms"
        f"   max {max(timings) * 1000:8.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--observations", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--limit", type=float, default=1.0)
    arguments = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR / 'pilots.sqlite3'}"
    VAR.mkdir(parents=True, exist_ok=True)
    _setup(url)
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"  # the services' notices

    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from govlab.pilots import analysis, charts, services

    pilot = _pilot("analysis", arguments.units)
    print(_fill(pilot, arguments.observations))
    importing = _pilot("import", arguments.units)
    content = _csv(importing)

    with CaptureQueriesContext(connection) as queries:
        result = analysis.analyse(pilot)
    print(
        f"analysis: {len(queries)} SQL queries, {result.observations:,} observations, "
        f"{len(result.metrics)} metrics"
    )

    def draw():
        for item in result.metrics:
            charts.comparison_chart(
                title=item.metric.name,
                description="",
                unit=item.metric.unit,
                bars=[
                    charts.Bar(str(group.label), group.summary.mean)
                    for group in (item.reference, item.treated)
                ],
            )
            charts.timeline_chart(
                title=item.metric.name,
                description="",
                unit=item.metric.unit,
                series=[
                    charts.Series(str(group.label), group.by_day) for group in (item.reference, item.treated)
                ],
            )

    def import_once():
        try:
            with transaction.atomic():
                services.observation_import_csv(
                    pilot=importing, by=importing.created_by, content=content, file_name="bench.csv"
                )
                raise _Rollback
        except _Rollback:
            pass

    analysis_times = _time(lambda: analysis.analyse(pilot), arguments.runs)
    chart_times = _time(draw, arguments.runs)
    import_times = _time(import_once, arguments.runs)

    print(
        f"{platform.python_implementation()} {platform.python_version()}, {connection.vendor}, "
        f"{os.cpu_count()} CPUs, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC"
    )
    print(_line(f"analyse ({arguments.observations:,} obs.)", analysis_times))
    print(_line("charts (2 metrics, 2 charts each)", chart_times))
    print(_line(f"CSV import ({CSV_ROWS:,} rows)", import_times))
    return 1 if statistics.median(analysis_times) > arguments.limit else 0


if __name__ == "__main__":
    sys.exit(main())
