"""The lab set-up journey in a real browser (Chromium through Playwright), with axe on every page.

A manager with TOTP signs in, opens the dashboard, edits the lab's settings, adds a staff member to the
team, and views the lab's public page in Spanish. Skipped when Playwright or a Chromium is not installed.
"""

import pytest

from govlab.labs.models import LabMembership
from tests.accounts.conftest import current_totp_code
from tests.browser import BROWSER, assert_accessible, prepare_sign_in, sign_in
from tests.factories import LabFactory, LabMembershipFactory, OrganisationFactory, UserFactory

pytestmark = BROWSER


@pytest.mark.django_db(transaction=True)
def test_browser_manager_sets_up_the_lab(page):
    lab = LabFactory(slug="milab", name={"en": "MiLAB", "es": "MiLAB"}, languages=["es", "en"])
    OrganisationFactory(name="Invima", kind="public_entity").labs.add(lab)
    manager = LabMembershipFactory(lab=lab, role="manager", user=UserFactory(full_name="Marta Manager")).user
    prepare_sign_in(manager, totp=[manager])
    colleague = UserFactory(email="staff@milab.example", full_name="Sam Staff")

    # Sign in: password, then the code from the authenticator app.
    sign_in(page, manager, totp=current_totp_code)

    # The dashboard lists the lab with links to its team pages.
    assert page.locator("h1").inner_text() == "Welcome, Marta"
    assert_accessible(page)
    page.click("text=Settings of MiLAB")

    # Settings: a bad colour is refused at the field and the input is kept.
    assert page.locator("h1").inner_text() == "Lab settings"
    assert_accessible(page)
    page.fill("#id_name_0", "Laboratorio de Innovación MiLAB")
    page.fill("#id_name_1", "MiLAB Innovation Lab")
    page.fill("#id_primary_colour", "#ffff00")
    page.click("main button[type=submit]:text('Save the settings')")
    page.locator(".error-summary").wait_for(state="visible")
    assert "contrast" in page.locator("#id_primary_colour_errors").inner_text()
    assert page.input_value("#id_name_0") == "Laboratorio de Innovación MiLAB"
    assert_accessible(page)
    page.fill("#id_primary_colour", "#0b5394")
    page.click("main button[type=submit]:text('Save the settings')")
    assert page.locator(".message-success").inner_text() == "The lab's settings are saved."
    assert_accessible(page)
    lab.refresh_from_db()
    assert lab.name == {"es": "Laboratorio de Innovación MiLAB", "en": "MiLAB Innovation Lab"}
    assert lab.primary_colour == "#0b5394"

    # Team: an unknown address is refused; a known one becomes staff.
    page.click("nav.lab-nav >> text=Team")
    assert page.locator("h1").inner_text() == "Lab team"
    assert_accessible(page)
    page.fill("#id_add-email", "nobody@milab.example")
    page.check("input[name='add-role'][value='staff']")
    page.click("main button[type=submit]:text('Add to the team')")
    assert "ask them to sign up first" in page.locator("#id_add-email_errors").inner_text()
    assert_accessible(page)
    page.fill("#id_add-email", colleague.email)
    page.check("input[name='add-role'][value='staff']")
    page.click("main button[type=submit]:text('Add to the team')")
    assert page.locator(".message-success").inner_text() == "Sam Staff now has the role Staff in the lab."
    page.locator("table").get_by_text("staff@milab.example").wait_for(state="visible")
    assert_accessible(page)
    assert LabMembership.objects.filter(lab=lab, user=colleague, role="staff").exists()

    # The audit log shows both changes.
    page.click("nav.lab-nav >> text=Audit log")
    assert page.locator("h1").inner_text() == "Audit log"
    assert page.locator("tbody tr").count() == 2
    assert_accessible(page)

    # The public page in Spanish, with the lab's new name and colour.
    page.goto("/es/labs/milab/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == "Laboratorio de Innovación MiLAB"
    colour = page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    assert colour == "rgb(11, 83, 148)"
    assert_accessible(page)

    page.goto("/labs/")
    assert_accessible(page)

    # On a phone-sized screen the header stacks and nothing scrolls sideways.
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto("/")
    page.locator("nav.main-nav").wait_for(state="visible")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page)
