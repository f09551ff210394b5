from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from govlab.core.i18n import TranslatedField, pick
from govlab.core.uploads import document_upload
from govlab.labs.models import CURRENCY_CHOICES

from .enums import (
    HIDDEN_FROM_PUBLIC,
    ChallengeStatus,
    CriterionAnswer,
    DeclineReason,
    TeamRole,
    WorksheetKind,
)


class IntakeCampaign(models.Model):
    """A lab's call for challenges: public entities submit problems between two dates."""

    lab = models.ForeignKey(
        "labs.Lab", verbose_name=_("lab"), on_delete=models.CASCADE, related_name="campaigns"
    )
    title = TranslatedField(_("title"), max_length=200)
    slug = models.SlugField(_("short name in addresses"), max_length=80)
    description = TranslatedField(_("description"), blank=True, max_length=20000)
    opens_at = models.DateTimeField(_("opens"))
    closes_at = models.DateTimeField(_("closes"))
    open_to = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("open to"),
        blank=True,
        related_name="+",
        help_text=_("The public entities that may submit. Leave empty to open it to every public entity."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("intake campaign")
        verbose_name_plural = _("intake campaigns")
        ordering = ["-opens_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["lab", "slug"], name="campaign_unique_slug_per_lab"),
            models.CheckConstraint(
                condition=models.Q(closes_at__gt=models.F("opens_at")), name="campaign_closes_after_opens"
            ),
        ]

    def __str__(self) -> str:
        return pick(self.title).text or self.slug

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.is_published and self.opens_at <= now < self.closes_at


class ViabilityCriterion(models.Model):
    """One question the lab answers when screening a campaign's challenges."""

    campaign = models.ForeignKey(
        IntakeCampaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="criteria"
    )
    name = TranslatedField(_("criterion"), max_length=200)
    description = TranslatedField(_("description"), blank=True, max_length=2000)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("viability criterion")
        verbose_name_plural = _("viability criteria")
        ordering = ["campaign", "position", "pk"]

    def __str__(self) -> str:
        return pick(self.name).text


class LegalRegime(models.Model):
    """Procurement rules that may bind an entity, per lab (e.g. the general law, an entity's own manual)."""

    lab = models.ForeignKey(
        "labs.Lab", verbose_name=_("lab"), on_delete=models.CASCADE, related_name="legal_regimes"
    )
    name = TranslatedField(_("name"), max_length=200)
    description = TranslatedField(_("description"), blank=True, max_length=5000)
    source_url = models.URLField(_("source"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("legal regime")
        verbose_name_plural = _("legal regimes")
        ordering = ["lab", "pk"]

    def __str__(self) -> str:
        return pick(self.name).text


class ChallengeQuerySet(models.QuerySet):
    def public(self):
        return self.filter(is_public=True).exclude(status__in=HIDDEN_FROM_PUBLIC)

    def for_list(self):
        return self.select_related("lab", "campaign", "owner").prefetch_related("sdgs", "sectors")


class Challenge(models.Model):
    """A public entity's problem, from its first draft to the purchase of a solution."""

    lab = models.ForeignKey(
        "labs.Lab", verbose_name=_("lab"), on_delete=models.PROTECT, related_name="challenges"
    )
    campaign = models.ForeignKey(
        IntakeCampaign,
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="challenges",
    )
    owner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("public entity"),
        on_delete=models.PROTECT,
        related_name="owned_challenges",
    )
    co_owners = models.ManyToManyField(
        "organisations.Organisation",
        verbose_name=_("co-owning entities"),
        blank=True,
        related_name="co_owned_challenges",
        help_text=_("Other entities that share this challenge, e.g. neighbouring municipalities."),
    )
    status = models.CharField(
        _("status"),
        max_length=30,
        choices=ChallengeStatus.choices,
        default=ChallengeStatus.DRAFT,
        db_index=True,
    )
    reference = models.CharField(_("reference"), max_length=30, unique=True, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)

    # What the entity says about its problem.
    # Drafts may be incomplete: what a submission needs is checked by services.challenge_submission_gaps.
    title = TranslatedField(_("title"), max_length=200, blank=True)
    problem_statement = TranslatedField(
        _("problem statement"),
        max_length=5000,
        blank=True,
        help_text=_("Begin with “Our challenge is that…”."),
    )
    background = TranslatedField(_("background and causes"), blank=True, max_length=20000)
    affected = TranslatedField(_("who is affected and how"), blank=True, max_length=10000)
    affected_count = models.PositiveIntegerField(_("how many people are affected"), null=True, blank=True)
    evidence_quantitative = TranslatedField(_("quantitative evidence"), blank=True, max_length=20000)
    evidence_qualitative = TranslatedField(_("qualitative evidence"), blank=True, max_length=20000)
    evidence_links = models.JSONField(_("evidence links"), default=list, blank=True)
    desired_outcomes = TranslatedField(_("desired outcomes"), blank=True, max_length=10000)
    constraints = TranslatedField(_("constraints"), blank=True, max_length=10000)
    sdgs = models.ManyToManyField("taxonomy.Term", verbose_name=_("SDGs"), blank=True, related_name="+")
    thematic_areas = models.ManyToManyField(
        "taxonomy.Term", verbose_name=_("thematic areas"), blank=True, related_name="+"
    )
    sectors = models.ManyToManyField("taxonomy.Term", verbose_name=_("sectors"), blank=True, related_name="+")
    technologies = models.ManyToManyField(
        "taxonomy.Term",
        verbose_name=_("technologies of interest"),
        blank=True,
        related_name="+",
        help_text=_("Optional: describe challenges and needs, not techniques."),
    )
    country = CountryField(_("country"), blank=True)
    region = models.CharField(_("region"), max_length=120, blank=True)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-90")), MaxValueValidator(Decimal("90"))],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("-180")), MaxValueValidator(Decimal("180"))],
    )
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Show the title and problem statement on the public site once accepted."),
    )
    public_sections = models.JSONField(
        _("public sections"),
        default=list,
        blank=True,
        help_text=_("Which further parts the public may read."),
    )

    # Screening.
    priority_rank = models.PositiveIntegerField(_("priority"), null=True, blank=True)
    decline_reason = models.CharField(
        _("reason for declining"), max_length=30, choices=DeclineReason.choices, blank=True
    )
    decision_message = models.TextField(_("message to the entity"), blank=True)

    # Characterisation (phase 2).
    technical_characteristics = TranslatedField(_("technical characteristics"), blank=True, max_length=20000)
    required_functionalities = TranslatedField(_("required functionalities"), blank=True, max_length=20000)
    expected_duration_months = models.PositiveSmallIntegerField(
        _("expected duration (months)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
    )
    estimated_cost = models.DecimalField(
        _("estimated cost"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    estimated_cost_currency = models.CharField(
        _("currency"), max_length=3, choices=CURRENCY_CHOICES, blank=True
    )
    budget_amount = models.DecimalField(
        _("confirmed budget"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    budget_currency = models.CharField(
        _("budget currency"), max_length=3, choices=CURRENCY_CHOICES, blank=True
    )
    budget_source = models.CharField(_("budget source"), max_length=300, blank=True)
    budget_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("budget confirmed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    budget_confirmed_at = models.DateTimeField(_("budget confirmed on"), null=True, blank=True)
    legal_regime = models.ForeignKey(
        LegalRegime,
        verbose_name=_("legal regime"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    pilot_infrastructure = TranslatedField(_("pilot infrastructure"), blank=True, max_length=5000)
    pilot_infrastructure_available = models.BooleanField(
        _("infrastructure to host a pilot is available"), default=False
    )
    readiness_override = models.TextField(
        _("readiness override"),
        blank=True,
        help_text=_("A manager's justification for going on without a met checklist."),
    )

    # Lower-cased text of every translation of the main fields, for portable search (see ADR 0007).
    search_text = models.TextField(editable=False, blank=True, default="")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status since"), default=timezone.now)

    objects = ChallengeQuerySet.as_manager()

    class Meta:
        verbose_name = _("challenge")
        verbose_name_plural = _("challenges")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["lab", "status"], name="challenge_lab_status_idx"),
            models.Index(fields=["campaign", "status"], name="challenge_campaign_status_idx"),
            # The public list: its count reads only this index; its default order (newest first) walks
            # the second one instead of sorting every public challenge for each page.
            models.Index(fields=["is_public", "status"], name="challenge_public_status_idx"),
            models.Index(fields=["submitted_at", "id"], name="challenge_submitted_idx"),
        ]

    def __str__(self) -> str:
        return pick(self.title).text or self.reference

    # Django's generated get_status_display() hashes every (lazy) label of the choices on each call, which
    # translates all of them: once per card on the public list. Same answer, one lookup.
    def get_status_display(self) -> str:
        return force_str(STATUS_LABELS.get(self.status, self.status), strings_only=True)

    SEARCHED_FIELDS = ("title", "problem_statement", "background", "desired_outcomes")

    def build_search_text(self) -> str:
        parts = [self.reference, getattr(self.owner, "name", "")]
        for name in self.SEARCHED_FIELDS:
            parts.extend((getattr(self, name) or {}).values())
        return " ".join(part for part in parts if part).lower()

    def section_is_public(self, section: str) -> bool:
        return self.is_public and section in (self.public_sections or [])


STATUS_LABELS = dict(ChallengeStatus.choices)


class ChallengeAttachment(models.Model):
    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="challenges/%Y/%m/", validators=[document_upload])
    original_name = models.CharField(_("name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class ChallengeTeamMember(models.Model):
    """A member of the entity's multidisciplinary team: a govlab user or a named contact."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="team")
    role = models.CharField(_("role"), max_length=20, choices=TeamRole.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("name"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    job_title = models.CharField(_("job title"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["challenge", "role", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(user__isnull=True, name=""), name="team_member_user_or_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()}: {self.user or self.name}"


class CriterionAssessment(models.Model):
    """The lab's answer to one viability criterion for one challenge."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="assessments")
    criterion = models.ForeignKey(ViabilityCriterion, on_delete=models.CASCADE, related_name="assessments")
    answer = models.CharField(
        _("answer"), max_length=10, choices=CriterionAnswer.choices, default=CriterionAnswer.UNKNOWN
    )
    note = models.TextField(_("note"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("criterion assessment")
        verbose_name_plural = _("criterion assessments")
        constraints = [models.UniqueConstraint(fields=["challenge", "criterion"], name="assessment_unique")]

    def __str__(self) -> str:
        return f"{self.criterion}: {self.get_answer_display()}"


class Worksheet(models.Model):
    """An innovation-kit worksheet attached to a challenge; its content lives in versions."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="worksheets")
    kind = models.CharField(_("kind"), max_length=30, choices=WorksheetKind.choices)
    is_complete = models.BooleanField(_("complete"), default=False)
    current_version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        verbose_name = _("worksheet")
        verbose_name_plural = _("worksheets")
        ordering = ["challenge", "kind"]
        constraints = [models.UniqueConstraint(fields=["challenge", "kind"], name="worksheet_unique_kind")]

    def __str__(self) -> str:
        return self.get_kind_display()


class WorksheetVersion(models.Model):
    worksheet = models.ForeignKey(Worksheet, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    data = models.JSONField(_("content"), default=dict)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)

    class Meta:
        verbose_name = _("worksheet version")
        verbose_name_plural = _("worksheet versions")
        ordering = ["worksheet", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["worksheet", "number"], name="worksheet_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.worksheet} v{self.number}"


class ChallengeTransition(models.Model):
    """One step of a challenge's timeline (also in the audit log)."""

    challenge = models.ForeignKey(Challenge, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=30, choices=ChallengeStatus.choices)
    to_status = models.CharField(_("to"), max_length=30, choices=ChallengeStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("why"), blank=True)
    created_at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("challenge transition")
        verbose_name_plural = _("challenge transitions")
        ordering = ["challenge", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.challenge}: {self.from_status} → {self.to_status}"
