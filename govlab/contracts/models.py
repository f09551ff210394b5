"""Phase 5b — contracts, their versions, milestones, payment schedule, payments and implementation.

A ``Contract`` is signed with one supplier: a purchase awarded in a procurement process
(``procurement.Award``) or a phase-4 pilot agreement (``pilots.Pilot``). It is never edited in place
once signed: each amendment writes a ``ContractVersion`` (number, reason, the terms as they were).
Payments are dated at each step (invoice received, approved, paid); days-to-pay and lateness are
computed (``payments.py``), never stored. Implementation: progress reports on a schedule, issues and
risks, and at the end the challenge's ``LessonsLearned``.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from govlab.labs.models import CURRENCY_CHOICES

from .enums import (
    ContractKind,
    ContractStatus,
    ImplementationStatus,
    IpTerms,
    IssueKind,
    IssueStatus,
    MilestoneStatus,
    ReportStatus,
    Severity,
)

MONEY = {"max_digits": 16, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Contract(models.Model):
    lab = models.ForeignKey("labs.Lab", on_delete=models.PROTECT, related_name="contracts")
    challenge = models.ForeignKey(
        "challenges.Challenge",
        verbose_name=_("challenge"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ContractKind.choices)
    award = models.OneToOneField(
        "procurement.Award", null=True, blank=True, on_delete=models.PROTECT, related_name="contract"
    )
    pilot = models.OneToOneField(
        "pilots.Pilot", null=True, blank=True, on_delete=models.PROTECT, related_name="agreement"
    )
    reference = models.CharField(_("reference"), max_length=60, unique=True)
    title = models.CharField(_("title"), max_length=200)
    scope = models.TextField(_("scope"), max_length=10000)
    supplier = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("supplier"), on_delete=models.PROTECT, related_name="+"
    )
    buyer = models.ForeignKey(
        "organisations.Organisation", verbose_name=_("buyer"), on_delete=models.PROTECT, related_name="+"
    )
    value = models.DecimalField(_("value"), **MONEY)
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    ip_terms = models.CharField(_("intellectual property"), max_length=20, choices=IpTerms.choices)
    ip_details = models.TextField(_("IP details"), blank=True, max_length=5000)
    payment_terms_days = models.PositiveSmallIntegerField(
        _("payment terms (days)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Days from a received invoice to its payment."),
    )
    finance_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("finance contact"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The buyer's person reminded before a payment falls due."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.PENDING
    )
    implementation_status = models.CharField(
        _("implementation"),
        max_length=20,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.NOT_STARTED,
    )
    # Never published: notes for the lab and the parties only.
    confidential_notes = models.TextField(_("confidential notes"), blank=True, max_length=10000)
    report_every_days = models.PositiveSmallIntegerField(
        _("progress report every (days)"), null=True, blank=True
    )
    version = models.PositiveIntegerField(_("version"), default=1)
    # When and why it was finished (terminated) or cancelled.
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("why it ended"), blank=True, max_length=5000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(award__isnull=True) | models.Q(pilot__isnull=True),
                name="contract_award_or_pilot",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")), name="contract_dates"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} · {self.title}"


class ContractVersion(models.Model):
    """The terms of a contract as signed (number 1) and after each amendment. Never changed."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    reason = models.TextField(_("reason"), max_length=5000)
    value = models.DecimalField(_("value"), **MONEY)
    ends_on = models.DateField(_("ends on"))
    terms = models.JSONField(_("terms"), default=dict)  # the contract's fields at this version
    changes = models.JSONField(_("changes"), default=dict)  # field → [before, after]
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract version")
        verbose_name_plural = _("contract versions")
        ordering = ["contract", "number"]
        constraints = [
            models.UniqueConstraint(fields=["contract", "number"], name="one_contract_version_number")
        ]

    def __str__(self) -> str:
        return f"v{self.number}"


class ContractDocument(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="contracts/%Y/")
    is_public = models.BooleanField(_("publish"), default=False)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("contract document")
        verbose_name_plural = _("contract documents")
        ordering = ["contract", "pk"]

    def __str__(self) -> str:
        return self.title


class ContractMilestone(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("title"), max_length=200)
    deliverables = models.TextField(_("deliverables"), blank=True, max_length=5000)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=MilestoneStatus.choices, default=MilestoneStatus.SCHEDULED
    )
    met_on = models.DateField(_("met on"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["contract", "due_on", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class ScheduledPayment(models.Model):
    """A line of the payment schedule: an amount due on a day, usually for a milestone."""

    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="schedule")
    milestone = models.ForeignKey(
        ContractMilestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="scheduled_payments"
    )
    label = models.CharField(_("label"), max_length=200)
    amount = models.DecimalField(_("amount"), **MONEY)
    due_on = models.DateField(_("due on"))
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("scheduled payment")
        verbose_name_plural = _("payment schedule")
        ordering = ["contract", "due_on", "pk"]

    def __str__(self) -> str:
        return self.label


class Payment(models.Model):
    """One invoice and its payment: received, approved, paid — each dated in the lab's time zone."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="payments")
    scheduled = models.ForeignKey(
        ScheduledPayment, null=True, blank=True, on_delete=models.SET_NULL, related_name="payments"
    )
    invoice_number = models.CharField(_("invoice number"), max_length=60)
    amount = models.DecimalField(_("amount"), **MONEY)
    invoice_received_on = models.DateField(_("invoice received on"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    # Computed from the invoice day and the contract's terms when the invoice is recorded.
    due_on = models.DateField(_("to be paid by"))
    # A cancelled invoice (withdrawn, credited) no longer counts towards the contract's value.
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    cancel_reason = models.TextField(_("why cancelled"), blank=True, max_length=2000)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["contract", "invoice_received_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract", "invoice_number"], name="one_invoice_number_per_contract"
            ),
            models.CheckConstraint(
                condition=models.Q(approved_on__isnull=True)
                | models.Q(approved_on__gte=models.F("invoice_received_on")),
                name="payment_approved_after_invoice",
            ),
            models.CheckConstraint(
                condition=models.Q(paid_on__isnull=True)
                | models.Q(paid_on__gte=models.F("invoice_received_on")),
                name="payment_paid_after_invoice",
            ),
        ]

    def __str__(self) -> str:
        return self.invoice_number


class ProgressReport(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="reports")
    period = models.CharField(_("period"), max_length=100)
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DUE
    )
    summary = models.TextField(_("progress"), blank=True, max_length=10000)
    percent_complete = models.PositiveSmallIntegerField(
        _("per cent complete"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review_notes = models.TextField(_("review"), blank=True, max_length=5000)
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["contract", "due_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["contract", "due_on"], name="one_report_per_due_day")]

    def __str__(self) -> str:
        return self.period


class ImplementationIssue(models.Model):
    contract = models.ForeignKey(Contract, on_delete=models.CASCADE, related_name="issues")
    kind = models.CharField(_("kind"), max_length=10, choices=IssueKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM
    )
    status = models.CharField(
        _("status"), max_length=10, choices=IssueStatus.choices, default=IssueStatus.OPEN
    )
    mitigation = models.TextField(_("mitigation"), blank=True, max_length=5000)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("raised"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("issue or risk")
        verbose_name_plural = _("issues and risks")
        ordering = ["contract", "status", "-pk"]

    def __str__(self) -> str:
        return self.title


class LessonsLearned(models.Model):
    """The end of a challenge's case: what worked, what did not, what each side would do differently."""

    challenge = models.OneToOneField(
        "challenges.Challenge", on_delete=models.PROTECT, related_name="lessons_learned"
    )
    successes = models.TextField(_("successes"), max_length=10000)
    failures = models.TextField(_("failures"), blank=True, max_length=10000)
    entity_would_change = models.TextField(
        _("what the entity would do differently"), blank=True, max_length=10000
    )
    solver_would_change = models.TextField(
        _("what the solver would do differently"), blank=True, max_length=10000
    )
    is_public = models.BooleanField(_("publish"), default=False)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("lessons learned")
        verbose_name_plural = _("lessons learned")

    def __str__(self) -> str:
        return str(self.challenge_id)
