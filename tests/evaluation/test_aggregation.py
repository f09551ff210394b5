"""Weighted totals and the ranking, against values computed by hand."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from govlab.evaluation.aggregation import ranking, weighted_total
from govlab.evaluation.enums import ReviewStatus
from govlab.evaluation.models import Assignment, ConsensusScore, Evaluator, Review

SCALE_0_3 = [{"value": v, "label": {"en": str(v)}} for v in range(4)]
SCALE_1_5 = [{"value": v, "label": {"en": str(v)}} for v in range(1, 6)]


def criterion(pk, weight, scale):
    return SimpleNamespace(pk=pk, weight=Decimal(weight), scale=scale)


CRITERIA = [criterion(1, "40", SCALE_0_3), criterion(2, "35", SCALE_0_3), criterion(3, "25", SCALE_1_5)]


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        # (40·3/3 + 35·2/3 + 25·(4-1)/4) / 100 · 100 = 40 + 23.333… + 18.75 = 82.08
        ({"1": 3, "2": 2, "3": 4}, Decimal("82.08")),
        ({"1": 0, "2": 0, "3": 1}, Decimal("0.00")),
        ({"1": 3, "2": 3, "3": 5}, Decimal("100.00")),
        # n/a on criterion 2: its weight leaves the denominator: (40·1 + 25·0.5) / 65 · 100 = 80.77
        ({"1": 3, "2": None, "3": 3}, Decimal("80.77")),
        ({"1": None, "2": None, "3": None}, None),
        ({}, None),
    ],
)
def test_weighted_total(scores, expected):
    assert weighted_total(scores, CRITERIA) == expected


@pytest.mark.django_db
def test_ranking_by_hand(evaluation_call, make_submitted, lab_staff, make_evaluator_user):
    apps = [make_submitted(name) for name in ("Alpha", "Beta", "Gamma")]
    evaluators = [
        Evaluator.objects.create(
            call=evaluation_call,
            user=make_evaluator_user(name=f"E{i}"),
            role="external_expert",
            added_by=lab_staff,
        )
        for i in range(3)
    ]
    # Totals (evaluator x application):
    #        Alpha  Beta  Gamma
    #   E0    80     60    40
    #   E1    90     50    —
    #   E2    70     90    30
    table = {(0, 0): 80, (0, 1): 60, (0, 2): 40, (1, 0): 90, (1, 1): 50, (2, 0): 70, (2, 1): 90, (2, 2): 30}
    for (e, a), total in table.items():
        assignment = Assignment.objects.create(
            evaluator=evaluators[e], application=apps[a], assigned_by=lab_staff
        )
        Review.objects.create(
            assignment=assignment,
            evaluator=evaluators[e],
            application=apps[a],
            status=ReviewStatus.SUBMITTED,
            weighted_total=Decimal(total),
        )
    rows = {row.reference: row for row in ranking(evaluation_call, threshold=Decimal("15"))}
    alpha, beta, gamma = (rows[a.reference] for a in apps)
    assert (alpha.n_reviews, alpha.mean, alpha.median, alpha.spread) == (
        3,
        Decimal("80.00"),
        Decimal("80.00"),
        Decimal("20.00"),
    )
    # population standard deviation of 80, 90, 70 = sqrt(200/3) = 8.16
    assert alpha.stdev == Decimal("8.16")
    assert not alpha.disagreement
    # Beta: 60, 50, 90 → mean 66.67, median 60, pstdev sqrt(((-6.67)²+(-16.67)²+23.33²)/3) = 16.997 → 17.00
    assert (beta.mean, beta.median, beta.stdev, beta.spread) == (
        Decimal("66.67"),
        Decimal("60.00"),
        Decimal("17.00"),
        Decimal("40.00"),
    )
    assert beta.disagreement
    assert (gamma.n_reviews, gamma.mean, gamma.median) == (2, Decimal("35.00"), Decimal("35.00"))
    # z-scores. E0: mean 60, pstdev 16.33; E1: mean 70, pstdev 20; E2: mean 63.33, pstdev 24.94.
    # Alpha: (20/16.33 + 20/20 + 6.67/24.94) / 3 = (1.2247 + 1 + 0.2673) / 3 = 0.83
    assert alpha.zscore == Decimal("0.83")
    # Gamma: (-20/16.33 + -33.33/24.94) / 2 = (-1.2247 - 1.3363) / 2 = -1.28
    assert gamma.zscore == Decimal("-1.28")
    assert [row.reference for row in ranking(evaluation_call)] == [a.reference for a in apps]
    assert [row.rank for row in ranking(evaluation_call)] == [1, 2, 3]


@pytest.mark.django_db
def test_consensus_overrides_the_computed_total(
    evaluation_call, make_submitted, lab_staff, make_evaluator_user
):
    first, second = make_submitted("First"), make_submitted("Second")
    evaluator = Evaluator.objects.create(
        call=evaluation_call, user=make_evaluator_user(), role="lab_staff", added_by=lab_staff
    )
    criteria = list(evaluation_call.criteria.all())  # Innovation 40, Feasibility 35, Team 25; scale 0–3
    for application, levels in ((first, (3, 3, 3)), (second, (1, 1, 1))):
        assignment = Assignment.objects.create(
            evaluator=evaluator, application=application, assigned_by=lab_staff
        )
        scores = {str(c.pk): v for c, v in zip(criteria, levels, strict=True)}
        Review.objects.create(
            assignment=assignment,
            evaluator=evaluator,
            application=application,
            status=ReviewStatus.SUBMITTED,
            scores=scores,
            weighted_total=weighted_total(scores, criteria),
        )
    # The lab sets Innovation to 3 for the second; the others keep the evaluators' mean (1):
    # (40·1 + 35·1/3 + 25·1/3) / 100 · 100 = 40 + 11.67 + 8.33 = 60.00
    ConsensusScore.objects.create(
        application=second, criterion=criteria[0], score=3, rationale="Unique approach", set_by=lab_staff
    )
    rows = {row.reference: row for row in ranking(evaluation_call)}
    assert rows[second.reference].consensus_total == Decimal("60.00")
    assert rows[second.reference].final == Decimal("60.00")
    assert rows[second.reference].mean == Decimal("33.33")
    assert rows[first.reference].final == Decimal("100.00")


@pytest.mark.django_db
def test_ranking_takes_a_fixed_number_of_queries(
    evaluation_call, make_submitted, django_assert_max_num_queries
):
    make_submitted("One")
    with django_assert_max_num_queries(5):
        ranking(evaluation_call)
    for name in ("Two", "Three", "Four"):
        make_submitted(name)
    with django_assert_max_num_queries(5):
        assert len(ranking(evaluation_call)) == 4
