"""The public OCDS pages and the managers' settings page pass axe (tests/browser.py)."""

import pytest
from django.urls import reverse

from govlab.ocds.publish import sync
from tests.browser import BROWSER, assert_accessible, sign_in_by_session
from tests.factories import LabMembershipFactory

pytestmark = [*BROWSER, pytest.mark.django_db(transaction=True)]


def test_the_ocds_pages_are_accessible(page, live_server, story):
    [first, *_rest] = sync(story.challenge).published
    lab = story.lab.slug
    for url in (
        reverse("ocds:index"),
        reverse("ocds:lab", args=[lab]),
        reverse("ocds:policy", args=[lab]),
        reverse("ocds:process", args=[first.ocid]),
    ):
        page.goto(url)
        assert page.locator("h1").count() == 1, url
        assert_accessible(page)
    # The managers' settings page, signed in (second factor passed) through the session cookie.
    manager = LabMembershipFactory(lab=story.lab, role="manager").user
    sign_in_by_session(page, manager, live_server.url)
    page.goto(reverse("ocds:settings", args=[lab]))
    assert page.locator("#id_prefix").count() == 1
    assert_accessible(page)
    page.fill("#id_prefix", "bad")
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state("load")
    assert_accessible(page)
