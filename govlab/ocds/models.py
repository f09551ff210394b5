"""What a lab publishes in the Open Contracting Data Standard, and the releases it has published.

A ``Release`` is immutable: it is appended once (``publish.sync``) and never updated nor deleted; a change
to a process is told by a later release. See docs/ocds.md.
"""

from __future__ import annotations

import base64
import hashlib
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

PREFIX_RE = re.compile(r"^ocds-[a-z0-9]{6}$")
CC_BY_4 = "https://creativecommons.org/licenses/by/4.0/"


def default_prefix(lab) -> str:
    """A stable placeholder prefix for a lab (``ocds-`` + 6 characters from its short name).

    A lab that publishes for real registers its own prefix with the Open Contracting Partnership and
    enters it in its publication settings.
    """
    digest = hashlib.sha256(f"govlab:{lab.slug}".encode()).digest()
    return "ocds-" + base64.b32encode(digest).decode("ascii").lower()[:6]


def validate_prefix(value: str) -> None:
    if not PREFIX_RE.match(value or ""):
        raise ValidationError(
            _("An OCDS prefix is “ocds-” followed by 6 lower-case letters or digits."), code="invalid"
        )


class PublicationSettings(models.Model):
    """How a lab publishes its processes: prefix, publisher, licence and publication policy."""

    lab = models.OneToOneField(
        "labs.Lab", verbose_name=_("lab"), on_delete=models.CASCADE, related_name="ocds_settings"
    )
    prefix = models.CharField(_("OCDS prefix"), max_length=11, validators=[validate_prefix])
    publisher_name = models.CharField(_("publisher"), max_length=200)
    publisher_uri = models.URLField(_("publisher address"), blank=True)
    license_url = models.URLField(_("licence"), default=CC_BY_4)
    policy = models.TextField(
        _("publication policy"),
        blank=True,
        max_length=10000,
        help_text=_("What is published, when, and what is never published."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("OCDS publication settings")
        verbose_name_plural = _("OCDS publication settings")

    def __str__(self) -> str:
        return f"{self.lab} ({self.prefix})"


class ReleaseQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise ValidationError(_("A published release is never changed: publish a new one."), code="immutable")

    def delete(self):
        raise ValidationError(_("A published release is never deleted."), code="immutable")


class Release(models.Model):
    """One OCDS release of a challenge's contracting process. Appended, never changed."""

    lab = models.ForeignKey("labs.Lab", on_delete=models.PROTECT, related_name="ocds_releases")
    challenge = models.ForeignKey(
        "challenges.Challenge", on_delete=models.PROTECT, related_name="ocds_releases"
    )
    ocid = models.CharField(_("ocid"), max_length=80)
    release_id = models.CharField(_("release id"), max_length=200, unique=True)
    sequence = models.PositiveIntegerField(_("sequence"))
    # What the release tells (the builder's event key, e.g. "tender", "contract:CT-1:v2").
    key = models.CharField(_("event"), max_length=120)
    date = models.DateTimeField(_("date"))
    tags = models.JSONField(_("tags"), default=list)
    data = models.JSONField(_("release"))
    # SHA-256 of the release's content without its id, date and tags: what sync compares.
    content_hash = models.CharField(_("content hash"), max_length=64)
    created_at = models.DateTimeField(_("published"), auto_now_add=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("OCDS release")
        verbose_name_plural = _("OCDS releases")
        ordering = ["ocid", "date", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["ocid", "sequence"], name="ocds_release_sequence_once"),
        ]
        indexes = [
            models.Index(fields=["ocid", "date"], name="ocds_release_ocid_date"),
            models.Index(fields=["lab", "ocid", "date"], name="ocds_release_lab_ocid"),
            models.Index(fields=["challenge", "key"], name="ocds_release_challenge_key"),
        ]

    def __str__(self) -> str:
        return self.release_id

    def save(self, *args, **kwargs):
        if self.pk is not None or not self._state.adding:
            raise ValidationError(
                _("A published release is never changed: publish a new one."), code="immutable"
            )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("A published release is never deleted."), code="immutable")
