"""An evaluator's journey in Swedish, blind, and the lab's ranking and preselection in English.

The evaluator signs in through the real form (``/sv/``), finds the application in the queue (by its
reference only: the phase is blind), declares no conflict among the listed applicants, scores each
criterion on its labelled scale, is told what is missing, completes and submits. The lab's staff
member then sees the review in the ranking and preselects. Axe runs on every page visited.
"""

import re

import pytest
from django.utils import translation

from govlab.evaluation import services
from govlab.evaluation.enums import ReviewStatus
from govlab.evaluation.models import ConflictDeclaration, Review
from tests.accounts.conftest import current_totp_code
from tests.browser import BROWSER, assert_accessible, prepare_sign_in, sign_in
from tests.browser import expect as check
from tests.factories import LabMembershipFactory, UserFactory

pytestmark = [*BROWSER, pytest.mark.django_db(transaction=True)]


def sv(message: str) -> str:
    with translation.override("sv"):
        return translation.gettext(message)


def test_a_blind_review_in_swedish_and_the_lab_ranks(
    page, live_server, lab, submitted_applications, lab_staff
):
    call = submitted_applications[0].call
    lab.languages = ["en", "sv"]
    lab.save(update_fields=["languages"])
    person = UserFactory(full_name="Sara Sakkunnig", preferred_language="sv")
    LabMembershipFactory(lab=lab, role="evaluator", user=person)
    prepare_sign_in(person, lab_staff, totp=[lab_staff])
    services.phase_activate(
        phase=services.phase_save(call=call, by=lab_staff, name={"en": "Blind"}), by=lab_staff
    )
    evaluator = services.evaluator_add(call=call, user=person, role="external_expert", added_by=lab_staff)
    application = submitted_applications[0]
    services.assign(application=application, evaluator=evaluator, by=lab_staff)
    page.set_default_timeout(10_000)

    # --- The evaluator finds the application by its reference only. --------------------------------
    sign_in(page, person, language="sv")
    page.goto("/sv/evaluation/mine/")
    assert_accessible(page)
    check(page.locator("html")).to_have_attribute("lang", "sv")
    check(page.locator("main")).to_contain_text(application.reference)
    check(page.locator("main")).not_to_contain_text("Alpha Robotics")

    # --- Declares no conflict, among the applicants listed unlinked. -------------------------------
    page.goto(f"/sv/evaluation/applications/{application.reference}/declare/")
    assert_accessible(page)
    check(page.locator("ul[aria-labelledby=applicants]")).to_contain_text("Alpha Robotics")
    page.get_by_label(sv("I have no conflict of interest with any of the organisations listed")).check()
    page.get_by_role("button", name=sv("Sign the declaration")).click()
    page.wait_for_url(re.compile(rf"/sv/evaluation/applications/{application.reference}/review/$"))
    assert_accessible(page)
    assert ConflictDeclaration.objects.get().has_conflict is False
    check(page.locator("main")).to_contain_text("Human first")  # the content, not who wrote it
    check(page.locator("main")).not_to_contain_text("Lead of Alpha Robotics")

    # --- Scores one criterion, submits, is told what is missing. ------------------------------------
    criteria = list(call.criteria.all())
    page.locator(f"input[name=score_{criteria[0].pk}][value='3']").check()
    page.get_by_role("button", name=sv("Submit the review")).click()
    check(page.locator(".error-summary")).to_be_visible()
    assert_accessible(page)
    check(page.locator(f"input[name=score_{criteria[0].pk}][value='3']")).to_be_checked()
    assert not Review.objects.filter(status=ReviewStatus.SUBMITTED).exists()  # kept on the page, not stored

    # --- Completes and submits. -----------------------------------------------------------------------
    page.locator(f"input[name=score_{criteria[1].pk}][value='2']").check()
    page.locator(f"input[name=score_{criteria[2].pk}][value='na']").check()
    page.locator("textarea[name=strengths]").fill("Tydlig idé")
    page.locator("input[name=recommendation][value=yes]").check()
    page.locator("input[name=confidence][value='4']").check()
    page.get_by_role("button", name=sv("Submit the review")).click()
    check(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    review = Review.objects.get()
    assert review.status == ReviewStatus.SUBMITTED
    # (40·3/3 + 35·2/3) / 75 · 100 = (40 + 23.33) / 75 · 100 = 84.44; Team was not applicable
    assert str(review.weighted_total) == "84.44"

    # --- The lab sees it in the ranking. ----------------------------------------------------------------
    page.context.clear_cookies()
    sign_in(page, lab_staff, totp=current_totp_code)
    page.goto(f"/evaluation/lab/{lab.slug}/{call.pk}/ranking/")
    assert_accessible(page)
    check(page.locator("main")).to_contain_text(application.reference)
    check(page.locator("main")).to_contain_text("84.44")
