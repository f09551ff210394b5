"""Browser-test support: Playwright driving the system's Chromium, axe on every page, CSP errors.

Loaded as a pytest plugin by tests/conftest.py, so every test can ask for the ``page`` fixture. A browser
test module sets ``pytestmark = BROWSER``, calls ``assert_accessible(page)`` on every page it visits, and
signs people in through the real form with ``sign_in(page, user, totp=...)``.
Browser tests are skipped when no Chromium is installed, unless GOVLAB_REQUIRE_BROWSER=1 (as in CI), where
they fail instead.

Starting Chromium costs seconds, so each test process (each xdist worker) starts it once, at its first
browser test, and every test gets a fresh browser context (its own cookies, storage and cache) and page.
Playwright's sync API keeps an event loop running in the main thread while it is started, which would make
Django refuse ORM calls (SynchronousOnlyOperation) in any later test: so browser tests are run last, one
after the other, and Playwright is stopped as soon as a test that does not use ``page`` comes next.
"""

import importlib.util
import os
import re
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")
PLAYWRIGHT = importlib.util.find_spec("playwright") is not None
REQUIRED = bool(os.environ.get("GOVLAB_REQUIRE_BROWSER"))
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"

BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(
        (CHROMIUM is None or not PLAYWRIGHT) and not REQUIRED, reason="no Chromium or Playwright installed"
    ),
]


class _Chromium:
    """The one Playwright and Chromium of this test process, started on first use."""

    playwright = None
    browser = None

    def get(self):
        if self.browser is None:
            from playwright.sync_api import sync_playwright

            self.playwright = sync_playwright().start()
            try:
                self.browser = self.playwright.chromium.launch(
                    executable_path=CHROMIUM, args=["--no-sandbox"]
                )
            except BaseException:
                self.stop()
                raise
        return self.browser

    def stop(self):
        browser, playwright = self.browser, self.playwright
        self.browser = self.playwright = None
        try:
            if browser is not None:
                browser.close()
        finally:
            if playwright is not None:
                playwright.stop()


_chromium = _Chromium()


def _uses_browser(item):
    return item is not None and "page" in getattr(item, "fixturenames", ())


@pytest.hookimpl(trylast=True)  # after pytest-django has put the transactional tests last
def pytest_collection_modifyitems(items):
    """Browser tests last (keeping their order), so one Chromium serves them all in a row."""
    items[:] = [item for item in items if not _uses_browser(item)] + [
        item for item in items if _uses_browser(item)
    ]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item, nextitem):
    if not _uses_browser(item):
        _chromium.stop()
        return (yield)
    # The test's fixtures (set up before ``page``) and the database flush after it run while Playwright's
    # event loop is running: allow the ORM there, as the ``page`` fixture does for the test itself.
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        return (yield)
    finally:
        if not _uses_browser(nextitem):
            _chromium.stop()
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


def pytest_sessionfinish():
    _chromium.stop()


@pytest.fixture
def page(live_server, monkeypatch):
    # Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself are safe.
    monkeypatch.setenv(ASYNC_UNSAFE, "true")
    context = _chromium.get().new_context(base_url=live_server.url)
    try:
        page = context.new_page()
        errors = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        page.csp_errors = errors
        yield page
    finally:
        context.close()


_AXE_ATTEMPTS = 4
_NAVIGATING = ("documentElement", "Execution context was destroyed", "navigation", "Target closed")


def assert_accessible(page):
    """No axe violations of any impact on the page, and no Content-Security-Policy errors so far."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import Error

    # A click that submits a form may still be navigating: wait for the page that follows to load, and
    # run axe again if the document went away under it (slow CI machines).
    for attempt in range(_AXE_ATTEMPTS):
        page.wait_for_load_state("load")
        try:
            results = Axe().run(page)
            break
        except Error as error:
            if attempt == _AXE_ATTEMPTS - 1 or not any(sign in str(error) for sign in _NAVIGATING):
                raise
            page.wait_for_timeout(250)
    violations = [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]])
        for violation in results.response["violations"]
    ]
    assert violations == []
    assert [error for error in page.csp_errors if "Content Security Policy" in error] == []


def expect(actual, message=None):
    """Playwright's ``expect`` (imported when first used: this module loads where Playwright is missing)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(actual, message)


def prepare_sign_in(*users, totp=()):
    """Let each of ``users`` sign in through the form: the factories' password and a verified primary e-mail
    address; and activate the authenticator app (``TOTP_SECRET``) of each of ``totp``."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP

    from tests.accounts.conftest import PASSWORD, TOTP_SECRET

    for user in users:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True}
        )
    for user in totp:
        TOTP.activate(user, TOTP_SECRET)


def sign_in(page, user, *, totp=None, language="", check=assert_accessible):
    """Sign ``user`` in through the real form, as a person would, and wait for the dashboard.

    The person needs a verified e-mail address and the factories' password (and, for ``totp``, an activated
    authenticator app): ``prepare_sign_in`` gives them. ``totp`` gives the code to type on the
    second page (``current_totp_code``, or a function that never gives the same code twice when one person
    signs in twice within 30 seconds). ``language`` signs in at ``/<language>/accounts/login/``; the code
    page's heading and button are looked up in it. ``check`` runs on the sign-in page and the code page.
    """
    from django.utils import translation

    from tests.accounts.conftest import PASSWORD

    page.goto(f"{'/' + language if language else ''}/accounts/login/")
    check(page)
    page.fill("#id_login", user.email)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    if totp is not None:
        with translation.override(language or "en"):
            heading, button = translation.gettext("Enter your code"), translation.gettext("Sign in")
        expect(page.locator("h1")).to_have_text(heading)
        check(page)
        page.fill("#id_code", totp())
        page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_url(re.compile(r".*/dashboard/$"))


def sign_in_by_session(page, user, url):
    """A shortcut for tests that are not about signing in: a session for ``user`` with the second factor
    passed, as ``sign_in`` leaves it, put in the browser's cookies for the live server at ``url``."""
    from django.conf import settings
    from django.test import Client

    from govlab.accounts.middleware import MFA_SESSION_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[MFA_SESSION_KEY] = True
    session.save()
    page.context.clear_cookies()
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session.session_key, "url": url}]
    )
