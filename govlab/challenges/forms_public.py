"""Forms of the public challenge pages and of the public entity's workspace.

Every form only validates input; writes go through services. The description form is a plain form (not a
ModelForm) so that the instance is untouched until the service compares before and after.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.text import capfirst
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from govlab.core.forms import StyledErrorsForm
from govlab.core.i18n import LANGUAGE_CODES, TranslatedFormField
from govlab.core.templatetags.fast_widgets import FAST_RENDERER, use_fast_selects
from govlab.core.uploads import document_upload
from govlab.labs.models import CURRENCY_CHOICES, Lab
from govlab.organisations.models import Organisation
from govlab.taxonomy.models import Term

from .enums import HIDDEN_FROM_PUBLIC, ChallengeStatus, PublicSection, TeamRole
from .models import Challenge, IntakeCampaign, LegalRegime
from .selectors import SORTS
from .worksheets import WORKSHEET_FIELDS

PUBLIC_STATUSES = [
    (value, label) for value, label in ChallengeStatus.choices if value not in HIDDEN_FROM_PUBLIC
]
SORT_CHOICES = [
    ("newest", _("Newest first")),
    ("oldest", _("Oldest first")),
    ("title", _("Title")),
    ("updated", _("Recently updated")),
]
assert {value for value, _label in SORT_CHOICES} <= set(SORTS)  # noqa: S101 (a programming error, at import)


def apply_errors(form: forms.Form, error: ValidationError, aliases: dict[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form: on the field it names when the form has it."""
    aliases = aliases or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        field = aliases.get(name, name)
        if field in form.fields:
            form.add_error(field, errors)
        else:
            form.add_error(None, errors)


def _translated(name: str, languages: list[str], multiline: bool = True) -> TranslatedFormField:
    model_field = Challenge._meta.get_field(name)
    return TranslatedFormField(
        required=False,
        languages=languages,
        max_length=model_field.text_max_length,
        multiline=multiline,
        label=capfirst(model_field.verbose_name),
        help_text=model_field.help_text,
    )


def _terms(vocabulary: str, label) -> forms.ModelMultipleChoiceField:
    return forms.ModelMultipleChoiceField(
        queryset=Term.objects.of(vocabulary).order_by("position", "code"),
        required=False,
        label=label,
        widget=forms.CheckboxSelectMultiple,
    )


def kept_translations(form: forms.Form, instance) -> None:
    """Keep the translations a form did not show (languages the lab no longer uses)."""
    for name, field in form.fields.items():
        if isinstance(field, TranslatedFormField) and name in form.cleaned_data:
            kept = {
                code: text
                for code, text in (getattr(instance, name, None) or {}).items()
                if code not in field.languages
            }
            form.cleaned_data[name] = {**kept, **form.cleaned_data[name]}


def country_choices() -> list[tuple[str, str]]:
    """Every country, named and sorted in the active language (computed once per language).

    django-countries caches its sorted list per language but keeps the names lazy, so rendering 250
    options translated each name again on every request; these are plain strings.
    """
    language = get_language()
    choices = _COUNTRY_CHOICES.get(language)
    if choices is None:
        choices = _COUNTRY_CHOICES[language] = [(code, str(name)) for code, name in countries]
    return choices


_COUNTRY_CHOICES: dict[str | None, list[tuple[str, str]]] = {}


# --- Public list --------------------------------------------------------------------------------------


class ChallengeFilterForm(forms.Form):
    """The public list's search, filters and sorting (a GET form: every value optional)."""

    default_renderer = FAST_RENDERER  # its <select>s write their options in Python (same markup)

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    lab = forms.ModelChoiceField(
        label=_("Lab"), queryset=Lab.objects.none(), required=False, to_field_name="slug"
    )
    status = forms.ChoiceField(label=_("Status"), required=False)
    sdg = forms.ChoiceField(label=_("Sustainable Development Goal"), required=False)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    technology = forms.ChoiceField(label=_("Technology"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    campaign = forms.ModelChoiceField(
        label=_("Campaign"), queryset=IntakeCampaign.objects.none(), required=False
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        any_choice = [("", _("Any"))]
        self.fields["lab"].queryset = Lab.objects.public().order_by("slug")
        self.fields["lab"].empty_label = _("Any")
        self.fields["status"].choices = any_choice + PUBLIC_STATUSES
        terms: dict[str, list] = {"sdg": [], "sector": [], "technology": []}
        for term in Term.objects.filter(vocabulary__in=terms, is_active=True).order_by("position", "code"):
            terms[term.vocabulary].append((term.code, str(term)))
        for name, choices in terms.items():
            self.fields[name].choices = any_choice + choices
        self.fields["country"].choices = any_choice + country_choices()
        self.fields["campaign"].queryset = IntakeCampaign.objects.filter(is_published=True).select_related(
            "lab"
        )
        self.fields["campaign"].empty_label = _("Any")
        use_fast_selects(self)

    def filters(self) -> dict:
        """The cleaned filters as selectors.challenge_search keywords (an invalid value is ignored alone)."""
        data = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data
        return {
            "query": data.get("q", ""),
            "lab": data.get("lab"),
            "status": data.get("status", ""),
            "sdg": data.get("sdg", ""),
            "sector": data.get("sector", ""),
            "technology": data.get("technology", ""),
            "country": data.get("country", ""),
            "campaign": data.get("campaign"),
            "sort": data.get("sort") or "newest",
        }


# --- The entity's workspace --------------------------------------------------------------------------


class ChallengeStartForm(StyledErrorsForm):
    """Start a draft: the public entity that owns it, the lab (or one of its campaigns) and a title."""

    owner = forms.ModelChoiceField(
        label=_("Public entity bringing the challenge"), queryset=Organisation.objects.none()
    )
    lab = forms.ModelChoiceField(label=_("Lab"), queryset=Lab.objects.none())
    campaign = forms.ModelChoiceField(
        label=_("Call for challenges"),
        queryset=IntakeCampaign.objects.none(),
        required=False,
        help_text=_("Optional: choose the lab's open call for challenges you answer."),
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    def __init__(self, *args, entities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = entities
        labs = Lab.objects.public().filter(organisations__in=entities).distinct().order_by("slug")
        self.fields["lab"].queryset = labs
        self.fields["campaign"].queryset = (
            IntakeCampaign.objects.filter(lab__in=labs, is_published=True, closes_at__gt=timezone.now())
            .select_related("lab")
            .prefetch_related("open_to")
            .order_by("lab__slug", "closes_at")
        )
        self.fields["campaign"].label_from_instance = lambda c: f"{c.lab} — {c}"
        self.fields["lab"].label_from_instance = str

    def clean(self):
        data = super().clean()
        owner, lab, campaign = data.get("owner"), data.get("lab"), data.get("campaign")
        if owner and lab and not owner.labs.filter(pk=lab.pk).exists():
            self.add_error("lab", _("The entity you chose does not take part in this lab."))
        if campaign and lab and campaign.lab_id != lab.pk:
            self.add_error("campaign", _("This call for challenges belongs to another lab."))
        if campaign and owner:
            open_to = list(campaign.open_to.all())
            if open_to and owner not in open_to:
                self.add_error("campaign", _("This call for challenges is not open to the entity you chose."))
        return data


class ChallengeForm(StyledErrorsForm):
    """Everything the entity says about its problem. Every field is optional: a draft may be incomplete."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    affected_count = forms.IntegerField(
        label=_("How many people are affected"), required=False, min_value=0, max_value=2_000_000_000
    )
    evidence_links = forms.CharField(
        label=_("Evidence links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One web address per line (at most 20)."),
    )
    country = forms.ChoiceField(label=_("Country"), required=False)
    region = forms.CharField(label=_("Region"), required=False, max_length=120)
    latitude = forms.DecimalField(
        label=_("Latitude (optional)"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
    )
    longitude = forms.DecimalField(
        label=_("Longitude (optional)"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
    )
    co_owners = forms.ModelMultipleChoiceField(
        label=_("Co-owning entities"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Other entities that share this challenge, e.g. neighbouring municipalities."),
    )
    campaign = forms.ModelChoiceField(
        label=_("Call for challenges"), queryset=IntakeCampaign.objects.none(), required=False
    )
    is_public = forms.BooleanField(
        label=_("Publish the title and problem statement once the lab accepts the challenge"), required=False
    )
    public_sections = forms.MultipleChoiceField(
        label=_("Further sections the public may read"),
        choices=PublicSection.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachment = forms.FileField(
        label=_("Add an evidence document"),
        required=False,
        validators=[document_upload],
        # Interpolated when shown, not at import: in the language of the person reading the form.
        help_text=lazy(
            lambda: (
                gettext("PDF, office documents, CSV, text or images; at most %(size)s MB.")
                % {"size": document_upload.max_bytes // (1024 * 1024)}
            ),
            str,
        )(),
    )
    attachment_description = forms.CharField(
        label=_("What the document shows"), required=False, max_length=300
    )

    TRANSLATED = (
        ("title", False),
        ("problem_statement", True),
        ("background", True),
        ("affected", True),
        ("evidence_quantitative", True),
        ("evidence_qualitative", True),
        ("desired_outcomes", True),
        ("constraints", True),
    )
    ORDER = (
        "title",
        "problem_statement",
        "background",
        "affected",
        "affected_count",
        "evidence_quantitative",
        "evidence_qualitative",
        "evidence_links",
        "attachment",
        "attachment_description",
        "desired_outcomes",
        "constraints",
        "sdgs",
        "thematic_areas",
        "sectors",
        "technologies",
        "country",
        "region",
        "latitude",
        "longitude",
        "co_owners",
        "campaign",
        "is_public",
        "public_sections",
        "version",
    )
    M2M = ("sdgs", "thematic_areas", "sectors", "technologies", "co_owners")

    def __init__(self, *args, challenge: Challenge, **kwargs):
        self.challenge = challenge
        lab = challenge.lab
        languages = [code for code in (lab.languages or []) if code in LANGUAGE_CODES] or LANGUAGE_CODES
        if "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(challenge)
        super().__init__(*args, **kwargs)
        for name, multiline in self.TRANSLATED:
            self.fields[name] = _translated(name, languages, multiline)
        self.fields["sdgs"] = _terms("sdg", _("Sustainable Development Goals"))
        self.fields["thematic_areas"] = _terms("thematic_area", _("Thematic areas"))
        self.fields["sectors"] = _terms("sector", _("Sectors"))
        self.fields["technologies"] = _terms("technology", _("Technologies of interest (optional)"))
        self.fields["technologies"].help_text = _("Describe challenges and needs, not techniques.")
        self.fields["country"].choices = [("", "—"), *countries]
        self.fields["co_owners"].queryset = (
            Organisation.objects.public()
            .filter(kind="public_entity", labs=lab)
            .exclude(pk=challenge.owner_id)
            .order_by("name")
        )
        self.fields["campaign"].queryset = IntakeCampaign.objects.filter(lab=lab, is_published=True)
        self.order_fields(self.ORDER)

    @staticmethod
    def initial_from(challenge: Challenge) -> dict:
        initial = {
            name: getattr(challenge, name)
            for name in (
                "title",
                "problem_statement",
                "background",
                "affected",
                "affected_count",
                "evidence_quantitative",
                "evidence_qualitative",
                "desired_outcomes",
                "constraints",
                "country",
                "region",
                "latitude",
                "longitude",
                "is_public",
                "public_sections",
                "version",
            )
        }
        initial["country"] = challenge.country.code if challenge.country else ""
        initial["evidence_links"] = "\n".join(challenge.evidence_links or [])
        initial["campaign"] = challenge.campaign_id
        if challenge.pk:
            for name in ChallengeForm.M2M:
                initial[name] = list(getattr(challenge, name).all())
        return initial

    def service_fields(self) -> dict:
        """The cleaned values as keywords of services.challenge_update."""
        kept_translations(self, self.challenge)
        data = dict(self.cleaned_data)
        for name in ("version", "attachment", "attachment_description"):
            data.pop(name, None)
        data["evidence_links"] = data.get("evidence_links", "").split()
        return data


class WithdrawForm(StyledErrorsForm):
    reason = forms.CharField(
        label=_("Why do you withdraw the challenge?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("The lab's team reads this; it is kept in the challenge's history."),
    )


# --- Characterisation (shared with the lab's workspace through the partials) --------------------------


class CharacterisationForm(StyledErrorsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    expected_duration_months = forms.IntegerField(
        label=_("Expected duration (months)"), required=False, min_value=1, max_value=120
    )
    estimated_cost = forms.DecimalField(
        label=_("Estimated cost"),
        required=False,
        min_value=0,
        max_digits=16,
        decimal_places=2,
        help_text=_("A number without thousands separators, e.g. 120000000.50."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    estimated_cost_currency = forms.ChoiceField(label=_("Currency of the estimated cost"), required=False)
    legal_regime = forms.ModelChoiceField(
        label=_("The entity's legal regime"), queryset=LegalRegime.objects.none(), required=False
    )
    pilot_infrastructure_available = forms.BooleanField(
        label=_("Infrastructure to host a pilot is available"), required=False
    )

    ORDER = (
        "technical_characteristics",
        "required_functionalities",
        "expected_duration_months",
        "estimated_cost",
        "estimated_cost_currency",
        "legal_regime",
        "pilot_infrastructure",
        "pilot_infrastructure_available",
        "version",
    )

    def __init__(self, *args, challenge: Challenge, **kwargs):
        self.challenge = challenge
        lab = challenge.lab
        languages = [code for code in (lab.languages or []) if code in LANGUAGE_CODES] or LANGUAGE_CODES
        if "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(challenge, name)
                for name in (
                    "technical_characteristics",
                    "required_functionalities",
                    "expected_duration_months",
                    "estimated_cost",
                    "estimated_cost_currency",
                    "pilot_infrastructure",
                    "pilot_infrastructure_available",
                    "version",
                )
            } | {"legal_regime": challenge.legal_regime_id}
        super().__init__(*args, **kwargs)
        for name in ("technical_characteristics", "required_functionalities", "pilot_infrastructure"):
            self.fields[name] = _translated(name, languages)
        self.fields["estimated_cost_currency"].choices = [("", "—"), *CURRENCY_CHOICES]
        self.fields["legal_regime"].queryset = LegalRegime.objects.filter(lab=lab, is_active=True)
        self.order_fields(self.ORDER)

    def service_fields(self) -> dict:
        kept_translations(self, self.challenge)
        data = dict(self.cleaned_data)
        data.pop("version", None)
        return data


class BudgetForm(StyledErrorsForm):
    budget_amount = forms.DecimalField(
        label=_("Confirmed budget"),
        min_value=0,
        max_digits=16,
        decimal_places=2,
        help_text=_("A number without thousands separators, e.g. 150000000 or 150000000.50."),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    budget_currency = forms.ChoiceField(label=_("Currency"), choices=CURRENCY_CHOICES)
    budget_source = forms.CharField(
        label=_("Where the money comes from"),
        max_length=300,
        help_text=_("E.g. the entity's 2026 budget line for digital services."),
    )

    def __init__(self, *args, challenge: Challenge, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "budget_amount": challenge.budget_amount,
                "budget_currency": challenge.budget_currency or challenge.lab.currency,
                "budget_source": challenge.budget_source,
            },
        )
        super().__init__(*args, prefix="budget", **kwargs)


class TeamMemberForm(StyledErrorsForm):
    role = forms.ChoiceField(label=_("Role in the team"), choices=TeamRole.choices)
    user = forms.ModelChoiceField(
        label=_("A member of the entity on govlab"),
        queryset=None,
        required=False,
        help_text=_("Or name a contact below."),
    )
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    job_title = forms.CharField(label=_("Job title"), max_length=200, required=False)

    def __init__(self, *args, challenge: Challenge, **kwargs):
        super().__init__(*args, prefix="team", **kwargs)
        from django.contrib.auth import get_user_model

        self.fields["user"].queryset = (
            get_user_model()
            .objects.filter(organisation_memberships__organisation_id=challenge.owner_id, is_active=True)
            .order_by("full_name", "pk")
        )
        self.fields["user"].label_from_instance = lambda u: u.full_name or u.email


class WorksheetForm(StyledErrorsForm):
    """A worksheet's fields, built from its definition in worksheets.py.

    ``text`` and ``long`` fields are one input; ``list`` fields are one line per item; ``rows`` fields are
    a fixed number of rows, each a group of inputs (the rows already saved and three empty ones).
    """

    EXTRA_ROWS = 3

    complete = forms.BooleanField(
        label=_("This worksheet is complete"),
        required=False,
        help_text=_("A complete worksheet must have every required part filled in."),
    )

    def __init__(self, *args, kind: str, data_initial: dict | None = None, is_complete=False, **kwargs):
        self.kind = kind
        self.definition = WORKSHEET_FIELDS[kind]
        data_initial = data_initial or {}
        initial = {"complete": is_complete}
        super().__init__(*args, prefix="ws", **kwargs)
        self.row_groups: list[dict] = []
        for field in self.definition:
            value = data_initial.get(field.name)
            if field.type == "text":
                self.fields[field.name] = forms.CharField(label=field.label, required=False, max_length=5000)
                initial[field.name] = value or ""
            elif field.type == "long":
                self.fields[field.name] = forms.CharField(
                    label=field.label,
                    required=False,
                    max_length=5000,
                    widget=forms.Textarea(attrs={"rows": 4}),
                )
                initial[field.name] = value or ""
            elif field.type == "list":
                self.fields[field.name] = forms.CharField(
                    label=field.label,
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 5}),
                    help_text=_("One item per line."),
                )
                initial[field.name] = "\n".join(value or [])
            else:
                rows = list(value or [])
                count = self._row_count(field.name, len(rows))
                group = {"field": field, "rows": []}
                for index in range(count):
                    row_fields = []
                    for column, label in field.columns:
                        name = f"{field.name}-{index}-{column}"
                        self.fields[name] = forms.CharField(label=label, required=False, max_length=5000)
                        initial[name] = rows[index].get(column, "") if index < len(rows) else ""
                        row_fields.append(name)
                    group["rows"].append(row_fields)
                self.row_groups.append(group)
            if field.required:
                self.fields.get(field.name, forms.Field()).help_text = _(
                    "Needed to mark the worksheet complete."
                )
        self.initial = {**initial, **self.initial}
        self.fields["complete"] = self.fields.pop("complete")

    def _row_count(self, name: str, saved: int) -> int:
        if self.is_bound:
            prefix = self.add_prefix(f"{name}-")
            indexes = {key[len(prefix) :].split("-", 1)[0] for key in self.data if key.startswith(prefix)}
            return max([int(i) + 1 for i in indexes if i.isdigit() and int(i) < 100] or [0])
        return saved + self.EXTRA_ROWS

    def apply_service_errors(self, error: ValidationError) -> None:
        """Put the service's errors by worksheet field on the form (a table's on its first input)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            if name in self.fields:
                self.add_error(name, errors)
                continue
            group = next((g for g in self.row_groups if g["field"].name == name), None)
            if group and group["rows"]:
                self.add_error(group["rows"][0][0], errors)
            else:
                self.add_error(None, errors)

    def bound_rows(self):
        """[(field definition, [[bound field of each column] for each row])], for the template."""
        return [
            (group["field"], [[self[name] for name in row] for row in group["rows"]])
            for group in self.row_groups
        ]

    def simple_fields(self):
        return [self[f.name] for f in self.definition if f.type != "rows"]

    def worksheet_data(self) -> dict:
        data: dict = {}
        for field in self.definition:
            if field.type == "list":
                data[field.name] = (self.cleaned_data.get(field.name) or "").splitlines()
            elif field.type == "rows":
                group = next(g for g in self.row_groups if g["field"].name == field.name)
                data[field.name] = [
                    {
                        column: self.cleaned_data.get(name, "")
                        for (column, _label), name in zip(field.columns, row, strict=True)
                    }
                    for row in group["rows"]
                ]
            else:
                data[field.name] = self.cleaned_data.get(field.name, "")
        return data
