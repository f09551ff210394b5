from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from govlab.audit.models import AuditEntry
from govlab.challenges import services
from govlab.challenges.enums import ChallengeStatus, WorksheetKind
from govlab.challenges.models import Challenge, Worksheet


@pytest.mark.django_db
def test_challenge_create_starts_a_draft_with_a_reference(lab, entity, entity_member, campaign):
    challenge = services.challenge_create(
        lab=lab,
        owner=entity,
        created_by=entity_member,
        campaign=campaign,
        title={"es": "Recibos de medicamentos"},
    )
    assert challenge.status == ChallengeStatus.DRAFT
    assert challenge.reference.startswith(f"{lab.slug.upper()}-")
    assert challenge.country == entity.country
    assert "recibos de medicamentos" in challenge.search_text
    assert AuditEntry.objects.filter(action="challenge.create", target_id=str(challenge.pk)).count() == 1


@pytest.mark.django_db
def test_challenge_create_refuses_an_owner_that_is_not_a_public_entity(lab, organisation, user):
    with pytest.raises(ValidationError) as error:
        services.challenge_create(lab=lab, owner=organisation, created_by=user, title={"en": "x"})
    assert list(error.value.message_dict) == ["owner"]
    assert Challenge.objects.count() == 0


@pytest.mark.django_db
def test_second_of_two_concurrent_edits_is_told_and_nothing_is_overwritten(make_challenge, entity_member):
    challenge = make_challenge()
    loaded_version = challenge.version
    first = Challenge.objects.get(pk=challenge.pk)
    second = Challenge.objects.get(pk=challenge.pk)
    services.challenge_update(
        challenge=first, updated_by=entity_member, expected_version=loaded_version, region="Antioquia"
    )
    with pytest.raises(services.ConflictError):
        services.challenge_update(
            challenge=second, updated_by=entity_member, expected_version=loaded_version, region="Cundinamarca"
        )
    challenge.refresh_from_db()
    assert (challenge.region, challenge.version) == ("Antioquia", loaded_version + 1)


@pytest.mark.django_db
def test_challenge_update_refused_once_submitted(make_challenge, entity_member):
    challenge = make_challenge(status=ChallengeStatus.SUBMITTED)
    with pytest.raises(ValidationError):
        services.challenge_update(challenge=challenge, updated_by=entity_member, region="Elsewhere")
    challenge.refresh_from_db()
    assert challenge.region == ""


@pytest.mark.django_db
def test_challenge_update_refuses_bad_links_keeping_the_row(make_challenge, entity_member):
    challenge = make_challenge()
    with pytest.raises(ValidationError) as error:
        services.challenge_update(
            challenge=challenge,
            updated_by=entity_member,
            evidence_links=["https://ok.example", "javascript:alert(1)"],
        )
    assert error.value.message_dict == {
        "evidence_links": ["“javascript:alert(1)” is not a valid web address."]
    }
    challenge.refresh_from_db()
    assert challenge.evidence_links == []


@pytest.mark.django_db
def test_worksheets_keep_every_version(make_challenge, entity_member):
    challenge = make_challenge(status=ChallengeStatus.CHARACTERISING)
    services.worksheet_save(
        challenge=challenge, kind=WorksheetKind.FIVE_WHYS, data={"problem": "Slow"}, saved_by=entity_member
    )
    second = services.worksheet_save(
        challenge=challenge,
        kind=WorksheetKind.FIVE_WHYS,
        data={"problem": "Slow", "whys": ["Paper", "", "Habit"], "root_cause": "No digital form"},
        saved_by=entity_member,
        complete=True,
    )
    worksheet = Worksheet.objects.get(challenge=challenge, kind=WorksheetKind.FIVE_WHYS)
    assert (worksheet.current_version, worksheet.is_complete) == (2, True)
    assert [v.number for v in worksheet.versions.all()] == [2, 1]
    assert second.data == {"problem": "Slow", "whys": ["Paper", "Habit"], "root_cause": "No digital form"}


@pytest.mark.django_db
def test_worksheet_cannot_be_marked_complete_with_required_fields_empty(make_challenge, entity_member):
    challenge = make_challenge(status=ChallengeStatus.CHARACTERISING)
    with pytest.raises(ValidationError) as error:
        services.worksheet_save(
            challenge=challenge,
            kind=WorksheetKind.PROBLEM_TREE,
            data={"central_problem": "x"},
            saved_by=entity_member,
            complete=True,
        )
    assert sorted(error.value.message_dict) == ["causes", "effects"]
    assert not Worksheet.objects.exists()


@pytest.mark.django_db
def test_budget_confirmation_validates_amount_currency_and_source(make_challenge, entity_member):
    challenge = make_challenge(status=ChallengeStatus.CHARACTERISING)
    with pytest.raises(ValidationError) as error:
        services.challenge_confirm_budget(
            challenge=challenge, confirmed_by=entity_member, amount=Decimal("0"), currency="pesos", source=" "
        )
    assert sorted(error.value.message_dict) == ["budget_amount", "budget_currency", "budget_source"]
    challenge.refresh_from_db()
    assert challenge.budget_amount is None


@pytest.mark.django_db
def test_priority_ranks_stay_one_to_n(make_challenge, actor_for):
    staff = actor_for("staff")
    a, b, c = (make_challenge(status=ChallengeStatus.ACCEPTED) for _ in range(3))
    services.challenge_set_priority(challenge=a, rank=1, set_by=staff)
    services.challenge_set_priority(challenge=b, rank=1, set_by=staff)
    services.challenge_set_priority(challenge=c, rank=2, set_by=staff)
    ranks = dict(Challenge.objects.values_list("pk", "priority_rank"))
    assert ranks == {b.pk: 1, c.pk: 2, a.pk: 3}
    services.challenge_set_priority(challenge=c, rank=None, set_by=staff)
    ranks = dict(Challenge.objects.values_list("pk", "priority_rank"))
    assert ranks == {b.pk: 1, a.pk: 2, c.pk: None}


def test_worksheet_save_refuses_a_stale_version_and_keeps_the_newer_one(make_challenge, entity_member):
    challenge = make_challenge(status="draft")
    services.worksheet_save(
        challenge=challenge, kind="five_whys", data={}, saved_by=entity_member, expected_version=0
    )
    with pytest.raises(services.ConflictError):
        services.worksheet_save(
            challenge=challenge, kind="five_whys", data={}, saved_by=entity_member, expected_version=0
        )
    worksheet = challenge.worksheets.get(kind="five_whys")
    assert (worksheet.current_version, worksheet.versions.count()) == (1, 1)


def test_team_cannot_change_once_the_challenge_is_submitted(make_challenge, entity_member):
    challenge = make_challenge(status="submitted")
    with pytest.raises(ValidationError):
        services.team_member_add(challenge=challenge, added_by=entity_member, role="legal", name="Ana")
    assert challenge.team.count() == 0
