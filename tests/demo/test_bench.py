"""The benchmark's own pieces: the floor view and the report table (the load test itself runs by hand)."""

import pytest
from django.test import override_settings

from bench.run import ENDPOINTS, table


@pytest.mark.django_db
@override_settings(ROOT_URLCONF="bench.urls")
def test_floor_view_answers_through_the_middleware_without_queries(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/bench/floor")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert response["Content-Security-Policy"]  # the same middleware as every page
    assert client.get("/labs/").status_code == 200  # and govlab's own URLs are still there


def test_every_public_page_of_the_brief_is_measured():
    paths = [path for _name, path in ENDPOINTS]
    assert paths == [
        "/bench/floor",
        "/",
        "/labs/",
        "/labs/milab/",
        "/organisations/",
        "/organisations/?q=data",
        "/challenges/",
        "/challenges/?q=data",
        "/api/v1/organisations/",
        "/calls/?state=all",
        "/calls/milab/primera-cohorte-govtech-2026/",
        "/api/v1/calls/",
        "/demo-day/milab/results/",
    ]


def test_table_is_markdown_with_one_row_per_page():
    result = {"requests": 1200, "failures": 0, "rps": 80.4, "p50": 12.0, "p95": 30.5, "p99": 41.0}
    assert table([("home", "/", 200, 12677, result)]).splitlines() == [
        "| page | path | status | bytes | requests | failures | req/s | p50 ms | p95 ms | p99 ms |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
        "| home | `/` | 200 | 12,677 | 1,200 | 0 | 80 | 12 | 30 | 41 |",
    ]
