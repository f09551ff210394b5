"""The innovation-kit worksheets: the fields each one has, as data.

A worksheet version's ``data`` is validated against its kind's fields. Field types:
``text`` (one line), ``long`` (paragraphs), ``list`` (several lines of text) and ``rows`` (a table with the
named columns). The form and the API both read these definitions.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .enums import WorksheetKind

MAX_TEXT = 5000
MAX_ITEMS = 50


@dataclass(frozen=True)
class WorksheetField:
    name: str
    label: object
    type: str  # text | long | list | rows
    columns: tuple[tuple[str, object], ...] = ()
    required: bool = False


def _f(name, label, type_, columns=(), required=False) -> WorksheetField:
    return WorksheetField(name, label, type_, tuple(columns), required)


WORKSHEET_FIELDS: dict[str, tuple[WorksheetField, ...]] = {
    WorksheetKind.PROBLEM_TREE: (
        _f("central_problem", _("Central problem"), "long", required=True),
        _f("causes", _("Causes (roots)"), "list", required=True),
        _f("effects", _("Effects (branches)"), "list", required=True),
    ),
    WorksheetKind.STAKEHOLDER_MAP: (
        _f(
            "stakeholders",
            _("Stakeholders"),
            "rows",
            columns=(
                ("name", _("Stakeholder")),
                ("interest", _("Interest")),
                ("influence", _("Influence")),
                ("role", _("Role in the challenge")),
            ),
            required=True,
        ),
    ),
    WorksheetKind.PERSONA: (
        _f("name", _("Persona's name"), "text", required=True),
        _f("profile", _("Who they are"), "long", required=True),
        _f("goals", _("Goals"), "list"),
        _f("pain_points", _("Pain points"), "list", required=True),
    ),
    WorksheetKind.USER_JOURNEY: (
        _f("persona", _("Whose journey"), "text", required=True),
        _f(
            "steps",
            _("Steps"),
            "rows",
            columns=(
                ("stage", _("Stage")),
                ("action", _("What they do")),
                ("pain_point", _("Pain point")),
                ("opportunity", _("Opportunity")),
            ),
            required=True,
        ),
    ),
    WorksheetKind.FIVE_WHYS: (
        _f("problem", _("Problem"), "long", required=True),
        _f("whys", _("Why? (up to five answers, each asking why of the one before)"), "list", required=True),
        _f("root_cause", _("Root cause"), "long", required=True),
    ),
    WorksheetKind.HOW_MIGHT_WE: (_f("statements", _("“How might we…” statements"), "list", required=True),),
    WorksheetKind.NEEDS_ANALYSIS: (
        _f(
            "needs",
            _("Needs"),
            "rows",
            columns=(
                ("need", _("Need")),
                ("who", _("Whose need")),
                ("priority", _("Priority")),
                ("evidence", _("Evidence")),
            ),
            required=True,
        ),
    ),
}


def clean_worksheet_data(kind: str, data: object, *, complete: bool) -> dict:
    """Normalise a worksheet's content; when ``complete``, every required field must be filled."""
    if kind not in WORKSHEET_FIELDS:
        raise ValidationError({"kind": _("Unknown worksheet.")})
    if not isinstance(data, dict):
        raise ValidationError({"data": _("The worksheet's content must be an object.")})
    cleaned: dict = {}
    errors: dict[str, str] = {}
    for field in WORKSHEET_FIELDS[kind]:
        value = data.get(field.name)
        if field.type in ("text", "long"):
            value = "" if value is None else value
            if not isinstance(value, str):
                errors[field.name] = _("Give text.")
                continue
            value = value.strip()
            if len(value) > MAX_TEXT:
                errors[field.name] = _("At most %(max)d characters.") % {"max": MAX_TEXT}
                continue
        elif field.type == "list":
            value = value or []
            if isinstance(value, str):
                value = value.splitlines()
            if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
                errors[field.name] = _("Give a list of texts.")
                continue
            value = [item.strip() for item in value if item and item.strip()]
            if len(value) > MAX_ITEMS or any(len(item) > MAX_TEXT for item in value):
                errors[field.name] = _("At most %(max)d items of %(chars)d characters.") % {
                    "max": MAX_ITEMS,
                    "chars": MAX_TEXT,
                }
                continue
        else:  # rows
            value = value or []
            names = [name for name, _label in field.columns]
            if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
                errors[field.name] = _("Give a list of rows.")
                continue
            rows = []
            for row in value:
                clean_row = {name: str(row.get(name) or "").strip()[:MAX_TEXT] for name in names}
                if any(clean_row.values()):
                    rows.append(clean_row)
            if len(rows) > MAX_ITEMS:
                errors[field.name] = _("At most %(max)d rows.") % {"max": MAX_ITEMS}
                continue
            value = rows
        if complete and field.required and not value:
            errors[field.name] = _("Fill this in before marking the worksheet complete.")
        cleaned[field.name] = value
    if errors:
        raise ValidationError(errors)
    return cleaned
