"""Monitoring and evaluation: a lab's KPIs (input, management, results, impact), their targets per period
and their values — computed from govlab's own data by a registry of named computations
(``computations.py``) or entered by hand per period with evidence.

The funnel and the cycle times are computed, not stored (``funnel.py``, ``cycle_times.py``); when a figure
is too slow to compute on a page at scale, it is kept in a ``Snapshot`` refreshed by a task, and the page
says when it was computed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govlab.core.i18n import TranslatedField, pick

from .enums import Category, Direction, Periodicity, Scope, Source


class KpiDefinition(models.Model):
    lab = models.ForeignKey("labs.Lab", verbose_name=_("lab"), on_delete=models.CASCADE, related_name="kpis")
    code = models.SlugField(_("code"), max_length=60)
    name = TranslatedField(_("name"), max_length=200)
    description = TranslatedField(_("description"), blank=True, max_length=5000)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    scope = models.CharField(_("scope"), max_length=20, choices=Scope.choices, default=Scope.LAB)
    campaign = models.ForeignKey(
        "challenges.IntakeCampaign", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    call = models.ForeignKey("calls.Call", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    challenge = models.ForeignKey(
        "challenges.Challenge", null=True, blank=True, on_delete=models.CASCADE, related_name="kpis"
    )
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.UP
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    computation = models.CharField(_("computation"), max_length=60, blank=True)
    periodicity = models.CharField(
        _("periodicity"), max_length=10, choices=Periodicity.choices, default=Periodicity.YEAR
    )
    is_public = models.BooleanField(_("publish on the results page"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("KPI")
        verbose_name_plural = _("KPIs")
        ordering = ["lab", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["lab", "code"], name="kpi_code_per_lab")]

    def __str__(self) -> str:
        return pick(self.name).text or self.code


class KpiTarget(models.Model):
    kpi = models.ForeignKey(KpiDefinition, on_delete=models.CASCADE, related_name="targets")
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    value = models.DecimalField(_("target"), max_digits=18, decimal_places=4)

    class Meta:
        verbose_name = _("KPI target")
        verbose_name_plural = _("KPI targets")
        ordering = ["kpi", "period_start"]
        constraints = [models.UniqueConstraint(fields=["kpi", "period_start"], name="one_target_per_period")]

    def __str__(self) -> str:
        return f"{self.kpi} · {self.period_start:%Y-%m-%d} → {self.value}"


class KpiValue(models.Model):
    """A value entered by hand for one period, with its evidence."""

    kpi = models.ForeignKey(KpiDefinition, on_delete=models.CASCADE, related_name="values")
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    evidence = models.TextField(_("evidence"), blank=True, max_length=5000)
    evidence_url = models.URLField(_("evidence address"), blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(_("entered"), auto_now=True)

    class Meta:
        verbose_name = _("KPI value")
        verbose_name_plural = _("KPI values")
        ordering = ["kpi", "period_start"]
        constraints = [models.UniqueConstraint(fields=["kpi", "period_start"], name="one_value_per_period")]

    def __str__(self) -> str:
        return f"{self.kpi} · {self.period_start:%Y-%m-%d} = {self.value}"


class Snapshot(models.Model):
    """A precomputed figure (funnel, cycle times, a KPI series) for a lab, refreshed by a task."""

    lab = models.ForeignKey("labs.Lab", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=120)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["lab", "key"], name="one_snapshot_per_key")]

    def __str__(self) -> str:
        return f"{self.key} ({self.computed_at:%Y-%m-%d %H:%M})"
