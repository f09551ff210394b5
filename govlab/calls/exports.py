"""CSV and XLSX exports of a call's applications for the lab: one row per application.

Each question of the stage is one column. The answers are those of the latest submitted revision (what the
organisation handed in). An application never submitted is a draft the lab does not read (applicants are
told drafts are not considered): its row shows who, for which challenge, its status and how many items it
still misses, with empty answer cells. A file answer shows the name of the file. Every cell is text, written
by ``govlab.core.exports`` (which makes it safe: a hostile answer such as ``=HYPERLINK(...)`` stays text).
"""

from __future__ import annotations

import zoneinfo

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from govlab.core.exports import csv_text, xlsx_bytes
from govlab.core.i18n import pick

from . import services
from .enums import QuestionKind
from .models import Application, ApplicationFile, ApplicationRevision

K = QuestionKind

__all__ = [
    "applications_csv",
    "applications_xlsx",
    "export_table",
    "file_answer",
    "format_answer",
    "revision_file_ids",
]


def _choice_label(config: dict, value, languages) -> str:
    for choice in config.get("choices", []):
        if choice.get("value") == value:
            return pick(choice.get("label"), preferred=languages).text or str(value)
    return str(value)


def file_answer(value) -> tuple[int | None, dict | None]:
    """The file id of a file answer, and what the revision recorded of it.

    The working copy holds the file's id (an int); a submitted revision holds
    ``{"file": {"id", "name", "sha256", "size"}}`` (see receipts.build_content). Anything else: (None, None).
    """
    if isinstance(value, dict):
        given = value.get("file")
        if isinstance(given, dict):
            file_id = given.get("id")
            valid = isinstance(file_id, int) and not isinstance(file_id, bool)
            return (file_id if valid else None), given
        return None, None
    if isinstance(value, bool) or value is None:
        return None, None
    try:
        return int(value), None
    except (TypeError, ValueError):
        return None, None


def revision_file_ids(answers) -> set[int]:
    """The ids of the files a submitted revision's answers hold."""
    ids = set()
    for value in (answers or {}).values():
        file_id, given = file_answer(value) if isinstance(value, dict) else (None, None)
        if file_id is not None and given is not None:
            ids.add(file_id)
    return ids


def format_answer(kind: str, config: dict, value, *, files: dict | None = None, languages=None) -> str:
    """An answer as plain text, as a spreadsheet cell or a line of text shows it."""
    if value is None or value == "" or value == [] or value == {}:
        return ""
    if kind == K.YES_NO:
        if isinstance(value, bool):
            return _("Yes") if value else _("No")
        return str(value)
    if kind == K.SINGLE_CHOICE:
        return _choice_label(config, value, languages)
    if kind == K.MULTIPLE_CHOICE:
        values = value if isinstance(value, list) else [value]
        return "; ".join(_choice_label(config, item, languages) for item in values)
    if kind == K.MONEY:
        currency = config.get("currency") or ""
        return f"{value} {currency}".strip()
    if kind == K.FILE:
        file_id, given = file_answer(value)
        if given is not None and given.get("name"):
            return str(given["name"])
        file = (files or {}).get(file_id) if file_id is not None else None
        if file is not None:
            return file.original_name
        return "" if isinstance(value, (list, dict)) else str(value)
    if kind == K.GROUP:
        rows = value if isinstance(value, list) else []
        lines = []
        for row in rows:
            if not isinstance(row, dict):
                continue
            parts = []
            for field in config.get("fields", []):
                shown = format_answer(
                    field["kind"], field.get("config", {}), row.get(field["key"]), languages=languages
                )
                if shown:
                    parts.append(f"{pick(field.get('label'), preferred=languages).text}: {shown}")
            lines.append("; ".join(parts))
        return "\n".join(lines)
    if isinstance(value, (list, dict)):
        return str(value)
    return str(value)


def export_applications(call, stage: str):
    """The applications of ``call`` at ``stage``, with what the export needs, in a fixed order."""
    return (
        Application.objects.filter(call=call, stage=stage)
        .select_related("organisation", "challenge")
        .prefetch_related(
            Prefetch(
                "revisions",
                queryset=ApplicationRevision.objects.order_by("-number").only(
                    "pk", "application_id", "number", "answers", "receipt_code", "submitted_at"
                ),
            ),
            Prefetch("files", queryset=ApplicationFile.objects.only("pk", "application_id")),
        )
        .order_by("challenge__reference", "organisation__name", "pk")
    )


def export_table(call, stage: str) -> tuple[list[str], list[list[str]]]:
    """The header and the rows, every cell text (made safe when written)."""
    languages = call.lab.languages
    zone = zoneinfo.ZoneInfo(call.time_zone or "UTC")
    questions = list(call.questions.filter(stage=stage).order_by("position", "pk"))
    header = [
        _("Reference"),
        _("Organisation"),
        _("Country"),
        _("Organisation kind"),
        _("Challenge"),
        _("Challenge title"),
        _("Stage"),
        _("Status"),
        _("Last submitted (%(zone)s)") % {"zone": call.time_zone},
        _("Receipt number"),
        _("Answers from"),
        _("Items missing for a submission"),
        *[pick(question.label, preferred=languages).text or question.key for question in questions],
    ]
    rows = []
    for application in export_applications(call, stage):
        application.call = call
        revisions = list(application.revisions.all())
        latest = revisions[0] if revisions else None
        organisation = application.organisation
        if latest is None:
            # Never submitted: the working copy is the applicant's, not the lab's to read.
            gaps = services.application_gaps(
                application,
                questions=questions,
                file_ids={file.pk for file in application.files.all()},
            )
            missing = str(len(gaps))
            answers = [""] * len(questions)
        else:
            missing = ""
            answers = [
                format_answer(
                    question.kind,
                    question.config or {},
                    (latest.answers or {}).get(question.key),
                    languages=languages,
                )
                for question in questions
            ]
        rows.append(
            [
                application.reference,
                organisation.name,
                str(organisation.country or ""),
                organisation.get_kind_display(),
                application.challenge.reference,
                pick(application.challenge.title, preferred=languages).text,
                application.get_stage_display(),
                application.get_status_display(),
                (
                    timezone.localtime(application.submitted_at, zone).strftime("%Y-%m-%d %H:%M:%S")
                    if application.submitted_at
                    else ""
                ),
                latest.receipt_code if latest is not None else "",
                (
                    _("Submitted revision %(number)d") % {"number": latest.number}
                    if latest is not None
                    else _("Draft, never submitted")
                ),
                missing,
                *answers,
            ]
        )
    return header, rows


def applications_csv(call, stage: str) -> str:
    return csv_text(export_table(call, stage))


def applications_xlsx(call, stage: str) -> bytes:
    return xlsx_bytes((_("Applications"), export_table(call, stage)))
