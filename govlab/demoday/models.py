"""The Demo Day of a call: its agenda of pitches by the preselected solvers, its jury (who declare
conflicts of interest as in evaluation), the jury's scores on weighted criteria, and the selection of the
solution(s) per challenge with an outcome and feedback for every other pitching solver."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from govlab.core.i18n import TranslatedField, pick

from .enums import SCORING_ROLES, DemoDayStatus, JurorRole


class DemoDay(models.Model):
    """The event where the preselected solvers of a call pitch to a jury, which selects the solution(s)."""

    call = models.OneToOneField(
        "calls.Call", verbose_name=_("call"), on_delete=models.PROTECT, related_name="demo_day"
    )
    title = TranslatedField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("link"), blank=True, help_text=_("A video call or live stream, if any."))
    description = TranslatedField(_("description"), blank=True, max_length=5000)
    status = models.CharField(
        _("status"), max_length=20, choices=DemoDayStatus.choices, default=DemoDayStatus.PLANNED
    )
    scoring_opened_at = models.DateTimeField(_("scoring opened"), null=True, blank=True)
    scoring_closed_at = models.DateTimeField(_("scoring closed"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("Demo Day")
        verbose_name_plural = _("Demo Days")
        ordering = ["-starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="demo_day_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return pick(self.title).text

    @property
    def lab(self):
        return self.call.lab


class Pitch(models.Model):
    """One preselected application's slot on the agenda."""

    demo_day = models.ForeignKey(DemoDay, on_delete=models.CASCADE, related_name="pitches")
    application = models.ForeignKey(
        "calls.Application", verbose_name=_("application"), on_delete=models.PROTECT, related_name="pitches"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(
        _("minutes"), default=10, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    title = models.CharField(_("title"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("pitch")
        verbose_name_plural = _("pitches")
        ordering = ["demo_day_id", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["demo_day", "application"], name="pitch_once")]

    def __str__(self) -> str:
        return self.title or self.application.reference


class DemoDayCriterion(models.Model):
    """A weighted criterion of the jury's scoring, on a scale of labelled levels (like CallCriterion)."""

    demo_day = models.ForeignKey(DemoDay, on_delete=models.CASCADE, related_name="criteria")
    name = TranslatedField(_("criterion"), max_length=200)
    description = TranslatedField(_("description"), blank=True, max_length=2000)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    # [{"value": 0, "label": {"en": "Absent"}}, ...], ascending values.
    scale = models.JSONField(_("scale"), default=list)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("Demo Day criterion")
        verbose_name_plural = _("Demo Day criteria")
        ordering = ["demo_day_id", "position", "pk"]

    def __str__(self) -> str:
        return pick(self.name).text

    @property
    def values(self) -> list[int]:
        return [level["value"] for level in self.scale or []]


class JuryMember(models.Model):
    """A person on a Demo Day's jury."""

    demo_day = models.ForeignKey(DemoDay, on_delete=models.CASCADE, related_name="jury")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="juries")
    role = models.CharField(_("role"), max_length=20, choices=JurorRole.choices, default=JurorRole.MEMBER)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    class Meta:
        verbose_name = _("jury member")
        verbose_name_plural = _("jury members")
        ordering = ["demo_day_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["demo_day", "user"], name="juror_once_per_demo_day")]

    def __str__(self) -> str:
        return getattr(self.user, "full_name", "") or self.user.email

    @property
    def is_active(self) -> bool:
        return self.removed_at is None

    @property
    def scores_pitches(self) -> bool:
        return self.role in SCORING_ROLES


class JuryDeclaration(models.Model):
    """A juror's signed declaration about one pitching application, made before scoring it."""

    member = models.ForeignKey(JuryMember, on_delete=models.PROTECT, related_name="declarations")
    application = models.ForeignKey(
        "calls.Application", on_delete=models.PROTECT, related_name="jury_declarations"
    )
    has_conflict = models.BooleanField(_("conflict of interest"))
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("jury conflict-of-interest declaration")
        verbose_name_plural = _("jury conflict-of-interest declarations")
        ordering = ["application_id", "member_id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "application"], name="jury_declaration_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} / {self.application}: {self.has_conflict}"


class JuryScore(models.Model):
    """One juror's level on one criterion for one pitching application."""

    member = models.ForeignKey(JuryMember, on_delete=models.PROTECT, related_name="scores")
    application = models.ForeignKey("calls.Application", on_delete=models.PROTECT, related_name="jury_scores")
    criterion = models.ForeignKey(DemoDayCriterion, on_delete=models.PROTECT, related_name="scores")
    score = models.IntegerField(_("score"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("jury score")
        verbose_name_plural = _("jury scores")
        ordering = ["application_id", "member_id", "criterion_id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "application", "criterion"], name="jury_score_once")
        ]

    def __str__(self) -> str:
        return f"{self.member} / {self.application} / {self.criterion}: {self.score}"


class Selection(models.Model):
    """A solution the jury selected for a challenge (one by default; the model allows several)."""

    demo_day = models.ForeignKey(DemoDay, on_delete=models.PROTECT, related_name="selections")
    challenge = models.ForeignKey(
        "challenges.Challenge", verbose_name=_("challenge"), on_delete=models.PROTECT, related_name="+"
    )
    application = models.OneToOneField(
        "calls.Application",
        verbose_name=_("selected solution"),
        on_delete=models.PROTECT,
        related_name="selection",
    )
    reasons = models.TextField(_("reasons"), max_length=5000)
    final_score = models.DecimalField(_("jury score"), max_digits=6, decimal_places=2, null=True)
    rank = models.PositiveIntegerField(_("rank"), null=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        verbose_name = _("selection")
        verbose_name_plural = _("selections")
        ordering = ["demo_day_id", "challenge_id", "pk"]

    def __str__(self) -> str:
        return f"{self.challenge} → {self.application}"


class Outcome(models.Model):
    """What the Demo Day decided for each pitching (preselected) application: selected or not, and the
    feedback its solver reads."""

    demo_day = models.ForeignKey(DemoDay, on_delete=models.PROTECT, related_name="outcomes")
    application = models.OneToOneField(
        "calls.Application", on_delete=models.PROTECT, related_name="demo_day_outcome"
    )
    selected = models.BooleanField(_("selected"))
    feedback = models.TextField(_("feedback"), max_length=5000)
    final_score = models.DecimalField(_("jury score"), max_digits=6, decimal_places=2, null=True)
    rank = models.PositiveIntegerField(_("rank"), null=True)
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        verbose_name = _("Demo Day outcome")
        verbose_name_plural = _("Demo Day outcomes")
        ordering = ["demo_day_id", "application_id"]

    def __str__(self) -> str:
        return f"{self.application}: {self.selected}"
