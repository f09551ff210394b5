"""Phase 5a — the route to an innovative public purchase and the procedure that follows it.

Reference data per lab (editable, every rule with its source): procedure types, each mapped to the OCDS
``procurementMethod`` it is published as, and value thresholds per procedure, legal regime (the entity's
general law or its own purchasing manual, ``challenges.LegalRegime``) and currency, valid over a period.
A route is *available* for a challenge when a threshold of its procedure, for the entity's regime and
the estimated value's currency, is valid on the day and holds the value (``selectors.route_options``).

A ``ProcurementProcess`` is the purchase of a challenge's selected solution(s) through the route chosen;
its steps carry dates and documents; the award decision names the supplier(s) (``Award``), after which
contracts (``govlab.contracts``) are signed and the challenge moves to "implementing".
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from govlab.core.i18n import TranslatedField, pick
from govlab.labs.models import CURRENCY_CHOICES

from .enums import AwardStatus, OcdsMethod, ProcedureKind, ProcessStatus, StepKind

MONEY = {"max_digits": 16, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class ProcedureType(models.Model):
    """A procedure a lab's entities may buy through, in one jurisdiction, and how OCDS names it."""

    lab = models.ForeignKey(
        "labs.Lab", verbose_name=_("lab"), on_delete=models.CASCADE, related_name="procedure_types"
    )
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=80, help_text=_("Where the rule applies, e.g. “CO”, “SE”, “EU”.")
    )
    code = models.SlugField(_("code"), max_length=60)
    kind = models.CharField(_("kind"), max_length=30, choices=ProcedureKind.choices)
    name = TranslatedField(_("name"), max_length=200)
    description = TranslatedField(_("description"), blank=True, max_length=5000)
    ocds_method = models.CharField(_("OCDS procurement method"), max_length=20, choices=OcdsMethod.choices)
    ocds_method_details = models.CharField(_("OCDS procurement method details"), max_length=300, blank=True)
    # The steps of the route, in order (StepKind values); a process copies them when the route is chosen.
    steps = models.JSONField(_("steps"), default=list, blank=True)
    standstill_days = models.PositiveSmallIntegerField(
        _("standstill period (days)"), default=0, help_text=_("0 when the route has no standstill period.")
    )
    source_label = models.CharField(_("source"), max_length=300, help_text=_("The law, article or manual."))
    source_url = models.URLField(_("source address"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("procedure type")
        verbose_name_plural = _("procedure types")
        ordering = ["lab", "jurisdiction", "pk"]
        constraints = [models.UniqueConstraint(fields=["lab", "code"], name="procedure_type_code_per_lab")]

    def __str__(self) -> str:
        return pick(self.name).text or self.code


class Threshold(models.Model):
    """A value band within which a procedure may be used under a legal regime, over a period.

    ``min_value`` is inclusive, ``max_value`` exclusive (empty: no limit); ``valid_until`` is inclusive
    (empty: open-ended). Two thresholds of the same procedure, regime and currency never overlap in time.
    """

    procedure = models.ForeignKey(
        ProcedureType, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="thresholds"
    )
    legal_regime = models.ForeignKey(
        "challenges.LegalRegime",
        verbose_name=_("legal regime"),
        on_delete=models.PROTECT,
        related_name="thresholds",
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    min_value = models.DecimalField(_("from (inclusive)"), null=True, blank=True, **MONEY)
    max_value = models.DecimalField(_("up to (exclusive)"), null=True, blank=True, **MONEY)
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    source_label = models.CharField(_("source"), max_length=300)
    source_url = models.URLField(_("source address"), blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("threshold")
        verbose_name_plural = _("thresholds")
        ordering = ["procedure", "legal_regime", "currency", "valid_from"]
        indexes = [models.Index(fields=["legal_regime", "currency"], name="threshold_regime_currency")]

    def __str__(self) -> str:
        return f"{self.procedure} · {self.legal_regime} · {self.currency}"


class ProcurementProcess(models.Model):
    """The purchase of a challenge's selected solution(s) through one route."""

    lab = models.ForeignKey("labs.Lab", on_delete=models.PROTECT, related_name="procurement_processes")
    challenge = models.ForeignKey(
        "challenges.Challenge",
        verbose_name=_("challenge"),
        on_delete=models.PROTECT,
        related_name="procurement_processes",
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    procedure = models.ForeignKey(
        ProcedureType, verbose_name=_("procedure"), on_delete=models.PROTECT, related_name="processes"
    )
    legal_regime = models.ForeignKey(
        "challenges.LegalRegime", verbose_name=_("legal regime"), on_delete=models.PROTECT, related_name="+"
    )
    # The threshold that made the route available when it was chosen (shown as the rule's source).
    threshold = models.ForeignKey(
        Threshold, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    estimated_value = models.DecimalField(_("estimated value"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    # The selected solution(s) bought; a joint procurement may award several suppliers.
    applications = models.ManyToManyField(
        "calls.Application", verbose_name=_("selected solutions"), blank=True, related_name="+"
    )
    # Joint procurement: further public entities buying together with the challenge's own entity.
    co_buyers = models.ManyToManyField(
        "organisations.Organisation", verbose_name=_("joint buyers"), blank=True, related_name="+"
    )
    route_justification = models.TextField(_("why this route"), max_length=5000)
    status = models.CharField(
        _("status"), max_length=20, choices=ProcessStatus.choices, default=ProcessStatus.PLANNING
    )
    tender_starts_on = models.DateField(_("tender opens"), null=True, blank=True)
    tender_ends_on = models.DateField(_("tender closes"), null=True, blank=True)
    award_reasons = models.TextField(_("award decision"), blank=True, max_length=5000)
    awarded_at = models.DateTimeField(_("awarded"), null=True, blank=True)
    standstill_ends_on = models.DateField(_("standstill ends"), null=True, blank=True)
    cancelled_reason = models.TextField(_("why cancelled"), blank=True, max_length=5000)
    chosen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("procurement process")
        verbose_name_plural = _("procurement processes")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # One live purchase per challenge: a cancelled one may be followed by another.
            models.UniqueConstraint(
                fields=["challenge"],
                condition=~models.Q(status="cancelled"),
                name="one_live_procurement_per_challenge",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ProcessStep(models.Model):
    """One step of a process's route, with its dates and its document."""

    process = models.ForeignKey(ProcurementProcess, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("step"), max_length=30, choices=StepKind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    planned_on = models.DateField(_("planned for"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    document = models.FileField(_("document"), upload_to="procurement/%Y/", blank=True)
    document_name = models.CharField(_("document name"), max_length=200, blank=True)
    document_is_public = models.BooleanField(
        _("publish the document"), default=True, help_text=_("Untick for confidential documents.")
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("process step")
        verbose_name_plural = _("process steps")
        ordering = ["process", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["process", "kind"], name="one_step_of_a_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()


class Award(models.Model):
    """A supplier awarded in a process's award decision (several in a joint or multi-supplier purchase)."""

    process = models.ForeignKey(ProcurementProcess, on_delete=models.PROTECT, related_name="awards")
    supplier = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    application = models.ForeignKey(
        "calls.Application", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    value = models.DecimalField(_("value"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    status = models.CharField(_("status"), max_length=20, choices=AwardStatus.choices, default="active")
    decided_at = models.DateTimeField(_("decided"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["process", "pk"]
        constraints = [models.UniqueConstraint(fields=["process", "supplier"], name="one_award_per_supplier")]

    def __str__(self) -> str:
        return self.title
