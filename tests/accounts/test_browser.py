"""The account journeys in a real browser (Chromium through Playwright), with axe on every page.

Skipped when Playwright or a Chromium is not installed.
"""

import pytest

from tests.browser import BROWSER, assert_accessible
from tests.factories import UserFactory

from .conftest import PASSWORD

pytestmark = BROWSER


@pytest.mark.django_db(transaction=True)
def test_browser_sign_up_sign_in_and_profile(page):
    from allauth.account.models import EmailAddress

    page.goto("/accounts/signup/")
    assert_accessible(page)
    page.fill("#id_email", "grace@example.org")
    page.fill("#id_full_name", "Grace Hopper")
    page.fill("#id_password1", "a-long-enough-passphrase")
    page.fill("#id_password2", "another-passphrase")
    page.click("button[type=submit]:text('Create my account')")
    page.locator(".error-summary").wait_for(state="visible")
    assert_accessible(page)

    page.fill("#id_password1", "a-long-enough-passphrase")
    page.fill("#id_password2", "a-long-enough-passphrase")
    page.click("button[type=submit]:text('Create my account')")
    assert page.locator("h1").inner_text() == "Check your e-mail"
    assert_accessible(page)

    EmailAddress.objects.filter(email="grace@example.org").update(verified=True)
    page.goto("/accounts/login/")
    page.fill("#id_login", "grace@example.org")
    page.fill("#id_password", "a-long-enough-passphrase")
    page.click("main button[type=submit]")
    page.goto("/accounts/profile/")
    assert page.locator("h1").inner_text() == "Your profile"
    assert_accessible(page)

    page.select_option("#id_time_zone", "Europe/Stockholm")
    page.click("main button[type=submit]:text('Save')")
    page.locator(".message-success").wait_for(state="visible")

    for url in (
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/profile/erase/",
    ):
        page.goto(url)
        assert page.locator("h1").count() == 1
        assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_browser_lockout_and_totp_setup(page, verified_email):
    user = UserFactory(email="ada@example.org")
    verified_email(user)

    for _n in range(5):
        page.goto("/accounts/login/")
        page.fill("#id_login", "ada@example.org")
        page.fill("#id_password", "wrong-password")
        page.click("main button[type=submit]")
    assert "Signing in is paused" in page.locator(".error-summary").inner_text()
    assert page.input_value("#id_login") == "ada@example.org"
    assert page.input_value("#id_password") == ""
    assert_accessible(page)

    from govlab.accounts import throttle

    throttle.login_lock_clear(email="ada@example.org", ip="127.0.0.1")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto("/accounts/2fa/totp/activate/")
    assert page.locator("h1").inner_text() == "Confirm it is you"
    assert_accessible(page)
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    assert page.locator("h1").inner_text() == "Set up an authenticator app"
    page.locator("img[src^='data:image/svg+xml']").wait_for(state="visible")
    assert_accessible(page)
