"""The organisation and notification journeys in Chromium, with axe on every page.

Skipped when Playwright or a Chromium is not installed.
"""

import pytest

from govlab.notifications.models import Notification
from govlab.organisations.models import Organisation, OrganisationMembership
from tests.browser import BROWSER, assert_accessible, expect, prepare_sign_in, sign_in
from tests.factories import LabFactory, TermFactory, UserFactory

pytestmark = BROWSER


@pytest.mark.django_db(transaction=True)
def test_browser_register_browse_and_manage_an_organisation(page):
    lab = LabFactory(slug="milab-test", name={"en": "MiLAB test"})
    TermFactory(vocabulary="sector", code="browser-health", name={"en": "Health (browser)"})
    founder = UserFactory(email="founder@example.org", full_name="Founder")
    UserFactory(email="colleague@example.org", full_name="Colleague")
    prepare_sign_in(founder)
    sign_in(page, founder)

    page.goto("/organisations/new/")
    assert_accessible(page)
    page.fill("#id_name", "")
    page.fill("#id_founded_year", "3000")
    page.click("main button[type=submit]:text('Register the organisation')")
    expect(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)

    page.fill("#id_name", "Acme سلام 🚀")
    page.select_option("#id_kind", "startup")
    page.select_option("#id_country", "CO")
    page.fill("#id_founded_year", "2020")
    page.fill("#id_description_0", "We read receipts. " * 50)
    page.get_by_label("Health (browser)").check()
    page.get_by_label("MiLAB test").check()
    page.click("main button[type=submit]:text('Register the organisation')")
    expect(page.locator("h1")).to_have_text("Acme سلام 🚀")
    assert_accessible(page)
    organisation = Organisation.objects.get()
    assert list(organisation.labs.all()) == [lab]

    page.goto("/organisations/?sector=browser-health")
    expect(page.locator(".result-count")).to_contain_text("1 organisation found.")
    assert_accessible(page)

    page.goto(f"/organisations/{organisation.slug}/members/")
    assert_accessible(page)
    page.fill("#id_email", "colleague@example.org")
    page.fill("#id_job_title", "Lawyer")
    page.click("main button[type=submit]:text('Add the member')")
    expect(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    assert OrganisationMembership.objects.filter(
        user__email="colleague@example.org", job_title="Lawyer"
    ).exists()

    page.goto(f"/organisations/{organisation.slug}/edit/")
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_browser_notifications_mark_read_with_htmx(page):
    person = UserFactory(email="reader@example.org")
    first = Notification.objects.create(
        recipient=person, kind="test", subject="First news", url="/organisations/"
    )
    Notification.objects.create(recipient=person, kind="test", subject="Second news")
    prepare_sign_in(person)
    sign_in(page, person)

    page.goto("/notifications/")
    assert page.locator("#unread-summary").inner_text() == "You have 2 unread notifications."
    assert_accessible(page)
    page.locator(f"#notification-{first.pk} button").click()
    expect(page.locator("#unread-summary")).to_have_text("You have 1 unread notification.")
    assert page.url.endswith("/notifications/")  # swapped in place, no reload
    assert_accessible(page)
    first.refresh_from_db()
    assert first.read_at is not None

    page.click("main button[type=submit]:text('Mark all as read')")
    assert page.locator("#unread-summary").inner_text() == "You have no unread notifications."
    assert_accessible(page)
