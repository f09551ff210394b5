"""End to end: a lab staff member's session ends while they type; after signing in again (password and
TOTP), the page shows what they typed, and nothing is saved until they save."""

from decimal import Decimal

import pytest
from django.urls import reverse

from govlab.audit.models import AuditEntry
from govlab.challenges.enums import ChallengeStatus, WorksheetKind
from govlab.challenges.models import IntakeCampaign, Worksheet
from govlab.core.decorators import KEEP_SESSION_KEY
from tests.accounts.conftest import PASSWORD, TOTP_SECRET, current_totp_code

KEPT = "Your session had ended. Sign in again: what you typed is kept."
RESTORED = "We kept what you typed before your session ended; check it and save."


@pytest.fixture
def characterising(make_challenge):
    return make_challenge(status=ChallengeStatus.CHARACTERISING)


@pytest.fixture
def staff_with_totp(staff, settings):
    # A code computed just before a 30-second step ends is still accepted when checked just after it.
    settings.MFA_TOTP_TOLERANCE = 1
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP

    EmailAddress.objects.create(user=staff, email=staff.email, verified=True, primary=True)
    TOTP.activate(staff, TOTP_SECRET)
    return staff


def _sign_in_again(client, staff, next_url):
    """allauth's sign-in with the password, then the TOTP step; returns where it lands."""
    login_url = f"{reverse('account_login')}?next={next_url}"
    page = client.get(login_url)
    assert KEPT in page.content.decode()
    first = client.post(login_url, {"login": staff.email, "password": PASSWORD})
    assert first.status_code == 302
    assert first["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    assert KEEP_SESSION_KEY in client.session
    second = client.post(reverse("mfa_authenticate"), {"code": current_totp_code()})
    assert second.status_code == 302
    assert int(client.session["_auth_user_id"]) == staff.pk
    return second["Location"]


def _details(challenge, regime):
    return {
        "action": "characterise",
        "details-version": str(challenge.version),
        "details-technical_characteristics_en": 'Web forms <script>alert("x")</script>',
        "details-required_functionalities_en": "Tell humans and bots apart",
        "details-expected_duration_months": "7",
        "details-estimated_cost": "120000000",
        "details-estimated_cost_currency": "COP",
        "details-legal_regime": str(regime.pk),
        "details-pilot_infrastructure_en": "A test server",
        "details-pilot_infrastructure_available": "on",
    }


@pytest.mark.django_db
def test_characterisation_survives_the_session_ending(
    client, staff_with_totp, lab, characterising, regime, login
):
    staff = staff_with_totp
    url = reverse("challenges:lab_characterise", args=[lab.slug, characterising.reference])
    login(staff)
    assert client.get(url).status_code == 200
    version = characterising.version
    audit_count = AuditEntry.objects.count()
    client.session.flush()  # the session times out while the person types
    client.logout()

    posted = client.post(url, _details(characterising, regime))

    assert posted.status_code == 302
    assert posted["Location"] == f"{reverse('account_login')}?next={url}"
    landed = _sign_in_again(client, staff, url)
    assert landed == url

    page = client.get(url)

    html = page.content.decode()
    assert page.status_code == 200
    assert RESTORED in html
    assert "Web forms &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert 'name="details-expected_duration_months" value="7"' in html
    assert KEEP_SESSION_KEY not in client.session
    characterising.refresh_from_db()
    assert characterising.version == version
    assert characterising.expected_duration_months is None
    assert characterising.legal_regime_id is None
    assert AuditEntry.objects.count() == audit_count

    again = client.get(url).content.decode()
    assert RESTORED not in again
    assert 'name="details-expected_duration_months" value="7"' not in again

    saved = client.post(url, _details(characterising, regime))

    assert saved.status_code == 302
    characterising.refresh_from_db()
    assert characterising.expected_duration_months == 7
    assert characterising.estimated_cost == Decimal("120000000")
    assert characterising.legal_regime == regime


@pytest.mark.django_db
def test_campaign_form_survives_the_session_ending(client, staff_with_totp, lab):
    url = reverse("challenges:lab_campaign_create", args=[lab.slug])

    posted = client.post(url, {"campaign-title_en": "Call for 2027", "campaign-slug": "call-2027"})

    assert posted.status_code == 302
    assert _sign_in_again(client, staff_with_totp, url) == url
    html = client.get(url).content.decode()
    assert RESTORED in html
    assert 'value="Call for 2027"' in html
    assert 'value="call-2027"' in html
    assert IntakeCampaign.objects.count() == 0


@pytest.mark.django_db
def test_worksheet_survives_the_session_ending(client, staff_with_totp, lab, characterising):
    url = reverse(
        "challenges:lab_worksheet", args=[lab.slug, characterising.reference, WorksheetKind.PROBLEM_TREE]
    )

    client.post(
        url,
        {
            "worksheet-base_version": "0",
            "worksheet-central_problem": "Bots fill in our forms",
            "worksheet-causes": "Weak captcha",
            "worksheet-effects": "Spam",
        },
    )

    assert _sign_in_again(client, staff_with_totp, url) == url
    html = client.get(url).content.decode()
    assert RESTORED in html
    assert "Bots fill in our forms" in html
    assert Worksheet.objects.count() == 0


@pytest.mark.django_db
def test_screening_answers_survive_the_session_ending(client, staff_with_totp, lab, make_challenge):
    challenge = make_challenge(status=ChallengeStatus.IN_SCREENING)
    url = reverse("challenges:lab_screening", args=[lab.slug, challenge.reference])

    client.post(url, {"action": "priority", "priority-rank": "3"})

    assert _sign_in_again(client, staff_with_totp, url) == url
    html = client.get(url).content.decode()
    assert RESTORED in html
    challenge.refresh_from_db()
    assert challenge.priority_rank is None


@pytest.mark.django_db
def test_someone_not_on_the_team_gets_404_and_the_data_is_not_shown(
    client, staff_with_totp, lab, characterising, regime, other_lab_staff, login
):
    url = reverse("challenges:lab_characterise", args=[lab.slug, characterising.reference])
    client.post(url, _details(characterising, regime))

    login(other_lab_staff)

    assert client.get(url).status_code == 404
    assert KEEP_SESSION_KEY in client.session  # not popped: the page was never shown
