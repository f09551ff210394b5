"""The OpenAPI schema generates cleanly, and the docs page needs no CDN and no inline script."""

import re

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

OUR_ENDPOINTS = (
    "/api/v1/labs/",
    "/api/v1/organisations/",
    "/api/v1/terms/",
    "/api/v1/notifications/",
    "/api/v1/me/",
    "/api/v1/auth/token/",
)


def generate() -> tuple[dict, list[str]]:
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    warnings = list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)
    GENERATOR_STATS.reset()
    return schema, warnings


def test_schema_generates_without_warnings():
    """As `manage.py spectacular --fail-on-warn` checks: no warning or error for any endpoint."""
    schema, warnings = generate()

    assert warnings == []
    assert schema["openapi"].startswith("3.")
    for prefix in OUR_ENDPOINTS:
        assert any(path.startswith(prefix) for path in schema["paths"]), prefix
    assert schema["components"]["securitySchemes"]["tokenAuth"]["name"] == "Authorization"
    assert schema["paths"]["/api/v1/auth/token/"]["post"].get("security", [{}]) == [{}]


def test_schema_endpoint_answers(client):
    response = client.get("/api/schema/?format=json")

    assert response.status_code == 200
    assert "/api/v1/labs/" in response.json()["paths"]


def test_docs_page_lists_the_operations_without_cdn_or_inline_script(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "GET /api/v1/labs/" in html
    assert "POST /api/v1/auth/token/" in html
    # Nothing loaded from another host, no inline script or style (the CSP would block it anyway).
    assert re.findall(r'(?:src|href)="(?:https?:)?//', html) == []
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "<style" not in html
    assert " style=" not in html
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


def test_a_browser_gets_json_not_an_html_page_with_inline_script(client):
    response = client.get("/api/v1/labs/", HTTP_ACCEPT="text/html,application/xhtml+xml,*/*;q=0.8")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
