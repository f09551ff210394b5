from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from govlab.core.i18n import TranslatedField
from govlab.core.uploads import image_upload

from .enums import TRL_LEVELS, HelixSector, OrganisationKind, OrganisationRole, OrganisationSize


def organisation_logo_path(instance: Organisation, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"organisations/{instance.slug}/logo.{extension}"


class OrganisationQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_active=True)

    def for_list(self):
        """What list pages show, fetched in a fixed number of queries."""
        return self.prefetch_related("sectors", "technologies", "sdgs", "labs")


class Organisation(models.Model):
    """A public entity, solver, partner or other organisation taking part in one or more labs."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    helix_sector = models.CharField(_("quadruple-helix sector"), max_length=20, choices=HelixSector.choices)
    description = TranslatedField(_("description"), blank=True, max_length=20000)
    country = CountryField(_("country"))
    region = models.CharField(_("region"), max_length=120, blank=True)
    website = models.URLField(_("website"), blank=True)
    size = models.CharField(_("size"), max_length=10, choices=OrganisationSize.choices, blank=True)
    founded_year = models.PositiveSmallIntegerField(
        _("founding year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1000), MaxValueValidator(2100)],
    )
    main_solution = TranslatedField(
        _("main solution"),
        blank=True,
        max_length=2000,
        help_text=_("What the organisation offers, in a few sentences (solvers)."),
    )
    trl = models.PositiveSmallIntegerField(
        _("TRL of the main solution"),
        null=True,
        blank=True,
        choices=TRL_LEVELS,
        help_text=_("Technology readiness level on the EU scale, 1 to 9."),
    )
    interests = TranslatedField(
        _("what we want to hear about"),
        blank=True,
        max_length=2000,
        help_text=_("The problems, sectors or kinds of call the organisation wants to hear about."),
    )
    logo = models.ImageField(
        _("logo"), upload_to=organisation_logo_path, blank=True, validators=[image_upload]
    )
    sectors = models.ManyToManyField(
        "taxonomy.Term",
        verbose_name=_("sectors"),
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": "sector"},
    )
    technologies = models.ManyToManyField(
        "taxonomy.Term",
        verbose_name=_("technologies"),
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": "technology"},
    )
    sdgs = models.ManyToManyField(
        "taxonomy.Term",
        verbose_name=_("SDGs"),
        blank=True,
        related_name="+",
        limit_choices_to={"vocabulary": "sdg"},
    )
    labs = models.ManyToManyField(
        "labs.Lab",
        verbose_name=_("labs"),
        blank=True,
        related_name="organisations",
        help_text=_("The labs whose ecosystem this organisation belongs to."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "country"], name="organisation_kind_country_idx")]

    def __str__(self) -> str:
        return self.name

    # Django's generated get_kind_display() hashes every (lazy) label of the choices on each call, which
    # translates all of them: on a directory page that is 25 cards x 10 kinds. Same answer, one lookup.
    def get_kind_display(self) -> str:
        return force_str(KIND_LABELS.get(self.kind, self.kind), strings_only=True)


KIND_LABELS = dict(OrganisationKind.choices)


class OrganisationMembership(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("person"),
        on_delete=models.CASCADE,
        related_name="organisation_memberships",
    )
    role = models.CharField(
        _("role"), max_length=20, choices=OrganisationRole.choices, default=OrganisationRole.MEMBER
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        ordering = ["organisation", "user"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="organisation_membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.organisation})"
