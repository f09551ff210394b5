"""An axe sweep of every page of the product, for the roles that see it, in the five UI languages.

One small but complete data set (a logo-less lab, organisations of several kinds, a campaign, challenges in
several states, one of them with worksheets, a confirmed budget and a team, and a notification) is built
through the factories and services; then one browser page visits every address and runs axe on it. The
violations of all pages are gathered first and asserted together, so one run names every page that fails.
Signed-in roles get a session made by Django's test client with the second factor passed (the real password
and TOTP journey is covered by tests/labs/test_browser.py and tests/challenges/test_browser_lab.py).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from govlab.accounts.middleware import MFA_SESSION_KEY
from govlab.challenges import services
from govlab.challenges.enums import ChallengeStatus, TeamRole, WorksheetKind
from govlab.challenges.models import Challenge, IntakeCampaign, LegalRegime, ViabilityCriterion
from govlab.notifications.services import notify
from tests.accounts.conftest import TOTP_SECRET
from tests.browser import BROWSER, assert_accessible
from tests.factories import (
    LabFactory,
    LabMembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    TermFactory,
    UserFactory,
)

pytestmark = [*BROWSER, pytest.mark.django_db(transaction=True)]

OTHER_LANGUAGES = ("es", "fr", "pt", "sv")


def _build():
    """The data set every sweep uses; returns the objects the addresses are made from."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.totp.internal.auth import TOTP

    lab = LabFactory(
        slug="sweep-lab",
        name={"en": "Sweep Lab", "es": "Laboratorio Sweep", "fr": "Labo Sweep"},
        languages=["en", "es", "fr", "pt", "sv"],
    )
    manager = LabMembershipFactory(lab=lab, role="manager", user=UserFactory(full_name="Marta Manager")).user
    EmailAddress.objects.create(user=manager, email=manager.email, verified=True, primary=True)
    TOTP.activate(manager, TOTP_SECRET)
    LabMembershipFactory(lab=lab, role="staff", user=UserFactory(full_name="Sam Staff"))

    sector = TermFactory(vocabulary="sector", code="sweep-health", name={"en": "Health", "es": "Salud"})
    entity = OrganisationFactory(
        name="Ministry of Forms", slug="ministry-of-forms", kind="public_entity", helix_sector="government"
    )
    entity.labs.add(lab)
    entity.sectors.add(sector)
    for name, kind, helix in (
        ("Bot Busters", "startup", "business"),
        ("Forms University", "research", "academia"),
        ("Citizens for Forms", "ngo", "civil_society"),
    ):
        OrganisationFactory(name=name, kind=kind, helix_sector=helix).labs.add(lab)
    member = OrganisationMembershipFactory(
        organisation=entity, role="admin", user=UserFactory(full_name="Elena Entity")
    ).user

    now = timezone.now()
    campaign = IntakeCampaign.objects.create(
        lab=lab,
        title={"en": "Call for challenges 2026", "es": "Convocatoria 2026"},
        slug="call-2026",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        is_published=True,
    )
    ViabilityCriterion.objects.create(campaign=campaign, name={"en": "Clear problem owner"}, position=1)
    ViabilityCriterion.objects.create(campaign=campaign, name={"en": "Budget for the purchase"}, position=2)
    regime = LegalRegime.objects.create(lab=lab, name={"en": "General procurement law"})

    def challenge(title, status, **fields):
        made = services.challenge_create(
            lab=lab,
            owner=entity,
            created_by=member,
            campaign=campaign,
            title={"en": title, "es": f"{title} (es)"},
            problem_statement={"en": f"Our challenge: {title.lower()}."},
            **fields,
        )
        Challenge.objects.filter(pk=made.pk).update(status=status)
        made.refresh_from_db()
        return made

    draft = challenge("Shorter queues at the registry", ChallengeStatus.DRAFT)
    submitted = challenge("Tell humans and bots apart", ChallengeStatus.SUBMITTED)
    challenge("Open data for buses", ChallengeStatus.IN_SCREENING)
    public = challenge(
        "Cleaner rivers", ChallengeStatus.READY_FOR_CALL, is_public=True, public_sections=["background"]
    )
    full = challenge("Faster permits", ChallengeStatus.CHARACTERISING, is_public=True)
    for role in TeamRole.values:
        services.team_member_add(challenge=full, added_by=manager, role=role, name=f"{role.title()} lead")
    services.challenge_confirm_budget(
        challenge=full, confirmed_by=member, amount=Decimal("150000000"), currency="COP", source="2026 budget"
    )
    services.challenge_characterise(
        challenge=full,
        updated_by=manager,
        technical_characteristics={"en": "Web forms"},
        expected_duration_months=6,
        legal_regime=regime,
    )
    services.worksheet_save(
        challenge=full,
        kind=WorksheetKind.PROBLEM_TREE,
        data={"central_problem": "Slow permits", "causes": ["Paper files"], "effects": ["Delays"]},
        saved_by=manager,
        complete=True,
    )
    notify(
        recipients=[member],
        kind="challenge.status",
        subject="Your challenge is now: submitted.",
        body="The lab will screen it.",
        url=f"/challenges/{submitted.reference}/",
        lab=lab,
        email=False,
    )
    return {
        "lab": lab,
        "manager": manager,
        "entity": entity,
        "member": member,
        "campaign": campaign,
        "regime": regime,
        "draft": draft,
        "submitted": submitted,
        "public": public,
        "full": full,
    }


class Sweep:
    """Visits addresses on one browser page and gathers axe's findings instead of stopping at the first."""

    def __init__(self, page, live_server):
        self.page = page
        self.live_server = live_server
        self.failures = []

    def check(self, label):
        assert self.page.locator("h1").count() == 1, f"{label}: not exactly one h1"
        try:
            assert_accessible(self.page)
        except AssertionError as error:
            self.failures.append(f"{label}: {error}")
        self.page.csp_errors.clear()

    def visit(self, *paths):
        for path in paths:
            response = self.page.goto(path)
            assert response.status == 200, f"{path} answered {response.status}"
            assert self.page.url == self.live_server.url + path, f"{path} went on to {self.page.url}"
            self.check(path)

    def submit_empty(self, path, button):
        """Open a form, empty its text fields and submit it, so the error summary and field errors show."""
        self.page.goto(path)
        self.page.evaluate(
            """() => document.querySelectorAll(
                   "main form input[type=text], main form input[type=email], main form input[type=password],"
                   + " main form input[type=url], main form input[type=number], main form textarea"
               ).forEach((field) => { field.value = ""; })"""
        )
        with self.page.expect_navigation():  # a loaded machine answers slowly: wait for the new page
            self.page.click(button)
        assert self.page.locator(".error-summary").count() == 1, f"{path}: no error summary after {button}"
        self.check(f"{path} (empty form submitted)")

    def sign_in(self, user):
        """Start a session for ``user`` with the second factor passed, as the sign-in journey leaves it."""
        client = Client()
        client.force_login(user)
        session = client.session
        session[MFA_SESSION_KEY] = True
        session.save()
        self.page.context.clear_cookies()
        self.page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": session.session_key,
                    "url": self.live_server.url,
                }
            ]
        )

    def assert_clean(self):
        assert self.failures == [], "\n".join(self.failures)


@pytest.fixture
def sweep(page, live_server):
    return Sweep(page, live_server)


def test_axe_anonymous_pages_in_english(sweep):
    data = _build()
    lab, public, campaign = data["lab"], data["public"], data["campaign"]
    sweep.visit(
        "/",
        "/labs/",
        f"/labs/{lab.slug}/",
        "/organisations/",
        "/organisations/?kind=public_entity",
        f"/organisations/?q=forms&lab={lab.pk}&sector=sweep-health",
        f"/organisations/{data['entity'].slug}/",
        "/challenges/",
        "/challenges/?q=rivers",
        f"/challenges/{public.reference}/",
        "/challenges/campaigns/",
        f"/challenges/campaigns/{campaign.pk}/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/api/docs/",
    )
    sweep.submit_empty("/accounts/signup/", "main button[type=submit]")
    sweep.submit_empty("/accounts/login/", "main button[type=submit]")
    sweep.submit_empty("/accounts/password/reset/", "main button[type=submit]")
    sweep.assert_clean()


def test_axe_entity_member_pages_in_english(sweep):
    data = _build()
    sweep.sign_in(data["member"])
    draft, full, entity = data["draft"], data["full"], data["entity"]
    sweep.visit(
        "/dashboard/",
        "/challenges/mine/",
        "/challenges/new/",
        f"/challenges/{draft.reference}/",
        f"/challenges/{draft.reference}/edit/",
        f"/challenges/{full.reference}/",
        f"/challenges/{full.reference}/characterisation/",
        f"/challenges/{full.reference}/characterisation/worksheets/problem_tree/",
        "/notifications/",
        f"/organisations/{entity.slug}/edit/",
        f"/organisations/{entity.slug}/members/",
        "/organisations/new/",
        "/accounts/profile/",
    )
    sweep.submit_empty(f"/challenges/{draft.reference}/edit/", "main button[name=action][value=submit]")
    sweep.visit(f"/challenges/{data['submitted'].reference}/withdraw/")
    for path, status in ((f"/challenges/{draft.reference}/withdraw/", 403), ("/challenges/NO-SUCH-1/", 404)):
        assert sweep.page.goto(path).status == status
        sweep.check(f"{path} ({status} page)")
    sweep.assert_clean()


def test_axe_lab_staff_pages_in_english(sweep):
    data = _build()
    sweep.sign_in(data["manager"])
    lab, submitted, full, campaign = data["lab"], data["submitted"], data["full"], data["campaign"]
    base = f"/challenges/lab/{lab.slug}"
    sweep.visit(
        "/dashboard/",
        f"/labs/{lab.slug}/settings/",
        f"/labs/{lab.slug}/team/",
        f"/labs/{lab.slug}/audit/",
        f"{base}/board/",
        f"{base}/{submitted.reference}/screening/",
        f"{base}/{full.reference}/characterise/",
        f"{base}/{full.reference}/characterise/worksheets/problem_tree/",
        f"{base}/{full.reference}/characterise/worksheets/needs_analysis/",
        f"{base}/campaigns/",
        f"{base}/campaigns/new/",
        f"{base}/campaigns/{campaign.pk}/",
        f"{base}/legal-regimes/",
        f"{base}/legal-regimes/{data['regime'].pk}/",
        "/notifications/",
        "/accounts/profile/",
        "/accounts/2fa/",
    )
    sweep.submit_empty(f"/labs/{lab.slug}/settings/", "main button[type=submit]")
    sweep.assert_clean()


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_axe_representative_pages_in_other_languages(sweep, language):
    data = _build()
    prefix = f"/{language}"
    sweep.visit(
        f"{prefix}/",
        f"{prefix}/labs/{data['lab'].slug}/",
        f"{prefix}/organisations/",
        f"{prefix}/challenges/?q=rivers",
    )
    assert sweep.page.locator("html").get_attribute("lang") == language
    sweep.submit_empty(f"{prefix}/accounts/signup/", "main button[type=submit]")
    sweep.sign_in(data["member"])
    sweep.submit_empty(
        f"{prefix}/challenges/{data['draft'].reference}/edit/", "main button[name=action][value=submit]"
    )
    sweep.assert_clean()


def test_no_horizontal_scroll_on_a_phone(sweep):
    """At 375 px nothing scrolls sideways (WCAG 1.4.10): wide tables scroll inside their own box."""
    data = _build()
    sweep.page.set_viewport_size({"width": 375, "height": 800})
    pages = (
        (None, "/"),
        (None, f"/challenges/{data['public'].reference}/"),
        (data["member"], f"/organisations/{data['entity'].slug}/members/"),
        (data["manager"], f"/labs/{data['lab'].slug}/audit/"),
    )
    wide = []
    for person, path in pages:
        if person is not None:
            sweep.sign_in(person)
        sweep.visit(path)
        scroll_width, client_width = sweep.page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        if scroll_width > client_width:
            wide.append((path, scroll_width, client_width))
    assert wide == []
    sweep.assert_clean()


def test_language_switcher_waits_for_its_button(sweep):
    """Choosing a language changes nothing until the visible "Change" button is pressed (WCAG 3.2.2)."""
    sweep.page.goto("/labs/")
    sweep.page.focus("#language-select")
    sweep.page.keyboard.press("ArrowDown")
    sweep.page.select_option("#language-select", "fr")
    sweep.page.wait_for_timeout(300)
    assert sweep.page.url == sweep.live_server.url + "/labs/"
    change = sweep.page.locator(".language-switcher button[type=submit]")
    assert change.is_visible()
    assert change.inner_text() == "Change"
    change.click()
    sweep.page.wait_for_url("**/fr/labs/")
    assert sweep.page.locator("html").get_attribute("lang") == "fr"
    sweep.check("/fr/labs/ after changing the language")
    sweep.assert_clean()
