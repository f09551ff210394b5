from collections import Counter

import pytest

from govlab.accounts.models import User
from govlab.audit.models import AuditEntry
from govlab.challenges.demo import generate, load
from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.models import (
    Challenge,
    ChallengeTeamMember,
    ChallengeTransition,
    CriterionAssessment,
    IntakeCampaign,
    LegalRegime,
    ViabilityCriterion,
    WorksheetVersion,
)
from govlab.labs.models import LabMembership
from govlab.notifications.models import Notification
from govlab.organisations.models import Organisation, OrganisationMembership
from tests.factories import LabFactory, OrganisationFactory, OrganisationMembershipFactory, UserFactory

# The demo data contract's labs: slug, currency, languages, country.
DEMO_LABS = [
    ("milab", "COP", ["es", "en"], "CO"),
    ("govtech-lab-luxembourg", "EUR", ["en", "fr"], "LU"),
    ("innovationsupphandling-syd", "SEK", ["sv", "en"], "SE"),
    ("labx", "EUR", ["pt", "en"], "PT"),
    ("govbuys-innovation", "EUR", ["fr", "en"], "BE"),
    ("partnership-for-change", "EUR", ["en"], "SI"),
    ("acclab-paraguay", "PYG", ["es", "en"], "PY"),
]
COUNTED = (
    Challenge,
    ChallengeTransition,
    CriterionAssessment,
    WorksheetVersion,
    ChallengeTeamMember,
    IntakeCampaign,
    ViabilityCriterion,
    LegalRegime,
    Organisation,
    OrganisationMembership,
    LabMembership,
    User,
    AuditEntry,
    Notification,
)


@pytest.fixture
def demo_labs(db):
    labs = {
        slug: LabFactory(slug=slug, currency=currency, languages=languages, country=country)
        for slug, currency, languages, country in DEMO_LABS
    }
    UserFactory(email="admin@govlab.example", is_superuser=True, is_staff=True)
    return labs


def _counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.mark.django_db(transaction=True)
def test_load_twice_changes_nothing_the_second_time(demo_labs, mailoutbox):
    assert load() == {"created": 26, "skipped": 0}
    counts = _counts()
    assert counts["Notification"] > 0
    mailoutbox.clear()
    assert load() == {"created": 0, "skipped": 26}
    assert _counts() == counts
    assert mailoutbox == []


@pytest.mark.django_db
def test_load_puts_the_seed_cases_in_their_states(demo_labs):
    load()
    assert Challenge.objects.count() >= 20
    statuses = Counter(Challenge.objects.values_list("status", flat=True))
    assert set(statuses) == {
        ChallengeStatus.DRAFT,
        ChallengeStatus.SUBMITTED,
        ChallengeStatus.IN_SCREENING,
        ChallengeStatus.MORE_INFO_REQUESTED,
        ChallengeStatus.ACCEPTED,
        ChallengeStatus.CHARACTERISING,
        ChallengeStatus.READY_FOR_CALL,
        ChallengeStatus.DECLINED,
        ChallengeStatus.WITHDRAWN,
        ChallengeStatus.ABANDONED,
    }
    milab = Challenge.objects.filter(lab=demo_labs["milab"], campaign__isnull=False).order_by("priority_rank")
    assert [(c.owner.slug, c.status, c.priority_rank) for c in milab] == [
        ("invima", "ready_for_call", 1),
        ("sic", "characterising", 2),
        ("fondo-nacional-del-ahorro", "accepted", 3),
    ]
    # The 2025 cohort's three challenges: ready for the calls demo's 2025 call, outside the current
    # intake campaign, fully characterised.
    cohort_2025 = Challenge.objects.filter(lab=demo_labs["milab"], campaign__isnull=True).order_by("pk")
    assert [(c.owner.slug, c.status, c.priority_rank, c.title["en"]) for c in cohort_2025] == [
        (
            "invima",
            "ready_for_call",
            None,
            "Detecting the illegal online sale of medicines and medical devices",
        ),
        ("sic", "ready_for_call", None, "Automatic classification of consumer complaints"),
        (
            "fondo-nacional-del-ahorro",
            "ready_for_call",
            None,
            "Housing credit for self-employed and informal workers",
        ),
    ]
    for challenge in cohort_2025:
        assert set(challenge.title) == set(challenge.problem_statement) == {"es", "en"}
        assert challenge.budget_currency == "COP"
        assert challenge.legal_regime_id is not None
        assert challenge.pilot_infrastructure_available
        assert set(challenge.team.values_list("role", flat=True)) == {
            "legal",
            "innovation",
            "technology",
            "strategy",
        }
        assert not challenge.assessments.exists()
    cannabis = milab[0]
    assert [co.slug for co in cannabis.co_owners.all()] == ["minjusticia"]
    assert list(cannabis.transitions.values_list("to_status", flat=True)) == [
        "draft",
        "submitted",
        "in_screening",
        "more_info_requested",
        "in_screening",
        "accepted",
        "characterising",
        "ready_for_call",
    ]
    assert cannabis.budget_currency == "COP"
    assert cannabis.assessments.count() == 5
    robots = Challenge.objects.get(lab=demo_labs["govtech-lab-luxembourg"])
    assert (robots.title["en"], robots.status) == ("Bye bye Robots!", "ready_for_call")
    call_112 = Challenge.objects.get(lab=demo_labs["govbuys-innovation"])
    assert call_112.status == "ready_for_call"
    assert call_112.readiness_override.startswith("Le budget est inscrit")
    assert Challenge.objects.filter(owner__slug="tomelilla-kommun").count() == 9
    assert Challenge.objects.filter(lab=demo_labs["labx"], thematic_areas__code="life-events").count() == 2
    entity = User.objects.get(email="entity@milab.example")
    assert OrganisationMembership.objects.get(user=entity).organisation.slug == "invima"
    assert AuditEntry.objects.filter(action="challenge.mark_ready").count() == 9


@pytest.mark.django_db
def test_load_uses_the_entities_and_people_already_there(demo_labs):
    invima = OrganisationFactory(slug="invima", name="INVIMA", kind="public_entity", country="CO")
    person = OrganisationMembershipFactory(
        organisation=invima, user=UserFactory(email="entity@milab.example"), role="admin"
    ).user
    load()
    assert Organisation.objects.filter(slug="invima").count() == 1
    # INVIMA's two challenges: the cannabis one (2026) and the 2025 cohort's.
    assert set(Challenge.objects.filter(owner=invima).values_list("created_by", flat=True)) == {person.pk}
    assert Challenge.objects.filter(owner=invima).count() == 2


@pytest.mark.django_db
def test_generate_bulk_creates_exactly_count_with_unique_references(lab):
    entities = [OrganisationFactory(kind="public_entity") for _ in range(2)]
    for entity in entities:
        entity.labs.add(lab)
    assert generate(count=50, labs=[lab], entities=entities) == 50
    assert Challenge.objects.count() == 50
    generate(count=50, labs=[lab], entities=entities)
    references = list(Challenge.objects.values_list("reference", flat=True))
    assert len(references) == len(set(references)) == 100
    assert len(set(Challenge.objects.values_list("status", flat=True))) >= 6
    assert Challenge.sdgs.through.objects.count() >= 100
    assert Challenge.sectors.through.objects.count() >= 100
    assert ChallengeTransition.objects.count() == 100
    assert Challenge.objects.filter(search_text="").count() == 0
