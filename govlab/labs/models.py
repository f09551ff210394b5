from __future__ import annotations

from babel.numbers import list_currencies
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from govlab.accounts.models import validate_time_zone
from govlab.core.i18n import TranslatedField, pick
from govlab.core.uploads import image_upload
from govlab.core.validators import validate_brand_colour, validate_language_list

from .enums import LabRole

CURRENCY_CHOICES = sorted((code, code) for code in list_currencies())


def default_languages() -> list[str]:
    return [settings.LANGUAGE_CODE]


def lab_logo_path(instance: Lab, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"labs/{instance.slug}/logo.{extension}"


class LabQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_active=True)


class Lab(models.Model):
    """A public-sector innovation lab. Several labs can share one installation."""

    name = TranslatedField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name in addresses"), max_length=60, unique=True, help_text=_("Letters, digits and hyphens.")
    )
    tagline = TranslatedField(_("tagline"), max_length=300, blank=True)
    about = TranslatedField(_("about the lab"), blank=True, max_length=20000)
    logo = models.ImageField(_("logo"), upload_to=lab_logo_path, blank=True, validators=[image_upload])
    primary_colour = models.CharField(
        _("primary colour"),
        max_length=7,
        default="#1d4ed8",
        validators=[validate_brand_colour],
        help_text=_("Used for the lab's header and buttons; must keep white text readable."),
    )
    languages = models.JSONField(
        _("languages"),
        default=default_languages,
        validators=[validate_language_list],
        help_text=_("The languages the lab publishes its content in; the first is its main language."),
    )
    country = CountryField(_("country"))
    jurisdiction = models.CharField(
        _("jurisdiction"),
        max_length=200,
        blank=True,
        help_text=_("E.g. national government, a region, a city."),
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, default="EUR")
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = LabQuerySet.as_manager()

    class Meta:
        verbose_name = _("lab")
        verbose_name_plural = _("labs")
        ordering = ["slug"]

    def __str__(self) -> str:
        return pick(self.name, preferred=self.languages).text or self.slug

    @property
    def main_language(self) -> str:
        return (self.languages or [settings.LANGUAGE_CODE])[0]


class LabMembership(models.Model):
    """A person's role in a lab. A person may hold several roles in the same lab."""

    lab = models.ForeignKey(Lab, verbose_name=_("lab"), on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="lab_memberships",
    )
    role = models.CharField(_("role"), max_length=20, choices=LabRole.choices)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("lab membership")
        verbose_name_plural = _("lab memberships")
        ordering = ["lab", "role", "user"]
        constraints = [
            models.UniqueConstraint(fields=["lab", "user", "role"], name="lab_membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.lab})"
