"""The pilots API: the lab's flow (create, units, randomise, start, observations, import, analysis,
decision), the role matrix (404 unseen, 403 seen but not allowed), bad input in the one error shape, the
OpenAPI schema, and list queries flat in the number of rows."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from govlab.audit.models import AuditEntry
from govlab.pilots import selectors, services
from govlab.pilots.models import Observation, Pilot, PilotUnit
from tests.conftest import error, post
from tests.pilots.conftest import START, member_of, metric, rate_metric

pytestmark = pytest.mark.django_db

API = "/api/v1/pilots/"


def body(application, **extra):
    data = {
        "application": application.pk,
        "title": "Human first",
        "objective": {"en": "Callers reach a person."},
        "design": "randomised",
        "starts_on": "2026-03-02",
        "ends_on": "2026-05-29",
        "budget": "18000.00",
        "participants": {"civil_society": 250, "government": 8},
        "hypotheses": [{"statement": "A person first cuts waiting time."}],
        "metrics": [metric(baseline="12", target="8"), rate_metric()],
    }
    return {**data, **extra}


def test_the_lab_runs_a_randomised_pilot_through_the_api(login, lab_staff, application, ready_challenge):
    client = login(lab_staff)
    response = post(client, API, body(application))
    assert response.status_code == 201, response.json()
    data = response.json()
    pk = data["id"]
    assert (data["status"], data["design"], data["currency"], data["application"]) == (
        "draft",
        "randomised",
        application.call.lab.currency,
        application.reference,
    )
    assert [m["code"] for m in data["metrics"]] == ["wait", "person"]
    assert data["metrics"][0]["hypothesis"] == 1
    assert data["participants"] == {"civil_society": 250, "government": 8}
    units = [{"code": f"office-{i}"} for i in range(1, 7)]
    response = client.put(f"{API}{pk}/units/", {"units": units}, content_type="application/json")
    assert response.status_code == 200
    assert len(response.json()) == 6
    assert post(client, f"{API}{pk}/start/").json()["status"] == "running"
    data = post(client, f"{API}{pk}/randomise/").json()
    assert data["seed"] is not None
    assert data["randomisation_algorithm"] == "sha256-fisher-yates-v1"
    assert sorted(u["arm"] for u in data["units"]) == ["A", "A", "A", "B", "B", "B"]
    verification = client.get(f"{API}{pk}/assignment/").json()
    assert verification["ok"] is True
    assert verification["mismatched_units"] == []
    assert error(post(client, f"{API}{pk}/randomise/"))["code"] == "already_randomised"
    rows = [
        {"metric": code, "unit": f"office-{i}", "observed_on": "2026-03-02", "value": value}
        for i in range(1, 7)
        for code, value in (("wait", str(8 + i)), ("person", str(i % 2)))
    ]
    response = post(client, f"{API}{pk}/observations/", {"observations": rows})
    assert response.status_code == 201, response.json()
    assert {o["source"] for o in response.json()} == {"api"}
    assert client.get(f"{API}{pk}/observations/?metric=wait").json()["count"] == 6
    analysis = client.get(f"{API}{pk}/analysis/").json()
    assert [m["method"] for m in analysis["metrics"]] == ["welch_t", "two_proportion_z"]
    assert analysis["observations"] == 12
    response = post(client, f"{API}{pk}/decision/", {"decision": "scale", "rationale": "It works."})
    assert response.status_code == 200
    pilot = Pilot.objects.get(pk=pk)
    assert (pilot.status, pilot.decision) == ("decided", "scale")
    assert pilot.decision_analysis["metrics"][0]["method"] == "welch_t"
    assert list(selectors.public_pilots_for_challenge(ready_challenge)) == [pilot]


def test_bad_observations_are_refused_all_together(login, lab_staff, make_pilot, cohort):
    pilot = make_pilot()
    other = make_pilot(app=cohort[1])
    client = login(lab_staff)
    before = (Observation.objects.count(), AuditEntry.objects.count())
    response = post(
        client,
        f"{API}{pilot.pk}/observations/",
        {
            "observations": [
                {"metric": "wait", "group": "after", "observed_on": "2026-03-02", "value": "9"},
                {"metric": "wait", "group": "after", "observed_on": "2027-01-01", "value": "9"},
                {"metric": "nope", "group": "after", "observed_on": "2026-03-03", "value": "9"},
                {"metric": "wait", "group": "A", "observed_on": "2026-03-04", "value": "9"},
            ]
        },
    )
    assert response.status_code == 400
    assert error(response)["fields"] == {
        "observations.1.observed_on": ["This date is outside the pilot (2026-03-02 to 2026-05-29)."],
        "observations.2.metric": ["No metric of this pilot has the code “nope”."],
        "observations.3.group": ["Give the period: before or after."],
    }
    assert (Observation.objects.count(), AuditEntry.objects.count()) == before
    # The other pilot's metric is not this pilot's: its code does not resolve here.
    assert other.metrics.get().code == "wait"


def test_csv_import_endpoint(login, make_pilot, cohort):
    pilot = make_pilot()
    client = login(member_of(cohort[0]))
    bad = SimpleUploadedFile(
        "obs.csv", b"metric,period,observed_on,value_seconds\nwait,after,2026-03-02,480\n"
    )
    response = client.post(f"{API}{pilot.pk}/import/", {"file": bad})
    assert response.status_code == 400
    assert error(response)["code"] == "csv"
    assert error(response)["fields"] == {
        "2.value_seconds": ["Wrong unit: “Waiting time” is measured in minutes, not seconds."]
    }
    good = SimpleUploadedFile("obs.csv", b"metric,period,observed_on,value\nwait,after,2026-03-02,8\n")
    response = client.post(f"{API}{pilot.pk}/import/", {"file": good})
    assert response.status_code == 201
    assert response.json()["rows"] == 1


def test_refusals_in_the_error_shape(login, lab_staff, make_pilot, cohort):
    client = login(lab_staff)
    response = post(client, API, body(cohort[2]))
    assert (response.status_code, error(response)["code"]) == (400, "not_preselected")
    response = post(client, API, body(cohort[0], design="sideways", metrics=[{"code": "x"}]))
    assert response.status_code == 400
    assert set(error(response)["fields"]) >= {"design", "metrics.0.name", "metrics.0.direction"}
    pilot = make_pilot(start=False, hypotheses=[], metrics=[])
    response = post(client, f"{API}{pilot.pk}/start/")
    assert (response.status_code, error(response)["code"]) == (400, "not_ready")
    response = client.patch(
        f"{API}{pilot.pk}/",
        {"title": "Renamed", "hypotheses": [{"statement": "H"}]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert (response.json()["title"], [h["statement"] for h in response.json()["hypotheses"]]) == (
        "Renamed",
        ["H"],
    )


ROLE_STATUSES = {
    # role: (GET pilot, GET analysis, POST decision (no analysis yet), POST observation, PATCH pilot,
    # POST start (already started))
    "lab_staff": (200, 200, 400, 201, 200, 400),
    "entity_member": (200, 200, 400, 201, 200, 403),
    "solver": (200, 200, 403, 201, 403, 403),
    "other_solver": (404, 404, 404, 404, 404, 404),
    "other_lab_staff": (404, 404, 404, 404, 404, 404),
    "anonymous": (401, 401, 401, 401, 401, 401),
}


@pytest.mark.parametrize("role", list(ROLE_STATUSES))
def test_role_matrix(role, request, client, login, make_pilot, cohort):
    pilot = make_pilot()
    if role == "solver":
        client = login(member_of(cohort[0]))
    elif role == "other_solver":
        client = login(member_of(cohort[1]))
    elif role != "anonymous":
        client = login(request.getfixturevalue(role))
    statuses = (
        client.get(f"{API}{pilot.pk}/").status_code,
        client.get(f"{API}{pilot.pk}/analysis/").status_code,
        post(client, f"{API}{pilot.pk}/decision/", {"decision": "stop", "rationale": "No."}).status_code,
        post(
            client,
            f"{API}{pilot.pk}/observations/",
            {
                "observations": [
                    {"metric": "wait", "group": "after", "observed_on": "2026-03-02", "value": "9"}
                ]
            },
        ).status_code,
        client.patch(f"{API}{pilot.pk}/", {"title": "Mine"}, content_type="application/json").status_code,
        post(client, f"{API}{pilot.pk}/start/").status_code,
    )
    assert statuses == ROLE_STATUSES[role]
    pilot.refresh_from_db()
    assert pilot.status == "running"
    if ROLE_STATUSES[role][4] != 200:
        assert pilot.title == "Human first call routing"


def test_the_list_shows_only_what_one_may_see_in_flat_queries(login, lab_staff, make_pilot, cohort):
    first = make_pilot()
    client = login(member_of(cohort[0]))
    assert [p["id"] for p in client.get(API).json()["results"]] == [first.pk]
    staff = login(lab_staff)
    with CaptureQueriesContext(connection) as one:
        assert staff.get(API).json()["count"] == 1
    make_pilot(app=cohort[1])
    with CaptureQueriesContext(connection) as two:
        assert staff.get(API).json()["count"] == 2
    assert len(two) == len(one)


def test_units_refused_in_randomised_designs_by_hand(login, lab_staff, make_pilot):
    pilot = make_pilot(design="randomised")
    client = login(lab_staff)
    response = client.put(
        f"{API}{pilot.pk}/units/", {"units": [{"code": "u1", "arm": "A"}]}, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["units.0.arm"]
    assert PilotUnit.objects.count() == 0


def test_the_schema_documents_the_pilots_api(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in (
        "/api/v1/pilots/",
        "/api/v1/pilots/{id}/",
        "/api/v1/pilots/{id}/observations/",
        "/api/v1/pilots/{id}/import/",
        "/api/v1/pilots/{id}/analysis/",
        "/api/v1/pilots/{id}/decision/",
        "/api/v1/pilots/{id}/randomise/",
        "/api/v1/pilots/{id}/assignment/",
        "/api/v1/pilots/{id}/units/",
    ):
        assert path in text, path


def test_observation_dates_are_iso(login, lab_staff, make_pilot):
    pilot = make_pilot()
    services.observation_record(
        pilot=pilot, by=lab_staff, metric=pilot.metrics.get(), value="9.5", observed_on=START, group="after"
    )
    data = login(lab_staff).get(f"{API}{pilot.pk}/observations/").json()["results"]
    assert [(o["observed_on"], o["value"], o["group"]) for o in data] == [
        ((START + dt.timedelta(days=0)).isoformat(), "9.500000", "after")
    ]
