"""CSV and XLSX exports of a Demo Day for the lab's team: the scores (one row per juror, application and
criterion) and the ranking (one row per pitching application). Text cells are made safe against
spreadsheet formulas and numbers stay numbers, by ``govlab.core.exports``."""

from __future__ import annotations

import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext as _

from govlab.core.exports import csv_text, xlsx_bytes
from govlab.core.i18n import pick

from . import aggregation
from .models import JuryDeclaration, JuryScore


def scores_table(demo_day) -> tuple[list[str], list[list]]:
    zone = zoneinfo.ZoneInfo(demo_day.call.lab.time_zone or "UTC")
    header = [
        _("Reference"),
        _("Organisation"),
        _("Challenge"),
        _("Juror"),
        _("Criterion"),
        _("Weight"),
        _("Score"),
        _("Comment"),
        _("Saved"),
    ]
    conflicted = set(
        JuryDeclaration.objects.filter(member__demo_day=demo_day, has_conflict=True).values_list(
            "member_id", "application_id"
        )
    )
    rows = []
    for score in (
        JuryScore.objects.filter(member__demo_day=demo_day)
        .select_related("member__user", "application__organisation", "application__challenge", "criterion")
        .order_by("application__reference", "member_id", "criterion__position", "criterion_id")
    ):
        if (score.member_id, score.application_id) in conflicted:
            continue
        rows.append(
            [
                score.application.reference,
                score.application.organisation.name,
                score.application.challenge.reference,
                score.member.user.full_name or score.member.user.email,
                pick(score.criterion.name).text,
                score.criterion.weight,
                score.score,
                score.comment,
                timezone.localtime(score.updated_at, zone).strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return header, rows


def ranking_table(demo_day) -> tuple[list[str], list[list]]:
    criteria = list(demo_day.criteria.order_by("position", "pk"))
    header = [
        _("Challenge"),
        _("Rank"),
        _("Reference"),
        _("Organisation"),
        _("Solution"),
        _("Jurors"),
        _("Mean (0–100)"),
        _("Standard deviation"),
        _("Spread"),
        *[pick(c.name).text for c in criteria],
    ]
    references = dict(demo_day.call.challenges.values_list("pk", "reference"))
    rows = [
        [
            references.get(row.challenge_id, ""),
            row.rank,
            row.reference,
            row.organisation,
            row.solution,
            row.n_jurors,
            row.mean,
            row.stdev,
            row.spread,
            *[row.criterion_means.get(c.pk) for c in criteria],
        ]
        for row in aggregation.ranking(demo_day)
    ]
    return header, rows


def scores_csv(demo_day) -> str:
    return csv_text(scores_table(demo_day))


def scores_xlsx(demo_day) -> bytes:
    return xlsx_bytes((_("Scores"), scores_table(demo_day)))


def ranking_csv(demo_day) -> str:
    return csv_text(ranking_table(demo_day))


def ranking_xlsx(demo_day) -> bytes:
    return xlsx_bytes((_("Ranking"), ranking_table(demo_day)))
