"""The entity's half of the challenge journey in a real browser, with axe on every page.

An entity member signs in, starts a draft for an open call, is told what is missing, saves as they type
(HTMX autosave), submits, and sees the challenge's page. The lab's half (screening, characterisation by
the lab) is in the lab side's browser test.
"""

import pytest

from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.models import Challenge
from tests.browser import BROWSER, assert_accessible, prepare_sign_in, sign_in
from tests.factories import OrganisationMembershipFactory

pytestmark = BROWSER


@pytest.mark.django_db(transaction=True)
def test_browser_entity_member_starts_and_submits_a_challenge(page, lab, entity, campaign, staff):
    member = OrganisationMembershipFactory(organisation=entity, role="member").user
    prepare_sign_in(member)
    sign_in(page, member)

    page.goto("/challenges/mine/")
    assert page.locator("h1").inner_text() == "My challenges"
    assert_accessible(page)

    page.click("text=Bring a new challenge")
    assert page.locator("h1").inner_text() == "Bring a new challenge"
    assert_accessible(page)
    page.select_option("#id_lab", str(lab.pk))
    page.select_option("#id_campaign", str(campaign.pk))
    page.fill("#id_title", "Tell humans and bots apart")
    page.click("main button[type=submit]:text('Start the draft')")

    challenge = Challenge.objects.get()
    assert page.url.endswith(f"/challenges/{challenge.reference}/edit/")
    assert page.locator("h1").inner_text() == "Describe the challenge"
    assert page.input_value("#id_title_0") == "Tell humans and bots apart"
    assert_accessible(page)

    # Submitting too early says exactly what is missing, at the field, and keeps what was typed.
    page.fill("#id_region", "Bogotá")
    page.click("main button[type=submit]:text('Save and submit to the lab')")
    summary = page.locator(".error-summary")
    summary.wait_for(state="visible")
    assert "Problem statement: Describe the problem (“Our challenge is that…”)." in summary.inner_text()
    assert page.input_value("#id_region") == "Bogotá"
    assert_accessible(page)

    # Autosave: typing and leaving a field saves the draft without a page load.
    page.fill("#id_problem_statement_0", "Our challenge is that bots fill in our forms.")
    page.locator("#id_region").focus()
    page.locator("#autosave-status").filter(has_text="Draft saved automatically").wait_for()
    challenge.refresh_from_db()
    assert challenge.problem_statement == {"en": "Our challenge is that bots fill in our forms."}
    assert page.input_value("#id_version") == str(challenge.version)
    assert_accessible(page)

    page.click("main button[type=submit]:text('Save and submit to the lab')")
    assert page.url.endswith(f"/challenges/{challenge.reference}/")
    assert page.locator(".message-success").inner_text() == "Your challenge is submitted to the lab."
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.SUBMITTED
    assert_accessible(page)

    page.click("main a:text('Withdraw the challenge')")
    assert page.locator("h1").inner_text() == "Withdraw the challenge"
    assert_accessible(page)

    page.goto("/challenges/mine/")
    assert "Next: the lab's team screens the challenge." in page.locator("main").inner_text()
    assert_accessible(page)


@pytest.mark.django_db(transaction=True)
def test_browser_entity_characterises_an_accepted_challenge(page, make_challenge, entity, regime):
    challenge = make_challenge(status=ChallengeStatus.ACCEPTED)
    member = OrganisationMembershipFactory(organisation=entity, role="admin").user
    prepare_sign_in(member)
    sign_in(page, member)

    page.goto(f"/challenges/{challenge.reference}/")
    assert_accessible(page)
    page.click("main button:text('Start characterisation')")
    assert page.locator("h1").inner_text() == "Characterisation"
    assert "Name the multidisciplinary team" in page.locator(".gaps").inner_text()
    assert_accessible(page)

    page.click("main a:text('Problem tree')")
    assert page.locator("h1").inner_text() == "Problem tree"
    assert_accessible(page)
    page.fill("#id_ws-central_problem", "Bots fill in our forms")
    page.check("#id_ws-complete")
    page.click("main button[type=submit]:text('Save a new version')")
    assert (
        "Causes (roots): Fill this in before marking the worksheet complete."
        in page.locator(".error-summary").inner_text()
    )
    assert_accessible(page)
    page.fill("#id_ws-causes", "Weak captcha\nNo monitoring")
    page.fill("#id_ws-effects", "Spam")
    page.click("main button[type=submit]:text('Save a new version')")
    assert page.locator(".message-success").inner_text() == "The worksheet is saved."

    page.fill("#id_budget-budget_amount", "150.000.000")
    page.click("main button[type=submit]:text('Confirm the budget')")
    assert "Confirmed budget: Enter a number." in page.locator(".error-summary").inner_text()
    assert_accessible(page)
    page.fill("#id_budget-budget_amount", "150000000")
    page.fill("#id_budget-budget_source", "2026 budget line")
    page.click("main button[type=submit]:text('Confirm the budget')")
    assert page.locator(".message-success").inner_text() == "The budget is confirmed."

    page.select_option("#id_team-role", "legal")
    page.fill("#id_team-name", "Ana Legal")
    page.click("main button[type=submit]:text('Add to the team')")
    assert "Ana Legal" in page.locator("section[aria-labelledby=team-title] table").inner_text()
    assert_accessible(page)

    challenge.refresh_from_db()
    assert challenge.budget_confirmed_by == member
    assert challenge.worksheets.get().is_complete is True


@pytest.mark.django_db(transaction=True)
def test_browser_public_pages(page, make_challenge, campaign):
    challenge = make_challenge(
        status=ChallengeStatus.ACCEPTED, is_public=True, public_sections=["background"]
    )
    for url in (
        "/challenges/",
        "/challenges/?q=bots&sort=title",
        f"/challenges/{challenge.reference}/",
        "/challenges/campaigns/",
        f"/challenges/campaigns/{campaign.pk}/",
    ):
        page.goto(url)
        assert page.locator("h1").count() == 1
        assert_accessible(page)
