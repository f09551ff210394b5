"""Forms of the lab's call pages: the call, its criteria, documents, form builder, Q&A and extensions.

The forms only read and check input; every write goes through ``services``. Errors a service raises by
field are put back on the form with ``apply_errors``. Instants are typed as local wall-clock times in the
call's time zone and turned into UTC here (``local_to_utc``): a time that does not exist, or happens
twice, at a daylight-saving change is refused at its field.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.forms import BaseFormSet, formset_factory
from django.forms.fields import BaseTemporalField
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from govlab.accounts.forms import time_zone_choices
from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.forms_lab import LabForm, apply_errors
from govlab.challenges.forms_public import country_choices
from govlab.challenges.models import Challenge
from govlab.core.forms import DateInput, StyledErrorsForm
from govlab.core.i18n import TranslatedFormField, pick
from govlab.core.timezones import local_to_utc, utc_to_local
from govlab.core.uploads import DOCUMENT_TYPES
from govlab.labs.models import CURRENCY_CHOICES
from govlab.organisations.enums import SOLVER_KINDS, TRL_LEVELS, OrganisationKind

from . import forms_engine
from .enums import GROUP_FIELD_KINDS, QuestionKind, Stage
from .models import Call

__all__ = ["apply_errors"]

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"
LOCAL_FORMATS = [LOCAL_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
CALL_DATETIME_FIELDS = (
    "publishes_at",
    "enquiries_close_at",
    "deadline",
    "proposal_deadline",
    "evaluation_ends_at",
)
CALL_DATE_FIELDS = ("preselection_on", "strengthening_starts_on", "strengthening_ends_on", "demo_day_on")
CALL_FIELDS = (
    "title",
    "slug",
    "summary",
    "description",
    "eligible_kinds",
    "eligible_countries",
    "min_trl",
    "consortium_allowed",
    "time_zone",
    *CALL_DATETIME_FIELDS,
    *CALL_DATE_FIELDS,
    "two_stage",
    "max_preselected",
    "currency",
    "strengthening_budget",
    "pilot_budget",
    "support",
)
K = QuestionKind


# --- Local times ---------------------------------------------------------------------------------


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=LOCAL_FORMAT)


class LocalDateTimeField(forms.DateTimeField):
    """A wall-clock date and time, kept naive: the form turns it into an instant in the chosen zone."""

    widget = LocalDateTimeInput

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", LOCAL_FORMATS)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.replace(tzinfo=None) if timezone.is_naive(value) else value
        return BaseTemporalField.to_python(self, value)

    def prepare_value(self, value):
        return value


def _date_field(label, **kwargs):
    return forms.DateField(
        label=label, required=False, widget=DateInput, input_formats=["%Y-%m-%d"], **kwargs
    )


# --- The call ------------------------------------------------------------------------------------


class CallForm(LabForm):
    title = TranslatedFormField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=80,
        help_text=_("Lower-case letters, digits and hyphens, e.g. bye-bye-robots-2027."),
    )
    summary = TranslatedFormField(label=_("Summary"), max_length=1000, multiline=True)
    description = TranslatedFormField(
        label=_("Description"), max_length=20000, multiline=True, required=False
    )
    challenges = forms.ModelMultipleChoiceField(
        label=_("Challenges"),
        queryset=Challenge.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The lab's challenges that are ready for a call. Publishing needs at least one."),
    )
    eligible_kinds = forms.MultipleChoiceField(
        label=_("Organisation kinds that may apply"),
        choices=[(kind.value, kind.label) for kind in SOLVER_KINDS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose none to open the call to every kind of solver."),
    )
    eligible_countries = forms.MultipleChoiceField(
        label=_("Countries that may apply"),
        choices=country_choices,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Choose none to open the call to every country. Hold Ctrl (or ⌘) to choose several."),
    )
    min_trl = forms.TypedChoiceField(
        label=_("Minimum TRL of the solution"),
        choices=[("", _("Any")), *TRL_LEVELS],
        coerce=int,
        empty_value=None,
        required=False,
    )
    consortium_allowed = forms.BooleanField(label=_("Consortia may apply"), required=False, initial=True)
    time_zone = forms.ChoiceField(
        label=_("Time zone of the call"),
        choices=time_zone_choices,
        help_text=_(
            "Every date and time below is in this time zone, and so is the deadline shown to applicants."
        ),
    )
    publishes_at = LocalDateTimeField(
        label=_("Publication"), required=False, help_text=_("When the call appears on the public site.")
    )
    enquiries_close_at = LocalDateTimeField(
        label=_("End of the enquiry period"),
        required=False,
        help_text=_("Applicants may ask questions until then; if empty, until the deadline."),
    )
    deadline = LocalDateTimeField(
        label=_("Submission deadline"),
        help_text=_("Local time in the call's time zone. A submission must arrive before this minute."),
    )
    two_stage = forms.BooleanField(
        label=_("Two stages"),
        required=False,
        help_text=_("A light expression of interest first; a full proposal only from those invited."),
    )
    proposal_deadline = LocalDateTimeField(
        label=_("Full proposal deadline"), required=False, help_text=_("Two-stage calls only.")
    )
    evaluation_ends_at = LocalDateTimeField(label=_("End of evaluation"), required=False)
    preselection_on = _date_field(_("Preselection announcement"))
    strengthening_starts_on = _date_field(_("Strengthening starts"))
    strengthening_ends_on = _date_field(_("Strengthening ends"))
    demo_day_on = _date_field(_("Demo Day"))
    max_preselected = forms.IntegerField(
        label=_("Maximum preselected per challenge"), min_value=1, max_value=20, initial=3
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES)
    strengthening_budget = forms.DecimalField(
        label=_("Strengthening budget"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    pilot_budget = forms.DecimalField(
        label=_("Pilot budget"), min_value=0, max_digits=14, decimal_places=2, required=False
    )
    support = TranslatedFormField(
        label=_("Support offered"),
        max_length=5000,
        multiline=True,
        required=False,
        help_text=_("Mentoring, bootcamps, access to data or sites, and anything else the lab offers."),
    )

    def __init__(self, *args, lab, call=None, **kwargs):
        if call is not None and not kwargs.get("initial"):
            kwargs["initial"] = call_initial(call)
        elif call is None:
            kwargs.setdefault(
                "initial", {"time_zone": lab.time_zone, "currency": lab.currency, "max_preselected": 3}
            )
        super().__init__(*args, languages=lab.languages, instance=call, **kwargs)
        self.lab = lab
        in_this_call = Q(calls=call) if call is not None and call.pk else Q(pk__in=[])
        self.fields["challenges"].queryset = (
            Challenge.objects.filter(lab=lab)
            .filter(Q(status=ChallengeStatus.READY_FOR_CALL) | in_this_call)
            .distinct()
            .order_by("reference")
        )
        self.fields["challenges"].label_from_instance = lambda challenge: (
            f"{challenge.reference} — {pick(challenge.title, preferred=lab.languages).text}"
        )
        current = (self.initial or {}).get("time_zone")
        flat = {value for value, label in time_zone_choices() if not isinstance(label, list)}
        flat |= {value for _r, zones in time_zone_choices() if isinstance(zones, list) for value, _l in zones}
        if current and current not in flat:
            self.fields["time_zone"].choices = [(current, current), *time_zone_choices()]

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        taken = Call.objects.filter(lab=self.lab, slug=slug)
        if self.instance is not None and self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("This lab already has a call with this short name."))
        return slug

    def clean(self):
        cleaned = super().clean()
        zone_name = cleaned.get("time_zone")
        for name in CALL_DATETIME_FIELDS:
            value = cleaned.get(name)
            if value is None or not zone_name:
                continue
            if timezone.is_aware(value):
                continue
            try:
                cleaned[name] = local_to_utc(value, zone_name)
            except ValidationError as error:
                self.add_error(name, error)
        if (
            cleaned.get("two_stage")
            and not cleaned.get("proposal_deadline")
            and "proposal_deadline" not in self.errors
        ):
            self.add_error(
                "proposal_deadline", _("A two-stage call needs a deadline for the full proposals.")
            )
        deadline = cleaned.get("deadline")
        for name, message in (
            ("publishes_at", _("The call must be published before its deadline.")),
            ("enquiries_close_at", _("The enquiry period must end by the deadline.")),
        ):
            value = cleaned.get(name)
            if deadline and value and name not in self.errors and value > deadline:
                self.add_error(name, message)
        proposal = cleaned.get("proposal_deadline")
        if cleaned.get("two_stage") and deadline and proposal and proposal <= deadline:
            self.add_error("proposal_deadline", _("The full proposals must be due after the first deadline."))
        starts, ends = cleaned.get("strengthening_starts_on"), cleaned.get("strengthening_ends_on")
        if starts and ends and ends < starts:
            self.add_error("strengthening_ends_on", _("The strengthening period must end after it starts."))
        return cleaned

    FIELDSETS = (
        (_("The call"), ("title", "slug", "summary", "description", "challenges")),
        (_("Who may apply"), ("eligible_kinds", "eligible_countries", "min_trl", "consortium_allowed")),
        (
            _("Timeline"),
            (
                "time_zone",
                "publishes_at",
                "enquiries_close_at",
                "deadline",
                "two_stage",
                "proposal_deadline",
                "evaluation_ends_at",
                "preselection_on",
                "strengthening_starts_on",
                "strengthening_ends_on",
                "demo_day_on",
            ),
        ),
        (
            _("Selection and support"),
            ("max_preselected", "currency", "strengthening_budget", "pilot_budget", "support"),
        ),
    )

    def fieldsets(self):
        return [(legend, [self[name] for name in names]) for legend, names in self.FIELDSETS]

    def call_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in CALL_FIELDS}


def call_initial(call: Call) -> dict:
    initial = {name: getattr(call, name) for name in CALL_FIELDS}
    for name in CALL_DATETIME_FIELDS:
        initial[name] = utc_to_local(getattr(call, name), call.time_zone)
    initial["challenges"] = list(call.challenges.all()) if call.pk else []
    return initial


class CancelForm(StyledErrorsForm):
    reason = forms.CharField(
        label=_("Why the call is cancelled"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Recorded in the audit trail and shown to those who started an application."),
    )


# --- Labelled levels: "value = label", one per line ------------------------------------------------

_CHOICE_VALUE = re.compile(r"^[\w.-]{1,100}$")


def _split_line(line: str, *, integer: bool):
    if "=" in line:
        head, _sep, tail = line.partition("=")
        head = head.strip()
        if integer or _CHOICE_VALUE.match(head):
            return head, tail.strip()
    return None, line.strip()


def parse_levels(translations: dict, languages: list[str], *, integer: bool) -> list[dict]:
    """Lines typed per language → [{"value": ..., "label": {lang: text}}], matched by position.

    The first language (in ``languages`` order) with lines sets the values; the others must give as many
    lines, and any value they repeat must be the same.
    """
    per_language = {}
    for code in languages:
        lines = [line.strip() for line in (translations.get(code) or "").splitlines() if line.strip()]
        if lines:
            per_language[code] = [_split_line(line, integer=integer) for line in lines]
    if not per_language:
        return []
    first = next(iter(per_language))
    levels = []
    for number, (value, label) in enumerate(per_language[first], start=1):
        if integer:
            try:
                value = int(value) if value is not None else None
            except ValueError:
                value = None
            if value is None:
                raise ValidationError(
                    gettext("Line %(n)d: write it as “value = label” with a whole number, e.g. “2 = Good”.")
                    % {"n": number}
                )
        elif value is None:
            value = slugify(label).replace("-", "_")[:100] or f"option_{number}"
        if not label:
            raise ValidationError(gettext("Line %(n)d: give a label after the “=”.") % {"n": number})
        levels.append({"value": value, "label": {first: label}})
    for code, lines in per_language.items():
        if code == first:
            continue
        if len(lines) != len(levels):
            raise ValidationError(
                gettext(
                    "Give as many lines in each language: %(first)s has %(count)d, "
                    "%(other)s has %(other_count)d."
                )
                % {"first": first, "count": len(levels), "other": code, "other_count": len(lines)}
            )
        for number, ((value, label), level) in enumerate(zip(lines, levels, strict=True), start=1):
            if value is not None and str(value) != str(level["value"]):
                raise ValidationError(
                    gettext("Line %(n)d in %(lang)s: the value must be “%(value)s”, as in %(first)s.")
                    % {"n": number, "lang": code, "value": level["value"], "first": first}
                )
            if label:
                level["label"][code] = label
    return levels


def levels_text(levels: list[dict]) -> dict:
    """The translations dict of lines that ``parse_levels`` reads back."""
    codes = []
    for level in levels or []:
        for code in level.get("label") or {}:
            if code not in codes:
                codes.append(code)
    return {
        code: "\n".join(f"{level['value']} = {(level.get('label') or {}).get(code, '')}" for level in levels)
        for code in codes
    }


# --- Criteria ------------------------------------------------------------------------------------


class CriterionForm(LabForm):
    name = TranslatedFormField(label=_("Criterion"), max_length=200)
    description = TranslatedFormField(label=_("Description"), max_length=2000, multiline=True, required=False)
    weight = forms.DecimalField(
        label=_("Weight"),
        min_value=Decimal("0.01"),
        max_digits=6,
        decimal_places=2,
        help_text=_("Relative to the other criteria; shown below as a percentage of the total."),
    )
    scale = TranslatedFormField(
        label=_("Scale"),
        max_length=4000,
        multiline=True,
        help_text=_(
            "One level per line, lowest first, as “value = label”, e.g. “0 = Absent”. "
            "Each language has the same values."
        ),
    )

    def clean_scale(self):
        value = self.cleaned_data["scale"]
        levels = parse_levels(value, self.fields["scale"].languages, integer=True)
        if len(levels) < 2:
            raise ValidationError(_("Give at least two levels."))
        values = [level["value"] for level in levels]
        if values != sorted(set(values)):
            raise ValidationError(_("Give the levels from the lowest value to the highest, each value once."))
        self.levels = levels
        return value

    def criterion(self) -> dict:
        return {
            "name": self.cleaned_data["name"],
            "description": self.cleaned_data["description"],
            "weight": self.cleaned_data["weight"],
            "scale": self.levels,
        }


class BaseCriterionFormSet(BaseFormSet):
    def criteria(self) -> list[dict]:
        forms_in_order = [form for form in self.ordered_forms if not self._should_delete_form(form)]
        kept = [form for form in self.forms if form not in forms_in_order and form.has_changed()]
        return [
            form.criterion()
            for form in [*forms_in_order, *kept]
            if form.has_changed() and not self._should_delete_form(form) and hasattr(form, "levels")
        ]


CriterionFormSet = formset_factory(
    CriterionForm, formset=BaseCriterionFormSet, extra=1, can_delete=True, can_order=True, max_num=30
)


def criteria_initial(criteria) -> list[dict]:
    return [
        {
            "name": criterion.name,
            "description": criterion.description,
            "weight": criterion.weight,
            "scale": levels_text(criterion.scale),
            "ORDER": position,
        }
        for position, criterion in enumerate(criteria, start=1)
    ]


# --- Documents -----------------------------------------------------------------------------------


class DocumentForm(LabForm):
    title = TranslatedFormField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, office documents, CSV, text or images."),
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{ext}" for ext in DOCUMENT_TYPES)}),
    )
    is_template = forms.BooleanField(
        label=_("A template applicants fill in"),
        required=False,
        help_text=_("Shown apart from the other documents."),
    )


# --- The form builder ------------------------------------------------------------------------------

# The settings each kind of question shows, in order (the names are forms_engine's config keys).
KIND_SETTINGS = {
    K.SHORT_TEXT: ("max_length",),
    K.LONG_TEXT: ("max_length",),
    K.NUMBER: ("min", "max", "integer"),
    K.MONEY: ("min", "max", "currency"),
    K.DATE: ("min_date", "max_date"),
    K.SINGLE_CHOICE: ("choices",),
    K.MULTIPLE_CHOICE: ("choices", "min_selected", "max_selected"),
    K.YES_NO: (),
    K.URL: (),
    K.FILE: ("extensions", "max_mb"),
    K.GROUP: ("row_fields", "min_rows", "max_rows"),
}
# Form field → config key where they differ (dates and numbers share "min"/"max" in the config).
_CONFIG_KEY = {"min_date": "min", "max_date": "max", "row_fields": "fields"}
_REQUIRED_WORDS = {
    "required": True,
    "yes": True,
    "true": True,
    "1": True,
    "optional": False,
    "no": False,
    "false": False,
    "0": False,
    "": False,
}


class KindChoiceForm(forms.Form):
    """The first step of adding a question: its stage and kind."""

    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)
    kind = forms.ChoiceField(label=_("Kind of question"), choices=QuestionKind.choices)

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        if not call.two_stage:
            self.fields["stage"].choices = [(Stage.PROPOSAL, Stage.PROPOSAL.label)]


class QuestionForm(LabForm):
    key = forms.CharField(
        label=_("Key"),
        max_length=60,
        required=False,
        help_text=_(
            "Names the answer in exports and the API: lower-case letters, digits and underscores. "
            "Leave it empty to make one from the question."
        ),
    )
    label = TranslatedFormField(label=_("Question"), max_length=500)
    help_text = TranslatedFormField(label=_("Help text"), max_length=2000, multiline=True, required=False)
    required = forms.BooleanField(label=_("An answer is required"), required=False)
    identifying = forms.BooleanField(
        label=_("Identifies the applicant"),
        required=False,
        help_text=_("Hidden from evaluators while the evaluation is blind."),
    )
    # Settings, shown by kind (see KIND_SETTINGS).
    max_length = forms.IntegerField(label=_("Most characters"), min_value=1, required=False)
    min = forms.DecimalField(label=_("Smallest value"), required=False)
    max = forms.DecimalField(label=_("Largest value"), required=False)
    integer = forms.BooleanField(label=_("Whole numbers only"), required=False)
    currency = forms.ChoiceField(
        label=_("Currency"), choices=[("", _("Any")), *CURRENCY_CHOICES], required=False
    )
    min_date = _date_field(_("Earliest date"))
    max_date = _date_field(_("Latest date"))
    choices = TranslatedFormField(
        label=_("Choices"),
        max_length=20000,
        multiline=True,
        required=False,
        help_text=_(
            "One per line, as “value = label” or just the label (its value is then made from it). "
            "Each language gives as many lines, in the same order."
        ),
    )
    min_selected = forms.IntegerField(label=_("Fewest choices"), min_value=0, required=False)
    max_selected = forms.IntegerField(label=_("Most choices"), min_value=1, required=False)
    extensions = forms.MultipleChoiceField(
        label=_("Accepted file types"),
        choices=[(ext, ext.upper()) for ext in DOCUMENT_TYPES],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    max_mb = forms.IntegerField(label=_("Largest size (MB)"), min_value=1, required=False)
    row_fields = forms.CharField(
        label=_("Fields of each row"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
        help_text=_(
            "One field per line: “key | kind | label | required”, "
            "e.g. “name | short_text | Name | required”. "
            "Kinds: %(kinds)s. Choice fields add their options after a fifth “|”, separated by “;”."
        ),
    )
    min_rows = forms.IntegerField(label=_("Fewest rows"), min_value=0, required=False)
    max_rows = forms.IntegerField(label=_("Most rows"), min_value=1, required=False)

    def __init__(self, *args, call, kind, question=None, **kwargs):
        self.call = call
        self.kind = kind
        self.question = question
        if question is not None and not kwargs.get("initial"):
            kwargs["initial"] = question_initial(question, call.lab)
        elif question is None:
            defaults = forms_engine.DEFAULTS.get(kind, {})
            kwargs.setdefault("initial", {})
            kwargs["initial"] = {**_config_initial(kind, defaults, call.lab), **kwargs["initial"]}
            if kind == K.MONEY:
                kwargs["initial"].setdefault("currency", call.currency)
        super().__init__(*args, languages=call.lab.languages, instance=question, **kwargs)
        self.fields["row_fields"].help_text = self.fields["row_fields"].help_text % {
            "kinds": ", ".join(str(kind) for kind in GROUP_FIELD_KINDS)
        }
        shown = set(KIND_SETTINGS[kind])
        for name in [name for names in KIND_SETTINGS.values() for name in names]:
            if name not in shown and name in self.fields:
                del self.fields[name]
        if kind == K.FILE:
            self.fields["max_mb"].help_text = _("At most %(max)d MB.") % {
                "max": forms_engine.file_size_cap_mb()
            }
        if question is not None:
            del self.fields["key"]

    def settings_fields(self):
        return [self[name] for name in KIND_SETTINGS[self.kind]]

    def main_fields(self):
        return [
            self[name]
            for name in ("key", "label", "help_text", "required", "identifying")
            if name in self.fields
        ]

    def clean_key(self):
        key = (self.cleaned_data.get("key") or "").strip()
        if not key:
            return None
        try:
            return forms_engine.clean_key(key)
        except ValidationError as error:
            raise ValidationError(error.message_dict["key"]) from None

    def clean_choices(self):
        value = self.cleaned_data.get("choices") or {}
        self.parsed_choices = parse_levels(value, self.fields["choices"].languages, integer=False)
        return value

    def clean_row_fields(self):
        text = self.cleaned_data.get("row_fields") or ""
        self.parsed_fields = self._parse_group_fields(text)
        return text

    def _parse_group_fields(self, text: str) -> list[dict]:
        main = self.call.lab.languages[0] if self.call.lab.languages else "en"
        previous = {
            field["key"]: field for field in (self.question.config.get("fields", []) if self.question else [])
        }
        fields = []
        for number, line in enumerate([line for line in text.splitlines() if line.strip()], start=1):
            parts = [part.strip() for part in line.split("|")]
            if len(parts) < 3 or len(parts) > 5:
                raise ValidationError(
                    gettext("Line %(n)d: write “key | kind | label | required”.") % {"n": number}
                )
            key, kind, label = parts[0], parts[1], parts[2]
            required_word = parts[3].lower() if len(parts) > 3 else ""
            if kind not in GROUP_FIELD_KINDS:
                raise ValidationError(
                    gettext("Line %(n)d: “%(kind)s” is not a kind a row may hold. Use one of: %(kinds)s.")
                    % {"n": number, "kind": kind, "kinds": ", ".join(str(k) for k in GROUP_FIELD_KINDS)}
                )
            if required_word not in _REQUIRED_WORDS:
                raise ValidationError(
                    gettext("Line %(n)d: write “required” or “optional” in the fourth part.") % {"n": number}
                )
            before = previous.get(key, {})
            config = dict(before.get("config", {})) if before.get("kind") == kind else {}
            options = parts[4] if len(parts) > 4 else ""
            if kind in (K.SINGLE_CHOICE, K.MULTIPLE_CHOICE) and options:
                choices = []
                for index, item in enumerate(
                    [item.strip() for item in options.split(";") if item.strip()], start=1
                ):
                    value, choice_label = _split_line(item, integer=False)
                    value = value or slugify(choice_label).replace("-", "_")[:100] or f"option_{index}"
                    choices.append({"value": value, "label": {main: choice_label}})
                config["choices"] = choices
            elif kind in (K.SHORT_TEXT, K.LONG_TEXT) and options:
                config["max_length"] = options
            label_translations = dict(before.get("label") or {})
            if label_translations.get(main) != label:
                label_translations = {main: label}
            fields.append(
                {
                    "key": key,
                    "kind": kind,
                    "label": label_translations,
                    "required": _REQUIRED_WORDS[required_word],
                    "config": config,
                }
            )
        return fields

    def clean(self):
        cleaned = super().clean()
        if any(name in self._errors for name in KIND_SETTINGS[self.kind]):
            return cleaned
        try:
            self.config = forms_engine.clean_question_config(self.kind, self.raw_config())
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                target = self._field_for(name)
                for message in messages:
                    self.add_error(target, message)
        return cleaned

    def _field_for(self, config_key: str) -> str | None:
        for name in KIND_SETTINGS[self.kind]:
            if _CONFIG_KEY.get(name, name) == config_key:
                return name
        return config_key if config_key in self.fields else None

    def raw_config(self) -> dict:
        data = self.cleaned_data
        config = {}
        for name in KIND_SETTINGS[self.kind]:
            value = data.get(name)
            key = _CONFIG_KEY.get(name, name)
            if name == "choices":
                config["choices"] = getattr(self, "parsed_choices", [])
            elif name == "row_fields":
                config["fields"] = getattr(self, "parsed_fields", [])
            elif name == "extensions":
                config["extensions"] = list(value or [])
            elif name == "integer":
                config["integer"] = bool(value)
            elif isinstance(value, dt.date):
                config[key] = value.isoformat()
            elif isinstance(value, Decimal):
                config[key] = str(value)
            elif value not in (None, ""):
                config[key] = value
        return config

    def question_values(self) -> dict:
        data = self.cleaned_data
        values = {
            "label": data["label"],
            "help_text": data["help_text"],
            "required": data["required"],
            "identifying": data["identifying"],
            "config": self.config,
        }
        if "key" in self.fields and data.get("key"):
            values["key"] = data["key"]
        return values


def _config_initial(kind: str, config: dict, lab) -> dict:
    initial = {}
    main = lab.languages[0] if lab.languages else "en"
    for name in KIND_SETTINGS.get(kind, ()):
        key = _CONFIG_KEY.get(name, name)
        value = config.get(key)
        if value is None:
            continue
        if name == "choices":
            initial[name] = levels_text(value)
        elif name == "row_fields":
            lines = []
            for field in value:
                parts = [
                    field["key"],
                    field["kind"],
                    pick(field.get("label"), main, preferred=lab.languages).text,
                    "required" if field.get("required") else "optional",
                ]
                choices = (field.get("config") or {}).get("choices")
                if choices:
                    parts.append(
                        "; ".join(
                            f"{choice['value']} = {_text(choice.get('label'), main, lab)}"
                            for choice in choices
                        )
                    )
                lines.append(" | ".join(parts))
            initial[name] = "\n".join(lines)
        elif name in ("min_date", "max_date"):
            initial[name] = dt.date.fromisoformat(value)
        else:
            initial[name] = value
    return initial


def _text(value, language, lab) -> str:
    return pick(value, language, preferred=lab.languages).text


def question_initial(question, lab) -> dict:
    return {
        "label": question.label,
        "help_text": question.help_text,
        "required": question.required,
        "identifying": question.identifying,
        **_config_initial(question.kind, question.config or {}, lab),
    }


# --- Q&A -----------------------------------------------------------------------------------------


class EnquiryAnswerForm(LabForm):
    public_question = TranslatedFormField(
        label=_("Question as published"),
        max_length=4000,
        multiline=True,
        required=False,
        help_text=_(
            "Published as written here: remove anything that says who asked (names, products, places)."
        ),
    )
    answer = TranslatedFormField(label=_("Answer"), max_length=10000, multiline=True)
    publish = forms.BooleanField(
        label=_("Publish on the call page"),
        required=False,
        initial=True,
        help_text=_("Everyone sees it, without the asker; applicants with a draft are told."),
    )


# --- Applications ----------------------------------------------------------------------------------


class ExtensionForm(StyledErrorsForm):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=None)
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices, required=False)
    until = LocalDateTimeField(label=_("New deadline for this organisation"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Recorded in the audit trail."),
    )

    def __init__(self, *args, call, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        self.fields["organisation"].queryset = organisations
        self.fields["until"].help_text = _("Local time in %(zone)s.") % {"zone": call.time_zone}
        if call.two_stage:
            self.fields["stage"].choices = Stage.choices
            self.fields["stage"].required = True
            self.fields["stage"].initial = Stage.EXPRESSION_OF_INTEREST
        else:
            del self.fields["stage"]

    def clean(self):
        cleaned = super().clean()
        until = cleaned.get("until")
        if until is not None and timezone.is_naive(until):
            try:
                cleaned["until"] = local_to_utc(until, self.call.time_zone)
            except ValidationError as error:
                self.add_error("until", error)
        return cleaned


class ApplicationFilterForm(forms.Form):
    challenge = forms.ModelChoiceField(
        label=_("Challenge"), queryset=None, required=False, empty_label=_("All challenges")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, call, challenges, **kwargs):
        from .enums import ApplicationStatus

        super().__init__(*args, **kwargs)
        self.fields["challenge"].queryset = challenges
        self.fields["challenge"].label_from_instance = lambda challenge: (
            f"{challenge.reference} — {pick(challenge.title, preferred=call.lab.languages).text}"
        )
        self.fields["status"].choices = [("", _("All states")), *ApplicationStatus.choices]


def kind_label(kind: str) -> str:
    return str(OrganisationKind(kind).label) if kind in OrganisationKind.values else kind
