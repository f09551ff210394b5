"""The lab's pilot journey in the browser, with axe on every page: the call's pilots, the pilot, the
form with an error kept at its row, observations, a CSV upload refused with its error table, the analysis
pages with their charts and data tables, and the decision; then the solver's view of their pilot."""

import datetime as dt
import re

import pytest
from django.urls import reverse

from govlab.pilots import services
from govlab.pilots.models import Pilot
from tests.accounts.conftest import current_totp_code
from tests.browser import BROWSER, assert_accessible, prepare_sign_in, sign_in
from tests.browser import expect as check
from tests.pilots.conftest import BASELINE, START, member_of

pytestmark = [*BROWSER, pytest.mark.django_db(transaction=True)]


def test_the_lab_runs_a_pilot_and_the_solver_follows_it(page, live_server, lab_staff, make_pilot, cohort):
    solver = member_of(cohort[0])
    prepare_sign_in(lab_staff, solver, totp=[lab_staff])
    pilot = make_pilot()
    metric = pilot.metrics.get()
    for day, value in enumerate([12, 13, 11, 12]):
        services.observation_record(
            pilot=pilot,
            by=lab_staff,
            metric=metric,
            value=value,
            observed_on=BASELINE + dt.timedelta(days=day),
            group="before",
        )
    for day, value in enumerate([8, 7, 9]):
        services.observation_record(
            pilot=pilot,
            by=lab_staff,
            metric=metric,
            value=value,
            observed_on=START + dt.timedelta(days=day),
            group="after",
        )
    page.set_default_timeout(10_000)

    sign_in(page, lab_staff, totp=current_totp_code)
    page.goto(reverse("pilots:lab_call", args=[pilot.lab.slug, pilot.call.pk]))
    assert_accessible(page)
    check(page.locator("main")).to_contain_text("Human first call routing")
    page.get_by_role("link", name="Human first call routing").click()
    assert_accessible(page)

    # The edit form: a target on the wrong side of the baseline is refused at its row, input kept.
    page.goto(reverse("pilots:edit", args=[pilot.pk]))
    assert_accessible(page)
    page.fill("#id_metrics-0-target", "15")
    page.get_by_role("button", name="Save the pilot").click()
    check(page.locator("#id_metrics-0-target_errors")).to_contain_text("Lower is better")
    check(page.locator("#id_metrics-0-target")).to_have_value("15")
    assert_accessible(page)

    page.goto(reverse("pilots:observations", args=[pilot.pk]))
    assert_accessible(page)
    page.goto(reverse("pilots:import", args=[pilot.pk]))
    page.set_input_files(
        "#id_import-file",
        files=[
            {
                "name": "week.csv",
                "mimeType": "text/csv",
                "buffer": b"metric,period,observed_on,value\nwait,after,2026-09-01,x\n",
            }
        ],
    )
    page.get_by_role("button", name="Import").click()
    check(page.locator("#import-errors")).to_contain_text("Give the value as a number.")
    assert_accessible(page)

    page.goto(reverse("pilots:analysis", args=[pilot.pk]))
    check(page.locator("svg[role=img]")).to_have_count(2)
    assert_accessible(page)
    page.goto(reverse("pilots:decide", args=[pilot.pk]))
    assert_accessible(page)
    page.locator("input[name=decision-decision][value=stop]").check()
    page.fill("#id_decision-rationale", "Callers still prefer the robot at night.")
    page.get_by_role("button", name="Record the decision").click()
    page.wait_for_url(re.compile(rf".*/pilots/{pilot.pk}/$"))
    assert_accessible(page)
    assert Pilot.objects.get(pk=pilot.pk).decision == "stop"

    page.context.clear_cookies()
    sign_in(page, solver)
    page.goto(reverse("pilots:mine"))
    assert_accessible(page)
    page.get_by_role("link", name="Human first call routing").click()
    check(page.locator("main")).to_contain_text("Callers still prefer the robot at night.")
    page.goto(reverse("pilots:analysis", args=[pilot.pk]))
    assert_accessible(page)
