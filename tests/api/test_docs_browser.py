"""The API reference page in a real browser: accessible (axe), nothing blocked by the CSP."""

import pytest

from tests.browser import BROWSER, assert_accessible

pytestmark = BROWSER


@pytest.mark.django_db(transaction=True)
def test_browser_api_docs_page_is_accessible(page):
    page.goto("/api/docs/")

    assert page.locator("h1").count() == 1
    assert page.locator("h3:has-text('POST /api/v1/auth/token/')").count() == 1
    assert_accessible(page)
