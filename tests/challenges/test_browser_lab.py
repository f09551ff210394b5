"""The lab's journey in a real browser: screening, more information, acceptance, characterisation, ready.

Staff sign in with their password and a TOTP code, as in production. Axe runs on every page visited.
"""

import pytest

from govlab.challenges import services
from govlab.challenges.enums import ChallengeStatus, TeamRole
from govlab.challenges.models import Challenge
from tests.accounts.conftest import current_totp_code
from tests.browser import BROWSER, assert_accessible, prepare_sign_in, sign_in
from tests.factories import LabMembershipFactory

pytestmark = BROWSER


def _decide(page, target, message=""):
    page.check(f"input[name='decision-target'][value='{target}']")
    if message:
        page.fill("#id_decision-reason", message)
    page.click("button[type=submit]:text('Record the decision')")


@pytest.mark.django_db(transaction=True)
def test_browser_lab_screens_and_characterises_a_challenge(
    page, lab, entity, entity_member, campaign, regime
):
    staff = LabMembershipFactory(lab=lab, role="staff").user
    challenge = services.challenge_create(
        lab=lab,
        owner=entity,
        created_by=entity_member,
        campaign=campaign,
        title={"en": "Tell humans and bots apart"},
        problem_statement={"en": "Our challenge is that bots fill in our forms."},
    )
    services.challenge_transition(challenge=challenge, target=ChallengeStatus.SUBMITTED, actor=entity_member)
    reference = challenge.reference
    base = f"/challenges/lab/{lab.slug}"

    prepare_sign_in(staff, totp=[staff])
    sign_in(page, staff, totp=current_totp_code)
    assert page.locator("h1").count() == 1

    # The board lists the submitted challenge.
    page.goto(f"{base}/board/")
    assert page.locator("h1").inner_text() == "Screening board"
    assert_accessible(page)
    page.locator("table a", has_text="Tell humans and bots apart").click()
    assert page.url.endswith(f"{base}/{reference}/screening/")
    assert_accessible(page)

    # Start screening, then ask for more information (a message is required).
    _decide(page, "in_screening")
    assert "The challenge is now: in screening." in page.locator(".messages").inner_text()
    _decide(page, "more_info_requested")
    page.locator(".error-summary").wait_for(state="visible")
    assert_accessible(page)
    _decide(page, "more_info_requested", "How many forms a day are filled in by bots?")
    assert "more information requested" in page.locator(".messages").inner_text()
    assert_accessible(page)

    # The entity answers and resubmits (its own pages are tested elsewhere).
    challenge.refresh_from_db()
    services.challenge_update(
        challenge=challenge,
        updated_by=entity_member,
        evidence_quantitative={"en": "About 4,000 a day."},
        expected_version=challenge.version,
    )
    services.challenge_transition(
        challenge=challenge, target=ChallengeStatus.IN_SCREENING, actor=entity_member
    )

    # Screen the criteria and accept.
    page.goto(f"{base}/{reference}/screening/")
    for criterion in campaign.criteria.all():
        page.check(f"input[name='criterion-{criterion.pk}-answer'][value='met']")
    page.fill(f"#id_criterion-{campaign.criteria.first().pk}-note", "The Ministry owns the forms.")
    page.click("button[type=submit]:text('Save the screening answers')")
    assert "The screening answers are saved." in page.locator(".messages").inner_text()
    _decide(page, "accepted")
    assert "The challenge is now: accepted." in page.locator(".messages").inner_text()
    assert_accessible(page)

    # Characterisation.
    page.click(".challenge-tabs a:text('Characterisation')")
    assert_accessible(page)
    page.click("button[type=submit]:text('Start characterisation')")
    assert "The challenge is now: characterising." in page.locator(".messages").inner_text()

    page.click("#worksheets a:text('Problem tree')")
    assert page.locator("h1").inner_text() == "Problem tree"
    assert_accessible(page)
    page.fill("#id_worksheet-central_problem", "Bots fill in our forms")
    page.fill("#id_worksheet-causes", "Weak captcha\nNo rate limit")
    page.fill("#id_worksheet-effects", "Spam in the case files")
    page.check("#id_worksheet-complete")
    page.click("button[type=submit]:text('Save a new version')")
    assert "The worksheet is saved as a new version." in page.locator(".messages").inner_text()
    assert page.locator("details summary").count() == 1
    assert_accessible(page)

    page.goto(f"{base}/{reference}/characterise/worksheets/how_might_we/")
    page.fill("#id_worksheet-statements", "How might we tell humans from bots without a puzzle?")
    page.check("#id_worksheet-complete")
    page.click("button[type=submit]:text('Save a new version')")
    assert_accessible(page)

    page.goto(f"{base}/{reference}/characterise/worksheets/needs_analysis/")
    page.fill("#id_worksheet-needs-0-need", "Forms that blind people can fill in")
    page.fill("#id_worksheet-needs-0-who", "Citizens")
    page.check("#id_worksheet-complete")
    page.click("button[type=submit]:text('Save a new version')")
    assert_accessible(page)

    page.goto(f"{base}/{reference}/characterise/")
    page.fill("#id_details-technical_characteristics_0", "Web forms on the citizen portal")
    page.fill("#id_details-required_functionalities_0", "Tell humans and bots apart, accessibly")
    page.fill("#id_details-expected_duration_months", "6")
    page.fill("#id_details-estimated_cost", "120000000")
    page.select_option("#id_details-estimated_cost_currency", "COP")
    page.select_option("#id_details-legal_regime", str(regime.pk))
    page.check("#id_details-pilot_infrastructure_available")
    page.click("button[type=submit]:text('Save the characterisation')")
    assert "The characterisation is saved." in page.locator(".messages").inner_text()

    # A budget in the wrong currency format is a field error, and the input is kept.
    page.fill("#id_budget-budget_amount", "150000000")
    page.fill("#id_budget-budget_currency", "pesos")
    page.fill("#id_budget-budget_source", "2026 budget, line 4")
    page.click("button[type=submit]:text('Confirm the budget')")
    assert "Give a currency as its three-letter code" in page.locator(".error-summary").inner_text()
    assert page.input_value("#id_budget-budget_source") == "2026 budget, line 4"
    assert_accessible(page)
    page.fill("#id_budget-budget_currency", "COP")
    page.click("button[type=submit]:text('Confirm the budget')")
    assert "The budget is confirmed." in page.locator(".messages").inner_text()

    for role in TeamRole.values:
        page.select_option("#id_team-role", role)
        page.fill("#id_team-name", f"{role.title()} lead")
        page.click("button[type=submit]:text('Add to the team')")
        assert "The team member is added." in page.locator(".messages").inner_text()
    page.locator("#readiness .checklist-met").wait_for(state="visible")
    assert_accessible(page)

    page.click("button[type=submit]:text('Mark ready for a call')")
    assert "The challenge is now: ready for a call." in page.locator(".messages").inner_text()
    assert_accessible(page)

    challenge = Challenge.objects.get(pk=challenge.pk)
    assert challenge.status == ChallengeStatus.READY_FOR_CALL
    assert challenge.budget_confirmed_by == staff
    assert challenge.legal_regime == regime
    assert list(challenge.transitions.values_list("to_status", flat=True)) == [
        "draft",
        "submitted",
        "in_screening",
        "more_info_requested",
        "in_screening",
        "accepted",
        "characterising",
        "ready_for_call",
    ]
