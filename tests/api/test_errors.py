"""Every refusal answers one shape: {"error": {"code", "message", "fields"}}."""

import pytest

from .conftest import error

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "url", "status", "code"),
    [
        ("get", "/api/v1/me/", 401, "not_authenticated"),
        ("get", "/api/v1/labs/nowhere/", 404, "not_found"),
        ("get", "/api/v1/organisations/nowhere/", 404, "not_found"),
        ("get", "/api/v1/terms/?vocabulary=nope", 400, "invalid"),
        ("put", "/api/v1/labs/nowhere/", 405, "method_not_allowed"),
        ("post", "/api/v1/auth/token/", 400, "invalid"),
    ],
)
def test_error_shape(client, method, url, status, code):
    response = getattr(client, method)(url, {}, content_type="application/json")

    assert response.status_code == status
    assert error(response)["code"] == code


def test_validation_error_lists_every_field(client):
    response = client.post(
        "/api/v1/auth/token/", {"email": "not-an-address"}, content_type="application/json"
    )

    assert response.status_code == 400
    assert error(response) == {
        "code": "invalid",
        "message": "The request has invalid fields.",
        "fields": {"email": ["Enter a valid email address."], "password": ["This field is required."]},
    }


def test_malformed_json_is_a_400_in_the_error_shape(login, user):
    response = login(user).patch("/api/v1/me/", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert error(response)["code"] == "parse_error"
