"""The evaluation demo: the closed demo calls evaluated end to end through the services, idempotently."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from govlab.audit.models import AuditEntry
from govlab.calls.enums import ApplicationStatus
from govlab.calls.models import Call
from govlab.challenges.enums import ChallengeStatus
from govlab.demo.loader import load
from govlab.evaluation.aggregation import ranking
from govlab.evaluation.demo import DEMO_PASSWORD
from govlab.evaluation.enums import ReviewStatus
from govlab.evaluation.models import (
    Assignment,
    ConflictDeclaration,
    ConsensusScore,
    Evaluator,
    FeedbackLetter,
    FeedbackTemplate,
    PreselectionDecision,
    Review,
    ReviewPhase,
)
from govlab.evaluation.selectors import preselected_applications
from govlab.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    load()
    return {
        "lux": Call.objects.get(lab__slug="govtech-lab-luxembourg", slug="bye-bye-robots"),
        "swe": Call.objects.get(lab__slug="innovationsupphandling-syd", slug="innovationsupphandling-2026"),
        "milab": Call.objects.get(lab__slug="milab", slug="primera-cohorte-govtech-2026"),
        "milab2025": Call.objects.get(lab__slug="milab", slug="cohorte-govtech-2025"),
    }


def _by_org(rows, call):
    slugs = dict(call.applications.values_list("pk", "organisation__slug"))
    return [(slugs[row.application_id], row) for row in rows]


def test_closed_calls_have_a_panel_two_phases_and_complete_reviews(demo):
    lux, swe, milab, milab2025 = demo["lux"], demo["swe"], demo["milab"], demo["milab2025"]
    # The open MiLAB call is not evaluated (people can still apply).
    assert not Evaluator.objects.filter(call=milab).exists()
    assert not ReviewPhase.objects.filter(call=milab).exists()

    panels = {
        call.slug: sorted(Evaluator.objects.filter(call=call).values_list("user__email", "role"))
        for call in (lux, swe, milab2025)
    }
    assert panels == {
        "bye-bye-robots": [
            ("accessibility@govtech-lab-luxembourg.example", "external_expert"),
            ("entity@govtech-lab-luxembourg.example", "entity_official"),
            ("evaluator@govtech-lab-luxembourg.example", "external_expert"),
            ("manager@govtech-lab-luxembourg.example", "lab_staff"),
        ],
        "innovationsupphandling-2026": [
            ("entity@innovationsupphandling-syd.example", "entity_official"),
            ("evaluator@innovationsupphandling-syd.example", "external_expert"),
            ("manager@innovationsupphandling-syd.example", "lab_staff"),
        ],
        "cohorte-govtech-2025": [
            ("evaluadora.fintech@milab.example", "external_expert"),
            ("evaluator@milab.example", "external_expert"),
            ("staff@milab.example", "lab_staff"),
        ],
    }
    for call in (lux, swe, milab2025):
        phases = list(ReviewPhase.objects.filter(call=call).order_by("position"))
        assert [(p.can_review, p.identities_visible, p.is_active) for p in phases] == [
            (True, False, False),  # blind review, done
            (False, True, True),  # the panel discussion, identities visible: active now
        ]
        submitted = call.applications.filter(status=ApplicationStatus.SUBMITTED)
        # Every submitted application: three submitted reviews, each with a "none" declaration first.
        for application in submitted:
            reviews = list(Review.objects.filter(application=application))
            assert len(reviews) == 3, application.organisation.slug
            assert {r.status for r in reviews} == {ReviewStatus.SUBMITTED}
            for review in reviews:
                assert review.weighted_total is not None
                assert review.recommendation
                assert review.confidence
                assert review.strengths
                assert review.weaknesses
                assert review.comments
                assert review.revisions.count() == 1
                assert not ConflictDeclaration.objects.get(
                    evaluator=review.evaluator, application=application
                ).has_conflict
        assert not Review.objects.filter(application__call=call, status=ReviewStatus.DRAFT).exists()
    assert Review.objects.count() == 6 * 3 + 8 * 3 + 10 * 3


def test_new_panel_members_are_demo_people_with_the_evaluator_role(demo):
    for email, lab in (
        ("evaluator@govtech-lab-luxembourg.example", "govtech-lab-luxembourg"),
        ("accessibility@govtech-lab-luxembourg.example", "govtech-lab-luxembourg"),
        ("evaluator@innovationsupphandling-syd.example", "innovationsupphandling-syd"),
        ("evaluadora.fintech@milab.example", "milab"),
    ):
        evaluator = Evaluator.objects.select_related("user").get(user__email=email)
        assert evaluator.user.check_password(DEMO_PASSWORD)
        assert list(evaluator.user.lab_memberships.values_list("lab__slug", "role")) == [(lab, "evaluator")]
        assert evaluator.expertise.exists()


def test_one_conflict_with_a_reason_recuses_and_the_gap_is_filled(demo):
    lux = demo["lux"]
    (conflict,) = ConflictDeclaration.objects.filter(has_conflict=True)
    assert conflict.evaluator.user.email == "evaluator@govtech-lab-luxembourg.example"
    assert conflict.application.organisation.slug == "lis-research-group"
    assert "Mia Schmit" in conflict.reason
    assignment = Assignment.objects.get(evaluator=conflict.evaluator, application=conflict.application)
    assert assignment.withdrawn_at is not None
    assert not Review.objects.filter(assignment=assignment).exists()
    # Still three reviews, none by the recused evaluator.
    reviewers = set(
        Review.objects.filter(application=conflict.application).values_list("evaluator", flat=True)
    )
    assert len(reviewers) == 3
    assert conflict.evaluator_id not in reviewers
    assert Assignment.objects.filter(application__call=lux).count() == 6 * 3 + 1
    assert Assignment.objects.filter(application__call=lux, withdrawn_at__isnull=False).count() == 1
    # Everyone else declared "none" for each assignment.
    assert ConflictDeclaration.objects.filter(has_conflict=False).count() == 6 * 3 + 8 * 3 + 10 * 3


def test_ranking_shows_one_disagreement_settled_by_a_consensus(demo):
    lux, swe = demo["lux"], demo["swe"]
    rows = _by_org(ranking(lux), lux)
    assert [(slug, row.mean, row.final, row.rank, row.disagreement) for slug, row in rows] == [
        ("humancheck", Decimal("81.67"), Decimal("81.67"), 1, False),
        ("formulaire-intelligent", Decimal("72.50"), Decimal("72.50"), 2, False),
        ("marc-feltgen-accessibility", Decimal("65.83"), Decimal("65.83"), 3, False),
        ("trustmark-security", Decimal("65.00"), Decimal("65.00"), 4, False),
        ("lis-research-group", Decimal("63.75"), Decimal("63.75"), 5, False),
        ("team-captchaless", Decimal("49.17"), Decimal("45.00"), 6, True),
    ]
    captchaless = rows[-1][1]
    assert captchaless.stdev == Decimal("22.83")
    assert captchaless.spread == Decimal("55.00")
    assert captchaless.consensus_total == Decimal("45.00")
    (consensus,) = ConsensusScore.objects.all()
    assert consensus.application_id == captchaless.application_id
    assert consensus.criterion.name["en"] == "Security"
    assert consensus.score == 2
    assert "panel meeting" in consensus.rationale
    assert set(
        Review.objects.filter(application_id=captchaless.application_id).values_list(
            "recommendation", flat=True
        )
    ) == {"strong_yes", "strong_no", "unsure"}

    swe_rows = _by_org(ranking(swe), swe)
    assert [(slug, row.mean) for slug, row in swe_rows] == [
        ("delabanken", Decimal("85.56")),
        ("golvsmart", Decimal("79.44")),
        ("entremattan", Decimal("70.56")),
        ("materiallabbet", Decimal("68.89")),
        ("lokalnyttan", Decimal("67.78")),
        ("delningsforeningen", Decimal("62.22")),
        ("samakning-osterlen", Decimal("49.44")),
        ("sprintverket", Decimal("47.22")),
    ]
    assert not any(row.disagreement for _slug, row in swe_rows)


def test_preselection_up_to_the_maximum_with_a_reason_for_everyone(demo):
    lux, swe, milab2025 = demo["lux"], demo["swe"], demo["milab2025"]
    decisions = {
        d.application.organisation.slug: d
        for d in PreselectionDecision.objects.select_related("application__organisation")
    }
    assert len(decisions) == 24
    assert all(d.reason and d.reason_category for d in decisions.values())
    selected = {slug for slug, d in decisions.items() if d.selected}
    assert selected == {
        "humancheck",
        "formulaire-intelligent",
        "marc-feltgen-accessibility",  # Luxembourg: 3 of 6 (the call's maximum)
        "golvsmart",
        "entremattan",
        "materiallabbet",  # Sweden, floors: 3 of 4
        "delabanken",
        "lokalnyttan",  # Sweden, sharing: 2 of 4
        "rastro-digital",
        "datacanto",
        "grupo-vision-uniandina",  # MiLAB 2025, online sales (INVIMA): 3 of 4
        "lexia-legaltech",
        "escucha-activa",  # MiLAB 2025, consumer complaints (SIC): 2 of 3
        "nido-fintech",
        "trebol-analitica",  # MiLAB 2025, housing credit (Fondo Nacional del Ahorro): 2 of 3
    }
    assert decisions["trustmark-security"].reason_category == "cost"
    assert decisions["sprintverket"].reason_category == "out_of_scope"
    # The preselected are the best ranked of their challenge, and the ranks are recorded.
    assert decisions["humancheck"].rank == 1
    assert decisions["team-captchaless"].final_score == Decimal("45.00")
    for call in (lux, swe, milab2025):  # preselected, then taken further by phase 4's demo
        assert preselected_once(call)
        for challenge in call.challenges.all():
            chosen = PreselectionDecision.objects.filter(application__challenge=challenge, selected=True)
            assert chosen.count() <= call.max_preselected


def test_feedback_letters_are_sent_in_the_lab_language_with_released_comments(demo):
    assert sorted(FeedbackTemplate.objects.values_list("lab__slug", "language")) == [
        ("govtech-lab-luxembourg", "en"),
        ("govtech-lab-luxembourg", "fr"),
        ("innovationsupphandling-syd", "en"),
        ("innovationsupphandling-syd", "sv"),
        ("milab", "en"),
        ("milab", "es"),
    ]
    letters = {
        letter.application.organisation.slug: letter
        for letter in FeedbackLetter.objects.select_related("application__organisation")
    }
    assert len(letters) == 24
    assert all(letter.sent_at is not None for letter in letters.values())
    assert {letters["humancheck"].language, letters["golvsmart"].language} == {"en", "sv"}
    assert letters["humancheck"].subject == "Bye bye Robots!: the result of your application"
    assert "Dear HumanCheck" in letters["humancheck"].body
    assert "Invisible for almost everyone" in letters["humancheck"].body
    assert letters["golvsmart"].body.startswith("Hej Golvsmart AB,")
    # The lab withheld the harshest review of the disputed application; the other two are released.
    captchaless = letters["team-captchaless"]
    assert len(captchaless.released_review_ids) == 2
    assert "The most elegant idea of the call" in captchaless.body
    assert "It penalises people with old devices" not in captchaless.body
    # The applicants' people are told.
    assert Notification.objects.filter(kind="evaluation.feedback").count() >= 24


def test_the_evaluation_is_audited_and_the_chain_verifies(demo):
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("evaluation.conflict.declare") == 6 * 3 + 8 * 3 + 10 * 3 + 1
    assert actions.count("evaluation.review.submit") == 72
    assert actions.count("evaluation.consensus") == 1
    assert actions.count("evaluation.preselect") == 6
    assert actions.count("evaluation.feedback.send") == 24
    assert actions.count("evaluation.assign.automatic") == 6
    call_command("audit_verify")


def test_the_milab_2025_cohort_is_closed_evaluated_and_preselected(demo):
    call = demo["milab2025"]
    assert call.deadline < timezone.now()
    assert call.max_preselected == 3
    # Three reviews for each of the ten submissions, all submitted; no disagreement to settle.
    assert Review.objects.filter(application__call=call, status=ReviewStatus.SUBMITTED).count() == 30
    assert not ConsensusScore.objects.filter(application__call=call).exists()
    rows = _by_org(ranking(call), call)
    assert [(slug, row.final, row.rank) for slug, row in rows] == [
        ("nido-fintech", Decimal("87.50"), 1),
        ("rastro-digital", Decimal("86.67"), 2),
        ("datacanto", Decimal("81.67"), 3),
        ("lexia-legaltech", Decimal("81.25"), 4),
        ("trebol-analitica", Decimal("78.33"), 5),
        ("escucha-activa", Decimal("77.92"), 6),
        ("grupo-vision-uniandina", Decimal("67.92"), 7),
        ("firmaya", Decimal("55.00"), 8),
        ("robotica-llanera", Decimal("46.67"), 9),
        ("semillero-ia-unal", Decimal("37.50"), 10),
    ]
    assert not any(row.disagreement for _slug, row in rows)
    # Per challenge: the decisions (rank within the challenge) and the challenge preselected.
    decided = {
        challenge.owner.slug: [
            (d.application.organisation.slug, d.selected, d.rank, d.reason_category)
            for d in PreselectionDecision.objects.filter(application__challenge=challenge)
            .select_related("application__organisation")
            .order_by("rank")
        ]
        for challenge in call.challenges.select_related("owner")
    }
    assert decided == {
        "invima": [
            ("rastro-digital", True, 1, "selected_top_score"),
            ("datacanto", True, 2, "selected_top_score"),
            ("grupo-vision-uniandina", True, 3, "selected_fit"),
            ("semillero-ia-unal", False, 4, "trl_too_low"),
        ],
        "sic": [
            ("lexia-legaltech", True, 1, "selected_top_score"),
            ("escucha-activa", True, 2, "selected_top_score"),
            ("robotica-llanera", False, 3, "out_of_scope"),
        ],
        "fondo-nacional-del-ahorro": [
            ("nido-fintech", True, 1, "selected_top_score"),
            ("trebol-analitica", True, 2, "selected_top_score"),
            ("firmaya", False, 3, "out_of_scope"),
        ],
    }
    assert preselected_once(call)
    # The cohort the phase-4 demos continue: seven preselected applications.
    cohort = preselected_applications(call)
    assert sorted(a.organisation.slug for a in cohort) == [
        "datacanto",
        "escucha-activa",
        "grupo-vision-uniandina",
        "lexia-legaltech",
        "nido-fintech",
        "rastro-digital",
        "trebol-analitica",
    ]
    # Everyone who applied got a letter in Spanish; the not preselected get the reason and comments.
    letters = {
        letter.application.organisation.slug: letter
        for letter in FeedbackLetter.objects.filter(application__call=call).select_related(
            "application__organisation"
        )
    }
    assert len(letters) == 10
    assert {letter.language for letter in letters.values()} == {"es"}
    assert all(letter.sent_at is not None for letter in letters.values())
    robot = letters["robotica-llanera"]
    assert robot.subject == "Resultado de su postulación a Convocatoria de soluciones GovTech — cohorte 2025"
    assert robot.body.startswith("Hola, Robótica Llanera:")
    assert "automatiza la digitación, pero no clasifica las quejas" in robot.body
    assert "No responde a la clasificación, el centro del reto." in robot.body


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
    }


def test_load_demo_twice_changes_nothing():
    call_command("load_demo")
    first = _row_counts()
    entries = AuditEntry.objects.count()
    last_hash = AuditEntry.objects.latest("pk").entry_hash
    assert first["evaluation.Review"] == 72

    call_command("load_demo")

    assert _row_counts() == first
    assert AuditEntry.objects.count() == entries
    assert AuditEntry.objects.latest("pk").entry_hash == last_hash


def preselected_once(call) -> bool:
    """Every challenge of the call was preselected exactly once (phase 4's demo may have moved it on)."""
    from govlab.challenges.models import ChallengeTransition

    return all(
        ChallengeTransition.objects.filter(challenge=challenge, to_status=ChallengeStatus.PRESELECTED).count()
        == 1
        for challenge in call.challenges.all()
    )
