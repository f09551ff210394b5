"""The Demo Day ranking: each juror's weighted total per application, and their mean per application.

A juror's total for an application is on 0–100, computed exactly as a review's in evaluation
(``govlab.evaluation.aggregation.weighted_total``): each scored criterion's level is placed on its scale
(0 at the lowest level, 1 at the highest) and weighted; criteria the juror left unscored are left out.
Only jurors still on the jury count, and never a juror who declared a conflict of interest with the
application (their scores are refused, and any kept from before are ignored here). Per application: the
mean over those jurors, their number, the population standard deviation and the range (spread). Rows are
sorted by the mean, then by the application's reference; ranks are within a challenge.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from govlab.evaluation.aggregation import weighted_total

TWO_PLACES = Decimal("0.01")


def _q(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


@dataclass
class Row:
    application_id: int
    reference: str
    challenge_id: int
    organisation: str
    solution: str
    n_jurors: int
    mean: Decimal | None
    stdev: Decimal | None
    spread: Decimal | None
    criterion_means: dict = field(default_factory=dict)  # {criterion id: mean level or None}
    juror_totals: dict = field(default_factory=dict)  # {member id: total}
    rank: int | None = None


def solution_title(application) -> str:
    answers = application.answers or {}
    name = answers.get("solution_name")
    return str(name).strip() if isinstance(name, str) and name.strip() else application.reference


def ranking(demo_day, challenge=None) -> list[Row]:
    """The pitching applications of the Demo Day (or of one challenge), ranked. Four queries."""
    from .models import JuryDeclaration, JuryScore, Pitch

    criteria = list(demo_day.criteria.order_by("position", "pk"))
    pitches = Pitch.objects.filter(demo_day=demo_day).select_related(
        "application", "application__organisation"
    )
    if challenge is not None:
        pitches = pitches.filter(application__challenge=challenge)
    applications = [p.application for p in pitches]
    ids = [a.pk for a in applications]
    conflicted = set(
        JuryDeclaration.objects.filter(
            member__demo_day=demo_day, application_id__in=ids, has_conflict=True
        ).values_list("member_id", "application_id")
    )
    scores: dict[tuple[int, int], dict[str, int]] = defaultdict(dict)
    for member_id, application_id, criterion_id, score in JuryScore.objects.filter(
        member__demo_day=demo_day, member__removed_at__isnull=True, application_id__in=ids
    ).values_list("member_id", "application_id", "criterion_id", "score"):
        if (member_id, application_id) in conflicted:
            continue
        scores[(member_id, application_id)][str(criterion_id)] = score
    rows = []
    for application in applications:
        juror_totals = {}
        levels: dict[int, list[int]] = defaultdict(list)
        for (member_id, application_id), given in scores.items():
            if application_id != application.pk:
                continue
            total = weighted_total(given, criteria)
            if total is not None:
                juror_totals[member_id] = total
            for criterion in criteria:
                if str(criterion.pk) in given:
                    levels[criterion.pk].append(given[str(criterion.pk)])
        totals = [float(t) for t in juror_totals.values()]
        rows.append(
            Row(
                application_id=application.pk,
                reference=application.reference,
                challenge_id=application.challenge_id,
                organisation=application.organisation.name,
                solution=solution_title(application),
                n_jurors=len(totals),
                mean=_q(statistics.fmean(totals)) if totals else None,
                stdev=_q(statistics.pstdev(totals)) if totals else None,
                spread=_q(max(totals) - min(totals)) if totals else None,
                criterion_means={
                    c.pk: _q(statistics.fmean(levels[c.pk])) if levels[c.pk] else None for c in criteria
                },
                juror_totals=dict(sorted(juror_totals.items())),
            )
        )
    rows.sort(key=lambda row: (row.challenge_id, row.mean is None, -(row.mean or 0), row.reference))
    rank, current = 0, None
    for row in rows:
        if row.challenge_id != current:
            rank, current = 0, row.challenge_id
        if row.mean is not None:
            rank += 1
            row.rank = rank
    return rows
