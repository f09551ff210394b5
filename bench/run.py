"""Load-test govlab's public pages against gunicorn on loopback and print a markdown table.

    .venv/bin/python bench/run.py                     # SQLite file under var/bench/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/govlab_bench .venv/bin/python bench/run.py

Steps: migrate a dedicated database, load the demo and the default synthetic installation
(``generate_load_data``: 20 labs, 2,000 organisations, 10,000 challenges when the challenges app can
generate them), start gunicorn with production-like settings (bench/settings.py: DEBUG off, persistent
database connections), then for each endpoint run locust headless with closed-loop users and no think
time, and report requests per second and latency percentiles. ``/bench/floor`` is the cheapest Django
view through the same middleware: the ceiling no page can beat on this machine.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
VAR = ROOT / "var" / "bench"

ENDPOINTS = [
    ("floor (minimal view)", "/bench/floor"),
    ("home", "/"),
    ("lab list", "/labs/"),
    ("lab page", "/labs/milab/"),
    ("organisation list", "/organisations/"),
    ("organisation search", "/organisations/?q=data"),
    ("challenge list", "/challenges/"),
    ("challenge search", "/challenges/?q=data"),
    ("API organisations", "/api/v1/organisations/"),
    ("call list", "/calls/?state=all"),
    ("call page", "/calls/milab/primera-cohorte-govtech-2026/"),
    ("API calls", "/api/v1/calls/"),
    ("Demo Day results", "/demo-day/milab/results/"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(  # noqa: S603 (our own interpreter and management commands)
        [sys.executable, "-m", "govlab", *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return result.stdout


def database_label(url: str) -> str:
    return "PostgreSQL" if url.startswith(("postgres://", "postgresql://")) else "SQLite"


def prepare(env: dict, args) -> list[str]:
    notes = []
    if args.fresh and database_label(env["DATABASE_URL"]) == "SQLite":
        for suffix in ("", "-wal", "-shm"):
            Path(str(args.sqlite_path) + suffix).unlink(missing_ok=True)
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "load_demo")
    started = time.perf_counter()
    out = manage(
        env,
        "generate_load_data",
        "--labs",
        str(args.labs),
        "--organisations",
        str(args.organisations),
        "--challenges",
        str(args.challenges),
    )
    notes.append(f"generate_load_data ({time.perf_counter() - started:.1f} s wall): " + " ".join(out.split()))
    return notes


def wait_until_up(base: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # noqa: S310 (loopback)
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError("gunicorn did not answer /healthz in time")


def check(base: str, path: str) -> tuple[int, int]:
    """Status and size of one request (the page must answer 200 before it is measured)."""
    try:
        with urllib.request.urlopen(base + path, timeout=30) as response:  # noqa: S310 (loopback)
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, 0


def measure(env: dict, base: str, path: str, args, workdir: Path) -> dict:
    prefix = workdir / f"run-{len(list(workdir.iterdir()))}"
    subprocess.run(  # noqa: S603 (locust from our own environment)
        [
            str(BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locustfile.py"),
            "--headless",
            "--users",
            str(args.users),
            "--spawn-rate",
            str(args.users),
            "--run-time",
            f"{args.duration}s",
            "--host",
            base,
            "--csv",
            str(prefix),
            "--only-summary",
            "--loglevel",
            "ERROR",
            "--exit-code-on-error",
            "0",
        ],
        cwd=ROOT,
        env={**env, "BENCH_PATH": path},
        check=True,
        capture_output=True,
    )
    with open(f"{prefix}_stats.csv", newline="", encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["Name"] == path)
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rps": float(row["Requests/s"]),
        "p50": float(row["50%"]),
        "p95": float(row["95%"]),
        "p99": float(row["99%"]),
    }


def table(rows: list[tuple[str, str, int, int, dict]]) -> str:
    lines = [
        "| page | path | status | bytes | requests | failures | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, path, status, size, r in rows:
        lines.append(
            f"| {name} | `{path}` | {status} | {size:,} | {r['requests']:,} | {r['failures']} | "
            f"{r['rps']:.0f} | {r['p50']:.0f} | {r['p95']:.0f} | {r['p99']:.0f} |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=15, help="Seconds per endpoint (default 15).")
    parser.add_argument("--users", type=int, default=8, help="Concurrent closed-loop users (default 8).")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
    parser.add_argument("--labs", type=int, default=20)
    parser.add_argument("--organisations", type=int, default=2000)
    parser.add_argument("--challenges", type=int, default=10000)
    parser.add_argument("--skip-setup", action="store_true", help="Reuse the database as it is.")
    parser.add_argument("--fresh", action="store_true", help="Delete the SQLite file first.")
    parser.add_argument("--only", action="append", default=[], help="Measure only paths containing this.")
    parser.add_argument("--output", type=Path, help="Also write the report to this file.")
    args = parser.parse_args()

    (VAR / "static").mkdir(parents=True, exist_ok=True)
    args.sqlite_path = VAR / "bench.sqlite3"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{args.sqlite_path}",
    }
    notes = [] if args.skip_setup else prepare(env, args)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
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
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    rows = []
    try:
        wait_until_up(base)
        with tempfile.TemporaryDirectory() as tmp:
            for name, path in ENDPOINTS:
                if args.only and not any(part in path for part in args.only):
                    continue
                status, size = check(base, path)
                for _ in range(20):  # warm the workers' caches and connections
                    check(base, path)
                if status != 200:
                    print(f"skipped {path}: status {status}", file=sys.stderr)
                    continue
                rows.append((name, path, status, size, measure(env, base, path, args, Path(tmp))))
                print(f"measured {path}", file=sys.stderr)
    finally:
        server.terminate()
        server.wait(timeout=30)

    profile = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, str(ROOT / "bench" / "profile_pages.py"), *[path for _n, path, *_rest in rows]],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    load1, load5, _load15 = os.getloadavg()
    report = "\n".join(
        [
            f"### {database_label(env['DATABASE_URL'])}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
            "",
            f"gunicorn {args.workers} sync workers; locust {args.users} closed-loop users, no think time, "
            f"{args.duration} s per page; {os.cpu_count()} CPUs ({platform.machine()}), "
            f"load average {load1:.1f}/{load5:.1f} at the end; Python {platform.python_version()}.",
            *[f"{note}" for note in notes],
            "",
            table(rows),
            "",
            "One request at a time, in process (bench/profile_pages.py):",
            "",
            profile,
            "",
        ]
    )
    print(report)
    if args.output:
        args.output.write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    if shutil.which(str(BIN / "locust")) is None:
        sys.exit("locust is not installed: run `make install-dev`.")
    sys.exit(main())
