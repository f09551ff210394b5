"""Per-request cost of each benchmarked page, in process: median and p95 time, and SQL queries.

Run by bench/run.py (or alone, with DJANGO_SETTINGS_MODULE=bench.settings and DATABASE_URL set). One
request at a time through Django's test client, so the figures show what a page costs by itself, and
the query count, which does not depend on how busy the machine is.
"""

from __future__ import annotations

import statistics
import sys
import time

import django


def main(paths: list[str], repeat: int = 30) -> str:
    django.setup()
    from django.db import connection
    from django.test import Client

    client = Client(HTTP_HOST="127.0.0.1")
    lines = ["| path | queries | median ms | p95 ms |", "|---|---:|---:|---:|"]
    for path in paths:
        client.get(path)  # warm up
        queries = []

        def count(execute, sql, params, many, context, queries=queries):
            queries.append(sql)
            return execute(sql, params, many, context)

        with connection.execute_wrapper(count):
            status = client.get(path).status_code
        if status != 200:
            raise SystemExit(f"{path} answered {status}")
        timings = []
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
        timings.sort()
        p95 = timings[int(len(timings) * 0.95) - 1]
        lines.append(f"| `{path}` | {len(queries)} | {statistics.median(timings):.1f} | {p95:.1f} |")
    return "\n".join(lines)


if __name__ == "__main__":
    print(main(sys.argv[1:]))
