"""The procurement API: reference data (read by lab members, written by the manager), route options,
processes (create, update, steps, award, cancel) through the same services, the role matrix (404 unseen,
403 seen but not allowed), refusals in the one error shape, the OpenAPI schema, and flat list queries."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from govlab.procurement import services
from govlab.procurement.models import ProcurementProcess, Threshold
from tests.conftest import error, patch, post
from tests.factories import LabMembershipFactory, OrganisationMembershipFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/procurement/"


def create_body(selected, routes, **extra):
    return {
        "challenge": selected.challenge.reference,
        "procedure": routes.ppi.pk,
        "estimated_value": "150000.00",
        "currency": "COP",
        "route_justification": "New to the market.",
        **extra,
    }


def test_reference_data(login, selected, lab_manager, routes):
    evaluator = LabMembershipFactory(lab=selected.lab, role="evaluator").user
    data = login(evaluator).get(API + "procedures/").json()
    assert {row["code"] for row in data["results"]} == {"ppi", "direct", "manual"}
    ppi = next(row for row in data["results"] if row["code"] == "ppi")
    assert ppi["thresholds"][0]["source_label"] == "Decree 1082, art. 5"
    assert error(post(login(evaluator), API + "procedures/", {"lab": selected.lab.slug}))["code"] in (
        "invalid",
        "permission_denied",
    )
    outsider = OrganisationMembershipFactory().user
    assert login(outsider).get(API + "procedures/").json()["results"] == []
    assert login(outsider).get(f"{API}procedures/{routes.ppi.pk}/").status_code == 404
    client = login(lab_manager)
    body = {
        "lab": selected.lab.slug,
        "jurisdiction": "CO",
        "code": "dialogue",
        "kind": "competitive_dialogue",
        "name": {"en": "Competitive dialogue"},
        "ocds_method": "selective",
        "steps": ["needs_assessment", "award_decision"],
        "source_label": "Law 80, art. 30",
    }
    response = post(client, API + "procedures/", body)
    assert response.status_code == 201, response.json()
    pk = response.json()["id"]
    assert error(post(login(selected.staff), API + "procedures/", {**body, "code": "other"}))["code"] == (
        "permission_denied"
    )
    client = login(lab_manager)
    response = patch(client, f"{API}procedures/{pk}/", {"standstill_days": 10})
    assert response.status_code == 200
    assert response.json()["steps"] == ["needs_assessment", "award_decision", "standstill"]
    assert patch(login(selected.staff), f"{API}procedures/{pk}/", {"is_active": False}).status_code == 403
    client = login(lab_manager)
    # Thresholds: an overlap refused with the field, then one in another currency.
    threshold = {
        "procedure": routes.ppi.pk,
        "legal_regime": routes.law.pk,
        "currency": "COP",
        "min_value": "200000",
        "max_value": "900000",
        "valid_from": "2024-01-01",
        "source_label": "Decree 1082, art. 9",
    }
    refused = error(post(client, API + "thresholds/", threshold))
    assert refused["code"] == "invalid"
    assert "overlaps" in refused["fields"]["valid_from"][0]
    response = post(client, API + "thresholds/", {**threshold, "currency": "EUR"})
    assert response.status_code == 201
    new = response.json()["id"]
    assert error(patch(client, f"{API}thresholds/{new}/", {"min_value": "900000"}))["fields"]["max_value"]
    assert login(selected.staff).delete(f"{API}thresholds/{new}/").status_code == 403
    client = login(lab_manager)
    assert client.delete(f"{API}thresholds/{new}/").status_code == 204
    assert not Threshold.objects.filter(pk=new).exists()
    rows = login(evaluator).get(API + f"thresholds/?procedure={routes.ppi.pk}").json()["results"]
    assert [row["source_label"] for row in rows] == ["Decree 1082, art. 5"]


@pytest.mark.parametrize(
    ("role", "status"),
    [("staff", 200), ("entity", 200), ("supplier", 404), ("other", 404), ("other_lab_staff", 404)],
)
def test_route_options(login, selected, routes, other_lab_staff, role, status):
    user = {
        "staff": selected.staff,
        "entity": selected.entity_user,
        "supplier": OrganisationMembershipFactory(organisation=selected.supplier).user,
        "other": OrganisationMembershipFactory().user,
        "other_lab_staff": other_lab_staff,
    }[role]
    response = login(user).get(
        f"{API}routes/{selected.challenge.reference}/?value=250000&currency=COP&on=2026-06-01"
    )
    assert response.status_code == status
    if status == 200:
        data = response.json()
        assert "not legal advice" in data["notice"]
        ppi = next(o for o in data["options"] if o["code"] == "ppi")
        assert ppi["available"] is False
        assert ppi["reasons"] == [
            "The estimated value 250,000 COP is at or above the maximum 200,000 COP of Decree 1082, art. 5."
        ]
        assert next(o for o in data["options"] if o["code"] == "direct")["available"] is False


def test_route_options_bad_input(login, selected, routes):
    client = login(selected.staff)
    url = f"{API}routes/{selected.challenge.reference}/"
    assert error(client.get(url + "?value=abc"))["fields"] == {"value": ["Give an amount, e.g. 150000."]}
    # Not finite: the same refusal (NaN used to reach the comparisons and answer 500).
    for nonsense in ("NaN", "sNaN", "Infinity"):
        assert error(client.get(url + f"?value={nonsense}"))["fields"] == {
            "value": ["Give an amount, e.g. 150000."]
        }
    assert "on" in error(client.get(url + "?on=tomorrow"))["fields"]
    assert "currency" in error(client.get(url + "?currency=ZZZ"))["fields"]


def test_the_process_through_the_api(login, selected, routes, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(selected.staff)
    refused = error(post(client, API + "processes/", create_body(selected, routes, estimated_value="250000")))
    assert refused["code"] == "route_unavailable"
    assert "Decree 1082, art. 5" in refused["fields"]["procedure"][0]
    assert not ProcurementProcess.objects.exists()
    response = post(client, API + "processes/", create_body(selected, routes))
    assert response.status_code == 201, response.json()
    data = response.json()
    pk = data["id"]
    assert (data["status"], data["applications"], data["threshold"]) == (
        "planning",
        [selected.application.reference],
        routes.ppi_law.pk,
    )
    assert [s["kind"] for s in data["steps"]] == routes.ppi.steps
    selected.challenge.refresh_from_db()
    assert selected.challenge.status == "procuring"
    assert error(post(client, API + "processes/", create_body(selected, routes)))["code"] == "not_selected"
    # Update with the version read; a stale one is a conflict.
    response = patch(client, f"{API}processes/{pk}/", {"version": 1, "title": "Buying the robot"})
    assert response.status_code == 200
    assert response.json()["version"] == 2
    assert patch(client, f"{API}processes/{pk}/", {"version": 1, "title": "Late"}).status_code == 409
    # A step with a document (multipart).
    step = data["steps"][0]["id"]
    response = client.generic(
        "PUT",
        f"{API}processes/{pk}/steps/{step}/",
        encode_multipart(
            BOUNDARY,
            {
                "planned_on": "2026-01-05",
                "notes": "With the entity.",
                "document": SimpleUploadedFile("needs.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
                "document_is_public": "false",
            },
        ),
        content_type=MULTIPART_CONTENT,
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["document"], response.json()["document_is_public"]) == (True, False)
    # The award: refusals, then the decision.
    award_url = f"{API}processes/{pk}/award/"
    item = {
        "supplier": selected.supplier.pk,
        "application": selected.application.reference,
        "value": "140000",
    }
    assert error(post(client, award_url, {"reasons": "x", "awards": [item, item]}))["fields"] == {
        "awards.1.supplier": ["This supplier is already awarded in this decision."]
    }
    assert (
        "awards.0.value"
        in error(post(client, award_url, {"reasons": "x", "awards": [{**item, "value": "0"}]}))["fields"]
    )
    unknown = {"supplier": 999999999, "value": "10"}
    assert error(post(client, award_url, {"reasons": "x", "awards": [item, unknown]}))["fields"] == {
        "awards.1.supplier": ["Choose the supplier."]
    }
    assert (
        "awards.0.application"
        in (
            error(post(client, award_url, {"reasons": "x", "awards": [{**item, "application": "NOPE"}]}))[
                "fields"
            ]
        )
    )
    response = post(client, award_url, {"reasons": "Best value.", "awards": [item]})
    assert response.status_code == 200
    assert response.json()["status"] == "standstill"
    assert response.json()["awards"][0]["supplier_name"] == selected.supplier.name
    # The supplier now sees it, and may not act.
    supplier = login(OrganisationMembershipFactory(organisation=selected.supplier).user)
    assert supplier.get(f"{API}processes/{pk}/").status_code == 200
    assert [row["id"] for row in supplier.get(API + "processes/").json()["results"]] == [pk]
    assert post(supplier, f"{API}processes/{pk}/cancel/", {"reason": "x"}).status_code == 403
    outsider = login(OrganisationMembershipFactory().user)
    assert outsider.get(f"{API}processes/{pk}/").status_code == 404
    assert outsider.get(API + "processes/").json()["results"] == []
    # Cancel.
    client = login(selected.staff)
    response = post(client, f"{API}processes/{pk}/cancel/", {"reason": "The budget was cut."})
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    selected.challenge.refresh_from_db()
    assert selected.challenge.status == "solution_selected"


def test_anonymous_is_refused(client, selected, routes):
    assert client.get(API + "processes/").status_code in (401, 403)
    assert client.get(API + "procedures/").status_code in (401, 403)


def test_the_process_list_keeps_its_query_count(
    login, selected, routes, make_process, make_ready_challenge, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.procurement.test_views import _more_processes

    make_process()
    client = login(selected.staff)
    client.get(API + "processes/")
    with CaptureQueriesContext(connection) as few:
        client.get(API + "processes/")
    _more_processes(selected, routes, make_ready_challenge, 5)
    with django_assert_max_num_queries(len(few)):
        assert len(client.get(API + "processes/").json()["results"]) == 6
    with CaptureQueriesContext(connection) as few_procedures:
        client.get(API + "procedures/")
    routes.ppi.pk = None
    routes.ppi.code = "ppi-2"
    routes.ppi.save()
    with django_assert_max_num_queries(len(few_procedures)):
        client.get(API + "procedures/")


def test_the_schema_has_the_procurement_endpoints(client):
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    paths = set(schema["paths"])
    for path in (
        "/api/v1/procurement/procedures/",
        "/api/v1/procurement/thresholds/{id}/",
        "/api/v1/procurement/routes/{reference}/",
        "/api/v1/procurement/processes/{id}/award/",
        "/api/v1/procurement/processes/{id}/cancel/",
        "/api/v1/procurement/processes/{id}/steps/{step_pk}/",
    ):
        assert path in paths, path


def test_awarding_through_the_service_is_what_the_api_does(selected, make_process):
    process = make_process()
    services.process_award(
        process=process,
        by=selected.staff,
        reasons="ok",
        awards=[{"supplier": selected.supplier, "value": Decimal("1000")}],
    )
    assert process.awards.get().application is None
