from django.db import models
from django.utils.translation import gettext_lazy as _

from govlab.core.i18n import TranslatedField, pick

from .enums import Vocabulary


class TermQuerySet(models.QuerySet):
    def of(self, vocabulary: str):
        return self.filter(vocabulary=vocabulary, is_active=True)


class Term(models.Model):
    """One entry of a shared vocabulary (SDGs, sectors, technologies, thematic areas), loaded as data."""

    vocabulary = models.CharField(_("vocabulary"), max_length=20, choices=Vocabulary.choices)
    code = models.SlugField(_("code"), max_length=80)
    name = TranslatedField(_("name"), max_length=200)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["vocabulary", "position", "code"]
        constraints = [models.UniqueConstraint(fields=["vocabulary", "code"], name="term_unique_code")]

    def __str__(self) -> str:
        return pick(self.name).text or self.code
