"""The Demo Day API: the same services and rules as the pages, one error shape, 404 for what the caller
may not see and 403 for what they see but may not do."""

from decimal import Decimal

import pytest

from govlab.challenges.enums import ChallengeStatus
from govlab.demoday.enums import DemoDayStatus
from govlab.demoday.models import DemoDay, JuryDeclaration, JuryScore, Pitch, Selection
from tests.conftest import error, post
from tests.demoday.conftest import DEMO_CRITERIA, criteria_of
from tests.factories import LabMembershipFactory

pytestmark = pytest.mark.django_db

BASE = "/api/v1/demo-day/days/"


def test_lab_staff_run_a_demo_day_through_the_api(client, login, cohort_call, lab_staff, make_juror_user):
    cohort_call.lab.time_zone = "Europe/Luxembourg"
    cohort_call.lab.save()
    api = login(lab_staff)
    response = post(
        api,
        BASE,
        {
            "call": cohort_call.pk,
            "title": {"en": "Demo Day"},
            "starts_at": "2027-06-10T14:00:00",
            "ends_at": "2027-06-10T18:00:00",
            "place": "Lab room",
        },
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["starts_at"] == "2027-06-10T14:00:00+02:00"
    assert body["status"] == "planned"
    day = DemoDay.objects.get()
    url = f"{BASE}{day.pk}/"
    alpha, beta, gamma = cohort_call.cohort
    refused = post(api, url + "pitches/", {"application": gamma.pk})
    assert refused.status_code == 400
    assert error(refused)["code"] == "not_preselected"
    assert not Pitch.objects.exists()
    assert post(api, url + "pitches/", {"application": alpha.pk, "minutes": 8}).status_code == 201
    assert post(api, url + "pitches/", {"application": beta.pk}).status_code == 201
    response = api.put(url + "criteria/", {"criteria": DEMO_CRITERIA}, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert [c["weight"] for c in response.json()] == ["35.00", "25.00", "20.00", "20.00"]
    juror = make_juror_user("Ana Jury")
    response = post(api, url + "jury/", {"user": juror.pk, "role": "chair"})
    assert response.status_code == 201
    assert post(api, url + "status/", {"status": "scoring_open"}).json()["status"] == "scoring_open"

    jury_api = login(juror)
    assert post(jury_api, url + "scores/", {"application": alpha.pk, "scores": {}}).status_code == 403
    response = post(jury_api, url + "declarations/", {"application": alpha.pk, "has_conflict": False})
    assert response.status_code == 201
    ids = [c.pk for c in criteria_of(day)]
    response = post(
        jury_api, url + "scores/", {"application": alpha.pk, "scores": {str(pk): 5 for pk in ids}}
    )
    assert response.status_code == 200, response.json()
    assert [row["score"] for row in response.json()] == [5, 5, 5, 5]
    # The juror may not see the lab's ranking nor select.
    assert jury_api.get(url + "ranking/").status_code == 403

    api = login(lab_staff)
    assert post(api, url + "status/", {"status": "scoring_closed"}).status_code == 200
    ranking = api.get(url + "ranking/").json()
    assert [(row["reference"], row["mean"], row["jurors"]) for row in ranking] == [
        (alpha.reference, "100.00", 1),
        (beta.reference, None, 0),
    ]
    response = post(
        api,
        url + "selections/",
        {
            "challenge": alpha.challenge.reference,
            "application": alpha.pk,
            "reasons": "Top score.",
            "feedback": {str(beta.pk): "Good, but the price was high."},
        },
    )
    assert response.status_code == 201, response.json()
    assert response.json()[0]["final_score"] == "100.00"
    alpha.challenge.refresh_from_db()
    assert alpha.challenge.status == ChallengeStatus.SOLUTION_SELECTED
    day.refresh_from_db()
    assert day.status == DemoDayStatus.DECIDED


def test_score_after_the_demo_day_closed_answers_scoring_closed(client, login, scored_day):
    ana = scored_day.jurors[0]
    before = sorted(JuryScore.objects.values_list("pk", "score"))
    criterion = criteria_of(scored_day)[0]
    response = post(
        login(ana.user),
        f"{BASE}{scored_day.pk}/scores/",
        {"application": scored_day.alpha.pk, "scores": {str(criterion.pk): 1}},
    )
    assert response.status_code == 400
    body = error(response)
    assert body["code"] == "scoring_closed"
    assert body["message"].startswith("Scoring closed at ")
    assert body["message"].endswith("; scores can no longer be given or changed.")
    assert sorted(JuryScore.objects.values_list("pk", "score")) == before


def test_recused_juror_is_refused_and_a_non_pitching_application_is_404(client, login, ready_day, lab_staff):
    from govlab.demoday import services

    services.demo_day_set_status(demo_day=ready_day, status=DemoDayStatus.SCORING_OPEN, by=lab_staff)
    cy = ready_day.jurors[2]
    api = login(cy.user)
    url = f"{BASE}{ready_day.pk}/"
    post(
        api,
        url + "declarations/",
        {"application": ready_day.alpha.pk, "has_conflict": True, "reason": "Adviser."},
    )
    criterion = criteria_of(ready_day)[0]
    response = post(
        api, url + "scores/", {"application": ready_day.alpha.pk, "scores": {str(criterion.pk): 3}}
    )
    assert (response.status_code, error(response)["code"]) == (403, "conflicted")
    response = post(api, url + "declarations/", {"application": ready_day.gamma.pk, "has_conflict": False})
    assert response.status_code == 404
    assert JuryDeclaration.objects.count() == 1
    assert not JuryScore.objects.exists()
    # A juror reads only their own declarations.
    assert [d["juror"] for d in api.get(url + "declarations/").json()] == [cy.pk]


@pytest.mark.parametrize("role", ["other_lab_staff", "solver", "anonymous"])
def test_others_do_not_see_the_demo_day(role, client, login, scored_day):
    if role == "other_lab_staff":
        api = login(LabMembershipFactory(role="staff").user)
    elif role == "solver":
        api = login(scored_day.alpha.member)
    else:
        api = client
    url = f"{BASE}{scored_day.pk}/"
    for path in ("", "pitches/", "ranking/", "scores/", "selections/"):
        response = api.get(url + path)
        assert response.status_code == (401 if role == "anonymous" else 404), (role, path)
    if role != "anonymous":
        assert api.get(BASE).json()["results"] == []


def test_selection_of_an_application_not_preselected_is_refused(client, login, scored_day, lab_staff):
    response = post(
        login(lab_staff),
        f"{BASE}{scored_day.pk}/selections/",
        {
            "challenge": scored_day.alpha.challenge.reference,
            "application": scored_day.gamma.pk,
            "reasons": "Because.",
            "feedback": {str(scored_day.alpha.pk): "x", str(scored_day.beta.pk): "y"},
        },
    )
    assert response.status_code == 400
    body = error(response)
    assert body["code"] == "not_preselected"
    assert body["fields"] == {
        "application": [
            f"{scored_day.gamma.reference} was not preselected for this challenge in this call: "
            + "it cannot be selected."
        ]
    }
    assert not Selection.objects.exists()


def test_ranking_api_values(client, login, scored_day, lab_staff):
    rows = login(lab_staff).get(
        f"{BASE}{scored_day.pk}/ranking/?challenge={scored_day.alpha.challenge.reference}"
    )
    assert [(r["rank"], r["mean"], r["stdev"], r["spread"], r["jurors"]) for r in rows.json()] == [
        (1, "76.88", "1.88", "3.75", 2),
        (2, "63.75", "25.88", "58.75", 3),
    ]
    assert Decimal(rows.json()[0]["mean"]) == Decimal("76.88")


def test_the_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = [p for p in schema["paths"] if p.startswith("/api/v1/demo-day/")]
    assert "/api/v1/demo-day/days/{demo_day_id}/scores/" in paths
    assert "/api/v1/demo-day/days/{demo_day_id}/selections/" in paths
    assert "/api/v1/demo-day/days/{demo_day_id}/ranking/" in paths


def test_demo_day_times_without_offset_are_refused_when_they_do_not_exist(
    client, login, cohort_call, lab_staff
):
    cohort_call.lab.time_zone = "Europe/Luxembourg"
    cohort_call.lab.save()
    response = post(
        login(lab_staff),
        BASE,
        {
            "call": cohort_call.pk,
            "title": {"en": "Demo Day"},
            "starts_at": "2027-03-28T02:30:00",
            "ends_at": "2027-03-28T06:00:00",
            "place": "Lab",
        },
    )
    assert response.status_code == 400
    assert list(error(response)["fields"]) == ["starts_at"]
    assert not DemoDay.objects.exists()


def test_list_shows_the_days_of_my_lab_and_of_my_jury(client, login, scored_day, lab_staff):
    assert [d["id"] for d in login(lab_staff).get(BASE).json()["results"]] == [scored_day.pk]
    assert [d["id"] for d in login(scored_day.jurors[1].user).get(BASE).json()["results"]] == [scored_day.pk]
    from govlab.demoday import services

    services.juror_remove(member=scored_day.jurors[1], by=lab_staff)
    assert login(scored_day.jurors[1].user).get(BASE).json()["results"] == []
