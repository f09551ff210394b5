"""Demo Day services: the event, agenda, criteria, jury, conflicts of interest, live scores, the ranking
and the selection. Every refusal names its code and leaves nothing changed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from freezegun import freeze_time

from govlab.audit.models import AuditEntry
from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.models import Challenge, ChallengeTransition
from govlab.demoday import aggregation, services
from govlab.demoday.enums import DemoDayStatus, JurorRole
from govlab.demoday.models import DemoDay, JuryDeclaration, JuryScore, Outcome, Pitch, Selection
from govlab.notifications.models import Notification
from tests.demoday.conftest import DEMO_CRITERIA, criteria_of, give
from tests.factories import LabMembershipFactory

pytestmark = pytest.mark.django_db


def _snapshot(day):
    return {
        "scores": sorted(
            JuryScore.objects.values_list("member_id", "application_id", "criterion_id", "score")
        ),
        "declarations": sorted(
            JuryDeclaration.objects.values_list("member_id", "application_id", "has_conflict")
        ),
        "selections": list(Selection.objects.values_list("application_id", flat=True)),
        "outcomes": list(Outcome.objects.values_list("application_id", "selected")),
        "status": DemoDay.objects.get(pk=day.pk).status,
        "pitches": sorted(Pitch.objects.values_list("application_id", flat=True)),
        "audit": AuditEntry.objects.count(),
        "notifications": Notification.objects.count(),
    }


def _refused(code, service, **kwargs):
    with pytest.raises(ValidationError) as caught:
        service(**kwargs)
    assert caught.value.code == code, caught.value
    return caught.value


# --- The event ---------------------------------------------------------------------------------------


def test_one_demo_day_per_call_and_only_lab_staff_create_it(make_demo_day, cohort_call, lab_staff, lab):
    day = make_demo_day()
    assert day.status == DemoDayStatus.PLANNED
    assert AuditEntry.objects.filter(action="demoday.create").count() == 1
    before = DemoDay.objects.count()
    _refused("exists", make_demo_day)
    outsider = LabMembershipFactory(lab=lab, role="evaluator").user
    _refused(
        "not_allowed",
        services.demo_day_create,
        call=cohort_call,
        by=outsider,
        title={"en": "X"},
        starts_at=timezone.now(),
        ends_at=timezone.now() + dt.timedelta(hours=1),
        place="Here",
    )
    assert DemoDay.objects.count() == before


def test_event_must_end_after_it_starts_and_have_a_place_or_link(cohort_call, lab_staff):
    now = timezone.now()
    error = _refused(
        "invalid",
        services.demo_day_create,
        call=cohort_call,
        by=lab_staff,
        title={"en": "Demo"},
        starts_at=now,
        ends_at=now,
        place="",
        link="",
    )
    assert error.message_dict == {
        "ends_at": ["The Demo Day must end after it starts."],
        "place": ["Give a place, a link, or both."],
    }
    assert not DemoDay.objects.exists()


# --- The agenda and criteria -------------------------------------------------------------------------


def test_only_preselected_applications_pitch(demo_day, cohort_call, lab_staff):
    alpha, _beta, gamma = cohort_call.cohort
    services.pitch_save(demo_day=demo_day, by=lab_staff, application=alpha, minutes=12, title="Alpha bot")
    before = _snapshot(demo_day)
    error = _refused(
        "not_preselected", services.pitch_save, demo_day=demo_day, by=lab_staff, application=gamma
    )
    assert error.message_dict == {
        "application": ["Only the applications preselected in this call pitch at its Demo Day."]
    }
    assert _snapshot(demo_day) == before


def test_agenda_from_cohort_adds_each_preselected_application_once(demo_day, cohort_call, lab_staff):
    alpha, beta, _gamma = cohort_call.cohort
    services.pitch_save(demo_day=demo_day, by=lab_staff, application=beta)
    made = services.agenda_from_cohort(demo_day=demo_day, by=lab_staff)
    assert [p.application_id for p in made] == [alpha.pk]
    assert list(demo_day.pitches.values_list("application_id", "order")) == [(beta.pk, 1), (alpha.pk, 2)]
    assert services.agenda_from_cohort(demo_day=demo_day, by=lab_staff) == []


def test_criteria_copied_from_the_call_keep_names_weights_and_scales(demo_day, cohort_call, lab_staff):
    copied = services.criteria_copy_from_call(demo_day=demo_day, by=lab_staff)
    source = list(cohort_call.criteria.order_by("position", "pk"))
    assert [(c.name, c.weight, c.scale) for c in copied] == [(c.name, c.weight, c.scale) for c in source]
    assert [c.position for c in copied] == [1, 2, 3]


def test_criteria_refused_with_a_bad_scale_change_nothing(demo_day, lab_staff):
    services.criteria_set(demo_day=demo_day, by=lab_staff, criteria=DEMO_CRITERIA)
    before = list(demo_day.criteria.values_list("pk", flat=True))
    error = _refused(
        "invalid",
        services.criteria_set,
        demo_day=demo_day,
        by=lab_staff,
        criteria=[{"name": {"en": "Impact"}, "weight": "0", "scale": [{"value": 1, "label": "Only"}]}],
    )
    assert set(error.message_dict) == {"criteria.0.weight", "criteria.0.scale"}
    assert list(demo_day.criteria.values_list("pk", flat=True)) == before


def test_criteria_and_agenda_are_fixed_once_scoring_opens(ready_day, lab_staff):
    services.demo_day_set_status(demo_day=ready_day, status=DemoDayStatus.SCORING_OPEN, by=lab_staff)
    before = _snapshot(ready_day)
    _refused(
        "scoring_started", services.criteria_set, demo_day=ready_day, by=lab_staff, criteria=DEMO_CRITERIA
    )
    _refused("scoring_started", services.pitch_remove, pitch=ready_day.pitches.first(), by=lab_staff)
    assert _snapshot(ready_day) == before


def test_scoring_cannot_open_without_criteria_pitches_and_jurors(demo_day, lab_staff):
    error = _refused(
        "not_ready",
        services.demo_day_set_status,
        demo_day=demo_day,
        status=DemoDayStatus.SCORING_OPEN,
        by=lab_staff,
    )
    assert error.messages == [
        "Give the jury's criteria first.",
        "Put at least one pitch on the agenda first.",
        "Add at least one juror who scores first.",
    ]
    demo_day.refresh_from_db()
    assert demo_day.status == DemoDayStatus.PLANNED


def test_status_moves_are_checked(ready_day, lab_staff):
    _refused(
        "invalid_transition",
        services.demo_day_set_status,
        demo_day=ready_day,
        status=DemoDayStatus.SCORING_CLOSED,
        by=lab_staff,
    )
    _refused(
        "invalid_transition",
        services.demo_day_set_status,
        demo_day=ready_day,
        status=DemoDayStatus.DECIDED,
        by=lab_staff,
    )
    ready_day.refresh_from_db()
    assert ready_day.status == DemoDayStatus.PLANNED


# --- Jury and conflicts of interest ------------------------------------------------------------------


def test_juror_is_invited_and_notified(ready_day):
    ana = ready_day.jurors[0]
    assert ana.role == JurorRole.CHAIR
    notice = Notification.objects.get(recipient=ana.user, kind="demoday.invited")
    assert notice.subject == "You are on the jury of the Demo Day of “Bye bye Robots!”"
    assert notice.url == f"/demo-day/{ready_day.pk}/jury/"


def test_juror_must_declare_before_scoring(ready_day, lab_staff):
    services.demo_day_set_status(demo_day=ready_day, status=DemoDayStatus.SCORING_OPEN, by=lab_staff)
    ana = ready_day.jurors[0]
    criterion = criteria_of(ready_day)[0]
    error = _refused(
        "not_declared",
        services.score_save,
        member=ana,
        application=ready_day.alpha,
        by=ana.user,
        scores={str(criterion.pk): 3},
    )
    assert error.messages == ["Declare whether you have a conflict of interest first."]
    assert not JuryScore.objects.exists()


def test_conflict_recuses_the_juror_and_is_kept_as_a_record(ready_day, lab_staff):
    services.demo_day_set_status(demo_day=ready_day, status=DemoDayStatus.SCORING_OPEN, by=lab_staff)
    cy = ready_day.jurors[2]
    _refused(
        "invalid",
        services.jury_declare,
        member=cy,
        application=ready_day.alpha,
        has_conflict=True,
        reason="  ",
        by=cy.user,
    )
    assert not JuryDeclaration.objects.exists()
    declaration = services.jury_declare(
        member=cy, application=ready_day.alpha, has_conflict=True, reason="Former adviser.", by=cy.user
    )
    assert (declaration.has_conflict, declaration.reason) == (True, "Former adviser.")
    entry = AuditEntry.objects.get(action="demoday.conflict.declare")
    assert entry.reason == "Former adviser."
    before = _snapshot(ready_day)
    _refused(
        "conflicted",
        services.score_save,
        member=cy,
        application=ready_day.alpha,
        by=cy.user,
        scores={str(criteria_of(ready_day)[0].pk): 5},
    )
    _refused(
        "already_declared",
        services.jury_declare,
        member=cy,
        application=ready_day.alpha,
        has_conflict=False,
        by=cy.user,
    )
    assert _snapshot(ready_day) == before


def test_a_recused_jurors_earlier_scores_are_ignored_by_the_ranking(scored_day):
    """Scores written for a recused pair (e.g. by an import) never count."""
    cy = scored_day.jurors[2]
    for criterion in criteria_of(scored_day):
        JuryScore.objects.create(member=cy, application=scored_day.alpha, criterion=criterion, score=1)
    alpha = next(r for r in aggregation.ranking(scored_day) if r.application_id == scored_day.alpha.pk)
    assert (alpha.n_jurors, alpha.mean) == (2, Decimal("76.88"))


def test_only_the_juror_declares_and_only_for_pitching_applications(ready_day, lab_staff):
    ana, bo, _cy = ready_day.jurors
    _refused(
        "not_allowed",
        services.jury_declare,
        member=ana,
        application=ready_day.alpha,
        has_conflict=False,
        by=bo.user,
    )
    _refused(
        "not_pitching",
        services.jury_declare,
        member=ana,
        application=ready_day.gamma,
        has_conflict=False,
        by=ana.user,
    )
    services.juror_remove(member=bo, by=lab_staff)
    _refused(
        "not_allowed",
        services.jury_declare,
        member=bo,
        application=ready_day.alpha,
        has_conflict=False,
        by=bo.user,
    )
    assert not JuryDeclaration.objects.exists()


def test_observer_does_not_score(ready_day, lab_staff):
    services.demo_day_set_status(demo_day=ready_day, status=DemoDayStatus.SCORING_OPEN, by=lab_staff)
    observer = ready_day.observer
    services.jury_declare(member=observer, application=ready_day.alpha, has_conflict=False, by=observer.user)
    error = _refused(
        "not_allowed",
        services.score_save,
        member=observer,
        application=ready_day.alpha,
        by=observer.user,
        scores={str(criteria_of(ready_day)[0].pk): 5},
    )
    assert error.messages == ["Observers do not score the pitches."]
    assert not JuryScore.objects.exists()


# --- Scores ------------------------------------------------------------------------------------------


def test_scores_are_saved_changed_and_cleared(ready_day, lab_staff):
    services.demo_day_set_status(demo_day=ready_day, status=DemoDayStatus.SCORING_OPEN, by=lab_staff)
    ana = ready_day.jurors[0]
    first, second, *_rest = criteria_of(ready_day)
    services.jury_declare(member=ana, application=ready_day.alpha, has_conflict=False, by=ana.user)
    services.score_save(
        member=ana,
        application=ready_day.alpha,
        by=ana.user,
        scores={str(first.pk): 4, str(second.pk): 2},
        comments={str(first.pk): "Convincing demo."},
    )
    services.score_save(
        member=ana, application=ready_day.alpha, by=ana.user, scores={str(first.pk): 5, str(second.pk): None}
    )
    assert list(JuryScore.objects.values_list("criterion_id", "score", "comment")) == [
        (first.pk, 5, "Convincing demo.")
    ]


def test_score_off_the_scale_is_refused(ready_day, lab_staff):
    services.demo_day_set_status(demo_day=ready_day, status=DemoDayStatus.SCORING_OPEN, by=lab_staff)
    ana = ready_day.jurors[0]
    first = criteria_of(ready_day)[0]
    services.jury_declare(member=ana, application=ready_day.alpha, has_conflict=False, by=ana.user)
    error = _refused(
        "invalid",
        services.score_save,
        member=ana,
        application=ready_day.alpha,
        by=ana.user,
        scores={str(first.pk): 9, "999999": 1},
    )
    assert error.message_dict == {
        f"scores.{first.pk}": ["Choose one of the levels of this criterion's scale: 1, 2, 3, 4, 5."],
        "scores.999999": ["There is no such criterion at this Demo Day."],
    }
    assert not JuryScore.objects.exists()


def test_score_before_scoring_opens_is_refused(ready_day):
    ana = ready_day.jurors[0]
    services.jury_declare(member=ana, application=ready_day.alpha, has_conflict=False, by=ana.user)
    error = _refused(
        "scoring_not_open",
        services.score_save,
        member=ana,
        application=ready_day.alpha,
        by=ana.user,
        scores={str(criteria_of(ready_day)[0].pk): 3},
    )
    assert error.messages == ["Scoring has not opened yet."]


def test_score_after_the_demo_day_closed_is_refused_and_changes_nothing(ready_day, lab_staff):
    ready_day.call.lab.time_zone = "Europe/Luxembourg"
    ready_day.call.lab.save()
    services.demo_day_set_status(demo_day=ready_day, status=DemoDayStatus.SCORING_OPEN, by=lab_staff)
    ana = ready_day.jurors[0]
    first = criteria_of(ready_day)[0]
    give(ana, ready_day.alpha, (4, 4, 4, 4))
    with freeze_time("2027-03-12 16:00:00"):
        services.demo_day_set_status(demo_day=ready_day, status=DemoDayStatus.SCORING_CLOSED, by=lab_staff)
    before = _snapshot(ready_day)
    error = _refused(
        "scoring_closed",
        services.score_save,
        member=ana,
        application=ready_day.alpha,
        by=ana.user,
        scores={str(first.pk): 1},
        received_at=dt.datetime(2027, 3, 12, 16, 0, 1, tzinfo=dt.UTC),
    )
    assert error.messages == [
        "Scoring closed at 12 March 2027, 17:00 (Europe/Luxembourg); "
        + "scores can no longer be given or changed."
    ]
    assert _snapshot(ready_day) == before


def test_score_that_arrived_before_scoring_closed_is_kept(ready_day, lab_staff):
    services.demo_day_set_status(demo_day=ready_day, status=DemoDayStatus.SCORING_OPEN, by=lab_staff)
    ana = ready_day.jurors[0]
    services.jury_declare(member=ana, application=ready_day.alpha, has_conflict=False, by=ana.user)
    arrived = timezone.now()
    services.demo_day_set_status(demo_day=ready_day, status=DemoDayStatus.SCORING_CLOSED, by=lab_staff)
    first = criteria_of(ready_day)[0]
    services.score_save(
        member=ana, application=ready_day.alpha, by=ana.user, scores={str(first.pk): 2}, received_at=arrived
    )
    assert JuryScore.objects.get().score == 2


# --- Ranking -----------------------------------------------------------------------------------------


def test_ranking_values_are_exact(scored_day, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        rows = aggregation.ranking(scored_day)
    alpha, beta = rows
    ana, bo, cy = scored_day.jurors
    assert (alpha.application_id, alpha.rank, alpha.n_jurors) == (scored_day.alpha.pk, 1, 2)
    assert (alpha.mean, alpha.stdev, alpha.spread) == (Decimal("76.88"), Decimal("1.88"), Decimal("3.75"))
    assert alpha.juror_totals == {ana.pk: Decimal("78.75"), bo.pk: Decimal("75.00")}
    assert (beta.application_id, beta.rank, beta.n_jurors) == (scored_day.beta.pk, 2, 3)
    assert (beta.mean, beta.stdev, beta.spread) == (Decimal("63.75"), Decimal("25.88"), Decimal("58.75"))
    assert beta.juror_totals == {ana.pk: Decimal("50.00"), bo.pk: Decimal("41.25"), cy.pk: Decimal("100.00")}
    first = criteria_of(scored_day)[0]
    assert alpha.criterion_means[first.pk] == Decimal("4.50")


def test_removed_jurors_scores_leave_the_ranking(scored_day, lab_staff):
    services.juror_remove(member=scored_day.jurors[2], by=lab_staff)
    beta = aggregation.ranking(scored_day)[1]
    assert (beta.n_jurors, beta.mean) == (2, Decimal("45.63"))


# --- Selection ---------------------------------------------------------------------------------------


def _select(day, staff, application=None, **kwargs):
    values = {
        "demo_day": day,
        "challenge": day.alpha.challenge,
        "application": application or day.alpha,
        "reasons": "Highest impact and a credible plan.",
        "feedback": {day.beta.pk: "A strong pitch; the price was too high for the entity."},
        "by": staff,
        **kwargs,
    }
    return services.select_solution(**values)


def test_selection_moves_the_challenge_audits_and_notifies(scored_day, lab_staff):
    challenge = scored_day.alpha.challenge
    assert Challenge.objects.get(pk=challenge.pk).status == ChallengeStatus.PRESELECTED
    [selection] = _select(scored_day, lab_staff)
    assert (selection.application_id, selection.final_score, selection.rank) == (
        scored_day.alpha.pk,
        Decimal("76.88"),
        1,
    )
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.SOLUTION_SELECTED
    event = ChallengeTransition.objects.filter(challenge=challenge).order_by("-pk").first()
    assert (event.from_status, event.to_status, event.actor) == (
        ChallengeStatus.PRESELECTED,
        ChallengeStatus.SOLUTION_SELECTED,
        lab_staff,
    )
    assert event.reason == "Selected at the Demo Day: Alpha Robotics."
    transition_entry = AuditEntry.objects.get(action="challenge.select_solution", target_id=str(challenge.pk))
    assert transition_entry.changes["status"] == ["preselected", "solution_selected"]
    entry = AuditEntry.objects.get(action="demoday.select")
    assert entry.changes == {
        "challenge": [None, challenge.reference],
        "selected": [[], [scored_day.alpha.reference]],
        "not_selected": [[], [scored_day.beta.reference]],
    }
    assert entry.reason == "Highest impact and a credible plan."
    assert list(
        Outcome.objects.order_by("application_id").values_list("application_id", "selected", "feedback")
    ) == [
        (scored_day.alpha.pk, True, "Highest impact and a credible plan."),
        (scored_day.beta.pk, False, "A strong pitch; the price was too high for the entity."),
    ]
    winner = Notification.objects.get(recipient=scored_day.alpha.member, kind="demoday.selected")
    assert winner.subject == f"Your solution was selected for “{challenge.title['en']}”"
    loser = Notification.objects.get(recipient=scored_day.beta.member, kind="demoday.not_selected")
    assert loser.body == "The jury's feedback:\n\nA strong pitch; the price was too high for the entity."
    assert loser.url == f"/demo-day/outcome/{scored_day.beta.reference}/"
    assert not Notification.objects.filter(
        recipient=scored_day.gamma.member, kind__startswith="demoday"
    ).exists()
    scored_day.refresh_from_db()
    assert scored_day.status == DemoDayStatus.DECIDED


def test_not_selected_feedback_is_in_the_solvers_language(scored_day, lab_staff):
    member = scored_day.beta.member
    member.preferred_language = "fr"
    member.save()
    _select(scored_day, lab_staff)
    notice = Notification.objects.get(recipient=member, kind="demoday.not_selected")
    challenge = scored_day.beta.challenge
    # Rendered under the solver's language: the challenge's title is its French one.
    assert challenge.title["fr"] in notice.subject
    assert challenge.title["en"] not in notice.subject


def test_selecting_an_application_that_was_not_preselected_is_refused(scored_day, lab_staff):
    before = _snapshot(scored_day)
    error = _refused(
        "not_preselected", _select, day=scored_day, staff=lab_staff, application=scored_day.gamma
    )
    assert error.message_dict == {
        "application": [
            f"{scored_day.gamma.reference} was not preselected for this challenge in this call: "
            + "it cannot be selected."
        ]
    }
    assert _snapshot(scored_day) == before
    assert Challenge.objects.get(pk=scored_day.alpha.challenge_id).status == ChallengeStatus.PRESELECTED


def test_selecting_an_application_of_another_call_is_refused(
    scored_day, lab_staff, make_call, make_ready_challenge
):
    from govlab.calls.models import Application

    other = Application.objects.exclude(call=scored_day.call).first()
    if other is None:
        other_call = make_call(challenges=[make_ready_challenge()], slug="another-call")
        other = Application(call=other_call, challenge=other_call.challenges.first(), reference="X-1")
        other.pk = 10**9
    before = _snapshot(scored_day)
    _refused("not_preselected", _select, day=scored_day, staff=lab_staff, application=other)
    assert _snapshot(scored_day) == before


def test_feedback_named_by_something_else_than_an_application_id_is_refused(scored_day, lab_staff):
    error = _refused(
        "invalid", _select, day=scored_day, staff=lab_staff, feedback={scored_day.beta.reference: "Too dear."}
    )
    assert error.message_dict[f"feedback.{scored_day.beta.reference}"] == [
        "Give the feedback by application id."
    ]
    assert not Selection.objects.exists()


def test_selection_before_scoring_closed_is_refused(ready_day, lab_staff):
    before = _snapshot(ready_day)
    error = _refused("scoring_not_closed", _select, day=ready_day, staff=lab_staff)
    assert error.messages == ["Close the jury's scoring before selecting a solution."]
    assert _snapshot(ready_day) == before


def test_selection_twice_is_refused(scored_day, lab_staff):
    _select(scored_day, lab_staff)
    before = _snapshot(scored_day)
    _refused("decided", _select, day=scored_day, staff=lab_staff, application=scored_day.beta, feedback={})
    assert _snapshot(scored_day) == before


def test_selection_needs_reasons_and_feedback_for_every_other_solver(scored_day, lab_staff):
    before = _snapshot(scored_day)
    error = _refused("invalid", _select, day=scored_day, staff=lab_staff, reasons=" ", feedback={})
    assert error.message_dict == {
        "reasons": ["Give the jury's reasons: they are kept and published with the result."],
        f"feedback.{scored_day.beta.pk}": ["Write the feedback for this solver: they will read it."],
    }
    assert _snapshot(scored_day) == before


def test_selection_only_by_lab_staff(scored_day, lab):
    before = _snapshot(scored_day)
    _refused("not_allowed", _select, day=scored_day, staff=scored_day.jurors[0].user)
    _refused("not_allowed", _select, day=scored_day, staff=LabMembershipFactory(role="staff").user)
    assert _snapshot(scored_day) == before


def test_several_solutions_may_be_selected(scored_day, lab_staff):
    selections = _select(scored_day, lab_staff, also=[scored_day.beta], feedback={})
    assert sorted(s.application_id for s in selections) == sorted([scored_day.alpha.pk, scored_day.beta.pk])
    assert Outcome.objects.filter(selected=True).count() == 2


def test_selection_from_a_challenge_already_decided_elsewhere_is_refused(scored_day, lab_staff):
    Challenge.objects.filter(pk=scored_day.alpha.challenge_id).update(
        status=ChallengeStatus.SOLUTION_SELECTED
    )
    before = _snapshot(scored_day)
    _refused("invalid_transition", _select, day=scored_day, staff=lab_staff)
    assert _snapshot(scored_day) == before


def test_scoring_cannot_reopen_once_a_solution_is_selected(scored_day, lab_staff, make_ready_challenge):
    # A second challenge keeps the Demo Day undecided after the first selection.
    Pitch.objects.create(demo_day=scored_day, application=scored_day.gamma, order=9)
    from govlab.calls.models import Application

    Application.objects.filter(pk=scored_day.gamma.pk).update(challenge=make_ready_challenge())
    _select(scored_day, lab_staff)
    scored_day.refresh_from_db()
    assert scored_day.status == DemoDayStatus.SCORING_CLOSED
    error = _refused(
        "decided",
        services.demo_day_set_status,
        demo_day=scored_day,
        status=DemoDayStatus.SCORING_OPEN,
        by=lab_staff,
    )
    assert error.messages == ["A solution has been selected: scoring cannot open again."]
    scored_day.refresh_from_db()
    assert scored_day.status == DemoDayStatus.SCORING_CLOSED
