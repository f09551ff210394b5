"""CSV and XLSX exports of a call's evaluation for the lab: the scores (one row per submitted review) and
the ranking (one row per submitted application).

Only the lab's team exports (the views check it), and the lab's team always sees who applied and who
reviewed: the rows name the organisation and the evaluator. ``govlab.core.exports`` writes them: text a
spreadsheet would run as a formula gets a leading quote, so a hostile organisation name such as
``=HYPERLINK(...)`` stays text; numbers are written as numbers (a negative z-score is not a formula).
"""

from __future__ import annotations

import zoneinfo
from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from govlab.calls.enums import ApplicationStatus
from govlab.calls.models import Application
from govlab.core.exports import csv_text, xlsx_bytes
from govlab.core.i18n import pick

from . import aggregation
from .enums import ReviewStatus
from .models import Review

__all__ = [
    "ranking_csv",
    "ranking_table",
    "ranking_xlsx",
    "scores_csv",
    "scores_table",
    "scores_xlsx",
]


def _criteria(call):
    return list(call.criteria.order_by("position", "pk"))


def scores_table(call) -> tuple[list[str], list[list]]:
    """One row per submitted review: who reviewed what, each criterion's level ("n/a" when not applicable),
    the weighted total. Cells are text or numbers; text is made safe when written."""
    languages = call.lab.languages
    zone = zoneinfo.ZoneInfo(call.time_zone or "UTC")
    criteria = _criteria(call)
    header = [
        _("Reference"),
        _("Organisation"),
        _("Challenge"),
        _("Evaluator"),
        _("Role"),
        *[pick(criterion.name, preferred=languages).text for criterion in criteria],
        _("Weighted total (0–100)"),
        _("Recommendation"),
        _("Confidence (1–5)"),
        _("Submitted (%(zone)s)") % {"zone": call.time_zone},
    ]
    reviews = (
        Review.objects.filter(application__call=call, status=ReviewStatus.SUBMITTED)
        .select_related("evaluator__user", "application__organisation", "application__challenge")
        .order_by("application__challenge__reference", "application__reference", "evaluator_id", "pk")
    )
    rows = []
    for review in reviews:
        application, evaluator = review.application, review.evaluator
        scores = review.scores or {}
        rows.append(
            [
                application.reference,
                application.organisation.name,
                application.challenge.reference,
                getattr(evaluator.user, "full_name", "") or evaluator.user.email,
                evaluator.get_role_display(),
                *[_("n/a") if scores.get(str(c.pk)) is None else scores[str(c.pk)] for c in criteria],
                review.weighted_total,
                review.get_recommendation_display(),
                review.confidence,
                (
                    timezone.localtime(review.submitted_at, zone).strftime("%Y-%m-%d %H:%M:%S")
                    if review.submitted_at
                    else ""
                ),
            ]
        )
    return header, rows


def ranking_table(call) -> tuple[list[str], list[list]]:
    """One row per submitted application, ranked within its challenge."""
    header = [
        _("Challenge"),
        _("Rank"),
        _("Reference"),
        _("Organisation"),
        _("Reviews"),
        _("Mean"),
        _("Median"),
        _("Standard deviation"),
        _("Range"),
        _("Evaluators disagree"),
        _("Normalised score (z)"),
        _("Consensus"),
        _("Final score"),
    ]
    applications = {
        pk: (organisation, challenge)
        for pk, organisation, challenge in Application.objects.filter(
            call=call, status=ApplicationStatus.SUBMITTED
        ).values_list("pk", "organisation__name", "challenge__reference")
    }
    by_challenge = defaultdict(list)
    for row in aggregation.ranking(call):
        by_challenge[applications.get(row.application_id, ("", ""))[1]].append(row)
    rows = []
    for challenge in sorted(by_challenge):
        rank = 0
        for row in by_challenge[challenge]:
            if row.final is not None:
                rank += 1
            rows.append(
                [
                    challenge,
                    rank if row.final is not None else None,
                    row.reference,
                    applications.get(row.application_id, ("", ""))[0],
                    row.n_reviews,
                    row.mean,
                    row.median,
                    row.stdev,
                    row.spread,
                    _("Yes") if row.disagreement else _("No"),
                    row.zscore,
                    row.consensus_total,
                    row.final,
                ]
            )
    return header, rows


def scores_csv(call) -> str:
    return csv_text(scores_table(call))


def scores_xlsx(call) -> bytes:
    return xlsx_bytes((_("Scores"), scores_table(call)))


def ranking_csv(call) -> str:
    return csv_text(ranking_table(call))


def ranking_xlsx(call) -> bytes:
    return xlsx_bytes((_("Ranking"), ranking_table(call)))
