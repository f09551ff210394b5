"""Concurrent writes to challenges, raced on PostgreSQL (see conftest.py for how)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone

from govlab.audit.models import AuditEntry
from govlab.challenges import services
from govlab.challenges.enums import ChallengeStatus, CriterionAnswer, DeclineReason, WorksheetKind
from govlab.challenges.models import (
    Challenge,
    ChallengeTransition,
    CriterionAssessment,
    ViabilityCriterion,
    Worksheet,
)
from tests.factories import LabFactory, LabMembershipFactory, OrganisationMembershipFactory

from .conftest import Rendezvous, errors_of, needs_postgresql, pause_after, pause_before, race

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]


def audit_count(challenge, action: str) -> int:
    return AuditEntry.objects.filter(target_id=str(challenge.pk), action=action).count()


# --- 1. References ------------------------------------------------------------------------------


def _create(lab, entity, person, title):
    return lambda: services.challenge_create(lab=lab, owner=entity, created_by=person, title={"en": title})


@pytest.mark.parametrize("round_", range(3))
def test_two_creations_in_one_lab_get_the_next_two_references(lab, entity, monkeypatch, round_):
    people = [OrganisationMembershipFactory(organisation=entity).user for _ in range(2)]
    # Both have counted the lab's challenges before either saves: a naive count + 1 gives both one number.
    pause_after(services, "_next_reference", Rendezvous(), monkeypatch)

    outcomes = race(*(_create(lab, entity, person, f"Challenge {i}") for i, person in enumerate(people)))

    assert errors_of(outcomes) == []
    prefix = f"{lab.slug.upper()}-{timezone.now().year}-"
    assert sorted(o.value.reference for o in outcomes) == [f"{prefix}0001", f"{prefix}0002"]
    assert sorted(Challenge.objects.values_list("reference", flat=True)) == [f"{prefix}0001", f"{prefix}0002"]
    assert AuditEntry.objects.filter(action="challenge.create").count() == 2
    assert ChallengeTransition.objects.filter(to_status=ChallengeStatus.DRAFT).count() == 2


def test_eight_simultaneous_creations_number_one_to_eight(lab, entity):
    people = [OrganisationMembershipFactory(organisation=entity).user for _ in range(8)]

    outcomes = race(*(_create(lab, entity, person, f"Challenge {i}") for i, person in enumerate(people)))

    assert errors_of(outcomes) == []
    prefix = f"{lab.slug.upper()}-{timezone.now().year}-"
    assert sorted(Challenge.objects.values_list("reference", flat=True)) == [
        f"{prefix}{n:04d}" for n in range(1, 9)
    ]


def test_labs_sharing_a_reference_prefix_do_not_collide(entity, monkeypatch):
    """References use the first 12 characters of the slug, so these two labs number in one series."""
    north, south = LabFactory(slug="innovation-lab-north"), LabFactory(slug="innovation-lab-south")
    entity.labs.add(north, south)
    person = OrganisationMembershipFactory(organisation=entity).user
    pause_after(services, "_next_reference", Rendezvous(), monkeypatch)

    outcomes = race(_create(north, entity, person, "North"), _create(south, entity, person, "South"))

    assert errors_of(outcomes) == []
    prefix = f"INNOVATION-L-{timezone.now().year}-"
    assert sorted(Challenge.objects.values_list("reference", flat=True)) == [f"{prefix}0001", f"{prefix}0002"]


# --- 2. Transitions -----------------------------------------------------------------------------

SCREENING_CASES = {
    "both accept": (
        {"target": ChallengeStatus.ACCEPTED},
        {"target": ChallengeStatus.ACCEPTED},
    ),
    "one accepts, one declines": (
        {"target": ChallengeStatus.ACCEPTED},
        {
            "target": ChallengeStatus.DECLINED,
            "reason": "Out of scope.",
            "decline_reason": DeclineReason.values[0],
        },
    ),
}


def _transition(challenge_pk, actor, **kwargs):
    return lambda: services.challenge_transition(
        challenge=Challenge.objects.get(pk=challenge_pk), actor=actor, **kwargs
    )


def _assert_one_step(challenge, outcomes, winner_targets, action_names):
    """Exactly one call won; the other was refused as an invalid transition; one step, one audit entry."""
    assert [o.ok for o in outcomes].count(True) == 1, [repr(o.error) for o in outcomes]
    (error,) = errors_of(outcomes)
    assert isinstance(error, ValidationError)
    assert error.code == "invalid_transition"
    winner = next(o.value for o in outcomes if o.ok)
    challenge.refresh_from_db()
    assert challenge.status == winner.status
    assert challenge.status in winner_targets
    assert challenge.version == 2
    assert ChallengeTransition.objects.filter(challenge=challenge).count() == 1
    assert AuditEntry.objects.filter(target_id=str(challenge.pk), action__in=action_names).count() == 1


@pytest.mark.parametrize("case", SCREENING_CASES)
@pytest.mark.parametrize("forced", [True, False], ids=["forced", "free"])
def test_two_screening_decisions_at_once_one_wins(lab, make_challenge, monkeypatch, case, forced):
    challenge = make_challenge(status=ChallengeStatus.IN_SCREENING)
    first, second = (LabMembershipFactory(lab=lab, role="staff").user for _ in range(2))
    if forced:
        # Both have read the status and found the transition allowed before either writes.
        pause_after(services, "find_transition", Rendezvous(), monkeypatch)
    one, other = SCREENING_CASES[case]

    outcomes = race(_transition(challenge.pk, first, **one), _transition(challenge.pk, second, **other))

    _assert_one_step(
        challenge,
        outcomes,
        {one["target"], other["target"]},
        ["challenge.accept", "challenge.decline"],
    )


@pytest.mark.parametrize("round_", range(3))
def test_a_double_click_on_submit_submits_once(entity, make_challenge, monkeypatch, round_):
    challenge = make_challenge(status=ChallengeStatus.DRAFT)
    person = OrganisationMembershipFactory(organisation=entity).user
    pause_after(services, "find_transition", Rendezvous(), monkeypatch)

    outcomes = race(*(_transition(challenge.pk, person, target=ChallengeStatus.SUBMITTED) for _ in range(2)))

    _assert_one_step(challenge, outcomes, {ChallengeStatus.SUBMITTED}, ["challenge.submit"])
    challenge.refresh_from_db()
    assert challenge.submitted_at is not None


# --- 3. Priorities ------------------------------------------------------------------------------


def _ranks(campaign):
    return list(
        Challenge.objects.filter(campaign=campaign, priority_rank__isnull=False)
        .order_by("priority_rank")
        .values_list("priority_rank", flat=True)
    )


def _prioritise(challenge_pk, rank, person):
    return lambda: services.challenge_set_priority(
        challenge=Challenge.objects.get(pk=challenge_pk), rank=rank, set_by=person
    )


def _pause_before_first_challenge_update(monkeypatch):
    """Meet after the peers are read, before the first rank is written."""
    pause_before(QuerySet, "update", Rendezvous(), monkeypatch, when=lambda qs, **kw: qs.model is Challenge)


@pytest.mark.parametrize(
    ("ranked", "movers", "moves", "expected"),
    [
        (0, [0, 1], [1, 1], 2),  # two unranked challenges both put first
        (2, [2, 3], [1, 1], 4),  # both put first in a ranked list
        (3, [3, 4], [1, 4], 5),  # one put first, one last
        (3, [0, 1], [2, None], 2),  # one moved to second while another is taken out
    ],
    ids=["empty-both-first", "both-first", "first-and-last", "move-and-remove"],
)
def test_concurrent_prioritisation_keeps_ranks_one_to_n(
    lab, make_challenge, campaign, monkeypatch, ranked, movers, moves, expected
):
    person = LabMembershipFactory(lab=lab, role="staff").user
    challenges = [make_challenge(status=ChallengeStatus.ACCEPTED) for _ in range(5)]
    for rank, challenge in enumerate(challenges[:ranked], start=1):
        Challenge.objects.filter(pk=challenge.pk).update(priority_rank=rank)
    _pause_before_first_challenge_update(monkeypatch)

    outcomes = race(
        *(_prioritise(challenges[i].pk, rank, person) for i, rank in zip(movers, moves, strict=True))
    )

    assert errors_of(outcomes) == []
    assert _ranks(campaign) == list(range(1, expected + 1))
    assert AuditEntry.objects.filter(action="challenge.prioritise").count() == 2


def test_prioritising_a_challenge_while_it_is_abandoned_leaves_it_unranked(
    lab, make_challenge, campaign, monkeypatch
):
    person = LabMembershipFactory(lab=lab, role="staff").user
    challenge = make_challenge(status=ChallengeStatus.ACCEPTED)
    peer = make_challenge(status=ChallengeStatus.ACCEPTED, priority_rank=1)
    # The transition has written the challenge and the prioritisation has read the peers: without a lock
    # the rank is then written over the abandoned challenge.
    meeting = Rendezvous()
    pause_before(services, "audit_record", meeting, monkeypatch)
    pause_before(QuerySet, "update", meeting, monkeypatch, when=lambda qs, **kw: qs.model is Challenge)

    outcomes = race(
        _prioritise(challenge.pk, 1, person),
        _transition(challenge.pk, person, target=ChallengeStatus.ABANDONED, reason="The entity stopped."),
    )

    assert outcomes[1].ok, repr(outcomes[1].error)
    challenge.refresh_from_db()
    peer.refresh_from_db()
    assert (challenge.status, challenge.priority_rank) == (ChallengeStatus.ABANDONED, None)
    if outcomes[0].ok:
        # It was put first, then abandoned: the peer moved down to 2, and leaving the accepted states does
        # not close the gap (challenge_transition clears the rank without moving the others up).
        assert peer.priority_rank == 2
    else:
        assert isinstance(outcomes[0].error, ValidationError)
        assert peer.priority_rank == 1
    assert _ranks(campaign) == [peer.priority_rank]


# --- 4. Versioned edits -------------------------------------------------------------------------


@pytest.mark.parametrize("forced", [True, False], ids=["forced", "free"])
def test_two_edits_from_the_same_version_one_wins_one_is_told(
    make_challenge, entity_member, monkeypatch, forced
):
    challenge = make_challenge()
    meeting = Rendezvous()
    if forced:
        # Both have passed their checks and are about to write.
        pause_before(services, "_save_versioned", meeting, monkeypatch)
    regions = ["Antioquia", "Cundinamarca"]

    def edit(region, version):
        return lambda: services.challenge_update(
            challenge=Challenge.objects.get(pk=challenge.pk),
            updated_by=entity_member,
            expected_version=version,
            region=region,
        )

    for round_ in range(1, 4):
        meeting.reset()
        loaded = Challenge.objects.get(pk=challenge.pk).version

        outcomes = race(*(edit(f"{region} {round_}", loaded) for region in regions))

        assert [o.ok for o in outcomes].count(True) == 1, [repr(o.error) for o in outcomes]
        (error,) = errors_of(outcomes)
        assert isinstance(error, services.ConflictError)
        assert error.code == "conflict"
        winner = regions[[o.ok for o in outcomes].index(True)]
        challenge.refresh_from_db()
        assert (challenge.region, challenge.version) == (f"{winner} {round_}", loaded + 1)
        assert audit_count(challenge, "challenge.update") == round_


def test_a_budget_confirmed_while_the_challenge_is_abandoned_is_not_written(lab, make_challenge, monkeypatch):
    challenge = make_challenge(status=ChallengeStatus.CHARACTERISING)
    person = LabMembershipFactory(lab=lab, role="staff").user
    # The budget has passed its status check; the transition has written and is about to commit.
    meeting = Rendezvous()
    pause_before(services, "_save_versioned", meeting, monkeypatch)
    pause_before(services, "audit_record", meeting, monkeypatch)

    outcomes = race(
        lambda: services.challenge_confirm_budget(
            challenge=Challenge.objects.get(pk=challenge.pk),
            confirmed_by=person,
            amount=Decimal("1000"),
            currency="COP",
            source="2026 budget",
        ),
        _transition(challenge.pk, person, target=ChallengeStatus.ABANDONED, reason="The entity stopped."),
    )

    assert outcomes[1].ok, repr(outcomes[1].error)
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.ABANDONED
    if outcomes[0].ok:  # only right if confirmed first, then abandoned
        assert challenge.budget_amount == Decimal("1000")
        actions = AuditEntry.objects.filter(target_id=str(challenge.pk)).order_by("id")
        assert list(actions.values_list("action", flat=True)) == [
            "challenge.budget.confirm",
            "challenge.abandon",
        ]
    else:
        assert isinstance(outcomes[0].error, services.ConflictError)
        assert (challenge.budget_amount, challenge.budget_confirmed_by) == (None, None)
        assert audit_count(challenge, "challenge.budget.confirm") == 0


# --- Rows created on first use ------------------------------------------------------------------


def test_two_first_answers_to_a_criterion_make_one_assessment(lab, make_challenge, campaign, monkeypatch):
    challenge = make_challenge(status=ChallengeStatus.IN_SCREENING)
    criterion = ViabilityCriterion.objects.create(campaign=campaign, name={"en": "Clear owner"}, position=1)
    first, second = (LabMembershipFactory(lab=lab, role="evaluator").user for _ in range(2))
    # Both have found no assessment and are about to insert one.
    pause_before(CriterionAssessment, "save", Rendezvous(), monkeypatch)

    outcomes = race(
        *(
            (
                lambda person=person, answer=answer: services.challenge_assess_criterion(
                    challenge=challenge, criterion=criterion, answer=answer, assessed_by=person
                )
            )
            for person, answer in ((first, CriterionAnswer.MET), (second, CriterionAnswer.NOT_MET))
        )
    )

    assert errors_of(outcomes) == []
    (assessment,) = CriterionAssessment.objects.filter(challenge=challenge, criterion=criterion)
    assert assessment.answer in (CriterionAnswer.MET, CriterionAnswer.NOT_MET)
    assert audit_count(challenge, "challenge.criterion.assess") == 2


def test_two_first_saves_of_a_worksheet_make_versions_one_and_two(make_challenge, entity_member, monkeypatch):
    challenge = make_challenge(status=ChallengeStatus.DRAFT)
    pause_before(Worksheet, "save", Rendezvous(), monkeypatch)

    outcomes = race(
        *(
            (
                lambda text=text: services.worksheet_save(
                    challenge=challenge,
                    kind=WorksheetKind.HOW_MIGHT_WE,
                    data={"statements": [text]},
                    saved_by=entity_member,
                )
            )
            for text in ("How might we A?", "How might we B?")
        )
    )

    assert errors_of(outcomes) == []
    (worksheet,) = Worksheet.objects.filter(challenge=challenge)
    assert worksheet.current_version == 2
    assert sorted(worksheet.versions.values_list("number", flat=True)) == [1, 2]
