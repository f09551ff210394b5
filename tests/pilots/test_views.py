"""Pilot pages: the role matrix, the journey in the browser (create with formsets, units, randomise,
observations, CSV upload, analysis, decision), input kept on error, and query counts flat in the rows."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govlab.challenges.enums import ChallengeStatus
from govlab.pilots import services
from govlab.pilots.enums import Design, PilotStatus
from govlab.pilots.models import Metric, Observation, Pilot, PilotUnit
from tests.pilots.conftest import BASELINE, START, member_of, rate_metric

pytestmark = pytest.mark.django_db

VIEW_PAGES = [
    "detail",
    "observations",
    "analysis",
    "decide",
    "export_observations_csv",
    "export_analysis_csv",
    "export_xlsx",
]
MANAGE_PAGES = ["edit", "units"]
RECORD_PAGES = ["import"]
ROLES = ["lab_staff", "entity_member", "solver", "other_solver", "other_lab_staff", "anonymous"]


def url(name, pilot, *args):
    return reverse(f"pilots:{name}", args=[pilot.pk, *args])


def browser_for(role, request, client, login, cohort):
    if role == "anonymous":
        return client
    if role == "solver":
        return login(member_of(cohort[0]))
    if role == "other_solver":
        return login(member_of(cohort[1]))
    return login(request.getfixturevalue(role))


@pytest.fixture
def pilot(make_pilot, lab_staff, cohort):
    pilot = make_pilot()
    make_pilot(app=cohort[1])  # the other solver's own pilot
    metric = pilot.metrics.get()
    for day, value in enumerate([12, 13, 11]):
        services.observation_record(
            pilot=pilot,
            by=lab_staff,
            metric=metric,
            value=value,
            observed_on=BASELINE + dt.timedelta(days=day),
            group="before",
        )
    for day, value in enumerate([8, 9, 7]):
        services.observation_record(
            pilot=pilot,
            by=lab_staff,
            metric=metric,
            value=value,
            observed_on=START + dt.timedelta(days=day),
            group="after",
        )
    return pilot


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(role, request, client, login, pilot, cohort):
    browser = browser_for(role, request, client, login, cohort)
    pages = {name: url(name, pilot) for name in VIEW_PAGES + MANAGE_PAGES + RECORD_PAGES}
    pages["lab_call"] = reverse("pilots:lab_call", args=[pilot.lab.slug, pilot.call.pk])
    pages["create"] = reverse("pilots:create", args=[cohort[0].reference])
    statuses = {name: browser.get(address).status_code for name, address in pages.items()}
    if role == "anonymous":
        assert statuses == dict.fromkeys(pages, 302)
        response = client.get(pages["detail"])
        assert response["Location"] == f"{reverse('account_login')}?next={pages['detail']}"
        return
    expected = {
        "lab_staff": {**dict.fromkeys(pages, 200), "create": 302},
        "entity_member": {**dict.fromkeys(pages, 200), "create": 302, "lab_call": 404},
        "solver": {
            **dict.fromkeys(VIEW_PAGES + RECORD_PAGES, 200),
            **dict.fromkeys(MANAGE_PAGES, 403),
            "lab_call": 404,
            "create": 403,
        },
        "other_solver": {**dict.fromkeys(pages, 404)},
        "other_lab_staff": {**dict.fromkeys(pages, 404)},
    }[role]
    assert statuses == expected


@pytest.mark.parametrize("role", ["solver", "other_solver"])
def test_actions_refused_to_the_solver_change_nothing(role, request, client, login, pilot, cohort):
    browser = browser_for(role, request, client, login, cohort)
    before = (Pilot.objects.get(pk=pilot.pk).status, Observation.objects.count(), PilotUnit.objects.count())
    expected = 403 if role == "solver" else 404
    assert browser.post(url("end", pilot)).status_code == expected
    assert browser.post(url("units", pilot), {"units-units": "x"}).status_code == expected
    assert (
        browser.post(
            url("decide", pilot), {"decision-decision": "stop", "decision-rationale": "x"}
        ).status_code
        == expected
    )
    assert (
        Pilot.objects.get(pk=pilot.pk).status,
        Observation.objects.count(),
        PilotUnit.objects.count(),
    ) == before


def _pilot_post(**extra):
    data = {
        "pilot-title": "Human first",
        "pilot-objective_en": "Callers reach a person.",
        "pilot-design": "before_after",
        "pilot-starts_on": "2026-03-02",
        "pilot-ends_on": "2026-05-29",
        "pilot-baseline_starts_on": "2026-01-05",
        "pilot-budget": "12.500,50",
        "pilot-participants_civil_society": "300",
        "hypotheses-TOTAL_FORMS": "2",
        "hypotheses-INITIAL_FORMS": "0",
        "hypotheses-0-statement": "A person first cuts waiting time.",
        "hypotheses-1-statement": "",
        "metrics-TOTAL_FORMS": "2",
        "metrics-INITIAL_FORMS": "0",
        "metrics-0-code": "wait",
        "metrics-0-name": "Waiting time",
        "metrics-0-unit": "minutes",
        "metrics-0-kind": "mean",
        "metrics-0-direction": "decrease",
        "metrics-0-baseline": "12",
        "metrics-0-target": "8",
        "metrics-0-how_measured": "Call logs.",
        "metrics-0-hypothesis": "1",
        "metrics-1-kind": "mean",
    }
    return {**data, **extra}


def test_create_a_pilot_in_the_browser(login, lab_staff, cohort):
    browser = login(lab_staff)
    response = browser.post(reverse("pilots:create", args=[cohort[0].reference]), _pilot_post())
    pilot = Pilot.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", pilot)
    assert (pilot.title, str(pilot.budget), pilot.objective) == (
        "Human first",
        "12500.50",
        {"en": "Callers reach a person."},
    )
    assert list(pilot.metrics.values_list("code", "hypothesis__statement")) == [
        ("wait", "A person first cuts waiting time.")
    ]
    assert dict(pilot.participants.values_list("sector", "count")) == {"civil_society": 300}


def test_errors_are_shown_at_the_row_and_everything_typed_is_kept(login, lab_staff, cohort):
    browser = login(lab_staff)
    response = browser.post(
        reverse("pilots:create", args=[cohort[0].reference]),
        _pilot_post(**{"metrics-0-target": "15", "metrics-1-name": "Second metric typed"}),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert Pilot.objects.count() == 0
    assert 'class="error-summary"' in html
    assert "Lower is better: the target must be above" not in html
    assert "Lower is better: the target must be below the baseline." in html
    assert 'value="Second metric typed"' in html
    assert "Give the metric a short code" in html  # the half-typed second metric
    assert "A person first cuts waiting time." in html
    assert 'value="12.500,50"' in html
    # A field the form itself refuses: the rows typed are kept as well.
    response = browser.post(
        reverse("pilots:create", args=[cohort[0].reference]), _pilot_post(**{"pilot-title": ""})
    )
    html = response.content.decode()
    assert (response.status_code, Pilot.objects.count()) == (200, 0)
    assert 'aria-describedby="id_pilot-title_errors"' in html or 'id="id_pilot-title_errors"' in html
    assert 'value="wait"' in html
    assert "Call logs." in html


def test_the_journey_randomise_record_upload_analyse_decide(login, lab_staff, make_pilot, ready_challenge):
    pilot = make_pilot(design=Design.RANDOMISED, start=False)
    browser = login(lab_staff)
    response = browser.post(url("units", pilot), {"units-units": "o1, Office 1\no2, Office 2\no3\no4"})
    assert response.status_code == 302
    assert browser.post(url("start", pilot)).status_code == 302
    ready_challenge.refresh_from_db()
    assert ready_challenge.status == ChallengeStatus.PILOTING
    assert browser.post(url("randomise", pilot)).status_code == 302
    pilot.refresh_from_db()
    assert pilot.seed is not None
    html = browser.get(url("detail", pilot)).content.decode()
    assert "Verified: the recorded seed gives exactly this assignment." in html
    assert str(pilot.seed) in html
    arms = dict(pilot.units.values_list("code", "arm"))
    unit = PilotUnit.objects.get(pilot=pilot, code="o1")
    response = browser.post(
        url("observations", pilot),
        {
            "observation-metric": str(pilot.metrics.get().pk),
            "observation-unit": str(unit.pk),
            "observation-observed_on": "2026-03-02",
            "observation-value": "9,5",
        },
    )
    assert response.status_code == 302
    assert Observation.objects.get().group == arms["o1"]
    bad = "metric,unit,observed_on,value\nwait,o2,2026-03-02,x\nwait,o9,2026-03-02,8\n"
    response = browser.post(
        url("import", pilot), {"import-file": SimpleUploadedFile("week.csv", bad.encode(), "text/csv")}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert '<table id="import-errors">' in html
    assert "2 errors in the file — nothing was imported" in html
    assert Observation.objects.count() == 1
    good = "metric,unit,observed_on,value\n" + "".join(
        f"wait,{code},2026-03-0{day},{8 + day}\n" for code in ("o2", "o3", "o4") for day in (3, 4)
    )
    response = browser.post(
        url("import", pilot), {"import-file": SimpleUploadedFile("week.csv", good.encode(), "text/csv")}
    )
    assert response.status_code == 302
    assert Observation.objects.count() == 7
    html = browser.get(url("analysis", pilot)).content.decode()
    assert html.count('role="img"') == 2
    assert "<caption>Waiting time by group (minutes)</caption>" in html
    response = browser.post(url("decide", pilot), {"decision-decision": "iterate", "decision-rationale": ""})
    assert response.status_code == 200
    assert Pilot.objects.get(pk=pilot.pk).status == PilotStatus.RUNNING
    response = browser.post(
        url("decide", pilot),
        {"decision-decision": "iterate", "decision-rationale": "Promising, too few offices."},
    )
    assert response.status_code == 302
    pilot.refresh_from_db()
    assert (pilot.status, pilot.decision) == (PilotStatus.DECIDED, "iterate")


def test_the_solver_records_an_observation_in_the_browser(login, pilot, cohort):
    browser = login(member_of(cohort[0]))
    response = browser.post(
        url("observations", pilot),
        {
            "observation-metric": str(pilot.metrics.get().pk),
            "observation-group": "after",
            "observation-observed_on": "2026-07-01",
            "observation-value": "8",
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "This date is outside the pilot (2026-03-02 to 2026-05-29)." in html
    assert 'value="2026-07-01"' in html
    assert Observation.objects.filter(pilot=pilot).count() == 6


def _queries(browser, address) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert browser.get(address).status_code == 200
    return len(captured)


def test_the_call_list_stays_at_a_fixed_number_of_queries(login, lab_staff, make_pilot, cohort):
    browser = login(lab_staff)
    make_pilot(app=cohort[0])
    address = reverse("pilots:lab_call", args=[cohort[0].call.lab.slug, cohort[0].call.pk])
    one = _queries(browser, address)
    make_pilot(app=cohort[1], design=Design.AB)
    assert _queries(browser, address) == one


def test_the_analysis_page_stays_at_a_fixed_number_of_queries(login, lab_staff, make_pilot):
    browser = login(lab_staff)
    pilot = make_pilot()
    services.observation_record(
        pilot=pilot, by=lab_staff, metric=pilot.metrics.get(), value="9", observed_on=START, group="after"
    )
    one = _queries(browser, url("analysis", pilot))
    services.pilot_update(
        pilot=pilot,
        by=lab_staff,
        metrics=[
            {
                **{
                    k: getattr(m, k)
                    for k in (
                        "code",
                        "name",
                        "unit",
                        "kind",
                        "direction",
                        "how_measured",
                        "baseline",
                        "target",
                    )
                },
                "id": m.pk,
            }
            for m in Metric.objects.filter(pilot=pilot)
        ]
        + [rate_metric(code="r1"), rate_metric(code="r2")],
    )
    for code in ("r1", "r2"):
        services.observation_record(
            pilot=pilot,
            by=lab_staff,
            metric=pilot.metrics.get(code=code),
            value="1",
            observed_on=START,
            group="after",
        )
    assert _queries(browser, url("analysis", pilot)) == one
    assert _queries(browser, url("observations", pilot)) <= one + 10


def test_the_entity_finds_the_solutions_it_may_pilot(login, entity_member, make_pilot, cohort):
    make_pilot(app=cohort[0])
    html = login(entity_member).get(reverse("pilots:mine")).content.decode()
    assert reverse("pilots:create", args=[cohort[1].reference]) in html
    assert reverse("pilots:create", args=[cohort[0].reference]) not in html  # has a pilot
    assert reverse("pilots:create", args=[cohort[2].reference]) not in html  # not preselected
    html = login(member_of(cohort[0])).get(reverse("pilots:mine")).content.decode()
    assert "Preselected solutions to pilot" not in html
