"""Calls for solutions, their application forms, public Q&A, and the applications solvers submit.

See docs/adr/0010-applications-never-lose-a-submission.md for the working copy / frozen revision design
and the server-side deadline.
"""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govlab.accounts.models import validate_time_zone
from govlab.core.i18n import TranslatedField, pick
from govlab.core.uploads import document_upload
from govlab.labs.models import CURRENCY_CHOICES
from govlab.organisations.enums import TRL_LEVELS

from .enums import ApplicationStatus, CallStatus, FollowKind, QuestionKind, ReminderKind, Stage


class CallQuerySet(models.QuerySet):
    def visible(self, now=None):
        """Calls the public may see: published, and past their publication date."""
        now = now or timezone.now()
        return self.filter(status=CallStatus.PUBLISHED, publishes_at__lte=now)

    def open_for_submissions(self, now=None):
        now = now or timezone.now()
        return self.visible(now).filter(deadline__gt=now)


class Call(models.Model):
    """A call for solutions to one or more of a lab's challenges that are ready for the market."""

    lab = models.ForeignKey("labs.Lab", verbose_name=_("lab"), on_delete=models.CASCADE, related_name="calls")
    title = TranslatedField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80)
    summary = TranslatedField(_("summary"), max_length=1000)
    description = TranslatedField(_("description"), blank=True, max_length=20000)
    challenges = models.ManyToManyField(
        "challenges.Challenge", verbose_name=_("challenges"), related_name="calls", blank=True
    )
    status = models.CharField(
        _("status"), max_length=20, choices=CallStatus.choices, default=CallStatus.DRAFT
    )

    # Who may apply. Empty lists mean "any".
    eligible_kinds = models.JSONField(_("organisation kinds that may apply"), default=list, blank=True)
    eligible_countries = models.JSONField(_("countries that may apply"), default=list, blank=True)
    min_trl = models.PositiveSmallIntegerField(_("minimum TRL"), null=True, blank=True, choices=TRL_LEVELS)
    consortium_allowed = models.BooleanField(_("consortia may apply"), default=True)

    # Timeline. Instants are stored in UTC and shown in the call's time zone.
    time_zone = models.CharField(
        _("time zone of the deadline"), max_length=64, default="UTC", validators=[validate_time_zone]
    )
    publishes_at = models.DateTimeField(_("publication"), null=True, blank=True)
    enquiries_close_at = models.DateTimeField(_("end of the enquiry period"), null=True, blank=True)
    deadline = models.DateTimeField(_("submission deadline"))
    proposal_deadline = models.DateTimeField(
        _("full proposal deadline"),
        null=True,
        blank=True,
        help_text=_("Two-stage calls only: when the invited full proposals are due."),
    )
    evaluation_ends_at = models.DateTimeField(_("end of evaluation"), null=True, blank=True)
    preselection_on = models.DateField(_("preselection announcement"), null=True, blank=True)
    strengthening_starts_on = models.DateField(_("strengthening starts"), null=True, blank=True)
    strengthening_ends_on = models.DateField(_("strengthening ends"), null=True, blank=True)
    demo_day_on = models.DateField(_("Demo Day"), null=True, blank=True)

    max_preselected = models.PositiveSmallIntegerField(
        _("maximum preselected per challenge"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    two_stage = models.BooleanField(
        _("two stages"),
        default=False,
        help_text=_("A light expression of interest first; a full proposal only from those invited."),
    )

    # Support offered to the preselected.
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCY_CHOICES, default="EUR")
    strengthening_budget = models.DecimalField(
        _("strengthening budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    pilot_budget = models.DecimalField(
        _("pilot budget"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    support = TranslatedField(
        _("support offered"),
        blank=True,
        max_length=5000,
        help_text=_("Mentoring, bootcamps, access to data or sites, and anything else the lab offers."),
    )

    # Incremented whenever staff change the form, so drafts can tell that questions moved under them.
    form_version = models.PositiveIntegerField(_("form version"), default=1)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Followers are told once the call is public: at publication, or by the scheduled job for a call
    # published with a later publication date.
    followers_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = CallQuerySet.as_manager()

    class Meta:
        verbose_name = _("call for solutions")
        verbose_name_plural = _("calls for solutions")
        ordering = ["-deadline", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["lab", "slug"], name="call_unique_slug_per_lab"),
        ]
        indexes = [models.Index(fields=["status", "deadline"], name="call_status_deadline_idx")]

    def __str__(self) -> str:
        return pick(self.title).text or self.slug

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone or "UTC")

    def is_visible(self, now=None) -> bool:
        now = now or timezone.now()
        return (
            self.status == CallStatus.PUBLISHED and self.publishes_at is not None and self.publishes_at <= now
        )

    def stage_deadline(self, stage: str):
        if stage == Stage.PROPOSAL and self.two_stage:
            return self.proposal_deadline
        return self.deadline

    def first_stage(self) -> str:
        return Stage.EXPRESSION_OF_INTEREST if self.two_stage else Stage.PROPOSAL

    def enquiries_open(self, now=None) -> bool:
        now = now or timezone.now()
        end = self.enquiries_close_at or self.deadline
        return self.is_visible(now) and now < end


class CallCriterion(models.Model):
    """A weighted evaluation criterion, scored on a scale of labelled levels."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="criteria")
    name = TranslatedField(_("criterion"), max_length=200)
    description = TranslatedField(_("description"), blank=True, max_length=2000)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    # [{"value": 0, "label": {"en": "Absent"}}, ...], ascending values.
    scale = models.JSONField(_("scale"), default=list)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("evaluation criterion")
        verbose_name_plural = _("evaluation criteria")
        ordering = ["call", "position", "pk"]

    def __str__(self) -> str:
        return pick(self.name).text


class CallDocument(models.Model):
    """Terms of reference, templates and annexes published with a call."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="documents")
    title = TranslatedField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to="calls/documents/%Y/%m/", validators=[document_upload])
    original_name = models.CharField(_("name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    is_template = models.BooleanField(_("template to fill in"), default=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("call document")
        verbose_name_plural = _("call documents")
        ordering = ["call", "position", "pk"]

    def __str__(self) -> str:
        return pick(self.title).text or self.original_name


class FormQuestion(models.Model):
    """One question of a call's application form, for one stage.

    ``key`` is stable: answers are stored by key, so a question edited or removed after drafts exist
    leaves their answers in place (see services.application_gaps for what a submit then asks for).
    ``config`` holds what the kind needs (see forms_engine.QUESTION_CONFIG).
    """

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="questions")
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.PROPOSAL)
    key = models.SlugField(_("key"), max_length=60)
    kind = models.CharField(_("kind"), max_length=20, choices=QuestionKind.choices)
    label = TranslatedField(_("question"), max_length=500)
    help_text = TranslatedField(_("help text"), blank=True, max_length=2000)
    required = models.BooleanField(_("required"), default=False)
    identifying = models.BooleanField(
        _("identifies the applicant"),
        default=False,
        help_text=_("Hidden from evaluators while the evaluation is blind."),
    )
    config = models.JSONField(_("settings"), default=dict, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("form question")
        verbose_name_plural = _("form questions")
        ordering = ["call", "stage", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "stage", "key"], name="form_question_unique_key"),
        ]

    def __str__(self) -> str:
        return pick(self.label).text or self.key


class Enquiry(models.Model):
    """A question an applicant asks during the enquiry period; its answer is published without the asker."""

    call = models.ForeignKey(Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="enquiries")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.TextField(_("question"), max_length=4000)
    language = models.CharField(_("language"), max_length=10, blank=True)
    # What is published: staff may rephrase the question (e.g. to remove what identifies the asker).
    public_question = TranslatedField(_("question as published"), blank=True, max_length=4000)
    answer = TranslatedField(_("answer"), blank=True, max_length=10000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    created_at = models.DateTimeField(_("asked"), auto_now_add=True)

    class Meta:
        verbose_name = _("enquiry")
        verbose_name_plural = _("enquiries")
        ordering = ["call", "created_at", "pk"]

    def __str__(self) -> str:
        return self.question[:80]


class Application(models.Model):
    """A solver organisation's application to one challenge of a call, for one stage.

    ``answers`` is the working copy, saved as the solver types; a submit freezes it into an
    ApplicationRevision. One per organisation, challenge and stage (a database constraint).
    """

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.PROTECT, related_name="applications"
    )
    challenge = models.ForeignKey(
        "challenges.Challenge",
        verbose_name=_("challenge"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.PROPOSAL)
    status = models.CharField(
        _("status"), max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    # [{"name": ..., "country": "LU", "role": ..., "organisation": <id or null>}]
    partners = models.JSONField(_("consortium partners"), default=list, blank=True)
    # {"<declaration key>": true}
    declarations = models.JSONField(_("declarations"), default=dict, blank=True)
    # Bumped on every save of the working copy: autosaves from two tabs cannot overwrite each other.
    version = models.PositiveIntegerField(default=1)
    # The page (editor token) that saved last: that page's own later saves are not conflicts with itself.
    last_editor = models.CharField(max_length=40, blank=True, editable=False)
    form_version = models.PositiveIntegerField(_("form version answered"), default=1)
    has_unsubmitted_changes = models.BooleanField(_("changed since the last submission"), default=False)
    invited_at = models.DateTimeField(_("invited to the full proposal"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(_("saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("last submitted"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawing"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-updated_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["call", "challenge", "organisation", "stage"], name="application_one_per_organisation"
            ),
        ]
        indexes = [
            models.Index(fields=["call", "status"], name="application_call_status_idx"),
            models.Index(fields=["organisation", "status"], name="application_org_status_idx"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def deadline(self):
        return self.call.stage_deadline(self.stage)


class ApplicationFile(models.Model):
    """A file given as the answer to a file question. Never changed: a replacement is a new file."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="files"
    )
    question_key = models.SlugField(_("question"), max_length=60)
    file = models.FileField(_("file"), upload_to="applications/%Y/%m/", max_length=255)
    original_name = models.CharField(_("name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("application file")
        verbose_name_plural = _("application files")
        ordering = ["application", "created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ApplicationRevision(models.Model):
    """What was submitted, frozen: the receipt's content hash is computed over it."""

    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="revisions"
    )
    number = models.PositiveIntegerField(_("revision"))
    answers = models.JSONField(_("answers"))
    partners = models.JSONField(_("consortium partners"), default=list)
    declarations = models.JSONField(_("declarations"), default=dict)
    form_version = models.PositiveIntegerField(_("form version"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # When the request arrived: this is the instant checked against the deadline.
    received_at = models.DateTimeField(_("received"))
    submitted_at = models.DateTimeField(_("submitted"))
    content_hash = models.CharField(_("content hash (SHA-256)"), max_length=64)
    receipt_code = models.CharField(_("receipt number"), max_length=40, unique=True)

    class Meta:
        verbose_name = _("submitted revision")
        verbose_name_plural = _("submitted revisions")
        ordering = ["application", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "number"], name="application_revision_unique"),
        ]

    def __str__(self) -> str:
        return self.receipt_code


class DeadlineExtension(models.Model):
    """An individual extension of a call's deadline for one organisation, granted by the lab."""

    call = models.ForeignKey(
        Call, verbose_name=_("call"), on_delete=models.CASCADE, related_name="extensions"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    stage = models.CharField(_("stage"), max_length=10, choices=Stage.choices, default=Stage.PROPOSAL)
    until = models.DateTimeField(_("extended until"))
    reason = models.TextField(_("reason"), max_length=2000)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("granted"), auto_now_add=True)

    class Meta:
        verbose_name = _("deadline extension")
        verbose_name_plural = _("deadline extensions")
        ordering = ["call", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["call", "organisation", "stage"], name="extension_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.until:%Y-%m-%d %H:%M}"


class DeadlineReminder(models.Model):
    """That a reminder was sent for one application, so each is sent once, whatever reruns the job."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=5, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["application", "kind"], name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.kind}"


class Follow(models.Model):
    """A person following a lab, a challenge, a sector or a technology, told when a matching call opens."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    kind = models.CharField(_("kind"), max_length=20, choices=FollowKind.choices)
    lab = models.ForeignKey("labs.Lab", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    challenge = models.ForeignKey(
        "challenges.Challenge", null=True, blank=True, on_delete=models.CASCADE, related_name="followers"
    )
    term = models.ForeignKey(
        "taxonomy.Term", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        ordering = ["user", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "lab"], condition=models.Q(kind="lab"), name="follow_lab_once"
            ),
            models.UniqueConstraint(
                fields=["user", "challenge"],
                condition=models.Q(kind="challenge"),
                name="follow_challenge_once",
            ),
            models.UniqueConstraint(
                fields=["user", "term"],
                condition=models.Q(kind__in=["sector", "technology"]),
                name="follow_term_once",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind="lab", lab__isnull=False, challenge__isnull=True, term__isnull=True)
                    | models.Q(kind="challenge", challenge__isnull=False, lab__isnull=True, term__isnull=True)
                    | models.Q(
                        kind__in=["sector", "technology"],
                        term__isnull=False,
                        lab__isnull=True,
                        challenge__isnull=True,
                    )
                ),
                name="follow_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.kind}"
