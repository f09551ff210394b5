"""The strengthening programme of a call's cohort: bootcamps with registration and attendance, mentors and
mentoring with agreed actions, work sessions with the entity's team, MVP milestones, hours, and the TRL
diagnosis (self and expert assessments, kept as a history: a new assessment is a new row)."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from govlab.core.i18n import TranslatedField, pick
from govlab.core.uploads import document_upload
from govlab.organisations.enums import TRL_LEVELS

from .enums import ActionStatus, ActivityKind, AssessmentKind, MilestoneStatus, ProgrammeStatus

HOURS = {
    "max_digits": 7,
    "decimal_places": 2,
    "validators": [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("10000"))],
}


class Programme(models.Model):
    """A call's strengthening programme: its cohort is the call's preselected applications."""

    call = models.OneToOneField(
        "calls.Call", verbose_name=_("call"), on_delete=models.PROTECT, related_name="programme"
    )
    title = TranslatedField(_("title"), blank=True, max_length=200)
    description = TranslatedField(_("description"), blank=True, max_length=5000)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.PLANNED
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("strengthening programme")
        verbose_name_plural = _("strengthening programmes")
        ordering = ["-starts_on", "pk"]

    def __str__(self) -> str:
        return pick(self.title).text or str(self.call)

    @property
    def lab(self):
        return self.call.lab


class CohortMember(models.Model):
    """A preselected application taking part in the programme."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="members")
    application = models.OneToOneField(
        "calls.Application",
        verbose_name=_("application"),
        on_delete=models.PROTECT,
        related_name="cohort_member",
    )
    joined_at = models.DateTimeField(_("joined"))
    left_at = models.DateTimeField(_("left"), null=True, blank=True)
    left_reason = models.TextField(_("why they left"), blank=True, max_length=2000)

    class Meta:
        verbose_name = _("cohort member")
        verbose_name_plural = _("cohort members")
        ordering = ["programme_id", "application__challenge_id", "pk"]

    def __str__(self) -> str:
        return f"{self.application.reference} {self.application.organisation}"


class Bootcamp(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="bootcamps")
    topic = models.CharField(_("topic"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    link = models.URLField(_("link to join online"), blank=True)
    facilitator = models.CharField(_("facilitator"), max_length=200, blank=True)
    materials_url = models.URLField(_("materials (link)"), blank=True)
    materials_file = models.FileField(
        _("materials (file)"),
        upload_to="strengthening/materials/%Y/%m/",
        blank=True,
        validators=[document_upload],
    )
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("bootcamp")
        verbose_name_plural = _("bootcamps")
        ordering = ["programme_id", "starts_at", "pk"]

    def __str__(self) -> str:
        return self.topic

    @property
    def duration_hours(self) -> Decimal:
        seconds = (self.ends_at - self.starts_at).total_seconds()
        return (Decimal(seconds) / Decimal(3600)).quantize(Decimal("0.01"))


class BootcampRegistration(models.Model):
    bootcamp = models.ForeignKey(Bootcamp, on_delete=models.CASCADE, related_name="registrations")
    member = models.ForeignKey(CohortMember, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registered"), auto_now_add=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    hours = models.DecimalField(_("hours"), null=True, blank=True, **HOURS)
    attendance_recorded_at = models.DateTimeField(_("attendance recorded"), null=True, blank=True)

    class Meta:
        verbose_name = _("bootcamp registration")
        verbose_name_plural = _("bootcamp registrations")
        ordering = ["bootcamp_id", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["bootcamp", "person"], name="bootcamp_registration_once"),
        ]

    def __str__(self) -> str:
        return f"{self.bootcamp} / {self.person}"


class Mentor(models.Model):
    """A person with expertise whom the lab assigns to solvers."""

    lab = models.ForeignKey("labs.Lab", on_delete=models.CASCADE, related_name="mentors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="mentor_profiles"
    )
    expertise = models.TextField(_("expertise"), blank=True, max_length=2000)
    terms = models.ManyToManyField(
        "taxonomy.Term", verbose_name=_("sectors and technologies"), blank=True, related_name="+"
    )
    is_active = models.BooleanField(_("active"), default=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        ordering = ["lab_id", "user__full_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["lab", "user"], name="mentor_once_per_lab")]

    def __str__(self) -> str:
        return getattr(self.user, "full_name", "") or self.user.email


class MentorAssignment(models.Model):
    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="assignments")
    member = models.ForeignKey(CohortMember, on_delete=models.CASCADE, related_name="mentor_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assigned_at = models.DateTimeField(_("assigned"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        verbose_name = _("mentor assignment")
        verbose_name_plural = _("mentor assignments")
        ordering = ["member_id", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor", "member"],
                condition=models.Q(ended_at__isnull=True),
                name="mentor_assignment_one_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} → {self.member}"


class MentoringSession(models.Model):
    member = models.ForeignKey(CohortMember, on_delete=models.CASCADE, related_name="mentoring_sessions")
    mentor = models.ForeignKey(Mentor, on_delete=models.PROTECT, related_name="sessions")
    held_on = models.DateField(_("held on"))
    hours = models.DecimalField(_("hours"), **HOURS)
    topics = models.CharField(_("topics"), max_length=500)
    notes = models.TextField(_("notes"), blank=True, max_length=10000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("mentoring session")
        verbose_name_plural = _("mentoring sessions")
        ordering = ["member_id", "-held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.member} / {self.held_on}"


class AgreedAction(models.Model):
    session = models.ForeignKey(MentoringSession, on_delete=models.CASCADE, related_name="actions")
    # Denormalised from the session, so a member's actions are one query.
    member = models.ForeignKey(CohortMember, on_delete=models.CASCADE, related_name="actions")
    description = models.CharField(_("action"), max_length=500)
    owner = models.CharField(_("who does it"), max_length=200, blank=True)
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("agreed action")
        verbose_name_plural = _("agreed actions")
        ordering = ["member_id", "due_on", "pk"]

    def __str__(self) -> str:
        return self.description


class WorkSession(models.Model):
    """A session with the entity's team, about one solver or a whole challenge."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="work_sessions")
    member = models.ForeignKey(
        CohortMember, on_delete=models.CASCADE, related_name="work_sessions", null=True, blank=True
    )
    challenge = models.ForeignKey(
        "challenges.Challenge", on_delete=models.PROTECT, related_name="+", verbose_name=_("challenge")
    )
    held_at = models.DateTimeField(_("held"))
    agenda = models.TextField(_("agenda"), max_length=5000)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attendees"), blank=True, related_name="+"
    )
    other_attendees = models.TextField(_("other attendees"), blank=True, max_length=2000)
    minutes = models.TextField(pgettext_lazy("meeting notes", "minutes"), blank=True, max_length=20000)
    decisions = models.TextField(_("decisions"), blank=True, max_length=5000)
    alignment_issues = models.TextField(_("alignment issues"), blank=True, max_length=5000)
    hours = models.DecimalField(_("hours"), **HOURS)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("work session")
        verbose_name_plural = _("work sessions")
        ordering = ["programme_id", "-held_at", "pk"]

    def __str__(self) -> str:
        return f"{self.challenge} / {self.held_at:%Y-%m-%d}"


class Milestone(models.Model):
    """A step of the MVP: what, when, the evidence, and who accepted it."""

    member = models.ForeignKey(CohortMember, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("what"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    due_on = models.DateField(_("due"))
    status = models.CharField(
        _("status"), max_length=10, choices=MilestoneStatus.choices, default=MilestoneStatus.PLANNED
    )
    evidence_text = models.TextField(_("evidence"), blank=True, max_length=5000)
    evidence_url = models.URLField(_("evidence (link)"), blank=True)
    evidence_file = models.FileField(
        _("evidence (file)"),
        upload_to="strengthening/evidence/%Y/%m/",
        blank=True,
        validators=[document_upload],
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("review note"), blank=True, max_length=5000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["member_id", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def accepted_by(self):
        return self.reviewed_by if self.status == MilestoneStatus.ACCEPTED else None


class HoursEntry(models.Model):
    """Hours not recorded with a bootcamp, a mentoring or a work session (building the MVP, and others)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="hours_entries")
    member = models.ForeignKey(
        CohortMember, on_delete=models.CASCADE, related_name="hours_entries", null=True, blank=True
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    kind = models.CharField(_("activity"), max_length=20, choices=ActivityKind.choices)
    hours = models.DecimalField(_("hours"), **HOURS)
    worked_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("hours entry")
        verbose_name_plural = _("hours entries")
        ordering = ["programme_id", "-worked_on", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} {self.hours} h"


class TrlAssessment(models.Model):
    """One TRL diagnosis of a solver, kept as it was: a new assessment is a new row."""

    member = models.ForeignKey(CohortMember, on_delete=models.CASCADE, related_name="trl_assessments")
    kind = models.CharField(_("kind"), max_length=10, choices=AssessmentKind.choices)
    level = models.PositiveSmallIntegerField(
        _("TRL"), choices=TRL_LEVELS, validators=[MinValueValidator(1), MaxValueValidator(9)]
    )
    # {"<level>": "evidence for that level"}
    evidence = models.JSONField(_("evidence per level"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=5000)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_on = models.DateField(_("assessed on"))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("TRL assessment")
        verbose_name_plural = _("TRL assessments")
        ordering = ["member_id", "assessed_on", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.member} TRL {self.level} ({self.kind})"
