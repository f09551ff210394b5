"""The evaluation services: panel, conflicts of interest, assignment, reviews, consensus, preselection,
feedback. Refusals change nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from govlab.audit.models import AuditEntry
from govlab.calls.enums import ApplicationStatus
from govlab.challenges.enums import ChallengeStatus
from govlab.evaluation import selectors, services
from govlab.evaluation.enums import OutcomeReason, ReviewStatus, SeeOthers
from govlab.evaluation.models import (
    Assignment,
    ConflictDeclaration,
    FeedbackLetter,
    PreselectionDecision,
    Review,
    ReviewRevision,
)
from govlab.notifications.models import Notification
from tests.factories import TermFactory

pytestmark = pytest.mark.django_db


def refusal(callable_, **kwargs):
    with pytest.raises(ValidationError) as caught:
        callable_(**kwargs)
    return caught.value


@pytest.fixture
def panel(evaluation_call, lab_staff, make_evaluator_user):
    services.phase_activate(
        phase=services.phase_save(call=evaluation_call, by=lab_staff, name={"en": "Blind review"}),
        by=lab_staff,
    )
    return [
        services.evaluator_add(
            call=evaluation_call,
            user=make_evaluator_user(name=f"Evaluator {i}"),
            role="external_expert",
            added_by=lab_staff,
        )
        for i in range(4)
    ]


def scores_for(call, levels):
    return {str(c.pk): level for c, level in zip(call.criteria.all(), levels, strict=True)}


def review_of(evaluator, application, lab_staff, levels=(3, 2, 1), submit=True):
    assignment = services.assign(application=application, evaluator=evaluator, by=lab_staff)
    services.conflict_declare(
        evaluator=evaluator, application=application, has_conflict=False, by=evaluator.user
    )
    review = services.review_for(assignment, evaluator.user)
    services.review_save(
        review=review,
        by=evaluator.user,
        scores=scores_for(application.call, levels),
        comments={str(application.call.criteria.first().pk): "Clear idea."},
        strengths="Strong team",
        weaknesses="Thin pilot plan",
        recommendation="yes",
        confidence=4,
    )
    if submit:
        services.review_submit(review=review, by=evaluator.user)
    review.refresh_from_db()
    return review


# --- Panel -----------------------------------------------------------------------------------------


def test_evaluator_added_is_told_and_audited(evaluation_call, lab_staff, make_evaluator_user):
    person = make_evaluator_user()
    evaluator = services.evaluator_add(
        call=evaluation_call, user=person, role="entity_official", added_by=lab_staff
    )
    assert Notification.objects.filter(kind="evaluation.invited", recipient=person).count() == 1
    assert AuditEntry.objects.filter(action="evaluation.evaluator.add").count() == 1
    error = refusal(
        services.evaluator_add, call=evaluation_call, user=person, role="entity_official", added_by=lab_staff
    )
    assert error.message_dict == {"user": ["This person is already on the panel."]}
    assert evaluator.is_active


def test_only_lab_staff_manage_the_panel(evaluation_call, solver_member, make_evaluator_user):
    error = refusal(
        services.evaluator_add,
        call=evaluation_call,
        user=make_evaluator_user(),
        role="lab_staff",
        added_by=solver_member,
    )
    assert error.code == "not_allowed"


def test_removing_an_evaluator_withdraws_open_assignments_only(panel, submitted_applications, lab_staff):
    first, second = submitted_applications[:2]
    evaluator = panel[0]
    review_of(evaluator, first, lab_staff)
    open_assignment = services.assign(application=second, evaluator=evaluator, by=lab_staff)
    services.evaluator_remove(evaluator=evaluator, removed_by=lab_staff)
    open_assignment.refresh_from_db()
    assert open_assignment.withdrawn_at is not None
    assert Assignment.objects.get(evaluator=evaluator, application=first).withdrawn_at is None
    assert services.assignment_gaps(first.call)[second.pk] == 3


# --- Conflicts of interest -------------------------------------------------------------------------


def test_a_conflict_recuses_and_is_kept(panel, submitted_applications, lab_staff):
    application = submitted_applications[0]
    evaluator = panel[0]
    assignment = services.assign(application=application, evaluator=evaluator, by=lab_staff)
    error = refusal(services.review_for, assignment=assignment, by=evaluator.user)
    assert error.code == "not_declared"
    error = refusal(
        services.conflict_declare,
        evaluator=evaluator,
        application=application,
        has_conflict=True,
        reason="",
        by=evaluator.user,
    )
    assert error.message_dict == {
        "reason": ["Say what the conflict is: the declaration is kept as a record."]
    }
    services.conflict_declare(
        evaluator=evaluator,
        application=application,
        has_conflict=True,
        reason="I advise this start-up",
        by=evaluator.user,
    )
    assignment.refresh_from_db()
    assert assignment.withdrawn_at is not None
    assert not selectors.can_see_content(evaluator.user, application)
    declaration = ConflictDeclaration.objects.get()
    assert (declaration.has_conflict, declaration.reason) == (True, "I advise this start-up")
    error = refusal(services.assign, application=application, evaluator=evaluator, by=lab_staff)
    assert error.code == "conflicted"
    error = refusal(
        services.conflict_declare,
        evaluator=evaluator,
        application=application,
        has_conflict=False,
        by=evaluator.user,
    )
    assert error.messages == ["You have already declared for this application."]


def test_only_the_evaluator_declares(panel, submitted_applications, lab_staff):
    error = refusal(
        services.conflict_declare,
        evaluator=panel[0],
        application=submitted_applications[0],
        has_conflict=False,
        by=lab_staff,
    )
    assert error.code == "not_allowed"
    assert ConflictDeclaration.objects.count() == 0


# --- Assignment ------------------------------------------------------------------------------------


def test_automatic_assignment_fills_gaps_balances_load_and_skips_conflicts(
    panel, submitted_applications, lab_staff
):
    call = submitted_applications[0].call
    conflicted = panel[0]
    services.conflict_declare(
        evaluator=conflicted,
        application=submitted_applications[0],
        has_conflict=True,
        reason="Former employer",
        by=conflicted.user,
    )
    created = services.assign_automatically(call=call, by=lab_staff)
    assert created == 9  # 3 applications x 3 evaluators
    pairs = set(
        Assignment.objects.filter(withdrawn_at__isnull=True).values_list("evaluator_id", "application_id")
    )
    assert (conflicted.pk, submitted_applications[0].pk) not in pairs
    loads = sorted(sum(1 for e, _a in pairs if e == evaluator.pk) for evaluator in panel)
    assert loads == [2, 2, 2, 3]
    assert services.assignment_gaps(call) == {}
    assert services.assign_automatically(call=call, by=lab_staff) == 0


def test_automatic_assignment_after_a_late_recusal_fills_only_the_gap(
    panel, submitted_applications, lab_staff
):
    call = submitted_applications[0].call
    services.assign_automatically(call=call, by=lab_staff)
    application = submitted_applications[1]
    recusing = Assignment.objects.filter(application=application).first().evaluator
    services.conflict_declare(
        evaluator=recusing,
        application=application,
        has_conflict=True,
        reason="Family member",
        by=recusing.user,
    )
    assert services.assignment_gaps(call) == {application.pk: 1}
    assert services.assign_automatically(call=call, by=lab_staff, applications=[application]) == 1
    active = Assignment.objects.filter(application=application, withdrawn_at__isnull=True)
    assert active.count() == 3
    assert recusing.pk not in set(active.values_list("evaluator_id", flat=True))


def test_expertise_is_preferred(panel, submitted_applications, lab_staff, ready_challenge):
    sector = TermFactory(vocabulary="sector")
    ready_challenge.sectors.add(sector)
    panel[3].expertise.add(sector)
    services.settings_save(call=ready_challenge.calls.first(), by=lab_staff, reviews_per_application=1)
    services.assign_automatically(
        call=submitted_applications[0].call, by=lab_staff, applications=[submitted_applications[0]]
    )
    assert list(Assignment.objects.values_list("evaluator_id", flat=True)) == [panel[3].pk]


# --- Reviews ---------------------------------------------------------------------------------------


def test_review_scores_outside_the_scale_are_refused_at_the_field(panel, submitted_applications, lab_staff):
    application = submitted_applications[0]
    review = review_of(panel[0], application, lab_staff, submit=False)
    criterion = application.call.criteria.first()
    error = refusal(services.review_save, review=review, by=panel[0].user, scores={str(criterion.pk): 7})
    assert error.message_dict == {
        f"scores.{criterion.pk}": ["Choose one of the levels of this criterion's scale: 0, 1, 2, 3."]
    }
    review.refresh_from_db()
    assert review.scores[str(criterion.pk)] == 3


def test_submit_computes_the_total_and_keeps_revisions(panel, submitted_applications, lab_staff):
    application = submitted_applications[0]
    review = review_of(panel[0], application, lab_staff, levels=(3, 2, 1))
    # (40·1 + 35·2/3 + 25·1/3) = 40 + 23.33 + 8.33 = 71.67
    assert (review.status, review.weighted_total) == (ReviewStatus.SUBMITTED, Decimal("71.67"))
    services.review_save(review=review, by=panel[0].user, scores=scores_for(application.call, (0, 0, 0)))
    services.review_submit(review=review, by=panel[0].user)
    review.refresh_from_db()
    assert review.weighted_total == Decimal("0.00")
    assert list(ReviewRevision.objects.values_list("number", "weighted_total")) == [
        (2, Decimal("0.00")),
        (1, Decimal("71.67")),
    ]


def test_incomplete_review_is_refused(panel, submitted_applications, lab_staff):
    application = submitted_applications[0]
    assignment = services.assign(application=application, evaluator=panel[0], by=lab_staff)
    services.conflict_declare(
        evaluator=panel[0], application=application, has_conflict=False, by=panel[0].user
    )
    review = services.review_for(assignment, panel[0].user)
    error = refusal(services.review_submit, review=review, by=panel[0].user)
    criteria = list(application.call.criteria.all())
    assert error.code == "incomplete"
    assert set(error.message_dict) == {
        *(f"scores.{c.pk}" for c in criteria),
        "scores",
        "recommendation",
        "confidence",
    }
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT


def test_review_after_the_phase_closed_is_refused(panel, submitted_applications, lab_staff, evaluation_call):
    review = review_of(panel[0], submitted_applications[0], lab_staff, submit=False)
    closed = services.phase_save(call=evaluation_call, by=lab_staff, name={"en": "Ranking"}, can_review=False)
    services.phase_activate(phase=closed, by=lab_staff)
    error = refusal(services.review_submit, review=review, by=panel[0].user)
    assert error.code == "phase_closed"
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT


def test_only_the_assigned_evaluator_reviews(panel, submitted_applications, lab_staff):
    review = review_of(panel[0], submitted_applications[0], lab_staff, submit=False)
    error = refusal(services.review_save, review=review, by=panel[1].user, strengths="Mine now")
    assert error.code == "not_assigned"
    review.refresh_from_db()
    assert review.strengths == "Strong team"


def test_seeing_other_reviews_follows_the_phase(panel, submitted_applications, lab_staff, evaluation_call):
    application = submitted_applications[0]
    first = review_of(panel[0], application, lab_staff)
    review_of(panel[1], application, lab_staff, submit=False)
    assert selectors.visible_reviews(panel[1].user, application) == []
    after_own = services.phase_save(
        call=evaluation_call, by=lab_staff, name={"en": "Discussion"}, see_others=SeeOthers.AFTER_OWN
    )
    services.phase_activate(phase=after_own, by=lab_staff)
    fresh = type(application).objects.get(pk=application.pk)  # a new request reads the phase again
    assert selectors.visible_reviews(panel[1].user, fresh) == []
    services.review_submit(review=Review.objects.get(evaluator=panel[1]), by=panel[1].user)
    assert selectors.visible_reviews(panel[1].user, type(application).objects.get(pk=application.pk)) == [
        first
    ]


def test_identity_is_hidden_until_the_phase_reveals_it(
    panel, submitted_applications, lab_staff, evaluation_call
):
    application = submitted_applications[0]
    evaluator = panel[0].user
    assert not selectors.can_see_identity(evaluator, application)
    assert selectors.can_see_identity(lab_staff, application)
    assert selectors.can_see_identity(application.member, application)
    questions = list(evaluation_call.questions.all())
    answers = application.revisions.first().answers
    assert "team_lead" in answers
    assert "team_lead" not in selectors.blind_answers(answers, questions)
    reveal = services.phase_save(
        call=evaluation_call, by=lab_staff, name={"en": "Pitch"}, identities_visible=True
    )
    services.phase_activate(phase=reveal, by=lab_staff)
    application.call = type(application.call).objects.get(pk=application.call_id)
    assert selectors.can_see_identity(evaluator, application)


# --- Consensus and preselection --------------------------------------------------------------------


def decisions_for(applications, selected):
    return {
        a.pk: {
            "selected": a in selected,
            "reason_category": OutcomeReason.SELECTED_TOP_SCORE
            if a in selected
            else OutcomeReason.LOWER_SCORE,
            "reason": "Ranked by the panel.",
        }
        for a in applications
    }


def test_preselection_decides_everyone_and_moves_the_challenge(
    make_submitted, panel, lab_staff, ready_challenge
):
    applications = [make_submitted(f"Solver {i}") for i in range(5)]
    for index, application in enumerate(applications):
        review_of(panel[0], application, lab_staff, levels=(3, 3 - min(index, 3), 1))
    call = applications[0].call
    made = services.preselect(
        call=call,
        challenge=ready_challenge,
        decisions=decisions_for(applications, applications[:3]),
        by=lab_staff,
    )
    assert len(made) == 5
    assert PreselectionDecision.objects.filter(selected=True).count() == 3
    ready_challenge.refresh_from_db()
    assert ready_challenge.status == ChallengeStatus.PRESELECTED
    assert services.outcome_counts(call) == {"selected_top_score": 3, "lower_score": 2}
    top = PreselectionDecision.objects.get(application=applications[0])
    assert (top.rank, top.final_score) == (1, Decimal("83.33"))


def test_a_fourth_preselection_is_refused_and_nothing_is_stored(
    make_submitted, panel, lab_staff, ready_challenge
):
    applications = [make_submitted(f"Solver {i}") for i in range(5)]
    call = applications[0].call
    error = refusal(
        services.preselect,
        call=call,
        challenge=ready_challenge,
        decisions=decisions_for(applications, applications[:4]),
        by=lab_staff,
    )
    assert error.code == "limit"
    assert error.message_dict["__all__"] == [
        "At most 3 applications per challenge can be preselected in this call; 4 are chosen."
    ]
    assert PreselectionDecision.objects.count() == 0
    ready_challenge.refresh_from_db()
    assert ready_challenge.status == ChallengeStatus.IN_CALL


def test_preselection_needs_a_decision_and_reason_for_every_application(
    submitted_applications, lab_staff, ready_challenge
):
    call = submitted_applications[0].call
    decisions = decisions_for(submitted_applications[:2], submitted_applications[:1])
    decisions[submitted_applications[1].pk]["reason"] = " "
    error = refusal(
        services.preselect, call=call, challenge=ready_challenge, decisions=decisions, by=lab_staff
    )
    assert error.message_dict == {
        f"decisions.{submitted_applications[2].pk}": ["Decide on this application and say why."],
        f"decisions.{submitted_applications[1].pk}.reason": [
            "Explain the decision: the applicant will read it."
        ],
    }


def test_consensus_needs_a_rationale_and_a_level_of_the_scale(submitted_applications, lab_staff):
    application = submitted_applications[0]
    criterion = application.call.criteria.first()
    error = refusal(
        services.consensus_set,
        application=application,
        criterion=criterion,
        score=9,
        rationale="",
        by=lab_staff,
    )
    assert set(error.message_dict) == {"score", "rationale"}
    row = services.consensus_set(
        application=application, criterion=criterion, score=2, rationale="Panel agreed", by=lab_staff
    )
    assert row.score == 2
    assert AuditEntry.objects.filter(action="evaluation.consensus").count() == 1


# --- Feedback --------------------------------------------------------------------------------------


def test_feedback_letters_with_scores_released_comments_and_reason(
    make_submitted, panel, lab_staff, ready_challenge, lab
):
    applications = [make_submitted(f"Solver {i}") for i in range(2)]
    kept = review_of(panel[0], applications[0], lab_staff, levels=(3, 3, 3))
    review_of(panel[1], applications[0], lab_staff, levels=(2, 2, 2))
    call = applications[0].call
    services.preselect(
        call=call,
        challenge=ready_challenge,
        decisions=decisions_for(applications, applications[:1]),
        by=lab_staff,
    )
    error = refusal(
        services.feedback_template_save,
        lab=lab,
        language=lab.main_language,
        subject="Result for {organisation}",
        body="Hello {name}",
        by=lab_staff,
    )
    assert error.message_dict["body"][0].startswith("Unknown placeholder(s): name.")
    services.feedback_template_save(
        lab=lab,
        language=lab.main_language,
        subject="Result for {organisation}",
        body="{decision}: {reason}\n{scores}\nBand: {rank_band}\n{comments}",
        by=lab_staff,
    )
    letters = services.feedback_prepare(call=call, by=lab_staff, released_review_ids=[kept.pk])
    letter = FeedbackLetter.objects.get(application=applications[0])
    assert letter.subject == "Result for Solver 0"
    assert letter.body.startswith(
        "Preselected: Selected: among the best scored. Ranked by the panel.\n- Innovation: 2.5 / 3"
    )
    assert "Band: top quarter" in letter.body
    assert "Clear idea." in letter.body
    assert "Strong team" in letter.body
    assert letter.released_review_ids == [kept.pk]
    assert services.feedback_send(letters=letters, by=lab_staff) == 2
    assert services.feedback_send(letters=letters, by=lab_staff) == 0
    assert (
        Notification.objects.filter(kind="evaluation.feedback", recipient=applications[0].member).count() == 1
    )


def test_withdrawn_applications_are_not_evaluated(make_submitted, panel, lab_staff):
    application = make_submitted("Gone")
    type(application).objects.filter(pk=application.pk).update(status=ApplicationStatus.WITHDRAWN)
    application.refresh_from_db()
    error = refusal(services.assign, application=application, evaluator=panel[0], by=lab_staff)
    assert error.message_dict == {"evaluator": ["Only submitted applications are evaluated."]}


def test_settings_keep_or_clear_the_review_deadline(evaluation_call, lab_staff):
    import datetime as dt

    from django.utils import timezone

    due = timezone.now() + dt.timedelta(days=7)
    services.settings_save(call=evaluation_call, by=lab_staff, review_deadline=due)
    services.settings_save(call=evaluation_call, by=lab_staff, reviews_per_application=2)
    assert services.settings_for(evaluation_call).review_deadline == due
    services.settings_save(call=evaluation_call, by=lab_staff, review_deadline=None)
    row = services.settings_for(evaluation_call)
    assert (row.review_deadline, row.reviews_per_application) == (None, 2)


def test_consensus_can_be_cleared(submitted_applications, lab_staff):
    from govlab.evaluation.models import ConsensusScore

    application = submitted_applications[0]
    criterion = application.call.criteria.first()
    services.consensus_set(
        application=application, criterion=criterion, score=2, rationale="Agreed", by=lab_staff
    )
    services.consensus_clear(application=application, criterion=criterion, by=lab_staff)
    assert ConsensusScore.objects.count() == 0
    assert AuditEntry.objects.filter(action="evaluation.consensus.clear").count() == 1


def test_feedback_is_written_in_the_applicants_language_when_the_lab_has_a_template(
    make_submitted, lab_staff, ready_challenge, lab
):
    lab.languages = ["en", "fr"]
    lab.save(update_fields=["languages"])
    application = make_submitted("Société Robotique")
    application.member.preferred_language = "fr"
    application.member.save(update_fields=["preferred_language"])
    services.preselect(
        call=application.call,
        challenge=ready_challenge,
        decisions=decisions_for([application], []),
        by=lab_staff,
    )
    services.feedback_template_save(
        lab=lab, language="fr", subject="Résultat pour {organisation}", body="{decision}", by=lab_staff
    )
    (letter,) = services.feedback_prepare(call=application.call, by=lab_staff)
    assert (letter.language, letter.subject) == ("fr", "Résultat pour Société Robotique")
    assert letter.body == translation_of("Not preselected", "fr")


def translation_of(message, language):
    from django.utils import translation

    with translation.override(language):
        return translation.gettext(message)
