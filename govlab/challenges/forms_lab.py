"""Forms of the lab's pages: campaigns, criteria, legal regimes, screening and characterisation.

The forms only read and check input; every write goes through ``services``. Errors a service raises by
field are put back on the form with ``apply_errors``.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from govlab.core.forms import StyledErrorsForm, TranslatedModelFormMixin
from govlab.core.i18n import TranslatedFormField
from govlab.labs.models import CURRENCY_CHOICES
from govlab.organisations.models import Organisation

from .enums import ChallengeStatus, CriterionAnswer, DeclineReason, TeamRole
from .models import IntakeCampaign, LegalRegime
from .worksheets import WORKSHEET_FIELDS

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
ROW_SLOTS = 3  # empty rows offered below a worksheet table's filled ones


def apply_errors(form: forms.Form, error: ValidationError, field_map: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form: by field where the form has it, else on the form."""
    field_map = field_map or {}
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            target = field_map.get(name, name)
            for message in messages:
                form.add_error(target if target in form.fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class LabForm(TranslatedModelFormMixin, StyledErrorsForm):
    """A plain form showing the lab's languages; ``instance`` keeps translations in the others."""

    def __init__(self, *args, languages=None, instance=None, **kwargs):
        self.instance = instance
        super().__init__(*args, **kwargs)
        if languages:
            self.limit_languages(languages)

    def _post_clean(self):
        # Keep the translations in languages this form does not show (see TranslatedModelFormMixin).
        if self.instance is not None and self.instance.pk:
            for name, field in self.fields.items():
                if isinstance(field, TranslatedFormField) and name in self.cleaned_data:
                    kept = {
                        code: text
                        for code, text in (getattr(self.instance, name, None) or {}).items()
                        if code not in field.languages
                    }
                    self.cleaned_data[name] = {**kept, **self.cleaned_data[name]}


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_FORMAT)


class CampaignForm(LabForm):
    title = TranslatedFormField(label=_("Title"), max_length=200)
    slug = forms.SlugField(
        label=_("Short name in addresses"),
        max_length=80,
        help_text=_("Lower-case letters, digits and hyphens, e.g. call-2026."),
    )
    description = TranslatedFormField(
        label=_("Description"), max_length=20000, multiline=True, required=False
    )
    opens_at = forms.DateTimeField(
        label=_("Opens"), widget=DateTimeLocalInput, input_formats=[DATETIME_FORMAT]
    )
    closes_at = forms.DateTimeField(
        label=_("Closes"), widget=DateTimeLocalInput, input_formats=[DATETIME_FORMAT]
    )
    open_to = forms.ModelMultipleChoiceField(
        label=_("Open to"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The public entities that may submit. Choose none to open it to every public entity."),
    )
    is_published = forms.BooleanField(
        label=_("Published"), required=False, help_text=_("Show the campaign on the public site.")
    )

    def __init__(self, *args, lab, **kwargs):
        super().__init__(*args, languages=lab.languages, **kwargs)
        self.lab = lab
        self.fields["open_to"].queryset = Organisation.objects.filter(
            labs=lab, kind="public_entity", is_active=True
        ).order_by("name", "pk")

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        taken = IntakeCampaign.objects.filter(lab=self.lab, slug=slug)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(_("This lab already has a campaign with this short name."))
        return slug

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The campaign must close after it opens."))
        return cleaned


class CriterionForm(LabForm):
    name = TranslatedFormField(label=_("Criterion"), max_length=200)
    description = TranslatedFormField(
        label=_("What to look for"), max_length=2000, multiline=True, required=False
    )


class LegalRegimeForm(LabForm):
    name = TranslatedFormField(label=_("Name"), max_length=200)
    description = TranslatedFormField(label=_("Description"), max_length=5000, multiline=True, required=False)
    source_url = forms.URLField(label=_("Source"), required=False, assume_scheme="https")
    is_active = forms.BooleanField(
        label=_("Active"), required=False, initial=True, help_text=_("Inactive regimes cannot be chosen.")
    )


# --- Screening ---------------------------------------------------------------------------------


class BoardFilterForm(forms.Form):
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=None, required=False, empty_label=_("All campaigns")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, campaigns, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = campaigns
        self.fields["status"].choices = [
            ("", _("All states")),
            *[(value, label) for value, label in ChallengeStatus.choices if value != ChallengeStatus.DRAFT],
        ]


# The decisions offered on the board, each the target of one transition.
BATCH_DECISIONS = (
    (ChallengeStatus.IN_SCREENING, _("Start screening")),
    (ChallengeStatus.ACCEPTED, _("Accept")),
    (ChallengeStatus.MORE_INFO_REQUESTED, _("Ask for more information")),
    (ChallengeStatus.DECLINED, _("Decline")),
)


class DecisionForm(StyledErrorsForm):
    """A decision about a challenge (or several): the target state, and why."""

    target = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    decline_reason = forms.ChoiceField(
        label=_("Reason for declining"),
        required=False,
        choices=[("", _("Choose a reason")), *DeclineReason.choices],
        help_text=_("Only when declining."),
    )
    reason = forms.CharField(
        label=_("Message to the entity"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("Required when asking for more information or declining: the entity reads it."),
    )

    def __init__(self, *args, choices=BATCH_DECISIONS, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = list(choices)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("target") == ChallengeStatus.DECLINED and not cleaned.get("decline_reason"):
            self.add_error("decline_reason", _("Choose why the challenge is declined."))
        return cleaned


class BatchDecisionForm(DecisionForm):
    challenges = forms.ModelMultipleChoiceField(
        label=_("Challenges"),
        queryset=None,
        error_messages={"required": _("Choose at least one challenge.")},
    )

    def __init__(self, *args, challenges, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["challenges"].queryset = challenges


class AssessmentForm(forms.Form):
    """The answer to one viability criterion (one form per criterion, each with its own prefix)."""

    answer = forms.ChoiceField(
        label=_("Answer"), choices=CriterionAnswer.choices, widget=forms.RadioSelect, initial="unknown"
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"}),
    )


class PriorityForm(StyledErrorsForm):
    rank = forms.IntegerField(
        label=_("Priority among the campaign's accepted challenges"),
        min_value=1,
        required=False,
        help_text=_("1 is the first. Leave empty to take the challenge out of the ranking."),
    )


# --- Characterisation --------------------------------------------------------------------------


class CharacterisationForm(LabForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    technical_characteristics = TranslatedFormField(
        label=_("Technical characteristics"), max_length=20000, multiline=True, required=False
    )
    required_functionalities = TranslatedFormField(
        label=_("Required functionalities"), max_length=20000, multiline=True, required=False
    )
    expected_duration_months = forms.IntegerField(
        label=_("Expected duration (months)"), min_value=1, max_value=120, required=False
    )
    estimated_cost = forms.DecimalField(
        label=_("Estimated cost"), min_value=0, max_digits=16, decimal_places=2, required=False
    )
    estimated_cost_currency = forms.ChoiceField(
        label=_("Currency of the estimated cost"),
        choices=[("", "—"), *CURRENCY_CHOICES],
        required=False,
    )
    legal_regime = forms.ModelChoiceField(
        label=_("Legal regime"),
        queryset=LegalRegime.objects.none(),
        required=False,
        help_text=_("The procurement rules that bind the entity."),
    )
    pilot_infrastructure = TranslatedFormField(
        label=_("Pilot infrastructure"), max_length=5000, multiline=True, required=False
    )
    pilot_infrastructure_available = forms.BooleanField(
        label=_("Infrastructure to host a pilot is available"), required=False
    )

    def __init__(self, *args, lab, **kwargs):
        super().__init__(*args, languages=lab.languages, **kwargs)
        current = getattr(self.instance, "legal_regime_id", None)
        available = Q(is_active=True) | Q(pk=current) if current else Q(is_active=True)
        self.fields["legal_regime"].queryset = LegalRegime.objects.filter(available, lab=lab)


class BudgetForm(StyledErrorsForm):
    budget_amount = forms.DecimalField(
        label=_("Confirmed budget"),
        max_digits=16,
        decimal_places=2,
        localize=False,
        help_text=_("The amount the entity has set aside for the purchase, e.g. 150000000.00."),
    )
    budget_currency = forms.CharField(
        label=_("Currency"),
        max_length=20,
        help_text=_("Its three-letter code, e.g. EUR or COP."),
    )
    budget_source = forms.CharField(
        label=_("Source of the money"),
        max_length=300,
        help_text=_("E.g. the entity's 2026 budget line."),
    )

    def clean_budget_currency(self):
        return self.cleaned_data["budget_currency"].strip().upper()


class TeamMemberForm(StyledErrorsForm):
    role = forms.ChoiceField(label=_("Role"), choices=TeamRole.choices)
    user = forms.ModelChoiceField(
        label=_("A govlab user"),
        queryset=None,
        required=False,
        empty_label=_("Nobody here: name a contact below"),
        help_text=_("A member of the entity."),
    )
    name = forms.CharField(label=_("Or a named contact"), max_length=200, required=False)
    email = forms.EmailField(label=_("Contact's e-mail"), required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = lambda user: f"{user.full_name or user.email}"


class MarkReadyForm(StyledErrorsForm):
    override_justification = forms.CharField(
        label=_("Justification for going on without a met checklist"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        help_text=_("Managers only. It is recorded in the audit trail."),
    )


class WorksheetForm(StyledErrorsForm):
    """A worksheet's fields, built from its definition in worksheets.py.

    ``text`` and ``long`` fields are one input each, ``list`` fields a text area with one item per line,
    ``rows`` fields a table of inputs named ``<field>-<row>-<column>``.
    """

    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    complete = forms.BooleanField(
        label=_("This worksheet is complete"),
        required=False,
        help_text=_("Every required part must be filled in."),
    )

    def __init__(self, *args, kind, current: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.definition = WORKSHEET_FIELDS[kind]
        current = current or {}
        self.row_fields = {}
        for field in self.definition:
            value = current.get(field.name)
            if field.type == "text":
                self.fields[field.name] = forms.CharField(
                    label=field.label, required=False, max_length=5000, initial=value or ""
                )
            elif field.type == "long":
                self.fields[field.name] = forms.CharField(
                    label=field.label,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
                    initial=value or "",
                )
            elif field.type == "list":
                self.fields[field.name] = forms.CharField(
                    label=field.label,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
                    help_text=_("One per line."),
                    initial="\n".join(value or []),
                )
            else:
                rows = list(value or [])
                count = len(rows) + ROW_SLOTS
                if self.is_bound:
                    count = max(count, self._bound_row_count(field.name))
                names = []
                for index in range(count):
                    row = rows[index] if index < len(rows) else {}
                    cells = []
                    for column, column_label in field.columns:
                        name = f"{field.name}-{index}-{column}"
                        self.fields[name] = forms.CharField(
                            label=_("%(column)s, row %(row)d") % {"column": column_label, "row": index + 1},
                            required=False,
                            max_length=5000,
                            initial=row.get(column, ""),
                        )
                        cells.append(name)
                    names.append(cells)
                self.row_fields[field.name] = names
            if field.required and field.type != "rows":
                self.fields[field.name].help_text = self._required_note(self.fields[field.name].help_text)

    @staticmethod
    def _required_note(help_text):
        note = _("Needed to mark the worksheet complete.")
        return format_lazy("{} {}", help_text, note) if help_text else note

    def _bound_row_count(self, name: str) -> int:
        indexes = []
        prefix = f"{self.add_prefix(name)}-"
        for key in self.data:
            if key.startswith(prefix):
                head = key[len(prefix) :].split("-", 1)[0]
                if head.isdigit():
                    indexes.append(int(head))
        return min(max(indexes, default=-1) + 1, 60)

    def simple_fields(self):
        return [self[field.name] for field in self.definition if field.type != "rows"]

    def tables(self):
        """For the template: each ``rows`` field with its columns and its rows of bound fields."""
        result = []
        for field in self.definition:
            if field.type != "rows":
                continue
            result.append(
                {
                    "field": field,
                    "columns": [label for _name, label in field.columns],
                    "rows": [[self[name] for name in cells] for cells in self.row_fields[field.name]],
                }
            )
        return result

    def worksheet_data(self) -> dict:
        data = {}
        for field in self.definition:
            if field.type in ("text", "long"):
                data[field.name] = self.cleaned_data.get(field.name, "")
            elif field.type == "list":
                data[field.name] = (self.cleaned_data.get(field.name) or "").splitlines()
            else:
                data[field.name] = [
                    {
                        column: self.cleaned_data.get(f"{field.name}-{index}-{column}", "")
                        for column, _label in field.columns
                    }
                    for index in range(len(self.row_fields[field.name]))
                ]
        return data

    def apply_worksheet_errors(self, error: ValidationError) -> None:
        labels = {field.name: field for field in self.definition}
        for name, messages in error.message_dict.items():
            field = labels.get(name)
            for message in messages:
                if field is not None and field.type != "rows":
                    self.add_error(name, message)
                elif field is not None:
                    self.add_error(None, f"{field.label}: {message}")
                else:
                    self.add_error(None, message)
