"""CSV exports for the lab: a campaign's challenges with their screening results."""

from __future__ import annotations

import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext as _

from govlab.core.exports import csv_text
from govlab.core.i18n import pick

from .enums import CriterionAnswer
from .selectors import campaign_export_rows


def _answer(assessment) -> str:
    if assessment is None:
        return ""
    label = str(CriterionAnswer(assessment.answer).label)
    if assessment.note:
        return _("%(answer)s: %(note)s") % {"answer": label, "note": assessment.note}
    return label


def campaign_screening_csv(campaign) -> str:
    """One row per submitted challenge of ``campaign``, one column per viability criterion."""
    languages = campaign.lab.languages
    lab_zone = zoneinfo.ZoneInfo(campaign.lab.time_zone)
    criteria = list(campaign.criteria.order_by("position", "pk"))
    header = [
        _("Reference"),
        _("Title"),
        _("Public entity"),
        _("Status"),
        _("Priority"),
        _("Submitted"),
        _("Reason for declining"),
        _("Message to the entity"),
        *[pick(criterion.name, preferred=languages).text for criterion in criteria],
    ]
    rows = []
    for challenge in campaign_export_rows(campaign):
        by_criterion = {a.criterion_id: a for a in challenge.assessments.all()}
        rows.append(
            [
                challenge.reference,
                pick(challenge.title, preferred=languages).text,
                challenge.owner.name,
                challenge.get_status_display(),
                challenge.priority_rank or "",
                (
                    timezone.localtime(challenge.submitted_at, lab_zone).date().isoformat()
                    if challenge.submitted_at
                    else ""
                ),
                challenge.get_decline_reason_display() if challenge.decline_reason else "",
                challenge.decision_message,
                *[_answer(by_criterion.get(criterion.pk)) for criterion in criteria],
            ]
        )
    return csv_text((header, rows))
