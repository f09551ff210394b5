"""``generate_load_data --reviews``: submitted reviews of the load calls' applications, exact when small;
and the ranking benchmark's call (bench/ranking.py) at a tiny size."""

from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from govlab.accounts.models import User
from govlab.audit.models import AuditEntry
from govlab.calls.enums import ApplicationStatus
from govlab.calls.models import Application
from govlab.demo.load import generate, reset
from govlab.evaluation.aggregation import ranking, weighted_total
from govlab.evaluation.enums import ReviewStatus
from govlab.evaluation.models import (
    Assignment,
    ConflictDeclaration,
    EvaluationSettings,
    Evaluator,
    Review,
    ReviewRevision,
)
from govlab.labs.models import LabMembership

pytestmark = pytest.mark.django_db

SMALL = {
    "labs": 2,
    "organisations": 10,
    "people": 0,
    "challenges": 40,
    "solvers": 30,
    "applications": 120,
    "seed": 4,
}


def _reviewable():
    """Submitted load applications in calls already closed: the ones reviews go to."""
    return Application.objects.filter(
        reference__startswith="LOAD-APP-",
        status=ApplicationStatus.SUBMITTED,
        call__deadline__lt=timezone.now(),
    )


def test_reviews_are_spread_evenly_with_everything_the_services_would_write(capsys):
    generate(**SMALL)
    reviewable = _reviewable()
    count = reviewable.count()
    assert count > 20
    wanted = count * 3 + 5  # three per application, and five applications with a fourth

    call_command(
        "generate_load_data",
        *("--labs", "2", "--organisations", "10", "--people", "0", "--challenges", "40"),
        *("--solvers", "30", "--applications", "120", "--seed", "4", "--reviews", str(wanted)),
    )

    reviews = Review.objects.all()
    assert reviews.count() == wanted
    assert f"Reviews: {wanted} created, {wanted} in all." in capsys.readouterr().out
    per_application = Counter(reviews.values_list("application_id", flat=True))
    assert set(per_application) == set(reviewable.values_list("pk", flat=True))
    assert sorted(Counter(per_application.values()).items()) == [(3, count - 5), (4, 5)]
    # Nothing for open calls, drafts or the demo.
    assert not reviews.exclude(application__in=reviewable).exists()
    # Each review: an assignment, a "no conflict" declaration, submitted with its total and first revision.
    assert Assignment.objects.count() == wanted
    assert ConflictDeclaration.objects.filter(has_conflict=False).count() == wanted
    assert not ConflictDeclaration.objects.filter(has_conflict=True).exists()
    assert ReviewRevision.objects.count() == wanted
    assert set(reviews.values_list("status", flat=True)) == {ReviewStatus.SUBMITTED}
    for review in reviews.select_related("application__call", "assignment")[:60]:
        criteria = list(review.application.call.criteria.all())
        assert set(review.scores) == {str(c.pk) for c in criteria}
        assert review.weighted_total == weighted_total(review.scores, criteria)
        assert review.assignment.evaluator_id == review.evaluator_id
        assert review.assignment.application_id == review.application_id
        assert review.recommendation
        assert 2 <= review.confidence <= 5
        assert review.application.call.deadline < review.submitted_at <= timezone.now()
        (revision,) = review.revisions.all()
        assert revision.weighted_total == review.weighted_total
        assert revision.content["scores"] == review.scores
    # Panels: ten load evaluators per reviewed call, with the lab's evaluator role; balanced loads.
    calls = set(reviewable.values_list("call_id", flat=True))
    for call_id in calls:
        evaluators = Evaluator.objects.filter(call_id=call_id)
        assert evaluators.count() == 10
        assert all(e.user.email.startswith("load-evaluator-") for e in evaluators.select_related("user"))
        loads = Counter(reviews.filter(application__call_id=call_id).values_list("evaluator_id", flat=True))
        assert max(loads.values()) - min(loads.values(), default=0) <= 2
    users = User.objects.filter(email__startswith="load-evaluator-")
    assert users.count() == 2 * 10
    assert LabMembership.objects.filter(user__in=users, role="evaluator").count() == 20
    assert EvaluationSettings.objects.filter(call_id__in=calls).count() == len(calls)
    assert AuditEntry.objects.count() == 0


def test_a_second_run_adds_nothing_and_a_larger_one_only_the_rest():
    generate(**SMALL, reviews=50)
    first = sorted(Review.objects.values_list("evaluator_id", "application_id", "weighted_total"))

    generate(**SMALL, reviews=50)
    assert sorted(Review.objects.values_list("evaluator_id", "application_id", "weighted_total")) == first

    generate(**SMALL, reviews=80)
    assert Review.objects.count() == 80
    assert Assignment.objects.count() == ConflictDeclaration.objects.count() == 80
    kept = set(Review.objects.values_list("evaluator_id", "application_id", "weighted_total"))
    assert set(first) <= kept


def test_reviews_are_capped_at_ten_per_application():
    generate(**SMALL)
    count = _reviewable().count()

    report = generate(**SMALL, reviews=count * 10 + 7)

    assert Review.objects.count() == count * 10
    assert (
        report.reviews == f"{count * 10} created, {count * 10} in all (capped: 10 evaluators per application)"
    )


def test_without_applications_there_is_nothing_to_review():
    report = generate(labs=1, organisations=5, people=0, challenges=0, reviews=10)
    assert report.reviews.startswith("skipped: no submitted load application")
    assert not Review.objects.exists()


def test_negative_reviews_are_refused():
    with pytest.raises(CommandError, match=r"--reviews must be 0 or more\."):
        call_command("generate_load_data", "--reviews", "-1")


def test_reset_deletes_the_evaluations_and_the_load_evaluators_too():
    generate(**SMALL, reviews=40)
    evaluators = Evaluator.objects.count()
    assert evaluators >= 10

    deleted = reset()

    assert deleted["assignments"] == 40
    assert deleted["declarations"] == 40
    assert deleted["evaluators"] == evaluators
    assert not Review.objects.exists()
    assert not Evaluator.objects.exists()
    assert not User.objects.filter(email__endswith="@load.example").exists()


def test_the_ranking_benchmark_builds_its_call_and_counts_the_queries():
    from bench import ranking as bench

    call, done = bench.build(applications=30, per_application=4)
    assert "30 applications" in done
    again, second = bench.build(applications=30, per_application=4)
    assert again == call
    assert second == "reused"
    assert Review.objects.filter(application__call=call, status=ReviewStatus.SUBMITTED).count() == 120

    result = bench.measure(call, runs=2)

    assert result["rows"] == 30
    assert len(result["seconds"]) == 2
    assert result["queries"][0] == result["queries"][1] <= 5
    rows = ranking(call)
    assert [row.rank for row in rows] == list(range(1, 31))
    assert {row.n_reviews for row in rows} == {4}
