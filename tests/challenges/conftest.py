import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from govlab.challenges import services
from govlab.challenges.enums import ChallengeStatus, TeamRole, WorksheetKind
from govlab.challenges.models import Challenge, IntakeCampaign, LegalRegime, ViabilityCriterion
from tests.factories import (
    LabMembershipFactory,
    OrganisationFactory,
    OrganisationMembershipFactory,
    UserFactory,
)


@pytest.fixture
def entity(lab):
    organisation = OrganisationFactory(kind="public_entity", helix_sector="government", country="CO")
    organisation.labs.add(lab)
    return organisation


@pytest.fixture
def entity_member(entity):
    return OrganisationMembershipFactory(organisation=entity, role="member").user


@pytest.fixture
def campaign(lab):
    now = timezone.now()
    campaign = IntakeCampaign.objects.create(
        lab=lab,
        title={"en": "Call for challenges 2026"},
        slug="call-2026",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        is_published=True,
    )
    ViabilityCriterion.objects.create(campaign=campaign, name={"en": "Clear problem owner"}, position=1)
    ViabilityCriterion.objects.create(campaign=campaign, name={"en": "Budget for the purchase"}, position=2)
    return campaign


@pytest.fixture
def regime(lab):
    return LegalRegime.objects.create(lab=lab, name={"en": "General procurement law"})


@pytest.fixture
def make_challenge(lab, entity, campaign):
    def make(status=ChallengeStatus.DRAFT, **fields):
        creator = fields.pop("created_by", None) or UserFactory()
        values = {
            "title": {"en": "Tell humans and bots apart", "fr": "Distinguer humains et robots"},
            "problem_statement": {"en": "Our challenge is that bots fill in our forms."},
            "country": "CO",
            **fields,
        }
        challenge = Challenge.objects.create(
            lab=lab,
            owner=entity,
            campaign=campaign,
            created_by=creator,
            status=status,
            reference=f"T-{Challenge.objects.count() + 1}",
            **values,
        )
        challenge.search_text = challenge.build_search_text()
        challenge.save(update_fields=["search_text"])
        return challenge

    return make


@pytest.fixture
def make_ready(regime):
    """Fill in everything the readiness checklist asks for."""

    def ready(challenge, by):
        for role in TeamRole.values:
            services.team_member_add(challenge=challenge, added_by=by, role=role, name=f"{role} lead")
        services.challenge_confirm_budget(
            challenge=challenge,
            confirmed_by=by,
            amount=Decimal("150000000"),
            currency="COP",
            source="2026 budget",
        )
        services.challenge_characterise(
            challenge=challenge,
            updated_by=by,
            technical_characteristics={"en": "Web forms"},
            required_functionalities={"en": "Detect bots"},
            expected_duration_months=6,
            estimated_cost=Decimal("120000000"),
            estimated_cost_currency="COP",
            legal_regime=regime,
            pilot_infrastructure_available=True,
        )
        data = {
            WorksheetKind.PROBLEM_TREE: {
                "central_problem": "Bots",
                "causes": ["Weak captcha"],
                "effects": ["Spam"],
            },
            WorksheetKind.HOW_MIGHT_WE: {"statements": ["How might we tell humans from bots?"]},
            WorksheetKind.NEEDS_ANALYSIS: {"needs": [{"need": "Accessibility", "who": "Citizens"}]},
        }
        for kind, content in data.items():
            services.worksheet_save(challenge=challenge, kind=kind, data=content, saved_by=by, complete=True)
        challenge.refresh_from_db()
        return challenge

    return ready


@pytest.fixture
def actor_for(lab, entity):
    """A user for each role in the transition matrix."""

    def resolve(role):
        if role == "entity":
            return OrganisationMembershipFactory(organisation=entity, role="member").user
        if role in ("staff", "manager", "evaluator", "mentor"):
            return LabMembershipFactory(lab=lab, role=role).user
        if role == "other_entity":
            other = OrganisationFactory(kind="public_entity")
            return OrganisationMembershipFactory(organisation=other, role="admin").user
        if role == "other_lab_staff":
            return LabMembershipFactory(role="staff").user
        return UserFactory()

    return resolve
