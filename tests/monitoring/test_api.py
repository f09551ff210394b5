"""The monitoring API: a manager defines a KPI, sets a target and reads it computed; staff enter manual
values; the role matrix (404 unseen, 403 seen but not allowed, public figures only on the public endpoint);
the OpenAPI schema."""

import pytest

from govlab.monitoring.models import KpiDefinition
from tests.conftest import error, post
from tests.factories import LabFactory, LabMembershipFactory, OrganisationMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/monitoring/"


def test_a_manager_defines_a_kpi_sets_a_target_and_reads_it(login, mlab, mmanager, world):
    client = login(mmanager)
    response = post(
        client,
        f"{API}labs/{mlab.slug}/kpis/",
        {
            "code": "identified",
            "name": {"en": "Challenges identified", "es": "Retos identificados"},
            "category": "results",
            "source": "computed",
            "computation": "challenges_identified",
            "is_public": True,
        },
    )
    assert response.status_code == 201, response.json()
    kpi = response.json()
    assert (kpi["unit"], kpi["scope"], kpi["periodicity"]) == ("challenges", "lab", "year")
    response = post(client, f"{API}kpis/{kpi['id']}/targets/", {"period": "2024", "value": "3"})
    assert response.status_code == 200, response.json()
    assert response.json() == [
        {"period": "2024", "period_start": "2024-01-01", "period_end": "2024-12-31", "value": "3.0000"}
    ]
    series = client.get(f"{API}kpis/{kpi['id']}/series/?from=2023&to=2025").json()
    assert [(p["period"], p["value"], p["target"]) for p in series] == [
        ("2023", "1", None),
        ("2024", "2", "3.0000"),
        ("2025", "1", None),
    ]
    assert series[1]["records_url"]
    rows = client.get(f"{API}labs/{mlab.slug}/kpi-series/?year=2024").json()
    assert rows[0]["status"] == "not_met"
    assert rows[0]["latest"]["value"] == "2"


@pytest.mark.parametrize(
    "address",
    [
        "labs/{lab}/kpi-series/?year=-3",
        "labs/{lab}/funnel/?year=0",
        "labs/{lab}/cycle-times/?year=99999",
        "labs/{lab}/results/?year=10000",
        "kpis/{kpi}/series/?from=0&to=3",
        "kpis/{kpi}/series/?to=99999",
    ],
)
def test_a_year_out_of_the_calendar_is_a_field_error(address, login, mlab, mmanager, build):
    kpi = build.kpi("identified", is_public=True)
    response = login(mmanager).get(API + address.format(lab=mlab.slug, kpi=kpi.pk))
    assert response.status_code == 400
    assert error(response)["code"] == "invalid"


def test_refusals_are_in_the_one_error_shape(login, mlab, mmanager, mstaff):
    response = post(
        login(mmanager),
        f"{API}labs/{mlab.slug}/kpis/",
        {
            "code": "x",
            "name": {"en": "X"},
            "category": "results",
            "source": "computed",
            "computation": "nope",
        },
    )
    assert response.status_code == 400
    assert "computation" in error(response)["fields"]
    assert not KpiDefinition.objects.exists()


def test_staff_enter_manual_values_but_not_targets(login, mlab, mstaff, build):
    kpi = build.kpi("satisfaction", source="manual")
    client = login(mstaff)
    response = post(
        client,
        f"{API}kpis/{kpi.pk}/values/",
        {"period": "2024", "value": "4.1", "evidence": "Survey, n=300."},
    )
    assert response.status_code == 200, response.json()
    assert response.json()[0]["value"] == "4.1000"
    response = post(client, f"{API}kpis/{kpi.pk}/values/", {"period": "2099", "value": "1", "evidence": "x"})
    assert response.status_code == 400
    assert error(response)["code"] == "future"
    response = post(
        client, f"{API}kpis/{kpi.pk}/values/", {"period": "2024-Q1", "value": "1", "evidence": "x"}
    )
    assert response.status_code == 400
    assert "period_start" in error(response)["fields"]
    response = post(client, f"{API}kpis/{kpi.pk}/targets/", {"period": "2024", "value": "5"})
    assert response.status_code == 403
    computed = build.kpi("identified")
    response = post(
        client, f"{API}kpis/{computed.pk}/values/", {"period": "2024", "value": "1", "evidence": "x"}
    )
    assert error(response)["code"] == "computed"


@pytest.fixture
def kpis(build):
    public = build.kpi("identified", is_public=True)
    secret = build.kpi("hours-saved", source="manual", name={"en": "Hours saved in secret"})
    return public, secret


def person(role, mlab, build):
    if role == "anonymous":
        return None
    if role in ("manager", "staff", "evaluator", "mentor"):
        return LabMembershipFactory(lab=mlab, role=role).user
    if role == "other_lab_manager":
        return LabMembershipFactory(lab=LabFactory(), role="manager").user
    if role == "entity_member":
        return OrganisationMembershipFactory(organisation=build.entity).user
    return UserFactory()


# role → (list KPIs, funnel, create KPI, public results)
MATRIX = {
    "manager": (200, 200, 201, 200),
    "staff": (200, 200, 403, 200),
    "evaluator": (404, 404, 404, 200),
    "mentor": (404, 404, 404, 200),
    "entity_member": (404, 404, 404, 200),
    "other_lab_manager": (404, 404, 404, 200),
    "plain_user": (404, 404, 404, 200),
    "anonymous": (403, 403, 403, 200),
}


@pytest.mark.parametrize("role", MATRIX)
def test_role_matrix(role, client, login, mlab, build, kpis):
    user = person(role, mlab, build)
    if user is not None:
        client = login(user)
    new = {"code": f"new-{role}", "name": {"en": "New"}, "category": "input", "source": "manual"}
    got = (
        client.get(f"{API}labs/{mlab.slug}/kpis/").status_code,
        client.get(f"{API}labs/{mlab.slug}/funnel/").status_code,
        post(client, f"{API}labs/{mlab.slug}/kpis/", new).status_code,
        client.get(f"{API}labs/{mlab.slug}/results/").status_code,
    )
    expected = MATRIX[role]
    if role == "anonymous":  # 401 or 403, as DRF answers a request without credentials
        assert got[3] == 200
        assert all(code in (401, 403) for code in got[:3])
    else:
        assert got == expected
    kpi = kpis[1]
    detail = client.get(f"{API}kpis/{kpi.pk}/").status_code
    assert detail == (200 if role in ("manager", "staff") else (detail if role == "anonymous" else 404))


def test_the_public_endpoint_shows_public_kpis_only(client, mlab, kpis, mstaff, world):
    import datetime as _dt

    from govlab.monitoring import services

    services.value_set(
        kpi=kpis[1],
        by=mstaff,
        period_start=_dt.date(2024, 1, 1),
        period_end=_dt.date(2024, 12, 31),
        value="4321",
        evidence="Time sheets",
    )
    response = client.get(f"{API}labs/{mlab.slug}/results/?year=2024")
    assert response.status_code == 200
    body = response.json()
    assert [row["code"] for row in body] == ["identified"]
    text = response.content.decode()
    assert "4321" not in text
    assert "Time sheets" not in text
    assert body[0]["latest"]["value"] == "2"
    inactive = LabFactory(is_active=False)
    assert client.get(f"{API}labs/{inactive.slug}/results/").status_code == 404


def test_funnel_cycle_times_cross_lab_and_computations(login, mlab, mmanager, world):
    client = login(mmanager)
    funnel = client.get(f"{API}labs/{mlab.slug}/funnel/").json()
    assert [stage["count"] for stage in funnel["stages"]][:5] == [4, 3, 1, 1, 2]
    assert client.get(f"{API}labs/{mlab.slug}/funnel/?year=2024").json()["stages"][0]["count"] == 2
    assert (
        client.get(f"{API}labs/{mlab.slug}/funnel/?call={world['call'].pk}").json()["stages"][4]["count"] == 2
    )
    assert client.get(f"{API}labs/{mlab.slug}/funnel/?call=999999").status_code == 404
    cycle = client.get(f"{API}labs/{mlab.slug}/cycle-times/").json()
    assert cycle["total_median_days"] == 578
    assert {row["state"] for row in cycle["by_phase"]} >= {"intake", "procurement"}
    rows = client.get(f"{API}labs/cross-lab/").json()
    assert [row["lab"] for row in rows] == [mlab.slug]
    assert rows[0]["funnel"]["submitted"] == 4
    keys = {row["key"] for row in client.get(f"{API}labs/computations/").json()}
    assert "attendees_by_helix" in keys


def test_deactivate_through_the_api(login, mlab, mmanager, kpis):
    client = login(mmanager)
    assert client.delete(f"{API}kpis/{kpis[0].pk}/").status_code == 204
    kpis[0].refresh_from_db()
    assert not kpis[0].is_active
    assert [row["code"] for row in client.get(f"{API}labs/{mlab.slug}/kpis/").json()] == ["hours-saved"]
    response = client.patch(f"{API}kpis/{kpis[1].pk}/", {"is_public": True}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["is_public"] is True


def test_the_schema_documents_the_endpoints(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    text = schema.content.decode()
    for path in (
        "/monitoring/labs/{slug}/funnel/",
        "/monitoring/kpis/{id}/values/",
        "/monitoring/labs/{slug}/results/",
    ):
        assert path in text
