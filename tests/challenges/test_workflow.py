import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from govlab.audit.models import AuditEntry
from govlab.challenges import services
from govlab.challenges.enums import ChallengeStatus, DeclineReason
from govlab.challenges.models import ChallengeTransition
from govlab.challenges.workflow import ENTITY, LAB, TRANSITIONS
from govlab.notifications.models import Notification

ROLES = ["entity", "staff", "manager", "evaluator", "mentor", "other_entity", "other_lab_staff", "plain"]
ROLE_KINDS = {"entity": {ENTITY}, "staff": {LAB}, "manager": {LAB}}


def _kwargs(transition):
    kwargs = {"reason": "Because the evidence says so."} if transition.needs_reason else {}
    if transition.target == ChallengeStatus.DECLINED:
        kwargs["decline_reason"] = DeclineReason.NO_BUDGET
    return kwargs


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: f"{t.source}-{t.target}")
def test_transition_table_allows_exactly_the_listed_actors(
    transition, role, make_challenge, make_ready, actor_for
):
    challenge = make_challenge(status=transition.source)
    actor = actor_for(role)
    if transition.gate:
        make_ready(challenge, actor_for("staff"))
    allowed = bool(transition.actors & ROLE_KINDS.get(role, set()))
    audit_before = AuditEntry.objects.count()
    if allowed:
        services.challenge_transition(
            challenge=challenge, target=transition.target, actor=actor, **_kwargs(transition)
        )
        challenge.refresh_from_db()
        assert challenge.status == transition.target
        last = ChallengeTransition.objects.filter(challenge=challenge).latest("pk")
        assert (last.from_status, last.to_status, last.actor) == (transition.source, transition.target, actor)
        entry = AuditEntry.objects.latest("pk")
        assert entry.action == f"challenge.{transition.name}"
        assert entry.changes["status"] == [transition.source, transition.target]
    else:
        with pytest.raises(ValidationError) as error:
            services.challenge_transition(
                challenge=challenge, target=transition.target, actor=actor, **_kwargs(transition)
            )
        assert error.value.code == "not_allowed"
        challenge.refresh_from_db()
        assert challenge.status == transition.source
        assert AuditEntry.objects.count() == audit_before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("source", "target"),
    [
        (ChallengeStatus.DRAFT, ChallengeStatus.ACCEPTED),
        (ChallengeStatus.DRAFT, ChallengeStatus.READY_FOR_CALL),
        (ChallengeStatus.SUBMITTED, ChallengeStatus.ACCEPTED),
        (ChallengeStatus.DECLINED, ChallengeStatus.IN_SCREENING),
        (ChallengeStatus.WITHDRAWN, ChallengeStatus.SUBMITTED),
        (ChallengeStatus.ACCEPTED, ChallengeStatus.READY_FOR_CALL),
    ],
)
def test_transitions_not_in_the_table_are_refused_even_for_managers(
    source, target, make_challenge, actor_for
):
    challenge = make_challenge(status=source)
    with pytest.raises(ValidationError) as error:
        services.challenge_transition(
            challenge=challenge, target=target, actor=actor_for("manager"), reason="x"
        )
    assert error.value.code == "invalid_transition"
    challenge.refresh_from_db()
    assert challenge.status == source


@pytest.mark.django_db
def test_submit_refuses_an_incomplete_draft_listing_what_is_missing(make_challenge, actor_for):
    challenge = make_challenge(title={}, problem_statement={"en": " "}, country="")
    with pytest.raises(ValidationError) as error:
        services.challenge_transition(
            challenge=challenge, target=ChallengeStatus.SUBMITTED, actor=actor_for("entity")
        )
    assert sorted(error.value.message_dict) == ["country", "problem_statement", "title"]
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.DRAFT


@pytest.mark.django_db
def test_decline_needs_a_reason_category_and_a_message(make_challenge, actor_for):
    challenge = make_challenge(status=ChallengeStatus.IN_SCREENING)
    staff = actor_for("staff")
    with pytest.raises(ValidationError) as error:
        services.challenge_transition(challenge=challenge, target=ChallengeStatus.DECLINED, actor=staff)
    assert list(error.value.message_dict) == ["reason"]
    with pytest.raises(ValidationError) as error:
        services.challenge_transition(
            challenge=challenge, target=ChallengeStatus.DECLINED, actor=staff, reason="No"
        )
    assert list(error.value.message_dict) == ["decline_reason"]
    services.challenge_transition(
        challenge=challenge,
        target=ChallengeStatus.DECLINED,
        actor=staff,
        reason="No money yet",
        decline_reason=DeclineReason.NO_BUDGET,
    )
    challenge.refresh_from_db()
    assert (challenge.status, challenge.decline_reason, challenge.decision_message) == (
        ChallengeStatus.DECLINED,
        "no_budget",
        "No money yet",
    )


@pytest.mark.django_db(transaction=True)
def test_transition_notifies_the_other_side_after_commit(make_challenge, actor_for, entity):
    staff = actor_for("staff")
    member = actor_for("entity")
    challenge = make_challenge(status=ChallengeStatus.IN_SCREENING)
    services.challenge_transition(
        challenge=challenge, target=ChallengeStatus.MORE_INFO_REQUESTED, actor=staff, reason="How many users?"
    )
    assert [m.to for m in mail.outbox] == [[member.email]]
    assert "How many users?" in mail.outbox[0].body
    mail.outbox.clear()
    services.challenge_transition(challenge=challenge, target=ChallengeStatus.IN_SCREENING, actor=member)
    assert [m.to for m in mail.outbox] == [[staff.email]]


@pytest.mark.django_db
def test_notification_links_are_in_each_recipients_language(make_challenge, actor_for):
    staff = actor_for("staff")
    member = actor_for("entity")
    member.preferred_language = "es"
    member.save(update_fields=["preferred_language"])
    challenge = make_challenge(status=ChallengeStatus.IN_SCREENING)
    services.challenge_transition(
        challenge=challenge, target=ChallengeStatus.MORE_INFO_REQUESTED, actor=staff, reason="How many users?"
    )
    (notification,) = Notification.objects.filter(recipient=member)
    assert notification.url == f"/es/challenges/{challenge.reference}/"


@pytest.mark.django_db
def test_readiness_gate_lists_every_gap(make_challenge, actor_for):
    challenge = make_challenge(status=ChallengeStatus.CHARACTERISING)
    with pytest.raises(ValidationError) as error:
        services.challenge_transition(
            challenge=challenge, target=ChallengeStatus.READY_FOR_CALL, actor=actor_for("staff")
        )
    assert error.value.code == "not_ready"
    assert sorted(error.value.message_dict) == [
        "budget",
        "characterisation",
        "legal_regime",
        "pilot_infrastructure",
        "team",
    ]
    assert error.value.message_dict["team"] == [
        "Name the multidisciplinary team: legal, innovation, technology, strategy missing."
    ]
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.CHARACTERISING


@pytest.mark.django_db
def test_readiness_gate_passes_when_the_checklist_is_met(make_challenge, make_ready, actor_for):
    staff = actor_for("staff")
    challenge = make_ready(make_challenge(status=ChallengeStatus.CHARACTERISING), staff)
    assert services.challenge_readiness_gaps(challenge) == []
    services.challenge_transition(challenge=challenge, target=ChallengeStatus.READY_FOR_CALL, actor=staff)
    challenge.refresh_from_db()
    assert (challenge.status, challenge.readiness_override) == (ChallengeStatus.READY_FOR_CALL, "")


@pytest.mark.django_db
def test_only_a_manager_can_override_the_gate_and_the_justification_is_recorded(make_challenge, actor_for):
    challenge = make_challenge(status=ChallengeStatus.CHARACTERISING)
    with pytest.raises(ValidationError) as error:
        services.challenge_transition(
            challenge=challenge,
            target=ChallengeStatus.READY_FOR_CALL,
            actor=actor_for("staff"),
            override_justification="Budget letter is on its way",
        )
    assert error.value.code == "not_allowed"
    manager = actor_for("manager")
    services.challenge_transition(
        challenge=challenge,
        target=ChallengeStatus.READY_FOR_CALL,
        actor=manager,
        override_justification="Budget letter is on its way",
    )
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.READY_FOR_CALL
    assert challenge.readiness_override == "Budget letter is on its way"
    entry = AuditEntry.objects.latest("pk")
    assert entry.reason == "Budget letter is on its way"
    assert entry.changes["readiness_override"][0] == [
        "team",
        "budget",
        "legal_regime",
        "characterisation",
        "pilot_infrastructure",
    ]


@pytest.mark.django_db
def test_batch_transition_gives_the_same_result_as_single_ones(make_challenge, actor_for):
    staff = actor_for("staff")
    single = make_challenge(status=ChallengeStatus.SUBMITTED)
    batch_ok = make_challenge(status=ChallengeStatus.SUBMITTED)
    batch_refused = make_challenge(status=ChallengeStatus.DRAFT)
    services.challenge_transition(challenge=single, target=ChallengeStatus.IN_SCREENING, actor=staff)
    single_entry = AuditEntry.objects.latest("pk")
    results = services.challenges_transition_batch(
        challenges=[batch_ok, batch_refused], target=ChallengeStatus.IN_SCREENING, actor=staff
    )
    assert [(r.challenge.pk, r.ok) for r in results] == [(batch_ok.pk, True), (batch_refused.pk, False)]
    assert results[1].errors == ["A challenge that is draft cannot become in screening."]
    batch_entry = AuditEntry.objects.latest("pk")
    assert (batch_entry.action, batch_entry.changes) == (single_entry.action, single_entry.changes)
    batch_refused.refresh_from_db()
    assert batch_refused.status == ChallengeStatus.DRAFT
