"""A solver's whole journey through a call, in French, and the lab seeing it, in English.

A founder signs in through the real form (``/fr/`` addresses), finds the call in the list of open
calls, asks a question, starts an application, types, leaves for the workspace and comes back (the
draft autosaved by HTMX is still there), completes it and submits; the receipt's number and hash are
then checked on the public verification page. The lab's staff member (real TOTP sign-in, English) finds
the submitted application on the call's dashboard. Axe runs on every page either side visits.
"""

import re

import pytest
from django.utils import translation

from govlab.calls.enums import ApplicationStatus
from govlab.calls.models import Application, ApplicationRevision, Enquiry
from tests.accounts.conftest import current_totp_code
from tests.browser import BROWSER, assert_accessible, prepare_sign_in, sign_in
from tests.browser import expect as check
from tests.factories import LabMembershipFactory, OrganisationMembershipFactory, UserFactory

pytestmark = [*BROWSER, pytest.mark.django_db(transaction=True)]


def fr(message: str) -> str:
    with translation.override("fr"):
        return translation.gettext(message)


def _field(page, label):
    """The input labelled ``label`` (a required field's label goes on with "(required)")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(|$)"))


def test_solver_applies_in_french_and_the_lab_sees_it(
    page, live_server, lab, open_call, ready_challenge, solver
):
    lab.languages = ["en", "fr"]
    lab.save(update_fields=["languages"])
    founder = OrganisationMembershipFactory(
        organisation=solver,
        role="admin",
        user=UserFactory(full_name="Fanny Fondatrice", preferred_language="fr"),
    ).user
    staff = LabMembershipFactory(lab=lab, role="staff", user=UserFactory(full_name="Sam Staff")).user
    prepare_sign_in(founder, staff, totp=[staff])
    page.set_default_timeout(10_000)

    # --- The founder finds the call and asks a question. ---------------------------------------------
    sign_in(page, founder, language="fr")
    page.goto("/fr/calls/")
    assert_accessible(page)
    check(page.locator("html")).to_have_attribute("lang", "fr")
    page.get_by_role("link", name="Bye bye Robots!").first.click()
    page.wait_for_url(re.compile(rf"/fr/calls/{lab.slug}/{open_call.slug}/$"))
    assert_accessible(page)
    _field(page, fr("Your question")).fill("Un consortium peut-il candidater ?")
    page.get_by_role("button", name=fr("Send the question to the lab")).click()
    check(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    assert Enquiry.objects.get().question == "Un consortium peut-il candidater ?"

    # --- Starts an application and types; the draft saves itself. ------------------------------------
    title = ready_challenge.title["fr"]
    page.get_by_role("button", name=fr("Apply to “%(title)s”").replace("%(title)s", title)).click()
    page.wait_for_url(re.compile(r"/fr/calls/applications/APP-[A-Z0-9]+/$"))
    assert_accessible(page)
    application = Application.objects.get()
    _field(page, "Name of your solution").fill("Humain d'abord")
    page.locator("#autosave-status").filter(has_text=re.compile(r"\d\d:\d\d")).wait_for()
    application.refresh_from_db()
    assert application.answers == {"solution_name": "Humain d'abord"}

    # --- Leaves, comes back: nothing is lost. ---------------------------------------------------------
    page.goto("/fr/calls/mine/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(re.escape(title))).first.click()
    page.wait_for_url(re.compile(rf"/fr/calls/applications/{application.reference}/$"))
    check(_field(page, "Name of your solution")).to_have_value("Humain d'abord")

    # --- Submitting too early names what is missing, at the field. -----------------------------------
    page.get_by_role("button", name=fr("Save and submit"), exact=True).click()
    check(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    check(_field(page, "Name of your solution")).to_have_value("Humain d'abord")
    assert ApplicationRevision.objects.count() == 0

    # --- Completes it and submits. --------------------------------------------------------------------
    _field(page, "Your approach").fill("Nous orientons les appels vers des personnes.")
    _field(page, "Indicative price").fill("45000")
    for key in ("eligibility", "terms", "truthful"):
        page.locator(f"input[name=d_{key}]").check()
    page.get_by_role("button", name=fr("Save and submit"), exact=True).click()
    page.wait_for_url(re.compile(rf"/fr/calls/applications/{application.reference}/receipts/1/$"))
    assert_accessible(page)
    revision = ApplicationRevision.objects.get()
    check(page.locator("main")).to_contain_text(revision.receipt_code)
    check(page.locator("main")).to_contain_text(revision.content_hash)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert revision.answers == {
        "solution_name": "Humain d'abord",
        "approach": "Nous orientons les appels vers des personnes.",
        "price": "45000",
    }

    # --- Anyone can check the receipt. ----------------------------------------------------------------
    page.context.clear_cookies()
    page.goto("/fr/calls/receipts/verify/")
    assert_accessible(page)
    _field(page, fr("Receipt number")).fill(revision.receipt_code)
    _field(page, fr("Content hash (SHA-256)")).fill(revision.content_hash)
    page.get_by_role("button", name=fr("Check the receipt")).click()
    check(page.locator(".receipt-valid")).to_contain_text(fr("Valid receipt"))
    assert_accessible(page)

    # --- The lab sees it on the call's dashboard. -----------------------------------------------------
    sign_in(page, staff, totp=current_totp_code)
    page.goto(f"/calls/lab/{lab.slug}/{open_call.pk}/")
    assert_accessible(page)
    row = page.locator("tr", has_text=solver.name)
    check(row).to_contain_text("Submitted")
