"""Application forms as data: what each question kind may be configured with, and how answers are checked.

Lab staff build a call's form without code; a question's ``config`` is validated here when it is saved
(clean_question_config) and every answer is checked here (clean_answer), by the UI and the API alike.

Answers are stored by question key in Application.answers:
- short/long text, URL: str; number: str of a decimal ("12", "3.5"); money: str of a decimal;
- date: "YYYY-MM-DD"; single choice: the choice's value; multiple choice: list of values;
- yes/no: true/false; file: the ApplicationFile id; group: list of rows, each {field key: value}.
A value that does not pass is still kept in the working copy (nothing typed is lost) and reported.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govlab.core.i18n import clean_translations
from govlab.core.uploads import DOCUMENT_TYPES

from .enums import GROUP_FIELD_KINDS, QuestionKind

K = QuestionKind

# Limits that hold whatever staff configure.
SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 50_000
GROUP_MAX_ROWS = 50
CHOICES_MAX = 100
# A value longer than this is not kept even in a draft: it is refused with a message at the field.
STORED_TEXT_MAX = 60_000
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,59}$")

DEFAULTS: dict[str, dict] = {
    K.SHORT_TEXT: {"max_length": 200},
    K.LONG_TEXT: {"max_length": 3000},
    K.FILE: {"extensions": ["pdf"], "max_mb": 10},
    K.GROUP: {"min_rows": 0, "max_rows": 10},
}


def file_size_cap_mb() -> int:
    return max(1, int(settings.UPLOAD_MAX_BYTES) // (1024 * 1024))


def _int(config: dict, name: str, errors: dict, *, minimum: int, maximum: int, default=None):
    value = config.get(name, default)
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors[name] = _("Give a whole number.")
        return None
    if not minimum <= number <= maximum:
        errors[name] = _("Give a number from %(min)d to %(max)d.") % {"min": minimum, "max": maximum}
        return None
    return number


# Numbers as people type them in the five languages, when they can only mean one thing:
# "12,5" and "1.250,50" (decimal comma), "1,250.50" (thousands comma). "1,250" stays refused: it is
# 1250 in English and 1.25 in French.
DECIMAL_COMMA = re.compile(r"^-?\d+,\d{1,2}$")
DOTTED_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3})+,\d{1,2}$")
COMMA_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+\.\d+$")


def _decimal(value) -> Decimal | None:
    if value in (None, ""):
        return None
    text = str(value).strip().replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
    if DECIMAL_COMMA.match(text):
        text = text.replace(",", ".")
    elif DOTTED_THOUSANDS.match(text):
        text = text.replace(".", "").replace(",", ".")
    elif COMMA_THOUSANDS.match(text):
        text = text.replace(",", "")
    try:
        number = Decimal(text)
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _clean_choices(raw, errors: dict) -> list[dict]:
    choices = []
    seen = set()
    for item in raw or []:
        if isinstance(item, str):
            item = {"value": item, "label": {settings.LANGUAGE_CODE: item}}
        if not isinstance(item, dict):
            errors["choices"] = _("Each choice needs a value and a label.")
            return []
        value = str(item.get("value") or "").strip()
        raw_label = item.get("label")
        if isinstance(raw_label, str):
            raw_label = {settings.LANGUAGE_CODE: raw_label}
        try:
            label = clean_translations(raw_label, required=False, max_length=300)
        except ValidationError as error:
            errors["choices"] = " ".join(error.messages)
            return []
        if not value:
            errors["choices"] = _("Each choice needs a value.")
            return []
        if value in seen:
            errors["choices"] = _("Two choices have the same value “%(value)s”.") % {"value": value}
            return []
        seen.add(value)
        choices.append({"value": value[:100], "label": label or {settings.LANGUAGE_CODE: value}})
    if len(choices) < 2:
        errors["choices"] = _("Give at least two choices.")
    if len(choices) > CHOICES_MAX:
        errors["choices"] = _("Give at most %(max)d choices.") % {"max": CHOICES_MAX}
    return choices


def clean_question_config(kind: str, config: dict | None, *, in_group: bool = False) -> dict:
    """The configuration of a question of ``kind``, normalised; ValidationError by setting name if wrong."""
    if kind not in K.values:
        raise ValidationError({"kind": _("Choose a kind of question.")})
    if in_group and kind not in GROUP_FIELD_KINDS:
        raise ValidationError({"kind": _("A repeatable group cannot hold files or other groups.")})
    config = {**DEFAULTS.get(kind, {}), **(config or {})}
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    if kind == K.SHORT_TEXT:
        cleaned["max_length"] = _int(config, "max_length", errors, minimum=1, maximum=SHORT_TEXT_MAX)
    elif kind == K.LONG_TEXT:
        cleaned["max_length"] = _int(config, "max_length", errors, minimum=10, maximum=LONG_TEXT_MAX)
    elif kind in (K.NUMBER, K.MONEY):
        for name in ("min", "max"):
            if config.get(name) not in (None, ""):
                number = _decimal(config[name])
                if number is None:
                    errors[name] = _("Give a number.")
                else:
                    cleaned[name] = str(number)
        if "min" in cleaned and "max" in cleaned and Decimal(cleaned["min"]) > Decimal(cleaned["max"]):
            errors["max"] = _("The largest value must not be below the smallest.")
        if kind == K.NUMBER:
            cleaned["integer"] = bool(config.get("integer", False))
        else:
            currency = str(config.get("currency") or "").upper()
            if currency and not re.fullmatch(r"[A-Z]{3}", currency):
                errors["currency"] = _("Give a three-letter currency code, e.g. EUR.")
            cleaned["currency"] = currency
    elif kind == K.DATE:
        for name in ("min", "max"):
            if config.get(name) not in (None, ""):
                try:
                    cleaned[name] = dt.date.fromisoformat(str(config[name])).isoformat()
                except ValueError:
                    errors[name] = _("Give a date as YYYY-MM-DD.")
        if "min" in cleaned and "max" in cleaned and cleaned["min"] > cleaned["max"]:
            errors["max"] = _("The latest date must not be before the earliest.")
    elif kind in (K.SINGLE_CHOICE, K.MULTIPLE_CHOICE):
        cleaned["choices"] = _clean_choices(config.get("choices"), errors)
        if kind == K.MULTIPLE_CHOICE:
            count = len(cleaned["choices"]) or 1
            cleaned["min_selected"] = _int(config, "min_selected", errors, minimum=0, maximum=count)
            cleaned["max_selected"] = _int(config, "max_selected", errors, minimum=1, maximum=count)
            low, high = cleaned["min_selected"], cleaned["max_selected"]
            if low is not None and high is not None and low > high:
                errors["max_selected"] = _("The most choices must not be below the fewest.")
    elif kind == K.FILE:
        extensions = [str(e).lower().lstrip(".") for e in config.get("extensions") or []]
        unknown = sorted(set(extensions) - set(DOCUMENT_TYPES))
        if unknown:
            errors["extensions"] = _("Not an accepted file type: %(types)s.") % {"types": ", ".join(unknown)}
        elif not extensions:
            errors["extensions"] = _("Choose at least one file type.")
        cleaned["extensions"] = sorted(set(extensions))
        cleaned["max_mb"] = _int(config, "max_mb", errors, minimum=1, maximum=file_size_cap_mb())
        if cleaned["max_mb"] is None and "max_mb" not in errors:
            errors["max_mb"] = _("Give the largest size in MB.")
    elif kind == K.GROUP:
        cleaned["min_rows"] = _int(config, "min_rows", errors, minimum=0, maximum=GROUP_MAX_ROWS) or 0
        cleaned["max_rows"] = _int(config, "max_rows", errors, minimum=1, maximum=GROUP_MAX_ROWS)
        if cleaned["max_rows"] is not None and cleaned["min_rows"] > cleaned["max_rows"]:
            errors["max_rows"] = _("The most rows must not be below the fewest.")
        fields = []
        keys = set()
        for position, field in enumerate(config.get("fields") or [], start=1):
            field = field if isinstance(field, dict) else {}
            key = str(field.get("key") or "").strip()
            if not KEY_PATTERN.match(key):
                errors["fields"] = _(
                    "Field %(n)d: give a key of lower-case letters, digits and underscores."
                ) % {"n": position}
                break
            if key in keys:
                errors["fields"] = _("Two fields have the key “%(key)s”.") % {"key": key}
                break
            keys.add(key)
            raw_label = field.get("label")
            if isinstance(raw_label, str):
                raw_label = {settings.LANGUAGE_CODE: raw_label}
            try:
                label = clean_translations(raw_label, max_length=300)
                field_config = clean_question_config(field.get("kind"), field.get("config"), in_group=True)
            except ValidationError as error:
                errors["fields"] = _("Field %(n)d: %(problem)s") % {
                    "n": position,
                    "problem": " ".join(error.messages),
                }
                break
            fields.append(
                {
                    "key": key,
                    "kind": field["kind"],
                    "label": label,
                    "required": bool(field.get("required")),
                    "config": field_config,
                }
            )
        if not fields and "fields" not in errors:
            errors["fields"] = _("A repeatable group needs at least one field.")
        cleaned["fields"] = fields
    if errors:
        raise ValidationError(errors)
    return {name: value for name, value in cleaned.items() if value is not None}


def clean_key(key: str) -> str:
    key = (key or "").strip()
    if not KEY_PATTERN.match(key):
        raise ValidationError(
            {"key": _("Use lower-case letters, digits and underscores, starting with a letter.")}
        )
    return key


# --- Answers ---------------------------------------------------------------------------------------


def is_empty(value) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _text(value) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return str(value)
    raise ValidationError(_("Give text."))


def clean_answer(kind: str, config: dict, value, *, file_ids: set[int] | None = None):
    """The normalised answer, or ValidationError with a message for the applicant. Empty stays empty."""
    if is_empty(value):
        return None
    if kind in (K.SHORT_TEXT, K.LONG_TEXT):
        text = _text(value).strip()
        limit = config.get("max_length")
        if limit and len(text) > limit:
            raise ValidationError(
                _("Keep this to %(max)d characters; it has %(count)d.") % {"max": limit, "count": len(text)}
            )
        if kind == K.SHORT_TEXT and "\n" in text:
            text = " ".join(text.split())
        return text or None
    if kind in (K.NUMBER, K.MONEY):
        number = _decimal(value if not isinstance(value, bool) else None)
        if number is None:
            raise ValidationError(_("Give a number, e.g. 1250 or 12.5."))
        if kind == K.NUMBER and config.get("integer") and number != number.to_integral_value():
            raise ValidationError(_("Give a whole number."))
        if kind == K.MONEY and number.as_tuple().exponent < -2:
            raise ValidationError(_("Give the amount with at most two decimals."))
        if "min" in config and number < Decimal(config["min"]):
            raise ValidationError(_("Give at least %(min)s.") % {"min": config["min"]})
        if "max" in config and number > Decimal(config["max"]):
            raise ValidationError(_("Give at most %(max)s.") % {"max": config["max"]})
        return format(number.normalize(), "f") if number == number.to_integral_value() else str(number)
    if kind == K.DATE:
        try:
            date = dt.date.fromisoformat(_text(value).strip())
        except ValueError:
            raise ValidationError(_("Give a date as YYYY-MM-DD.")) from None
        if "min" in config and date.isoformat() < config["min"]:
            raise ValidationError(_("Give a date on or after %(date)s.") % {"date": config["min"]})
        if "max" in config and date.isoformat() > config["max"]:
            raise ValidationError(_("Give a date on or before %(date)s.") % {"date": config["max"]})
        return date.isoformat()
    if kind == K.SINGLE_CHOICE:
        allowed = {c["value"] for c in config.get("choices", [])}
        if not isinstance(value, str) or value not in allowed:
            raise ValidationError(_("Choose one of the options."))
        return value
    if kind == K.MULTIPLE_CHOICE:
        values = value if isinstance(value, list) else [value]
        allowed = [c["value"] for c in config.get("choices", [])]
        if any(not isinstance(v, str) or v not in allowed for v in values):
            raise ValidationError(_("Choose among the options."))
        chosen = [v for v in allowed if v in values]
        low, high = config.get("min_selected"), config.get("max_selected")
        if low and len(chosen) < low:
            raise ValidationError(_("Choose at least %(min)d.") % {"min": low})
        if high and len(chosen) > high:
            raise ValidationError(_("Choose at most %(max)d.") % {"max": high})
        return chosen or None
    if kind == K.YES_NO:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("yes", "true", "1", "on"):
            return True
        if text in ("no", "false", "0", "off"):
            return False
        raise ValidationError(_("Answer yes or no."))
    if kind == K.URL:
        text = _text(value).strip()
        if "://" not in text:
            text = f"https://{text}"
        try:
            URLValidator(schemes=["http", "https"])(text)
        except ValidationError:
            raise ValidationError(_("Give a web address, e.g. https://example.org.")) from None
        if len(text) > 2000:
            raise ValidationError(_("This web address is too long."))
        return text
    if kind == K.FILE:
        try:
            file_id = int(value)
        except (TypeError, ValueError):
            raise ValidationError(_("Upload a file.")) from None
        if file_ids is not None and file_id not in file_ids:
            raise ValidationError(_("Upload the file again: it is not part of this application."))
        return file_id
    if kind == K.GROUP:
        rows = value if isinstance(value, list) else None
        if rows is None or any(not isinstance(row, dict) for row in rows):
            raise ValidationError(_("Give a list of rows."))
        cleaned_rows, problems = [], []
        for number, row in enumerate(rows, start=1):
            if all(is_empty(v) or (isinstance(v, str) and not v.strip()) for v in row.values()):
                continue  # a blank row (e.g. the empty one a form offers for adding) is no answer
            cleaned_row = {}
            for field in config.get("fields", []):
                raw = row.get(field["key"])
                try:
                    answer = clean_answer(field["kind"], field.get("config", {}), raw)
                except ValidationError as error:
                    problems.append(
                        _("Row %(n)d, %(field)s: %(problem)s")
                        % {"n": number, "field": _label(field), "problem": " ".join(error.messages)}
                    )
                    continue
                if answer is None and field.get("required"):
                    problems.append(
                        _("Row %(n)d: %(field)s is required.") % {"n": number, "field": _label(field)}
                    )
                if answer is not None:
                    cleaned_row[field["key"]] = answer
            if cleaned_row:
                cleaned_rows.append(cleaned_row)
        if problems:
            raise ValidationError(problems)
        if config.get("max_rows") and len(cleaned_rows) > config["max_rows"]:
            raise ValidationError(_("Give at most %(max)d rows.") % {"max": config["max_rows"]})
        if config.get("min_rows") and len(cleaned_rows) < config["min_rows"]:
            raise ValidationError(_("Give at least %(min)d rows.") % {"min": config["min_rows"]})
        return cleaned_rows or None
    raise ValidationError(_("This question cannot be answered."))


def _label(field: dict) -> str:
    from govlab.core.i18n import pick

    return pick(field.get("label")).text or field.get("key", "")


def oversized(value) -> bool:
    """True if a value is too large to keep even in a draft (e.g. 1 MB of text pasted into a field)."""
    if isinstance(value, str):
        return len(value) > STORED_TEXT_MAX
    if isinstance(value, list):
        return len(value) > GROUP_MAX_ROWS * 2 or any(oversized(v) for v in value)
    if isinstance(value, dict):
        return len(value) > 200 or any(oversized(v) for v in value.values())
    return False


TOO_LARGE = gettext_lazy("This answer is too large to save (over %(max)d characters); shorten it.")
