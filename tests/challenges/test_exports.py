"""The CSV export of a campaign's challenges with their screening results."""

import datetime as dt

import pytest
from django.urls import reverse

from govlab.challenges import services
from govlab.challenges.enums import ChallengeStatus, CriterionAnswer, DeclineReason
from govlab.challenges.exports import campaign_screening_csv
from govlab.challenges.models import Challenge
from govlab.organisations.models import Organisation


@pytest.fixture
def screened_campaign(lab, campaign, make_challenge, staff, entity):
    """Three submitted challenges of the campaign (and a draft, left out), screened in various ways."""
    lab.time_zone = "America/Bogota"
    lab.save()
    entity.name = "=Ministerio de Justicia"
    entity.save()
    first, second = campaign.criteria.order_by("position")
    submitted = dt.datetime(2026, 3, 2, 3, 30, tzinfo=dt.UTC)  # 1 March in Bogotá
    accepted = make_challenge(
        status=ChallengeStatus.ACCEPTED,
        title={"es": "Trámites de cannabis", "en": "Cannabis procedures"},
        submitted_at=submitted,
    )
    declined = make_challenge(
        status=ChallengeStatus.DECLINED,
        title={"en": "@Receipts extraction"},
        decline_reason=DeclineReason.NO_BUDGET,
        decision_message='No budget yet, "sorry"',
        submitted_at=submitted,
    )
    waiting = make_challenge(status=ChallengeStatus.IN_SCREENING, title={"en": "Emotions analysis"})
    make_challenge(status=ChallengeStatus.DRAFT, title={"en": "Not submitted"})
    for criterion, answer, note in ((first, "met", "Owner: the Fund"), (second, "unknown", "")):
        services.challenge_assess_criterion(
            challenge=waiting, criterion=criterion, answer=answer, note=note, assessed_by=staff
        )
    # Answers given while screening stay after the decision.
    Challenge.objects.filter(pk=accepted.pk).update(status=ChallengeStatus.IN_SCREENING)
    accepted.refresh_from_db()
    services.challenge_assess_criterion(
        challenge=accepted,
        criterion=second,
        answer=CriterionAnswer.NOT_MET,
        note="-1 line",
        assessed_by=staff,
    )
    Challenge.objects.filter(pk=accepted.pk).update(status=ChallengeStatus.ACCEPTED, priority_rank=1)
    return campaign, accepted, declined, waiting


@pytest.mark.django_db
def test_campaign_csv_has_one_row_per_challenge_and_one_column_per_criterion(screened_campaign):
    campaign, accepted, declined, waiting = screened_campaign
    entity = "'=Ministerio de Justicia"
    expected = (
        "\ufeff"
        "Reference,Title,Public entity,Status,Priority,Submitted,Reason for declining,Message to the entity,"
        "Clear problem owner,Budget for the purchase\r\n"
        f"{accepted.reference},Cannabis procedures,{entity},Accepted,1,2026-03-01,,,,"
        "Not met: -1 line\r\n"
        f"{declined.reference},'@Receipts extraction,{entity},Declined,,2026-03-01,"
        'No budget for the purchase,"No budget yet, ""sorry""",,\r\n'
        f"{waiting.reference},Emotions analysis,{entity},In screening,,,,,Met: Owner: the Fund,Unknown\r\n"
    )
    # Rows come by priority (the ranked one first), then by reference.
    assert campaign_screening_csv(campaign) == expected


@pytest.mark.django_db
def test_campaign_csv_view_sends_the_file(login, staff, lab, screened_campaign):
    campaign = screened_campaign[0]
    response = login(staff).get(reverse("challenges:lab_campaign_export", args=[lab.slug, campaign.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="{lab.slug}-call-2026-screening.csv"'
    body = response.content.decode("utf-8")
    assert body == campaign_screening_csv(campaign)
    assert response.content.startswith(b"\xef\xbb\xbf")


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 3])
def test_campaign_csv_query_count_is_flat(rows, campaign, make_challenge, django_assert_num_queries):
    for _n in range(rows):
        make_challenge(status=ChallengeStatus.IN_SCREENING)
    campaign = type(campaign).objects.select_related("lab").get(pk=campaign.pk)
    with django_assert_num_queries(3):
        campaign_screening_csv(campaign)


@pytest.mark.django_db
def test_campaign_csv_leaves_out_other_campaigns(campaign, make_challenge, lab):
    other = make_challenge(status=ChallengeStatus.IN_SCREENING)
    Challenge.objects.filter(pk=other.pk).update(campaign=None)
    assert Organisation.objects.count() == 1
    assert campaign_screening_csv(campaign).count("\r\n") == 1
