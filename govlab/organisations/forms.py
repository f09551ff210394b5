"""Forms for the organisation directory, organisation pages and their members.

Which labs an organisation may join from its form (a decision, see ``joinable_labs``):

* Its administrators may add it to the ecosystem of **any active lab**, and take it out again. Labs map
  and invite solvers and entities (MiLAB mapped 185); making them wait for lab staff to let them in
  would keep the directory empty. Joining means accepting that the lab's staff may look after the
  profile (``organisations.change_organisation`` is granted to staff of its labs), so the choice stays
  with the organisation's own administrators.
* Lab staff who are not its administrators may add it to, or take it out of, **their own labs only**;
  they never touch its place in other labs.
* Superusers may choose any lab, active or not.

The form shows only the labs the person may choose; ``OrganisationForm.merged_labs`` keeps the others.
"""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.db import models
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from govlab.core.forms import StyledErrorsForm, TranslatedModelFormMixin
from govlab.core.i18n import TranslatedFormField
from govlab.core.templatetags.fast_widgets import FAST_RENDERER, use_fast_selects
from govlab.core.uploads import IMAGE_TYPES, image_upload
from govlab.labs.models import Lab
from govlab.labs.selectors import labs_where_team
from govlab.taxonomy.models import Term

from .enums import DEFAULT_HELIX, TRL_LEVELS, HelixSector, OrganisationKind, OrganisationRole
from .models import Organisation, OrganisationMembership
from .rules import is_organisation_admin
from .selectors import organisation_countries

# The keys of ``selectors.SORTS``.
DIRECTORY_SORTS = [("name", _("Name (A to Z)")), ("newest", _("Newest first"))]


def https_urls(model_field, **kwargs):
    """Form fields for model fields, with web addresses typed without a scheme taken as https."""
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class TermChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class TermMultipleChoiceField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return str(obj)


class OrganisationFilterForm(StyledErrorsForm):
    """The directory's filters, sent as GET parameters (bookmarkable, works without JavaScript)."""

    default_renderer = FAST_RENDERER  # its <select>s write their options in Python (same markup)

    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "dir": "auto"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    helix_sector = forms.ChoiceField(label=_("Quadruple-helix sector"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    lab = forms.ModelChoiceField(
        label=_("Lab"),
        queryset=Lab.objects.none(),
        required=False,
        to_field_name="slug",
        empty_label=_("Any lab"),
    )
    sector = TermChoiceField(
        label=_("Sector"),
        queryset=Term.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("Any sector"),
    )
    technology = TermChoiceField(
        label=_("Technology"),
        queryset=Term.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("Any technology"),
    )
    sdg = TermChoiceField(
        label=_("Sustainable Development Goal"),
        queryset=Term.objects.none(),
        required=False,
        to_field_name="code",
        empty_label=_("Any goal"),
    )
    solvers = forms.BooleanField(label=_("Solvers only"), required=False)
    min_trl = forms.TypedChoiceField(
        label=_("TRL at least"), required=False, coerce=int, empty_value=None, choices=()
    )
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=DIRECTORY_SORTS)

    FILTERS = (
        "q",
        "kind",
        "helix_sector",
        "country",
        "lab",
        "sector",
        "technology",
        "sdg",
        "solvers",
        "min_trl",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Any kind")), *OrganisationKind.choices]
        self.fields["helix_sector"].choices = [("", _("Any sector of the helix")), *HelixSector.choices]
        self.fields["country"].choices = [
            ("", _("Any country")),
            *sorted(((code, countries.name(code)) for code in organisation_countries()), key=lambda c: c[1]),
        ]
        self.fields["lab"].queryset = Lab.objects.public()
        self.fields["sector"].queryset = Term.objects.of("sector")
        self.fields["technology"].queryset = Term.objects.of("technology")
        self.fields["sdg"].queryset = Term.objects.of("sdg")
        self.fields["min_trl"].choices = [("", _("Any TRL")), *TRL_LEVELS]
        use_fast_selects(self)

    def selector_filters(self) -> dict:
        """The valid filters as keyword arguments of ``selectors.organisation_list``; invalid ones ignored."""
        self.is_valid()  # fills cleaned_data with the valid fields only
        data = self.cleaned_data
        return {
            "query": (data.get("q") or "").strip(),
            "kind": data.get("kind") or "",
            "helix_sector": data.get("helix_sector") or "",
            "country": data.get("country") or "",
            "lab": data.get("lab"),
            "sector": data.get("sector"),
            "technology": data.get("technology"),
            "sdg": data.get("sdg"),
            "solvers_only": bool(data.get("solvers")),
            "min_trl": data.get("min_trl"),
            "sort": data.get("sort") or "name",
        }

    @property
    def is_filtered(self) -> bool:
        return any(self.data.get(name) for name in self.FILTERS)


def joinable_labs(user, organisation: Organisation | None):
    """The labs this person may add the organisation to or take it out of (see the module docstring)."""
    if user.is_superuser:
        return Lab.objects.all()
    if organisation is None or is_organisation_admin(user, organisation):
        return Lab.objects.public()
    return labs_where_team(user)


class OrganisationForm(TranslatedModelFormMixin, forms.ModelForm):
    """Create or edit an organisation. Validates only: the view saves through the services."""

    template_name = "core/forms/form.html"

    description = TranslatedFormField(
        label=_("Description"),
        required=False,
        max_length=20000,
        multiline=True,
        help_text=_("What the organisation does, in as many languages as you like."),
    )
    helix_sector = forms.ChoiceField(
        label=_("Quadruple-helix sector"),
        required=False,
        help_text=_("Leave empty to use the usual sector for the kind of organisation."),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("A full address, e.g. https://example.org."),
    )
    founded_year = forms.IntegerField(label=_("Founding year"), required=False, min_value=1000)
    main_solution = TranslatedFormField(
        label=_("Main solution"),
        required=False,
        max_length=2000,
        multiline=True,
        help_text=_("Solvers: what the organisation offers, in a few sentences."),
    )
    interests = TranslatedFormField(
        label=_("What we want to hear about"),
        required=False,
        max_length=2000,
        multiline=True,
        help_text=_("Solvers: the problems, sectors or kinds of call the organisation wants to hear about."),
    )
    logo = forms.ImageField(
        label=_("Logo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{ext}" for ext in IMAGE_TYPES)}),
    )
    sectors = TermMultipleChoiceField(label=_("Sectors"), queryset=Term.objects.none(), required=False)
    technologies = TermMultipleChoiceField(
        label=_("Technologies"), queryset=Term.objects.none(), required=False
    )
    sdgs = TermMultipleChoiceField(
        label=_("Sustainable Development Goals"), queryset=Term.objects.none(), required=False
    )
    labs = forms.ModelMultipleChoiceField(
        label=_("Labs"),
        queryset=Lab.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Organisation
        formfield_callback = https_urls
        fields = [
            "name",
            "kind",
            "helix_sector",
            "description",
            "country",
            "region",
            "website",
            "size",
            "founded_year",
            "main_solution",
            "trl",
            "interests",
            "logo",
            "sectors",
            "technologies",
            "sdgs",
            "labs",
        ]
        widgets = {
            "name": forms.TextInput(attrs={"dir": "auto"}),
            "region": forms.TextInput(attrs={"dir": "auto"}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = self.instance if self.instance.pk else None
        self.fields["helix_sector"].choices = [("", _("The usual one for its kind")), *HelixSector.choices]
        self.fields["sectors"].queryset = Term.objects.of("sector")
        self.fields["technologies"].queryset = Term.objects.of("technology")
        self.fields["sdgs"].queryset = Term.objects.of("sdg")
        self.fields["labs"].queryset = joinable_labs(user, organisation)
        self.fields["labs"].help_text = (
            _(
                "The labs whose ecosystem it belongs to. "
                "Their staff may then help keep this profile up to date."
            )
            if organisation is None or is_organisation_admin(user, organisation) or user.is_superuser
            else _("You may add it to, or take it out of, the labs you run; its other labs stay as they are.")
        )
        self.fields["logo"].help_text = _("PNG, JPEG, WebP or GIF, at most %(size)s.") % {
            "size": filesizeformat(image_upload.max_bytes)
        }

    def clean_founded_year(self):
        year = self.cleaned_data.get("founded_year")
        if year is not None and year > timezone.now().year:
            raise forms.ValidationError(_("The founding year cannot be in the future."), code="max_value")
        return year

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("helix_sector") and cleaned.get("kind"):
            cleaned["helix_sector"] = DEFAULT_HELIX.get(cleaned["kind"], "")
        return cleaned

    def merged_labs(self, current: list[Lab]) -> list[Lab]:
        """The chosen labs, plus the organisation's labs this person could not choose (kept as they are)."""
        choosable = {lab.pk for lab in self.fields["labs"].queryset}
        kept = [lab for lab in current if lab.pk not in choosable]
        return sorted(
            {lab.pk: lab for lab in [*kept, *self.cleaned_data["labs"]]}.values(), key=lambda lab: lab.pk
        )

    def service_fields(self) -> dict:
        """What to pass to ``organisation_create``/``organisation_update``, from the cleaned data."""
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "name",
                "kind",
                "helix_sector",
                "description",
                "country",
                "region",
                "website",
                "size",
                "founded_year",
                "main_solution",
                "trl",
                "interests",
                "sectors",
                "technologies",
                "sdgs",
            )
        }
        fields["sectors"] = list(fields["sectors"])
        fields["technologies"] = list(fields["technologies"])
        fields["sdgs"] = list(fields["sdgs"])
        logo = data.get("logo")
        if logo is False:
            fields["logo"] = ""
        elif hasattr(logo, "content_type"):  # a new upload (not the file it already has)
            fields["logo"] = logo
        return fields


class MembershipAddForm(StyledErrorsForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The person must already have a govlab account with this address."),
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=OrganisationRole.choices, initial=OrganisationRole.MEMBER
    )
    job_title = forms.CharField(label=_("Job title"), required=False, max_length=200)

    def __init__(self, *args, organisation: Organisation, **kwargs):
        self.organisation = organisation
        self.person = None
        super().__init__(*args, **kwargs)
        self.fields["job_title"].widget.attrs["dir"] = "auto"

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        person = (
            get_user_model()
            .objects.filter(email__iexact=email, is_active=True, erased_at__isnull=True)
            .first()
        )
        if person is None:
            raise forms.ValidationError(
                _("No one has a govlab account with this e-mail address. Ask them to sign up first."),
                code="unknown",
            )
        if OrganisationMembership.objects.filter(organisation=self.organisation, user=person).exists():
            raise forms.ValidationError(
                _("This person is already a member. Change their role in the list instead."), code="member"
            )
        self.person = person
        return email


class MembershipChangeForm(StyledErrorsForm):
    role = forms.ChoiceField(label=_("Role"), choices=OrganisationRole.choices)
    job_title = forms.CharField(label=_("Job title"), required=False, max_length=200)

    def __init__(self, *args, membership: OrganisationMembership, **kwargs):
        self.membership = membership
        kwargs.setdefault("prefix", f"member-{membership.pk}")
        kwargs.setdefault("initial", {"role": membership.role, "job_title": membership.job_title})
        super().__init__(*args, **kwargs)
        # The inputs sit in the members table's cells; the ``form`` attribute ties them to the row's form.
        for field in self.fields.values():
            field.widget.attrs["form"] = f"{self.prefix}-form"
        self.fields["job_title"].widget.attrs["dir"] = "auto"


class MembershipRemoveForm(StyledErrorsForm):
    """No fields: carries the refusal (e.g. the last administrator) back to the member's row."""

    def __init__(self, *args, membership: OrganisationMembership, **kwargs):
        self.membership = membership
        kwargs.setdefault("prefix", f"remove-{membership.pk}")
        super().__init__(*args, **kwargs)
