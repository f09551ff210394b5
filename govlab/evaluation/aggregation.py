"""Scores: a review's weighted total, and the ranking of a call's applications.

A review scores each criterion on its scale of labelled levels, or marks it not applicable (None). Its
weighted total is on 0–100: each scored criterion's level is placed on its scale (0 at the lowest
level, 1 at the highest) and weighted; the weights of criteria marked not applicable are left out, so
an n/a neither rewards nor punishes.

Per application: the mean and median of its submitted reviews' totals, the spread (population standard
deviation and range), a disagreement flag when the standard deviation passes the call's threshold, and
a normalised score: the mean over its reviews of each evaluator's z-score (the evaluator's total for
this application minus the mean of all that evaluator's totals in the call, divided by their standard
deviation), which corrects for evaluators who score everyone high or low. A consensus recorded by the
lab replaces the computed total (the mean). Rows are sorted by the final score, then by the application's
reference (random, so ties never order by who applied).
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .enums import ReviewStatus

HUNDRED = Decimal(100)
TWO_PLACES = Decimal("0.01")


def _bounds(criterion) -> tuple[int, int]:
    values = [level["value"] for level in criterion.scale or []]
    return (min(values), max(values)) if values else (0, 1)


def weighted_total(scores: dict, criteria) -> Decimal | None:
    """The review's total on 0–100, or None if no criterion is scored."""
    numerator = Decimal(0)
    weights = Decimal(0)
    for criterion in criteria:
        value = scores.get(str(criterion.pk))
        if value is None:
            continue
        low, high = _bounds(criterion)
        share = Decimal(0) if high == low else (Decimal(value) - low) / (high - low)
        numerator += criterion.weight * share
        weights += criterion.weight
    if not weights:
        return None
    return (numerator / weights * HUNDRED).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _q(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class Row:
    application_id: int
    reference: str
    challenge_id: int
    n_reviews: int
    mean: Decimal | None
    median: Decimal | None
    stdev: Decimal | None
    spread: Decimal | None  # range: highest minus lowest total
    disagreement: bool
    zscore: Decimal | None
    consensus_total: Decimal | None
    final: Decimal | None
    rank: int | None = None


def ranking(call, challenge=None, *, threshold: Decimal | None = None) -> list[Row]:
    """Every submitted application of the call (or of one challenge), ranked. Three queries."""
    from govlab.calls.enums import ApplicationStatus
    from govlab.calls.models import Application

    from .models import ConsensusScore, EvaluationSettings, Review

    if threshold is None:
        settings_row = EvaluationSettings.objects.filter(call=call).values_list(
            "disagreement_threshold", flat=True
        )
        threshold = next(iter(settings_row), None) or Decimal("15")
    applications = Application.objects.filter(call=call, status=ApplicationStatus.SUBMITTED)
    if challenge is not None:
        applications = applications.filter(challenge=challenge)
    apps = list(applications.values_list("pk", "reference", "challenge_id"))
    # All the call's submitted reviews: the z-scores need each evaluator's whole record in the call.
    reviews = list(
        Review.objects.filter(
            application__call=call, status=ReviewStatus.SUBMITTED, weighted_total__isnull=False
        ).values_list("application_id", "evaluator_id", "weighted_total")
    )
    by_evaluator: dict[int, list[float]] = defaultdict(list)
    by_application: dict[int, list[tuple[int, float]]] = defaultdict(list)
    for application_id, evaluator_id, total in reviews:
        by_evaluator[evaluator_id].append(float(total))
        by_application[application_id].append((evaluator_id, float(total)))
    evaluator_stats = {}
    for evaluator_id, totals in by_evaluator.items():
        mean = statistics.fmean(totals)
        stdev = statistics.pstdev(totals) if len(totals) > 1 else 0.0
        evaluator_stats[evaluator_id] = (mean, stdev)
    consensus = _consensus_totals(call, ConsensusScore)
    rows = []
    for application_id, reference, challenge_id in apps:
        pairs = by_application.get(application_id, [])
        totals = [total for _evaluator, total in pairs]
        mean = statistics.fmean(totals) if totals else None
        stdev = statistics.pstdev(totals) if len(totals) > 1 else (0.0 if totals else None)
        zs = []
        for evaluator_id, total in pairs:
            e_mean, e_stdev = evaluator_stats[evaluator_id]
            if e_stdev > 0:
                zs.append((total - e_mean) / e_stdev)
            else:
                zs.append(0.0)
        consensus_total = consensus.get(application_id)
        final = consensus_total if consensus_total is not None else _q(mean)
        rows.append(
            Row(
                application_id=application_id,
                reference=reference,
                challenge_id=challenge_id,
                n_reviews=len(totals),
                mean=_q(mean),
                median=_q(statistics.median(totals)) if totals else None,
                stdev=_q(stdev),
                spread=_q(max(totals) - min(totals)) if totals else None,
                disagreement=bool(stdev is not None and len(totals) > 1 and Decimal(str(stdev)) > threshold),
                zscore=_q(statistics.fmean(zs)) if zs else None,
                consensus_total=consensus_total,
                final=final,
            )
        )
    rows.sort(key=lambda row: (row.final is None, -(row.final or 0), row.reference))
    rank = 0
    for row in rows:
        if row.final is not None:
            rank += 1
            row.rank = rank
    return rows


def _consensus_totals(call, consensus_model) -> dict[int, Decimal]:
    """Applications with a consensus: their total with the lab's score where it gave one, and the mean of
    the evaluators' levels for the criteria it left alone."""
    from .models import Review

    criteria = list(call.criteria.all())
    if not criteria:
        return {}
    given: dict[int, dict[str, float]] = defaultdict(dict)
    for application_id, criterion_id, score in consensus_model.objects.filter(
        application__call=call
    ).values_list("application_id", "criterion_id", "score"):
        given[application_id][str(criterion_id)] = score
    if not given:
        return {}
    levels: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
    for application_id, scores in Review.objects.filter(
        application_id__in=list(given), status=ReviewStatus.SUBMITTED
    ).values_list("application_id", "scores"):
        for key, value in (scores or {}).items():
            if value is not None:
                levels[application_id][key].append(value)
    totals = {}
    for application_id, scores in given.items():
        combined = dict(scores)
        for criterion in criteria:
            key = str(criterion.pk)
            if key not in combined and levels[application_id].get(key):
                combined[key] = statistics.fmean(levels[application_id][key])
        totals[application_id] = weighted_total(combined, criteria)
    return totals
