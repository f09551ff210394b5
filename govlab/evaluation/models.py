"""Evaluation of a call's applications: panels, conflicts of interest, assignments, reviews in phases,
consensus, preselection and feedback. See docs/adr/0011-evaluation.md."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from govlab.core.i18n import TranslatedField, pick

from .enums import EvaluatorRole, OutcomeReason, Recommendation, ReviewStatus, SeeOthers


class EvaluationSettings(models.Model):
    """How a call's applications are evaluated."""

    call = models.OneToOneField("calls.Call", on_delete=models.CASCADE, related_name="evaluation_settings")
    reviews_per_application = models.PositiveSmallIntegerField(
        _("evaluators per application"), default=3, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    prefer_expertise = models.BooleanField(
        _("prefer evaluators whose expertise matches the challenge"), default=True
    )
    disagreement_threshold = models.DecimalField(
        _("disagreement threshold"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("15"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("Standard deviation of the weighted totals (0–100) above which evaluators disagree."),
    )
    review_deadline = models.DateTimeField(_("reviews due"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation settings")
        verbose_name_plural = _("evaluation settings")

    def __str__(self) -> str:
        return str(self.call)


class ReviewPhase(models.Model):
    """What evaluators may do and see while it is active (one active phase per call)."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="review_phases")
    name = TranslatedField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    can_review = models.BooleanField(_("evaluators may write and revise reviews"), default=True)
    see_others = models.CharField(
        _("evaluators see the other reviews"),
        max_length=10,
        choices=SeeOthers.choices,
        default=SeeOthers.NEVER,
    )
    identities_visible = models.BooleanField(
        _("evaluators see who applied"),
        default=False,
        help_text=_(
            "Off: blind evaluation — the organisation, its people and identifying answers are hidden."
        ),
    )
    is_active = models.BooleanField(_("active"), default=False)

    class Meta:
        verbose_name = _("review phase")
        verbose_name_plural = _("review phases")
        ordering = ["call", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call"], condition=models.Q(is_active=True), name="review_phase_one_active"
            ),
        ]

    def __str__(self) -> str:
        return pick(self.name).text


class Evaluator(models.Model):
    """A person on a call's evaluation panel."""

    call = models.ForeignKey("calls.Call", on_delete=models.CASCADE, related_name="evaluators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluations")
    role = models.CharField(_("role"), max_length=20, choices=EvaluatorRole.choices)
    expertise = models.ManyToManyField(
        "taxonomy.Term", verbose_name=_("expertise"), blank=True, related_name="+"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("added"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluator")
        verbose_name_plural = _("evaluators")
        ordering = ["call", "pk"]
        constraints = [models.UniqueConstraint(fields=["call", "user"], name="evaluator_once_per_call")]

    def __str__(self) -> str:
        return getattr(self.user, "full_name", "") or self.user.email

    @property
    def is_active(self) -> bool:
        return self.removed_at is None


class ConflictDeclaration(models.Model):
    """An evaluator's signed declaration about one application, made before seeing its content."""

    evaluator = models.ForeignKey(Evaluator, on_delete=models.PROTECT, related_name="declarations")
    application = models.ForeignKey(
        "calls.Application", on_delete=models.PROTECT, related_name="conflict_declarations"
    )
    has_conflict = models.BooleanField(_("conflict of interest"))
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    declared_at = models.DateTimeField(_("declared"), auto_now_add=True)

    class Meta:
        verbose_name = _("conflict-of-interest declaration")
        verbose_name_plural = _("conflict-of-interest declarations")
        ordering = ["application", "evaluator"]
        constraints = [
            models.UniqueConstraint(fields=["evaluator", "application"], name="declaration_once"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator} / {self.application}: {self.has_conflict}"


class Assignment(models.Model):
    """An evaluator asked to review one application."""

    evaluator = models.ForeignKey(Evaluator, on_delete=models.PROTECT, related_name="assignments")
    application = models.ForeignKey("calls.Application", on_delete=models.PROTECT, related_name="assignments")
    automatic = models.BooleanField(_("assigned automatically"), default=False)
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("assigned"), auto_now_add=True)
    # Withdrawn by a recusal or the evaluator's removal; kept as a record.
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["application", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["evaluator", "application"], name="assignment_once"),
        ]
        indexes = [models.Index(fields=["evaluator", "withdrawn_at"], name="assignment_queue_idx")]

    def __str__(self) -> str:
        return f"{self.evaluator} → {self.application}"


class Review(models.Model):
    """One evaluator's review of one application, on the call's weighted criteria."""

    assignment = models.OneToOneField(Assignment, on_delete=models.PROTECT, related_name="review")
    # Denormalised from the assignment, for aggregation in one query.
    evaluator = models.ForeignKey(Evaluator, on_delete=models.PROTECT, related_name="reviews")
    application = models.ForeignKey("calls.Application", on_delete=models.PROTECT, related_name="reviews")
    status = models.CharField(
        _("status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    # {"<criterion id>": <level value> or null (not applicable)}
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    # {"<criterion id>": "comment"}
    comments = models.JSONField(_("comments"), default=dict, blank=True)
    strengths = models.TextField(_("strengths"), blank=True, max_length=5000)
    weaknesses = models.TextField(_("weaknesses"), blank=True, max_length=5000)
    recommendation = models.CharField(
        _("recommendation"), max_length=12, choices=Recommendation.choices, blank=True
    )
    confidence = models.PositiveSmallIntegerField(
        _("confidence"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    # Weighted total on 0–100, computed at each submission.
    weighted_total = models.DecimalField(
        _("weighted total"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("saved"), auto_now=True)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["application", "pk"]
        indexes = [models.Index(fields=["application", "status"], name="review_application_status_idx")]

    def __str__(self) -> str:
        return f"{self.evaluator} / {self.application}"


class ReviewRevision(models.Model):
    """A submitted review as it was: each submission (and each revision after it) is kept."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    content = models.JSONField()
    weighted_total = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    submitted_at = models.DateTimeField()

    class Meta:
        ordering = ["review", "-number"]
        constraints = [models.UniqueConstraint(fields=["review", "number"], name="review_revision_unique")]

    def __str__(self) -> str:
        return f"{self.review_id} #{self.number}"


class ConsensusScore(models.Model):
    """The lab's final score for one criterion of one application, overriding the computed one (audited)."""

    application = models.ForeignKey("calls.Application", on_delete=models.PROTECT, related_name="consensus")
    criterion = models.ForeignKey("calls.CallCriterion", on_delete=models.PROTECT, related_name="+")
    score = models.IntegerField(_("score"))
    rationale = models.TextField(_("rationale"), max_length=5000)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("set"), auto_now=True)

    class Meta:
        verbose_name = _("consensus score")
        verbose_name_plural = _("consensus scores")
        constraints = [models.UniqueConstraint(fields=["application", "criterion"], name="consensus_once")]

    def __str__(self) -> str:
        return f"{self.application} / {self.criterion}: {self.score}"


class PreselectionDecision(models.Model):
    """Whether an application was preselected, and why: every submitted application gets one."""

    application = models.OneToOneField("calls.Application", on_delete=models.PROTECT, related_name="decision")
    selected = models.BooleanField(_("preselected"))
    reason_category = models.CharField(_("reason"), max_length=30, choices=OutcomeReason.choices)
    reason = models.TextField(_("explanation"), max_length=5000)
    final_score = models.DecimalField(_("final score"), max_digits=6, decimal_places=2, null=True)
    rank = models.PositiveIntegerField(_("rank"), null=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided"))

    class Meta:
        verbose_name = _("preselection decision")
        verbose_name_plural = _("preselection decisions")

    def __str__(self) -> str:
        return f"{self.application}: {self.selected}"


class FeedbackTemplate(models.Model):
    """A lab's feedback letter in one language. Placeholders: see services.FEEDBACK_PLACEHOLDERS."""

    lab = models.ForeignKey("labs.Lab", on_delete=models.CASCADE, related_name="feedback_templates")
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("letter"), max_length=20000)

    class Meta:
        verbose_name = _("feedback letter template")
        verbose_name_plural = _("feedback letter templates")
        constraints = [
            models.UniqueConstraint(fields=["lab", "language"], name="feedback_template_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.lab} ({self.language})"


class FeedbackLetter(models.Model):
    """The feedback an applicant receives after the decision: scores, released comments, rank band, reason."""

    application = models.OneToOneField("calls.Application", on_delete=models.PROTECT, related_name="feedback")
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("letter"))
    # {"scores": [{"criterion": {...}, "score": x, "max": y}], "comments": [...], "rank_band": "...", ...}
    data = models.JSONField(default=dict)
    released_review_ids = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("feedback letter")
        verbose_name_plural = _("feedback letters")

    def __str__(self) -> str:
        return self.subject
