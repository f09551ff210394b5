"""Deadline surge: 1,000 organisations submit in a call's last 60 seconds, through the API.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/govlab_surge .venv/bin/python bench/deadline_surge.py

It EXPECTS PostgreSQL to be running on loopback (``DATABASE_URL``, default the one above; the database is
created with ``createdb`` when missing) and STARTS gunicorn itself, as bench/run.py does (bench/settings.py:
DEBUG off, persistent connections, API throttling off). Steps:

1. migrate, then ``python -m bench.surge_data prepare``: a published call (services), N solver
   organisations (default 1,000), each with one person, an API token and a complete draft application.
2. start gunicorn on 127.0.0.1 (sync workers, 2 x CPUs + 1 by default) and wait for ``/healthz``.
3. ``arm``: the call's deadline becomes ``--window`` + ``--margin`` seconds from now (default 60 + 3).
4. every client sends ``POST /api/v1/applications/{id}/submit/`` with its token at a moment drawn in
   the ``--window`` seconds before the deadline, denser towards the end (window * sqrt(u) into the
   window, u uniform: a quarter of the clients in its first half, three quarters in its second), from a
   pool of ``--threads`` threads.
   ``--double-clicks K``: K clients send their submit twice at the same instant (the second must store
   nothing and answer 200 with the same receipt).
5. ``verify``: in the database, revisions == N, no application with two revisions, none received at or
   after the deadline, every receipt verifies. Then the report: responses by status, server errors
   (5xx and broken connections: must be 0), latency p50/p95/p99/max, and when the requests were sent.

Exit status 0 only if every check holds. The client runs on the same machine as the server: on a small
machine it takes CPU from gunicorn and PostgreSQL, so latencies are upper bounds.
"""

from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import BIN, VAR, free_port, wait_until_up  # noqa: E402 (after the path is set)

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/govlab_surge"


@dataclass
class Result:
    application: int
    status: int  # 0: no HTTP answer (connection error)
    seconds: float
    sent_before_deadline: float
    receipt: str = ""
    error: str = ""


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, result: Result) -> None:
        with self.lock:
            self.results.append(result)


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile (share in 0..1) of ``values``; 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(share * len(ordered)))
    return ordered[rank - 1]


def schedule(clients: int, window: float, seed: int) -> list[float]:
    """Seconds before the deadline at which each client sends, denser towards the deadline."""
    rng = random.Random(seed)
    # offset from the start of the window = window * sqrt(u): density grows linearly to the deadline.
    return [max(0.05, window * (1 - math.sqrt(rng.random()))) for _ in range(clients)]


def submit(
    base: str, application: int, token: str, timeout: float = 60, stamp: bool = False
) -> tuple[int, str, str]:
    url = urlparse(base)
    headers = {
        "Authorization": f"Token {token}",
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
    if stamp:  # what a reverse proxy in front does on arrival (nginx: "t=${msec}"); on loopback, now
        headers["X-Request-Start"] = f"t={time.time():.3f}"
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=timeout)
    try:
        connection.request(
            "POST",
            f"/api/v1/applications/{application}/submit/",
            body=b"{}",
            headers=headers,
        )
        response = connection.getresponse()
        body = response.read()
        receipt = ""
        if response.status in (200, 201):
            receipt = json.loads(body).get("receipt_code", "")
        return response.status, receipt, "" if response.status < 400 else body[:200].decode(errors="replace")
    finally:
        connection.close()


def run_surge(base: str, clients: list[dict], deadline: float, offsets: list[float], args, report: Report):
    """Send every submit at its moment (``deadline`` is a time.time() value)."""
    jobs = []
    for client, offset in zip(clients, offsets, strict=True):
        jobs.append((deadline - offset, client))
    for client, offset in zip(clients[: args.double_clicks], offsets, strict=False):
        jobs.append((deadline - offset, client))  # the same instant: a double click
    jobs.sort(key=lambda job: job[0])

    def one(job):
        at, client = job
        delay = at - time.time()
        if delay > 0:
            time.sleep(delay)
        started = time.time()
        try:
            status, receipt, error = submit(
                base, client["application"], client["token"], stamp=args.stamp_arrival
            )
        except (OSError, http.client.HTTPException) as exc:
            status, receipt, error = 0, "", repr(exc)
        report.add(
            Result(
                application=client["application"],
                status=status,
                seconds=time.time() - started,
                sent_before_deadline=deadline - started,
                receipt=receipt,
                error=error,
            )
        )

    with ThreadPoolExecutor(max_workers=args.threads) as pool:
        list(pool.map(one, jobs))


def surge_env(database_url: str, task_backend: str = "database", stamp_arrival: bool = False) -> dict:
    return {
        # With --stamp-arrival the app trusts X-Request-Start, as behind a reverse proxy (ADR 0010).
        "REQUEST_START_HEADER": "X-Request-Start" if stamp_arrival else "",
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "DATABASE_URL": database_url,
        # The receipt e-mail is queued for a worker, as in production; nothing is actually sent.
        "TASK_BACKEND": task_backend,
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
    }


def ensure_database(url: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme not in ("postgres", "postgresql"):
        sys.exit("The deadline surge runs against PostgreSQL: set DATABASE_URL=postgres://…")
    name = parsed.path.lstrip("/")
    command = ["createdb", "-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 5432)]
    if parsed.username:
        command += ["-U", parsed.username]
    result = subprocess.run([*command, name], capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode and "already exists" not in result.stderr:
        sys.exit(f"createdb failed: {result.stderr.strip()}")


def helper(env: dict, *args: str) -> dict:
    out = subprocess.run(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "bench.surge_data", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def summary(report: Report, checks: dict, args, *, workers: int, prepare_seconds: float) -> tuple[str, bool]:
    results = report.results
    statuses: dict[int, int] = {}
    for result in results:
        statuses[result.status] = statuses.get(result.status, 0) + 1
    server_errors = sum(1 for r in results if r.status >= 500 or r.status == 0)
    refused = sum(1 for r in results if 400 <= r.status < 500)
    late_sent = sum(1 for r in results if r.sent_before_deadline <= 0)
    late_stamped = sum(1 for r in results if "deadline_passed" in r.error and r.sent_before_deadline > 0)
    latencies = [r.seconds * 1000 for r in results if r.status]
    sent = [r.sent_before_deadline for r in results]
    receipts_by_application: dict[int, set[str]] = {}
    for result in results:
        if result.receipt:
            receipts_by_application.setdefault(result.application, set()).add(result.receipt)
    double_receipts = sum(1 for codes in receipts_by_application.values() if len(codes) > 1)
    expected = args.organisations
    ok = (
        server_errors == 0
        and refused == 0
        and checks["revisions"] == expected
        and checks["submitted"] == expected
        and checks["applications_with_more_than_one_revision"] == 0
        and checks["received_at_or_after_deadline"] == 0
        and checks["receipts_failing_verification"] == 0
        and double_receipts == 0
    )
    load1, load5, _load15 = os.getloadavg()
    lines = [
        f"### Deadline surge, PostgreSQL, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"{expected:,} organisations (each its own person and API token) submit a complete draft through "
        f"`POST /api/v1/applications/{{id}}/submit/` in the last {args.window:.0f} s before the deadline "
        f"(denser towards the end), {args.double_clicks} of them twice at the same instant; gunicorn "
        f"{workers} sync workers on loopback; {args.threads} client threads on the same machine; "
        f"{os.cpu_count()} CPUs, load average {load1:.1f}/{load5:.1f} at the end. Preparation took "
        f"{prepare_seconds:.1f} s.",
        "",
        "| check | result |",
        "|---|---:|",
        f"| requests sent | {len(results):,} |",
        f"| responses by status | {', '.join(f'{k}: {v:,}' for k, v in sorted(statuses.items()))} |",
        f"| server errors (5xx or no answer) | {server_errors} |",
        f"| refused (4xx) | {refused} |",
        f"| … refused as late although sent before the deadline | {late_stamped} |",
        f"| sent after the deadline (the client fell behind) | {late_sent} |",
        f"| revisions stored | {checks['revisions']:,} (expected {expected:,}) |",
        f"| applications submitted | {checks['submitted']:,} |",
        f"| applications with two revisions | {checks['applications_with_more_than_one_revision']} |",
        f"| double clicks answered with two different receipts | {double_receipts} |",
        f"| revisions received at or after the deadline | {checks['received_at_or_after_deadline']} |",
        f"| receipts failing verification | {checks['receipts_failing_verification']} |",
        f"| latency p50 / p95 / p99 / max (ms) | {percentile(latencies, 0.5):.0f} / "
        f"{percentile(latencies, 0.95):.0f} / {percentile(latencies, 0.99):.0f} / "
        f"{max(latencies, default=0):.0f} |",
        f"| sent between … and … s before the deadline | {max(sent, default=0):.1f} … "
        f"{min(sent, default=0):.2f} |",
        f"| sent in the last 10 s | {sum(1 for s in sent if s <= 10):,} |",
        "",
        f"Result: {'PASS' if ok else 'FAIL'}.",
    ]
    errors = [r.error for r in results if r.error][:5]
    if errors:
        lines += ["", "First errors:", *[f"- `{error}`" for error in errors]]
    return "\n".join(lines), ok


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--organisations", type=int, default=1000)
    parser.add_argument("--window", type=float, default=60.0, help="Seconds before the deadline (60).")
    parser.add_argument("--margin", type=float, default=3.0, help="Seconds between arming and the window.")
    parser.add_argument("--threads", type=int, default=200, help="Client threads (200).")
    parser.add_argument("--double-clicks", type=int, default=50, help="Clients that submit twice (50).")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--task-backend",
        choices=["database", "immediate"],
        default="database",
        help="database (default): the receipt e-mail is queued in the request, for a worker; "
        "immediate: it is rendered and handed to a dummy mail backend inside the request.",
    )
    parser.add_argument(
        "--stamp-arrival",
        action="store_true",
        help="Each client sends X-Request-Start as a reverse proxy would on arrival, and the app trusts it "
        "(REQUEST_START_HEADER): deadlines are judged on arrival even when requests queue.",
    )
    parser.add_argument("--output", type=Path, help="Also write the report to this file.")
    args = parser.parse_args()

    database_url = os.environ.get("DATABASE_URL") or DEFAULT_DATABASE
    ensure_database(database_url)
    env = surge_env(database_url, args.task_backend, args.stamp_arrival)
    (VAR / "static").mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, "-m", "govlab", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        clients_file = Path(tmp) / "clients.json"
        helper(env, "prepare", "--organisations", str(args.organisations), "--output", str(clients_file))
        clients = json.loads(clients_file.read_text(encoding="utf-8"))["clients"]
    prepare_seconds = time.perf_counter() - started

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = VAR / "deadline-surge-gunicorn.log"
    log = log_path.open("w", encoding="utf-8")  # closed after the server stops
    server = subprocess.Popen(  # noqa: S603 (gunicorn from our own environment)
        [
            str(BIN / "gunicorn"),
            "govlab.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            "sync",
            "--backlog",
            "2048",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    report = Report()
    try:
        wait_until_up(base)
        armed = helper(env, "arm", "--seconds", str(args.window + args.margin))
        deadline = datetime.fromisoformat(armed["deadline"]).timestamp()
        offsets = schedule(len(clients), args.window, args.seed)
        run_surge(base, clients, deadline, offsets, args, report)
        time.sleep(max(0.0, deadline - time.time()) + 0.5)  # the deadline has passed: nothing more may land
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    checks = helper(env, "verify")
    text, ok = summary(report, checks, args, workers=args.workers, prepare_seconds=prepare_seconds)
    print(text)
    print(f"gunicorn's log: {log_path}", file=sys.stderr)
    if args.output:
        args.output.write_text(text + "\n", encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
