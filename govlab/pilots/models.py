"""Pilots as experiments: a preselected solution tried with the public entity in real conditions, with
hypotheses, metrics (baseline, target, direction), a design (before/after, A/B, randomised units),
observations, an analysis per metric and a decision (scale, iterate, stop). See docs in ``services``.

A pilot is never deleted: a stopped one is kept, with its analysis snapshot, as what the lab learnt.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from govlab.core.i18n import TranslatedField
from govlab.labs.models import CURRENCY_CHOICES
from govlab.organisations.enums import HelixSector

from .enums import Arm, Decision, Design, Direction, Group, MetricKind, PilotStatus, Source


class Pilot(models.Model):
    """The pilot of one preselected application, run with the challenge's public entity."""

    application = models.OneToOneField(
        "calls.Application", verbose_name=_("application"), on_delete=models.PROTECT, related_name="pilot"
    )
    # Denormalised from the application, for lists per lab, call and challenge in one query.
    lab = models.ForeignKey("labs.Lab", on_delete=models.PROTECT, related_name="pilots")
    call = models.ForeignKey("calls.Call", on_delete=models.PROTECT, related_name="pilots")
    challenge = models.ForeignKey("challenges.Challenge", on_delete=models.PROTECT, related_name="pilots")

    title = models.CharField(_("title"), max_length=200)
    objective = TranslatedField(_("objective"), max_length=5000)
    sites = models.TextField(
        _("sites"), blank=True, max_length=5000, help_text=_("Where the pilot runs: offices, living labs…")
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    baseline_starts_on = models.DateField(
        _("baseline measured from"),
        null=True,
        blank=True,
        help_text=_(
            "Before/after designs: “before” observations are dated from this day to the day before the "
            "pilot starts."
        ),
    )
    budget = models.DecimalField(
        _("budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, default="EUR")
    risks = models.TextField(_("risks"), blank=True, max_length=5000)
    consent_ethics = models.TextField(_("consent and ethics"), blank=True, max_length=5000)

    design = models.CharField(_("design"), max_length=20, choices=Design.choices)
    # Randomised designs: the seed is drawn once by the platform and kept, so the draw can be redone.
    seed = models.BigIntegerField(_("random seed"), null=True, blank=True)
    randomisation_algorithm = models.CharField(_("randomisation algorithm"), max_length=100, blank=True)
    assignment_fingerprint = models.CharField(_("assignment fingerprint"), max_length=128, blank=True)
    randomised_at = models.DateTimeField(_("randomised"), null=True, blank=True)
    randomised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    status = models.CharField(
        _("status"), max_length=12, choices=PilotStatus.choices, default=PilotStatus.DRAFT
    )
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decision_rationale = models.TextField(_("rationale"), blank=True, max_length=10000)
    lessons = models.TextField(
        _("lessons learnt"),
        blank=True,
        max_length=10000,
        help_text=_("What the lab and the entity learnt, shown publicly once decided: failures included."),
    )
    # The analysis as it was when deciding (``analysis.snapshot``): the figures the decision rests on.
    decision_analysis = models.JSONField(_("analysis at the decision"), default=dict, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("pilot")
        verbose_name_plural = _("pilots")
        ordering = ["call_id", "challenge_id", "pk"]
        indexes = [models.Index(fields=["challenge", "status"], name="pilot_challenge_status_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_randomised(self) -> bool:
        return self.design == Design.RANDOMISED


class PilotParticipants(models.Model):
    """How many people of one quadruple-helix sector take part (citizens are civil society)."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="participants")
    sector = models.CharField(_("sector"), max_length=20, choices=HelixSector.choices)
    count = models.PositiveIntegerField(_("participants"), default=0)
    description = models.CharField(_("who"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("pilot participants")
        verbose_name_plural = _("pilot participants")
        ordering = ["pilot_id", "sector"]
        constraints = [models.UniqueConstraint(fields=["pilot", "sector"], name="pilot_participants_once")]

    def __str__(self) -> str:
        return f"{self.pilot_id} {self.sector}: {self.count}"


class Hypothesis(models.Model):
    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="hypotheses")
    statement = models.TextField(_("hypothesis"), max_length=2000)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("hypothesis")
        verbose_name_plural = _("hypotheses")
        ordering = ["pilot_id", "order", "pk"]

    def __str__(self) -> str:
        return self.statement[:80]


class Metric(models.Model):
    """What is measured, how, and what would count as success."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="metrics")
    code = models.SlugField(_("code"), max_length=50, help_text=_("Short name used in CSV files."))
    name = models.CharField(_("name"), max_length=200)
    unit = models.CharField(_("unit of measure"), max_length=40, help_text=_("e.g. minutes, %, calls"))
    kind = models.CharField(_("kind"), max_length=10, choices=MetricKind.choices, default=MetricKind.MEAN)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    baseline = models.DecimalField(_("baseline"), max_digits=18, decimal_places=6)
    target = models.DecimalField(_("target"), max_digits=18, decimal_places=6)
    how_measured = models.TextField(_("how it is measured"), max_length=2000)
    hypothesis = models.ForeignKey(
        Hypothesis,
        verbose_name=_("hypothesis"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="metrics",
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("metric")
        verbose_name_plural = _("metrics")
        ordering = ["pilot_id", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["pilot", "code"], name="metric_code_per_pilot")]

    def __str__(self) -> str:
        return self.name


class PilotUnit(models.Model):
    """What is assigned and observed: a site, an office, a team, a person (by code, not by name)."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="units")
    code = models.CharField(_("code"), max_length=50)
    label = models.CharField(_("label"), max_length=200, blank=True)
    arm = models.CharField(_("arm"), max_length=1, choices=Arm.choices, blank=True)

    class Meta:
        verbose_name = _("pilot unit")
        verbose_name_plural = _("pilot units")
        ordering = ["pilot_id", "code"]
        constraints = [models.UniqueConstraint(fields=["pilot", "code"], name="pilot_unit_code_once")]

    def __str__(self) -> str:
        return self.code


class ObservationImport(models.Model):
    """One CSV file imported in full (a file with any error imports nothing and leaves no row here)."""

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="imports")
    file_name = models.CharField(_("file"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    rows = models.PositiveIntegerField(_("rows"))
    imported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        verbose_name = _("observation import")
        verbose_name_plural = _("observation imports")
        ordering = ["pilot_id", "-imported_at", "-pk"]

    def __str__(self) -> str:
        return self.file_name


class Observation(models.Model):
    """One measured value of one metric, for a unit (optional) on a day, in a period or an arm.

    One value per metric, unit, day and group: a second one is a duplicate. Without a unit, one value per
    metric, day and group (a day's figure); to record several measurements a day, give each a unit.
    """

    pilot = models.ForeignKey(Pilot, on_delete=models.CASCADE, related_name="observations")
    metric = models.ForeignKey(Metric, on_delete=models.PROTECT, related_name="observations")
    unit = models.ForeignKey(
        PilotUnit, on_delete=models.PROTECT, related_name="observations", null=True, blank=True
    )
    group = models.CharField(_("period or arm"), max_length=10, choices=Group.choices)
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=6)
    observed_on = models.DateField(_("observed on"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    source = models.CharField(_("source"), max_length=5, choices=Source.choices, default=Source.UI)
    batch = models.ForeignKey(
        ObservationImport, on_delete=models.PROTECT, related_name="observations", null=True, blank=True
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["pilot_id", "metric_id", "observed_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["metric", "unit", "observed_on", "group"],
                condition=models.Q(unit__isnull=False),
                name="observation_once_per_unit",
            ),
            models.UniqueConstraint(
                fields=["metric", "observed_on", "group"],
                condition=models.Q(unit__isnull=True),
                name="observation_once_without_unit",
            ),
        ]
        indexes = [models.Index(fields=["pilot", "metric", "group"], name="observation_analysis_idx")]

    def __str__(self) -> str:
        return f"{self.metric_id} {self.group} {self.observed_on}: {self.value}"
