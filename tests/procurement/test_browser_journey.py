"""The procurement journey in the browser, with axe on every page: the lab's procedures and thresholds
(an overlap refused at its field), the route options, the start form (an unavailable value refused with
its reasons), the process with its steps and the award form, then the awarded supplier's view."""

import re

import pytest
from django.urls import reverse

from govlab.procurement.models import ProcurementProcess
from tests.accounts.conftest import current_totp_code
from tests.browser import BROWSER, assert_accessible, prepare_sign_in, sign_in
from tests.browser import expect as check
from tests.factories import OrganisationMembershipFactory

pytestmark = [*BROWSER, pytest.mark.django_db(transaction=True)]


def test_the_lab_chooses_a_route_and_awards(page, live_server, selected, routes, lab_manager, monkeypatch):
    monkeypatch.setattr("govlab.ocds.publish.refresh_later", lambda challenge_id: None)
    supplier = OrganisationMembershipFactory(organisation=selected.supplier).user
    prepare_sign_in(lab_manager, supplier, totp=[lab_manager])
    page.set_default_timeout(10_000)
    sign_in(page, lab_manager, totp=current_totp_code)
    lab = selected.lab

    page.goto(reverse("procurement:procedures", args=[lab.slug]))
    assert_accessible(page)
    page.goto(reverse("procurement:procedure", args=[lab.slug, routes.ppi.pk]))
    assert_accessible(page)
    page.select_option("#id_threshold-legal_regime", str(routes.law.pk))
    page.select_option("#id_threshold-currency", "COP")
    page.fill("#id_threshold-min_value", "200000")
    page.fill("#id_threshold-valid_from", "2024-01-01")
    page.fill("#id_threshold-source_label", "Decree 1082, art. 9")
    page.get_by_role("button", name="Add the threshold").click()
    check(page.locator("#id_threshold-valid_from_errors")).to_contain_text("overlaps another threshold")
    assert_accessible(page)

    page.goto(reverse("procurement:routes", args=[selected.challenge.reference]))
    assert_accessible(page)
    check(page.locator("main")).to_contain_text("not legal advice")
    page.get_by_role("link", name=re.compile("Choose this route")).first.click()
    assert_accessible(page)
    page.fill("#id_estimated_value", "250000")
    page.fill("#id_route_justification", "New to the market.")
    page.get_by_role("button", name="Start the procurement").click()
    check(page.locator("main")).to_contain_text("at or above the maximum 200,000 COP")
    check(page.locator("#id_route_justification")).to_have_value("New to the market.")
    assert_accessible(page)
    page.fill("#id_estimated_value", "150000")
    page.get_by_role("button", name="Start the procurement").click()
    page.wait_for_url(re.compile(r".*/procurement/\d+/$"))
    assert_accessible(page)
    process = ProcurementProcess.objects.get()

    page.goto(reverse("procurement:step", args=[process.pk, process.steps.first().pk]))
    assert_accessible(page)
    page.goto(reverse("procurement:detail", args=[process.pk]))
    page.fill("#id_award-reasons", "Best value for money.")
    page.fill(f"#id_award-value_{selected.application.pk}", "140000")
    page.get_by_role("button", name="Record the award decision").click()
    page.wait_for_url(re.compile(rf".*/procurement/{process.pk}/$"))
    check(page.locator("main")).to_contain_text("standstill")
    assert_accessible(page)
    page.goto(reverse("procurement:lab_list", args=[lab.slug]))
    assert_accessible(page)
    page.goto(reverse("procurement:cancel", args=[process.pk]))
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, supplier)
    page.goto(reverse("procurement:mine"))
    assert_accessible(page)
    page.goto(reverse("procurement:detail", args=[process.pk]))
    check(page.locator("main")).to_contain_text("Best value for money.")
    assert_accessible(page)
