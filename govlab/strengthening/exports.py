"""CSV and XLSX exports of a programme for the lab's team: attendance (one row per bootcamp registration)
and hours (one row per member and activity, then the cohort's own). Text cells are made safe from formula
injection (``safe_cell``); numbers stay numbers."""

from __future__ import annotations

import zoneinfo

from django.utils import timezone
from django.utils.translation import gettext as _

from govlab.core.exports import csv_text, xlsx_bytes

from . import selectors
from .enums import ActivityKind
from .models import BootcampRegistration, Programme

__all__ = ["attendance_csv", "attendance_table", "attendance_xlsx", "hours_csv", "hours_table", "hours_xlsx"]


def attendance_table(programme: Programme) -> tuple[list[str], list[list]]:
    zone = zoneinfo.ZoneInfo(programme.call.lab.time_zone or "UTC")
    header = [
        _("Bootcamp"),
        _("Starts"),
        _("Reference"),
        _("Organisation"),
        _("Person"),
        _("E-mail"),
        _("Attended"),
        _("Hours"),
    ]
    rows = []
    for r in (
        BootcampRegistration.objects.filter(bootcamp__programme=programme)
        .select_related("bootcamp", "person", "member__application__organisation")
        .order_by("bootcamp__starts_at", "bootcamp_id", "member__application__reference", "pk")
    ):
        rows.append(
            [
                r.bootcamp.topic,
                timezone.localtime(r.bootcamp.starts_at, zone).strftime("%Y-%m-%d %H:%M"),
                r.member.application.reference,
                r.member.application.organisation.name,
                getattr(r.person, "full_name", "") or "",
                r.person.email,
                {True: _("yes"), False: _("no"), None: ""}[r.attended],
                r.hours,
            ]
        )
    return header, rows


def hours_table(programme: Programme) -> tuple[list[str], list[list]]:
    totals = selectors.hours_totals(programme)
    kinds = ActivityKind.values
    header = [_("Reference"), _("Organisation"), *[str(ActivityKind(k).label) for k in kinds], _("Total")]
    rows = []
    for row in totals["members"]:
        application = row["member"].application
        rows.append(
            [
                application.reference,
                application.organisation.name,
                *[row["by_kind"][k] for k in kinds],
                row["total"],
            ]
        )
    shared = totals["shared"]
    rows.append(["", _("Whole cohort (not one solver)"), *[shared[k] for k in kinds], sum(shared.values())])
    rows.append(["", _("Total"), *[totals["cohort"][k] for k in kinds], totals["total"]])
    return header, rows


def attendance_csv(programme) -> str:
    return csv_text(attendance_table(programme))


def attendance_xlsx(programme) -> bytes:
    return xlsx_bytes((_("Attendance"), attendance_table(programme)))


def hours_csv(programme) -> str:
    return csv_text(hours_table(programme))


def hours_xlsx(programme) -> bytes:
    return xlsx_bytes((_("Hours"), hours_table(programme)))
