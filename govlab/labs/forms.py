"""Forms for a lab's settings, its team and creating a lab. Writes go through labs.services."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from govlab.core.forms import TranslatedModelFormMixin
from govlab.core.i18n import TranslatedWidget
from govlab.core.uploads import image_upload

from .enums import LabRole
from .models import Lab, LabMembership

# Words that addresses use after /labs/ or /calls/ and so cannot name a lab.
RESERVED_SLUGS = frozenset({"new", "mine", "applications", "receipts", "lab"})

SETTINGS_FIELDS = (
    "name",
    "tagline",
    "about",
    "logo",
    "primary_colour",
    "country",
    "jurisdiction",
    "currency",
    "time_zone",
    "website",
    "contact_email",
)


class LogoField(forms.ImageField):
    """An image checked against the upload policy (type, size, leading bytes) before Pillow reads it.

    So an oversize or disallowed file is refused with the policy's clear message, not a generic
    "not a valid image".
    """

    def to_python(self, data):
        if data not in self.empty_values:
            image_upload(data)
        return super().to_python(data)


class LanguagesMixin(forms.Form):
    """The lab's languages as a main language and checkboxes; stored as a list, main language first."""

    main_language = forms.ChoiceField(
        label=_("Main language"),
        choices=settings.LANGUAGES,
        help_text=_(
            "The language the lab writes in first; content in it is shown when a translation is missing."
        ),
    )
    other_languages = forms.MultipleChoiceField(
        label=_("Other languages"),
        choices=settings.LANGUAGES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The lab also publishes its content in these languages."),
    )

    def languages_initial(self, languages: list[str]) -> None:
        languages = list(languages or [settings.LANGUAGE_CODE])
        self.initial.setdefault("main_language", languages[0])
        self.initial.setdefault("other_languages", languages[1:])

    def clean_languages(self) -> list[str]:
        main = self.cleaned_data.get("main_language")
        others = self.cleaned_data.get("other_languages") or []
        if not main:
            return []
        return [main, *[code for code in others if code != main]]


class LabSettingsForm(TranslatedModelFormMixin, LanguagesMixin, forms.ModelForm):
    """What a lab manager can change. The address (slug) and whether the lab is active are left out."""

    website = forms.URLField(label=_("Website"), required=False, max_length=200, assume_scheme="https")
    logo = LogoField(
        label=_("Logo"),
        required=False,
        help_text=_("PNG, JPEG, WebP or GIF, at most 2 MB. SVG is not accepted."),
    )

    class Meta:
        model = Lab
        fields = SETTINGS_FIELDS

    field_order = [
        "name",
        "tagline",
        "about",
        "logo",
        "primary_colour",
        "main_language",
        "other_languages",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages_initial(self.instance.languages)
        self.limit_languages(self.instance.languages or [settings.LANGUAGE_CODE])
        for field in self.fields.values():
            field.label = capfirst(field.label)
        about = self.fields["about"]
        about.widget = TranslatedWidget(languages=about.languages, multiline=True)

    def clean(self):
        cleaned = super().clean()
        cleaned["languages"] = self.clean_languages()
        return cleaned

    def _post_clean(self):
        # Validate the languages on the (copied) instance together with the other fields.
        if "languages" in self.cleaned_data:
            self.instance.languages = self.cleaned_data["languages"]
        super()._post_clean()

    def changes(self) -> dict:
        """The fields to hand to ``lab_update``: only what this form shows, logo only when touched."""
        values = {name: self.cleaned_data[name] for name in SETTINGS_FIELDS if name != "logo"}
        values["languages"] = self.cleaned_data["languages"]
        if "logo" in self.changed_data:
            logo = self.cleaned_data["logo"]
            values["logo"] = logo if logo else ""
        return values


class LabCreateForm(LanguagesMixin, forms.ModelForm):
    """A new lab: the essentials; the rest is set on its settings page."""

    class Meta:
        model = Lab
        fields = ("name", "slug", "country", "currency", "time_zone", "primary_colour")

    field_order = ["name", "slug", "main_language", "other_languages"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.languages_initial([settings.LANGUAGE_CODE])
        for field in self.fields.values():
            field.label = capfirst(field.label)

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This address is used by a page; choose another."), code="reserved")
        return slug

    def clean(self):
        cleaned = super().clean()
        cleaned["languages"] = self.clean_languages()
        return cleaned

    def _post_clean(self):
        if "languages" in self.cleaned_data:
            self.instance.languages = self.cleaned_data["languages"]
        super()._post_clean()

    def values(self) -> dict:
        values = {name: self.cleaned_data[name] for name in self.Meta.fields}
        values["languages"] = self.cleaned_data["languages"]
        return values


class LabMemberAddForm(forms.Form):
    """Give a person who has an account a role in the lab."""

    template_name = "core/forms/form.html"
    prefix = "add"

    email = forms.EmailField(label=_("E-mail address"), help_text=_("The address they sign in with."))
    role = forms.ChoiceField(label=_("Role"), choices=LabRole.choices, widget=forms.RadioSelect)

    def __init__(self, *args, lab: Lab, **kwargs):
        self.lab = lab
        super().__init__(*args, **kwargs)

    def clean_email(self):
        email = self.cleaned_data["email"]
        user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise forms.ValidationError(
                _("No account with this e-mail; ask them to sign up first."), code="no_account"
            )
        self.user = user
        return email

    def clean(self):
        cleaned = super().clean()
        user = getattr(self, "user", None)
        role = cleaned.get("role")
        if (
            user is not None
            and role
            and LabMembership.objects.filter(lab=self.lab, user=user, role=role).exists()
        ):
            self.add_error("role", _("This person already has this role in the lab."))
        return cleaned


class LabMemberRemoveForm(forms.Form):
    """Take one role away; the membership must belong to this lab."""

    membership = forms.ModelChoiceField(queryset=LabMembership.objects.none(), widget=forms.HiddenInput)

    def __init__(self, *args, lab: Lab, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = LabMembership.objects.filter(lab=lab).select_related(
            "user", "lab"
        )
