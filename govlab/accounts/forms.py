from __future__ import annotations

import zoneinfo
from functools import cache

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from govlab.core.forms import StyledErrorsForm


class SignupForm(AllauthSignupForm):
    full_name = forms.CharField(
        label=_("Full name"), max_length=200, widget=forms.TextInput(attrs={"dir": "auto"})
    )
    preferred_language = forms.ChoiceField(label=_("Preferred language"), choices=settings.LANGUAGES)

    field_order = ["email", "full_name", "preferred_language", "password1", "password2"]
    template_name = "core/forms/form.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_language"].initial = (get_language() or "en").split("-")[0]
        self.fields["full_name"].widget.attrs["autocomplete"] = "name"

    def save(self, request):
        user = super().save(request)
        user.full_name = " ".join(self.cleaned_data["full_name"].split())
        user.preferred_language = self.cleaned_data["preferred_language"]
        user.save(update_fields=["full_name", "preferred_language"])
        return user


@cache
def time_zone_choices() -> list:
    """Every IANA time zone, grouped by region (``Europe``, ``America``, …), UTC first."""
    groups: dict[str, list[tuple[str, str]]] = {}
    for name in sorted(zoneinfo.available_timezones()):
        if "/" not in name or name.startswith(
            ("Etc/", "SystemV/", "US/", "Canada/", "Brazil/", "Mexico/", "Chile/")
        ):
            continue
        region = name.split("/", 1)[0]
        groups.setdefault(region, []).append((name, name.split("/", 1)[1].replace("_", " ")))
    return [("UTC", "UTC"), *[(region, zones) for region, zones in sorted(groups.items())]]


class ProfileForm(StyledErrorsForm):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name", "dir": "auto"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        help_text=_("The language of the interface and of the e-mails we send you."),
    )
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_("Dates and times are shown in this time zone."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Keep a zone that an older list had (e.g. set through the API) selectable.
        current = self.initial.get("time_zone")
        if current and current not in {value for value, _label in self._flat_time_zones()}:
            self.fields["time_zone"].choices = [(current, current), *time_zone_choices()]

    @staticmethod
    def _flat_time_zones():
        for value, label in time_zone_choices():
            if isinstance(label, list):
                yield from label
            else:
                yield value, label


class EraseConfirmForm(StyledErrorsForm):
    """The person types their e-mail address to confirm that their personal data is to be erased."""

    confirm_email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("Type the address you sign in with to confirm."),
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_confirm_email(self) -> str:
        value = self.cleaned_data["confirm_email"]
        if value.strip().lower() != self.user.email.lower():
            raise forms.ValidationError(_("This is not the e-mail address of your account."), code="mismatch")
        return value


class DeactivateConfirmForm(StyledErrorsForm):
    confirm = forms.BooleanField(
        label=_("I understand that I will be signed out and can no longer sign in."),
        required=True,
    )


class AdminEraseForm(forms.Form):
    """The confirmation step of the admin's "erase personal data" action."""

    confirm = forms.BooleanField(widget=forms.HiddenInput, initial=True)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("E.g. the reference of the person's request. Kept in the audit log."),
    )
