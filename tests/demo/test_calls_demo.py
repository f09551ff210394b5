"""The calls' demo data: the seeds' calls with Q&A, ≥ 30 solver organisations, applications with receipts."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils import timezone

from govlab.audit.models import AuditEntry
from govlab.calls import receipts
from govlab.calls.demo_data import APPLICATIONS, CALLS
from govlab.calls.enums import ApplicationStatus, CallStatus, QuestionKind
from govlab.calls.models import Application, ApplicationRevision, Call, Enquiry
from govlab.challenges.enums import ChallengeStatus
from govlab.demo.loader import load
from govlab.organisations.enums import SOLVER_KINDS
from govlab.organisations.models import Organisation

pytestmark = pytest.mark.django_db

CALL_SLUGS = {
    "milab": ("milab", "primera-cohorte-govtech-2026"),
    "govtech-lab-luxembourg": ("govtech-lab-luxembourg", "bye-bye-robots"),
    "innovationsupphandling-syd": ("innovationsupphandling-syd", "innovationsupphandling-2026"),
    "milab-2025": ("milab", "cohorte-govtech-2025"),
}


@pytest.fixture
def demo():
    load()
    return {key: Call.objects.get(lab__slug=lab, slug=slug) for key, (lab, slug) in CALL_SLUGS.items()}


def test_the_seeds_calls_are_published_with_their_challenges_in_call(demo):
    now = timezone.now()
    assert Call.objects.count() == 4
    for call in demo.values():
        assert call.status == CallStatus.PUBLISHED
        assert call.publishes_at < now
        assert call.published_at == call.publishes_at
    # The open call's challenges are in it; the closed calls' have been evaluated and preselected, and
    # phases 4 and 5 took them further: Luxembourg's is piloting; MiLAB's 2025 cohort had its solutions
    # selected, then INVIMA's is being implemented, FNA's case is closed and SIC's awaits its purchase;
    # Sweden's Demo Day selected solutions for both challenges and one is in a joint procurement.
    S = ChallengeStatus
    expected = {
        "milab": {S.IN_CALL},
        "govtech-lab-luxembourg": {S.PILOTING},
        "innovationsupphandling-syd": {S.PROCURING, S.SOLUTION_SELECTED},
        "milab-2025": {S.IMPLEMENTING, S.CLOSED, S.SOLUTION_SELECTED},
    }
    for key, call in demo.items():
        assert set(call.challenges.values_list("status", flat=True)) == expected[key], key

    milab = demo["milab"]
    assert sorted(milab.challenges.values_list("owner__slug", flat=True)) == [
        "fondo-nacional-del-ahorro",
        "invima",
        "sic",
    ]
    assert milab.max_preselected == 3
    assert milab.min_trl == 4
    assert milab.time_zone == "America/Bogota"
    # Open now: the deadline a few days ahead, at 17:00 in Bogotá; enquiries still open.
    assert dt.timedelta(days=3) < milab.deadline - now < dt.timedelta(days=5)
    assert timezone.localtime(milab.deadline, milab.zone).time() == dt.time(17, 0)
    assert milab.enquiries_open(now)
    assert list(Call.objects.open_for_submissions(now)) == [milab]

    robots = demo["govtech-lab-luxembourg"]
    assert robots.title == {"en": "Bye bye Robots!", "fr": "Bye bye Robots !"}
    assert list(robots.challenges.values_list("title__en", flat=True)) == ["Bye bye Robots!"]
    sweden = demo["innovationsupphandling-syd"]
    assert set(sweden.challenges.values_list("owner__slug", flat=True)) == {"tomelilla-kommun"}
    assert sweden.challenges.count() == 2
    for closed in (robots, sweden):
        assert closed.deadline < now
        assert closed.publishes_at < closed.enquiries_close_at < closed.deadline < closed.evaluation_ends_at
        assert not closed.enquiries_open(now)

    # Multilingual: MiLAB in Spanish and English, Luxembourg in English and French, Sweden in Swedish.
    assert set(milab.title) == set(milab.summary) == {"es", "en"}
    assert set(robots.summary) == {"en", "fr"}
    assert set(sweden.title) == set(sweden.summary) == {"sv", "en"}


def test_criteria_are_weighted_with_labelled_scales(demo):
    milab = demo["milab"]
    criteria = list(milab.criteria.order_by("position"))
    assert [c.weight for c in criteria] == [Decimal(w) for w in ("30", "25", "20", "15", "10")]
    assert criteria[0].name == {"es": "Pertinencia frente al reto", "en": "Fit with the challenge"}
    assert [level["value"] for level in criteria[0].scale] == [0, 1, 2, 3, 4]
    assert criteria[0].scale[4]["label"] == {"es": "Excelente", "en": "Excellent"}
    for call in demo.values():
        assert call.criteria.count() >= 4
        for criterion in call.criteria.all():
            assert all(level["label"] for level in criterion.scale)


def test_forms_use_every_kind_of_question(demo):
    for call in demo.values():
        kinds = set(call.questions.values_list("kind", flat=True))
        assert {
            QuestionKind.SHORT_TEXT,
            QuestionKind.LONG_TEXT,
            QuestionKind.MONEY,
            QuestionKind.DATE,
            QuestionKind.YES_NO,
            QuestionKind.URL,
            QuestionKind.FILE,
            QuestionKind.GROUP,
        } <= kinds, call.slug
        long_text = call.questions.filter(kind=QuestionKind.LONG_TEXT).first()
        assert long_text.config["max_length"] >= 1000
        team = call.questions.get(key="team")
        assert [field["key"] for field in team.config["fields"]] == ["name", "role", "years", "profile"]
    all_kinds = {kind for call in demo.values() for kind in call.questions.values_list("kind", flat=True)}
    assert all_kinds == set(QuestionKind.values)


def test_each_call_has_published_answers_to_anonymous_questions(demo):
    for call in demo.values():
        published = Enquiry.objects.filter(call=call, is_published=True)
        assert 2 <= published.count() <= 4, call.slug
        for enquiry in published:
            assert enquiry.answer
            assert enquiry.public_question
            assert call.publishes_at < enquiry.created_at < enquiry.answered_at < call.deadline


def test_solver_organisations_have_profiles_of_every_kind(demo):
    applicants = Organisation.objects.filter(applications__isnull=False).distinct()
    assert applicants.count() >= 30
    assert set(applicants.values_list("kind", flat=True)) >= {
        "startup",
        "sme",
        "research",
        "ngo",
        "freelancer",
        "student_team",
    }
    for organisation in applicants:
        assert organisation.kind in SOLVER_KINDS
        assert organisation.main_solution, organisation.slug
        assert organisation.interests, organisation.slug
        assert 1 <= organisation.trl <= 9, organisation.slug
        assert organisation.founded_year, organisation.slug
        assert organisation.country
        assert organisation.sectors.exists(), organisation.slug
        assert organisation.technologies.exists(), organisation.slug
        assert organisation.memberships.exists(), organisation.slug


def test_at_least_five_applications_per_challenge_in_draft_and_submitted(demo):
    for call in demo.values():
        for challenge in call.challenges.all():
            applications = Application.objects.filter(call=call, challenge=challenge)
            states = set(applications.values_list("status", flat=True))
            assert applications.count() >= 5, challenge.reference
            assert states == {ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED}, challenge.reference
    assert Application.objects.count() == len(APPLICATIONS)


def test_submissions_have_verifiable_receipts_received_before_the_deadline(demo):
    submitted = Application.objects.filter(status=ApplicationStatus.SUBMITTED).select_related("call")
    assert submitted.count() == sum(1 for item in APPLICATIONS if item["status"] == "submitted")
    for application in submitted:
        (revision,) = application.revisions.all()
        assert receipts.verify(revision.receipt_code, revision.content_hash) == revision
        assert revision.received_at < application.call.deadline
        assert revision.submitted_at == application.submitted_at
        assert revision.answers["solution_name"]
        assert revision.declarations == {"eligibility": True, "terms": True, "truthful": True}
    # A file answer is frozen with the file's own hash.
    with_file = ApplicationRevision.objects.filter(answers__has_key="pitch_deck").first()
    assert len(with_file.answers["pitch_deck"]["file"]["sha256"]) == 64
    # A forged hash does not verify.
    revision = ApplicationRevision.objects.first()
    assert receipts.verify(revision.receipt_code, "0" * 64) is None


def test_the_demo_founder_has_a_draft_and_a_submitted_application(demo):
    founder = Organisation.objects.get(slug="kuntur-analytics")
    assert founder.memberships.filter(user__email="founder@milab.example").exists()
    applications = {
        a.challenge.owner.slug: a.status for a in founder.applications.select_related("challenge")
    }
    assert applications == {"invima": ApplicationStatus.DRAFT, "sic": ApplicationStatus.SUBMITTED}
    draft = founder.applications.get(status=ApplicationStatus.DRAFT)
    assert draft.call == demo["milab"]
    assert draft.answers["solution_name"] == "Kuntur Lee — expedientes"


def test_the_demo_founder_follows_a_lab_a_sector_and_a_technology(demo):
    from govlab.calls.models import Follow

    follows = Follow.objects.filter(user__email="founder@milab.example")
    assert sorted((f.kind, f.lab.slug if f.lab else f.term.code) for f in follows) == [
        ("lab", "milab"),
        ("sector", "digital-government"),
        ("technology", "ai-ml"),
    ]


def test_loading_twice_changes_nothing(row_counts):
    call_command("load_demo")
    first = row_counts()
    entries = AuditEntry.objects.count()
    assert first["calls.Call"] == len(CALLS)
    assert first["calls.ApplicationRevision"] > 0

    call_command("load_demo")

    assert row_counts() == first
    assert AuditEntry.objects.count() == entries
