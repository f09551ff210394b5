"""Writes for the strengthening programme. The UI and the API call these, and only these.

Every function checks who asks, validates, writes and audits in one transaction, and raises a coded
ValidationError (by field where it can) without changing anything when it refuses.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govlab.audit.services import audit_record
from govlab.calls.models import Call
from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.models import Challenge
from govlab.challenges.services import challenge_transition
from govlab.core.i18n import clean_translations
from govlab.core.refusals import coded, refuse
from govlab.labs.enums import LabRole
from govlab.labs.rules import is_lab_mentor, require_lab_staff
from govlab.notifications.services import notify
from govlab.organisations.selectors import organisation_people

from .enums import ActionStatus, ActivityKind, AssessmentKind, MilestoneStatus, ProgrammeStatus
from .models import (
    AgreedAction,
    Bootcamp,
    BootcampRegistration,
    CohortMember,
    HoursEntry,
    Mentor,
    MentorAssignment,
    MentoringSession,
    Milestone,
    Programme,
    TrlAssessment,
    WorkSession,
)
from .rules import forget_mentored

MAX_HOURS = Decimal("10000")


# --- Helpers -------------------------------------------------------------------------------------


def lab_today(lab) -> dt.date:
    """Today in the lab's time zone (what "late" is judged against)."""
    return timezone.localdate(timezone=ZoneInfo(getattr(lab, "time_zone", "") or "UTC"))


def _hours(value, field: str = "hours", *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise coded({field: [_("Give the hours spent.")]}, "invalid")
        return None
    try:
        hours = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise coded({field: [_("Give the hours as a number.")]}, "invalid") from None
    if not hours.is_finite() or hours < 0 or hours > MAX_HOURS:
        raise coded({field: [_("Give between 0 and 10,000 hours.")]}, "invalid")
    return hours.quantize(Decimal("0.01"))


def _text(value, field: str, max_length: int, *, required: bool = False, message: str = "") -> str:
    text = (value or "").strip()
    if required and not text:
        raise coded({field: [message or _("This field is required.")]}, "invalid")
    if len(text) > max_length:
        raise coded(
            {field: [_("Keep it to %(max)d characters.") % {"max": max_length}]},
            "invalid",
        )
    return text


def _programme_running(programme: Programme) -> None:
    if programme.status != ProgrammeStatus.RUNNING:
        raise refuse(_("The programme is not running."), "not_running")


def _require(user, perm: str, obj) -> None:
    if not user.has_perm(perm, obj):
        raise refuse(_("You may not do this."), "not_allowed")


def member_people(member: CohortMember) -> list:
    """The solver's people: the members of the applying organisation."""
    return organisation_people(member.application.organisation_id)


def _member_url(member: CohortMember) -> str:
    return reverse("strengthening:member", args=[member.pk])


# --- The programme and its cohort ----------------------------------------------------------------


@transaction.atomic
def programme_start(
    *,
    call: Call,
    by,
    starts_on: dt.date | None = None,
    ends_on: dt.date | None = None,
    title=None,
    description=None,
) -> Programme:
    """Start the call's programme: its preselected applications become the cohort, and each challenge
    that is preselected moves to strengthening."""
    from govlab.evaluation.selectors import preselected_applications

    require_lab_staff(by, call.lab)
    locked = Call.objects.select_for_update().get(pk=call.pk)
    programme = Programme.objects.filter(call=locked).first()
    if programme is not None and programme.status != ProgrammeStatus.PLANNED:
        raise refuse(_("The programme has already started."), "already_started")
    applications = list(preselected_applications(locked))
    if not applications:
        raise refuse(_("The call has no preselected applications yet."), "no_cohort")
    starts_on = starts_on or call.strengthening_starts_on or lab_today(call.lab)
    ends_on = ends_on if ends_on is not None else call.strengthening_ends_on
    if ends_on is not None and ends_on < starts_on:
        raise coded({"ends_on": [_("The programme cannot end before it starts.")]}, "invalid")
    try:
        title = clean_translations(title, required=False, max_length=200) if title else {}
        description = clean_translations(description, required=False, max_length=5000) if description else {}
    except ValidationError as error:
        raise coded({"title": error.messages}, "invalid") from error
    if programme is None:
        programme = Programme(call=locked, created_by=by)
    programme.title = title or programme.title or {}
    programme.description = description or programme.description or {}
    programme.starts_on = starts_on
    programme.ends_on = ends_on
    programme.status = ProgrammeStatus.RUNNING
    programme.save()
    now = timezone.now()
    taken = set(
        CohortMember.objects.filter(application__in=applications).values_list("application_id", flat=True)
    )
    CohortMember.objects.bulk_create(
        [
            CohortMember(programme=programme, application=a, joined_at=now)
            for a in applications
            if a.pk not in taken
        ]
    )
    moved = []
    for challenge in locked.challenges.filter(status=ChallengeStatus.PRESELECTED).order_by("pk"):
        challenge_transition(
            challenge=challenge,
            target=ChallengeStatus.STRENGTHENING,
            actor=by,
            via_call=True,
            reason=_("The strengthening programme started."),
        )
        moved.append(challenge.reference)
    audit_record(
        actor=by,
        action="strengthening.programme.start",
        target=programme,
        lab=call.lab,
        changes={
            "status": [ProgrammeStatus.PLANNED, ProgrammeStatus.RUNNING],
            "cohort": [[], sorted(a.reference for a in applications)],
            "challenges": [[], moved],
        },
    )
    notify(
        recipients=organisation_people({a.organisation_id for a in applications}),
        kind="strengthening.started",
        subject=gettext_lazy("The strengthening programme has started"),
        body=gettext_lazy("Your programme page lists the bootcamps, your mentors and your milestones."),
        url=reverse("strengthening:mine"),
        lab=call.lab,
    )
    return programme


@transaction.atomic
def programme_close(*, programme: Programme, by) -> Programme:
    require_lab_staff(by, programme.call.lab)
    locked = Programme.objects.select_for_update().get(pk=programme.pk)
    _programme_running(locked)
    locked.status = ProgrammeStatus.CLOSED
    locked.save(update_fields=["status"])
    audit_record(
        actor=by,
        action="strengthening.programme.close",
        target=locked,
        lab=programme.call.lab,
        changes={"status": [ProgrammeStatus.RUNNING, ProgrammeStatus.CLOSED]},
    )
    return locked


@transaction.atomic
def member_leave(*, member: CohortMember, by, reason: str) -> CohortMember:
    """A solver leaves the programme (lab staff), with why; its mentor assignments end. Kept as a record."""
    require_lab_staff(by, member.programme.call.lab)
    locked = CohortMember.objects.select_for_update().get(pk=member.pk)
    if locked.left_at is not None:
        raise refuse(_("This solver has already left the programme."), "left")
    reason = _text(reason, "left_reason", 2000, required=True, message=_("Say why the solver leaves."))
    locked.left_at, locked.left_reason = timezone.now(), reason
    locked.save(update_fields=["left_at", "left_reason"])
    ended = MentorAssignment.objects.filter(member=locked, ended_at__isnull=True)
    mentor_users = [a.mentor.user for a in ended.select_related("mentor__user")]
    ended.update(ended_at=locked.left_at)
    audit_record(
        actor=by,
        action="strengthening.member.leave",
        target=locked,
        lab=member.programme.call.lab,
        changes={"left_at": [None, locked.left_at]},
        reason=reason,
    )
    for user in mentor_users:
        forget_mentored(user)
    return locked


# --- Bootcamps -------------------------------------------------------------------------------------


@transaction.atomic
def bootcamp_save(
    *,
    programme: Programme,
    by,
    bootcamp: Bootcamp | None = None,
    topic: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    description: str = "",
    place: str = "",
    link: str = "",
    facilitator: str = "",
    materials_url: str = "",
    materials_file=None,
    capacity: int | None = None,
) -> Bootcamp:
    """Plan a bootcamp (the cohort is told) or change one."""
    require_lab_staff(by, programme.call.lab)
    if programme.status == ProgrammeStatus.CLOSED:
        raise refuse(_("The programme is closed."), "not_running")
    errors: dict[str, list[str]] = {}
    topic = (topic or "").strip()
    if not topic:
        errors["topic"] = [_("Give the bootcamp's topic.")]
    if starts_at is None:
        errors["starts_at"] = [_("Give when it starts.")]
    if ends_at is None:
        errors["ends_at"] = [_("Give when it ends.")]
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = [_("It must end after it starts.")]
    if not (place or "").strip() and not (link or "").strip():
        errors["place"] = [_("Give a place or a link to join online.")]
    if capacity is not None and capacity < 1:
        errors["capacity"] = [_("Give at least one place, or leave it empty for no limit.")]
    if errors:
        raise coded(errors, "invalid")
    creating = bootcamp is None
    if creating:
        bootcamp = Bootcamp(programme=programme, created_by=by)
    else:
        bootcamp = Bootcamp.objects.select_for_update().get(pk=bootcamp.pk, programme=programme)
        if capacity is not None and bootcamp.registrations.count() > capacity:
            raise coded({"capacity": [_("More people are already registered.")]}, "invalid")
    before = {"topic": bootcamp.topic, "starts_at": bootcamp.starts_at, "ends_at": bootcamp.ends_at}
    bootcamp.topic = topic
    bootcamp.description = (description or "").strip()
    bootcamp.starts_at, bootcamp.ends_at = starts_at, ends_at
    bootcamp.place = (place or "").strip()
    bootcamp.link = (link or "").strip()
    bootcamp.facilitator = (facilitator or "").strip()
    bootcamp.materials_url = (materials_url or "").strip()
    if materials_file:
        bootcamp.materials_file = materials_file
    bootcamp.capacity = capacity
    try:
        bootcamp.full_clean(exclude=["programme", "created_by"])
    except ValidationError as error:
        raise coded(error.message_dict, "invalid") from error
    bootcamp.save()
    audit_record(
        actor=by,
        action="strengthening.bootcamp.add" if creating else "strengthening.bootcamp.change",
        target=bootcamp,
        lab=programme.call.lab,
        changes={
            "topic": [before["topic"] or None, topic],
            "starts_at": [before["starts_at"], starts_at],
            "ends_at": [before["ends_at"], ends_at],
        },
    )
    if creating:
        members = CohortMember.objects.filter(programme=programme, left_at__isnull=True).values_list(
            "application__organisation_id", flat=True
        )
        notify(
            recipients=organisation_people(set(members)),
            kind="strengthening.bootcamp",
            subject=format_lazy(gettext_lazy("Bootcamp scheduled: {topic}"), topic=topic),
            body=gettext_lazy("Register your people on your programme page."),
            url=reverse("strengthening:mine"),
            lab=programme.call.lab,
        )
    return bootcamp


@transaction.atomic
def bootcamp_register(*, bootcamp: Bootcamp, member: CohortMember, person, by) -> BootcampRegistration:
    """Register one of the solver's people (the solver's members do it, or the lab's team)."""
    _require(by, "strengthening.register", member)
    locked = Bootcamp.objects.select_for_update().select_related("programme").get(pk=bootcamp.pk)
    _programme_running(locked.programme)
    if member.programme_id != locked.programme_id or member.left_at is not None:
        raise coded({"member": [_("This solver is not in the bootcamp's cohort.")]}, "invalid")
    if person.pk not in {p.pk for p in member_people(member)}:
        raise coded({"person": [_("Register a member of the solver's organisation.")]}, "invalid")
    if locked.ends_at <= timezone.now():
        raise refuse(_("The bootcamp is over."), "over")
    if BootcampRegistration.objects.filter(bootcamp=locked, person=person).exists():
        raise coded({"person": [_("This person is already registered.")]}, "duplicate")
    if locked.capacity is not None and locked.registrations.count() >= locked.capacity:
        raise refuse(_("The bootcamp is full."), "full")
    registration = BootcampRegistration.objects.create(
        bootcamp=locked, member=member, person=person, registered_by=by
    )
    audit_record(
        actor=by,
        action="strengthening.bootcamp.register",
        target=registration,
        lab=locked.programme.call.lab,
        changes={"bootcamp": [None, locked.topic], "person": [None, person.pk]},
    )
    return registration


@transaction.atomic
def bootcamp_unregister(*, registration: BootcampRegistration, by) -> None:
    _require(by, "strengthening.register", registration.member)
    locked = (
        BootcampRegistration.objects.select_for_update()
        .select_related("bootcamp__programme__call")
        .get(pk=registration.pk)
    )
    if locked.attended is not None:
        raise refuse(_("Attendance is already recorded."), "recorded")
    audit_record(
        actor=by,
        action="strengthening.bootcamp.unregister",
        target=locked,
        lab=locked.bootcamp.programme.call.lab,
        changes={"bootcamp": [locked.bootcamp.topic, None], "person": [locked.person_id, None]},
    )
    locked.delete()


@transaction.atomic
def attendance_record(*, bootcamp: Bootcamp, by, rows: list[dict]) -> list[BootcampRegistration]:
    """Record who attended and their hours (lab staff), for one registration or many at once.

    ``rows``: [{"registration": id, "attended": bool, "hours": number or None}]. Hours default to the
    bootcamp's length for those who attended, 0 for those who did not.
    """
    require_lab_staff(by, bootcamp.programme.call.lab)
    locked = Bootcamp.objects.select_for_update().get(pk=bootcamp.pk)
    if locked.starts_at > timezone.now():
        raise refuse(_("Attendance is recorded once the bootcamp has started."), "not_started")
    registrations = {
        r.pk: r for r in BootcampRegistration.objects.select_for_update().filter(bootcamp=locked)
    }
    errors: dict[str, list[str]] = {}
    cleaned = []
    if not rows:
        raise refuse(_("Say who attended."), "invalid")
    for index, row in enumerate(rows):
        pk = row.get("registration")
        registration = registrations.get(int(pk)) if str(pk).isdigit() else None
        if registration is None:
            errors[f"rows.{index}.registration"] = [_("Not a registration for this bootcamp.")]
            continue
        attended = row.get("attended")
        if attended not in (True, False):
            errors[f"rows.{index}.attended"] = [_("Say whether this person attended.")]
            continue
        try:
            hours = _hours(row.get("hours"), f"rows.{index}.hours", required=False)
        except ValidationError as error:
            errors.update(error.message_dict)
            continue
        if hours is None:
            hours = locked.duration_hours if attended else Decimal("0.00")
        if not attended and hours:
            errors[f"rows.{index}.hours"] = [_("Someone who did not attend has no hours.")]
            continue
        cleaned.append((registration, attended, hours))
    if errors:
        raise coded(errors, "invalid")
    now = timezone.now()
    changes = {}
    for registration, attended, hours in cleaned:
        changes[str(registration.person_id)] = [
            [registration.attended, str(registration.hours) if registration.hours is not None else None],
            [attended, str(hours)],
        ]
        registration.attended, registration.hours, registration.attendance_recorded_at = attended, hours, now
    BootcampRegistration.objects.bulk_update(
        [r for r, _a, _h in cleaned], ["attended", "hours", "attendance_recorded_at"]
    )
    audit_record(
        actor=by,
        action="strengthening.bootcamp.attendance",
        target=locked,
        lab=bootcamp.programme.call.lab,
        changes=changes,
    )
    return [r for r, _a, _h in cleaned]


# --- Mentors ---------------------------------------------------------------------------------------


@transaction.atomic
def mentor_add(*, lab, user, by, expertise: str = "", terms=()) -> Mentor:
    """Make a person a mentor of the lab (they get the lab's "mentor" role if they lack it)."""
    from govlab.labs.services import lab_membership_add

    require_lab_staff(by, lab)
    if not getattr(user, "is_active", False):
        raise coded({"user": [_("This person's account is not active.")]}, "invalid")
    terms = list(terms)
    if any(term.vocabulary not in ("sector", "technology") for term in terms):
        raise coded({"terms": [_("Choose sectors and technologies.")]}, "invalid")
    expertise = _text(expertise, "expertise", 2000)
    mentor = Mentor.objects.select_for_update().filter(lab=lab, user=user).first()
    if mentor is not None and mentor.is_active:
        raise coded({"user": [_("This person is already a mentor of the lab.")]}, "duplicate")
    if mentor is None:
        mentor = Mentor.objects.create(lab=lab, user=user, expertise=expertise, added_by=by)
    else:
        mentor.is_active = True
        mentor.expertise = expertise or mentor.expertise
        mentor.save(update_fields=["is_active", "expertise"])
    if terms:
        mentor.terms.set(terms)
    if not is_lab_mentor(user, lab):
        lab_membership_add(lab=lab, user=user, role=LabRole.MENTOR, added_by=by)
    audit_record(
        actor=by,
        action="strengthening.mentor.add",
        target=mentor,
        lab=lab,
        changes={"user": [None, user.pk], "expertise": [None, expertise]},
    )
    return mentor


@transaction.atomic
def mentor_deactivate(*, mentor: Mentor, by) -> Mentor:
    """Stop a mentor (their current assignments end)."""
    require_lab_staff(by, mentor.lab)
    locked = Mentor.objects.select_for_update().get(pk=mentor.pk)
    if not locked.is_active:
        raise refuse(_("This mentor is already inactive."), "inactive")
    locked.is_active = False
    locked.save(update_fields=["is_active"])
    ended = MentorAssignment.objects.filter(mentor=locked, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )
    audit_record(
        actor=by,
        action="strengthening.mentor.deactivate",
        target=locked,
        lab=mentor.lab,
        changes={"is_active": [True, False], "assignments_ended": [0, ended]},
    )
    forget_mentored(locked.user)
    return locked


@transaction.atomic
def mentor_assign(*, mentor: Mentor, member: CohortMember, by) -> MentorAssignment:
    lab = member.programme.call.lab
    require_lab_staff(by, lab)
    locked = Mentor.objects.select_for_update().get(pk=mentor.pk)
    if locked.lab_id != lab.pk:
        raise coded({"mentor": [_("This mentor is not one of the lab's.")]}, "invalid")
    if not locked.is_active:
        raise coded({"mentor": [_("This mentor is inactive.")]}, "invalid")
    if member.left_at is not None:
        raise coded({"member": [_("This solver has left the programme.")]}, "invalid")
    if MentorAssignment.objects.filter(mentor=locked, member=member, ended_at__isnull=True).exists():
        raise coded({"mentor": [_("This mentor is already assigned to this solver.")]}, "duplicate")
    assignment = MentorAssignment.objects.create(
        mentor=locked, member=member, assigned_by=by, assigned_at=timezone.now()
    )
    audit_record(
        actor=by,
        action="strengthening.mentor.assign",
        target=assignment,
        lab=lab,
        changes={"mentor": [None, locked.user_id], "member": [None, member.application.reference]},
    )
    notify(
        recipients=[locked.user],
        kind="strengthening.mentor_assigned",
        subject=format_lazy(
            gettext_lazy("You mentor {organisation}"), organisation=member.application.organisation.name
        ),
        body=gettext_lazy("Their progress, milestones and TRL are on their page."),
        url=_member_url(member),
        lab=lab,
    )
    notify(
        recipients=member_people(member),
        kind="strengthening.mentor_assigned",
        subject=format_lazy(gettext_lazy("Your mentor: {mentor}"), mentor=str(locked)),
        url=_member_url(member),
        lab=lab,
    )
    forget_mentored(locked.user)
    return assignment


@transaction.atomic
def mentor_unassign(*, assignment: MentorAssignment, by) -> MentorAssignment:
    lab = assignment.member.programme.call.lab
    require_lab_staff(by, lab)
    locked = MentorAssignment.objects.select_for_update().get(pk=assignment.pk)
    if locked.ended_at is not None:
        raise refuse(_("This assignment has already ended."), "ended")
    locked.ended_at = timezone.now()
    locked.save(update_fields=["ended_at"])
    audit_record(
        actor=by,
        action="strengthening.mentor.unassign",
        target=locked,
        lab=lab,
        changes={"ended_at": [None, locked.ended_at]},
    )
    forget_mentored(assignment.mentor.user)
    return locked


# --- Mentoring -------------------------------------------------------------------------------------


def _actions(actions, today: dt.date) -> list[dict]:
    cleaned, errors = [], {}
    for index, action in enumerate(actions or []):
        description = (action.get("description") or "").strip()
        due_on = action.get("due_on")
        if isinstance(due_on, str):
            try:
                due_on = dt.date.fromisoformat(due_on)
            except ValueError:
                due_on = None
        if not description:
            errors[f"actions.{index}.description"] = [_("Say what was agreed.")]
        elif len(description) > 500:
            errors[f"actions.{index}.description"] = [_("Keep it to %(max)d characters.") % {"max": 500}]
        if not isinstance(due_on, dt.date):
            errors[f"actions.{index}.due_on"] = [_("Give a due date.")]
        owner = (action.get("owner") or "").strip()[:200]
        cleaned.append({"description": description, "due_on": due_on, "owner": owner})
    if errors:
        raise coded(errors, "invalid")
    return cleaned


@transaction.atomic
def mentoring_session_record(
    *,
    member: CohortMember,
    by,
    mentor: Mentor | None = None,
    held_on: dt.date,
    hours,
    topics: str,
    notes: str = "",
    actions=(),
) -> MentoringSession:
    """Record a mentoring session with its agreed actions (the assigned mentor or the lab's team)."""
    _require(by, "strengthening.mentor", member)
    lab = member.programme.call.lab
    _programme_running(member.programme)
    if mentor is None:
        mentor = Mentor.objects.filter(
            lab=lab, user=by, assignments__member=member, assignments__ended_at__isnull=True
        ).first()
    errors: dict[str, list[str]] = {}
    if mentor is None:
        errors["mentor"] = [_("Choose the mentor who held the session.")]
    elif not MentorAssignment.objects.filter(mentor=mentor, member=member, ended_at__isnull=True).exists():
        errors["mentor"] = [_("This mentor is not assigned to this solver.")]
    elif mentor.user_id != by.pk and not by.has_perm("strengthening.manage_member", member):
        errors["mentor"] = [_("You may record only your own sessions.")]
    today = lab_today(lab)
    if not isinstance(held_on, dt.date):
        errors["held_on"] = [_("Give the date of the session.")]
    elif held_on > today:
        errors["held_on"] = [_("A session is recorded once it has taken place.")]
    try:
        hours = _hours(hours)
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        topics = _text(topics, "topics", 500, required=True, message=_("Say what the session was about."))
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        actions = _actions(actions, today)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise coded(errors, "invalid")
    session = MentoringSession.objects.create(
        member=member,
        mentor=mentor,
        held_on=held_on,
        hours=hours,
        topics=topics,
        notes=_text(notes, "notes", 10000),
        recorded_by=by,
    )
    AgreedAction.objects.bulk_create([AgreedAction(session=session, member=member, **a) for a in actions])
    audit_record(
        actor=by,
        action="strengthening.mentoring.record",
        target=session,
        lab=lab,
        changes={
            "member": [None, member.application.reference],
            "held_on": [None, held_on],
            "hours": [None, str(hours)],
            "actions": [0, len(actions)],
        },
    )
    if actions:
        notify(
            recipients=member_people(member),
            kind="strengthening.actions",
            subject=gettext_lazy("Actions agreed in your mentoring session"),
            url=_member_url(member),
            lab=lab,
        )
    return session


@transaction.atomic
def action_set_status(
    *, action: AgreedAction, by, status: str, done_on: dt.date | None = None
) -> AgreedAction:
    member = action.member
    _require(by, "strengthening.update_action", member)
    if status not in ActionStatus.values:
        raise coded({"status": [_("Choose a status.")]}, "invalid")
    locked = AgreedAction.objects.select_for_update().get(pk=action.pk)
    today = lab_today(member.programme.call.lab)
    if status == ActionStatus.DONE:
        done_on = done_on or today
        if done_on > today:
            raise coded({"done_on": [_("An action is done on a day that has come.")]}, "invalid")
    else:
        done_on = None
    if locked.status == status and locked.done_on == done_on:
        return locked
    before = [locked.status, locked.done_on]
    locked.status, locked.done_on = status, done_on
    locked.save(update_fields=["status", "done_on"])
    audit_record(
        actor=by,
        action="strengthening.action.status",
        target=locked,
        lab=member.programme.call.lab,
        changes={"status": [before[0], status], "done_on": [before[1], done_on]},
    )
    return locked


# --- Work sessions ---------------------------------------------------------------------------------


def _work_session_people(programme: Programme, challenge: Challenge, member: CohortMember | None) -> set[int]:
    """The ids of who may be named as attending a work session about this challenge (or this solver)."""
    from govlab.labs.selectors import lab_team_users
    from govlab.organisations.selectors import organisation_people

    organisations = {challenge.owner_id, *challenge.co_owners.values_list("pk", flat=True)}
    if member is not None:
        organisations.add(member.application.organisation_id)
    else:
        organisations.update(
            programme.members.filter(application__challenge=challenge).values_list(
                "application__organisation_id", flat=True
            )
        )
    people = organisation_people(list(organisations)) + lab_team_users(programme.call.lab)
    return {person.pk for person in people}


@transaction.atomic
def work_session_record(
    *,
    programme: Programme,
    by,
    challenge: Challenge | None = None,
    member: CohortMember | None = None,
    held_at: dt.datetime,
    agenda: str,
    hours,
    attendees=(),
    other_attendees: str = "",
    minutes: str = "",
    decisions: str = "",
    alignment_issues: str = "",
) -> WorkSession:
    """A session with the entity's team about one solver (``member``) or a whole challenge (lab staff, or
    the entity's members)."""
    from govlab.challenges.rules import is_challenge_entity_member

    lab = programme.call.lab
    if member is not None:
        if member.programme_id != programme.pk:
            raise coded({"member": [_("This solver is not in the programme.")]}, "invalid")
        challenge = member.application.challenge
    if challenge is None or not programme.call.challenges.filter(pk=challenge.pk).exists():
        raise coded({"challenge": [_("Choose a challenge of the call.")]}, "invalid")
    from govlab.labs.rules import is_lab_staff

    if not (is_lab_staff(by, lab) or by.is_superuser or is_challenge_entity_member(by, challenge)):
        raise refuse(_("You may not do this."), "not_allowed")
    _programme_running(programme)
    errors: dict[str, list[str]] = {}
    if not isinstance(held_at, dt.datetime):
        errors["held_at"] = [_("Give when the session was held.")]
    for name, value, limit, required in (
        ("agenda", agenda, 5000, True),
        ("other_attendees", other_attendees, 2000, False),
        ("minutes", minutes, 20000, False),
        ("decisions", decisions, 5000, False),
        ("alignment_issues", alignment_issues, 5000, False),
    ):
        try:
            _text(value, name, limit, required=required)
        except ValidationError as error:
            errors.update(error.message_dict)
    try:
        hours = _hours(hours)
    except ValidationError as error:
        errors.update(error.message_dict)
    attendees = list(attendees)
    # Attendees are people of the session: the entity (owner and co-owners), the solvers concerned and the
    # lab's team — never anyone else on the platform (their names would show on the solver's page).
    allowed = _work_session_people(programme, challenge, member)
    if any(getattr(person, "pk", person) not in allowed for person in attendees):
        errors["attendees"] = [_("Choose people from the entity, the solver or the lab.")]
    if errors:
        raise coded(errors, "invalid")
    session = WorkSession.objects.create(
        programme=programme,
        member=member,
        challenge=challenge,
        held_at=held_at,
        agenda=agenda.strip(),
        other_attendees=(other_attendees or "").strip(),
        minutes=(minutes or "").strip(),
        decisions=(decisions or "").strip(),
        alignment_issues=(alignment_issues or "").strip(),
        hours=hours,
        recorded_by=by,
    )
    if attendees:
        session.attendees.set(attendees)
    audit_record(
        actor=by,
        action="strengthening.work_session.record",
        target=session,
        lab=lab,
        changes={
            "challenge": [None, challenge.reference],
            "member": [None, member.application.reference if member else None],
            "hours": [None, str(hours)],
        },
    )
    return session


# --- Milestones ------------------------------------------------------------------------------------


@transaction.atomic
def milestone_save(
    *,
    member: CohortMember,
    by,
    milestone: Milestone | None = None,
    title: str,
    due_on: dt.date,
    description: str = "",
) -> Milestone:
    """Plan an MVP milestone or change a planned one (the lab's team or the assigned mentor)."""
    _require(by, "strengthening.mentor", member)
    errors: dict[str, list[str]] = {}
    try:
        title = _text(title, "title", 200, required=True, message=_("Say what the milestone is."))
    except ValidationError as error:
        errors.update(error.message_dict)
    if not isinstance(due_on, dt.date):
        errors["due_on"] = [_("Give a due date.")]
    if errors:
        raise coded(errors, "invalid")
    creating = milestone is None
    if creating:
        milestone = Milestone(member=member, created_by=by)
    else:
        milestone = Milestone.objects.select_for_update().get(pk=milestone.pk, member=member)
        if milestone.status == MilestoneStatus.ACCEPTED:
            raise refuse(_("An accepted milestone is not changed."), "accepted")
    before = [milestone.title or None, milestone.due_on]
    milestone.title, milestone.due_on = title, due_on
    milestone.description = _text(description, "description", 5000)
    milestone.save()
    audit_record(
        actor=by,
        action="strengthening.milestone.add" if creating else "strengthening.milestone.change",
        target=milestone,
        lab=member.programme.call.lab,
        changes={"title": [before[0], title], "due_on": [before[1], due_on]},
    )
    return milestone


@transaction.atomic
def milestone_submit(
    *, milestone: Milestone, by, evidence_text: str = "", evidence_url: str = "", evidence_file=None
) -> Milestone:
    """The solver hands in the evidence (again, after a rejection)."""
    member = milestone.member
    _require(by, "strengthening.submit_milestone", member)
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if locked.status not in (MilestoneStatus.PLANNED, MilestoneStatus.REJECTED):
        raise refuse(_("The evidence is already submitted."), "submitted")
    evidence_text = (evidence_text or "").strip()
    evidence_url = (evidence_url or "").strip()
    if not (evidence_text or evidence_url or evidence_file):
        raise coded({"evidence_text": [_("Describe the evidence, or give a link or a file.")]}, "invalid")
    locked.evidence_text, locked.evidence_url = evidence_text, evidence_url
    if evidence_file:
        locked.evidence_file = evidence_file
    try:
        locked.full_clean(exclude=["member", "created_by", "submitted_by", "reviewed_by"])
    except ValidationError as error:
        raise coded(error.message_dict, "invalid") from error
    before = locked.status
    locked.status, locked.submitted_at, locked.submitted_by = MilestoneStatus.SUBMITTED, timezone.now(), by
    locked.save()
    lab = member.programme.call.lab
    audit_record(
        actor=by,
        action="strengthening.milestone.submit",
        target=locked,
        lab=lab,
        changes={"status": [before, MilestoneStatus.SUBMITTED]},
    )
    from govlab.labs.models import LabMembership

    staff = [
        m.user
        for m in LabMembership.objects.filter(
            lab=lab, role__in=[LabRole.MANAGER, LabRole.STAFF]
        ).select_related("user")
    ]
    notify(
        recipients=staff,
        kind="strengthening.milestone_submitted",
        subject=format_lazy(gettext_lazy("Evidence submitted: {title}"), title=locked.title),
        url=_member_url(member),
        lab=lab,
    )
    return locked


@transaction.atomic
def milestone_review(*, milestone: Milestone, by, accept: bool, note: str = "") -> Milestone:
    """Accept or reject the evidence (the lab's team or the entity), with a note (required to reject)."""
    member = milestone.member
    _require(by, "strengthening.review_milestone", member)
    locked = Milestone.objects.select_for_update().get(pk=milestone.pk)
    if locked.status != MilestoneStatus.SUBMITTED:
        raise refuse(_("There is no submitted evidence to review."), "not_submitted")
    note = _text(note, "review_note", 5000)
    if not accept and not note:
        raise coded({"review_note": [_("Say why, so the solver can fix it.")]}, "invalid")
    status = MilestoneStatus.ACCEPTED if accept else MilestoneStatus.REJECTED
    locked.status, locked.reviewed_by, locked.reviewed_at, locked.review_note = (
        status,
        by,
        timezone.now(),
        note,
    )
    locked.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    lab = member.programme.call.lab
    audit_record(
        actor=by,
        action="strengthening.milestone.review",
        target=locked,
        lab=lab,
        changes={"status": [MilestoneStatus.SUBMITTED, status]},
        reason=note,
    )
    notify(
        recipients=member_people(member),
        kind="strengthening.milestone_reviewed",
        subject=format_lazy(
            gettext_lazy("Milestone accepted: {title}")
            if accept
            else gettext_lazy("Milestone rejected: {title}"),
            title=locked.title,
        ),
        body=note,
        url=_member_url(member),
        lab=lab,
    )
    return locked


# --- Hours -----------------------------------------------------------------------------------------


@transaction.atomic
def hours_record(
    *,
    programme: Programme,
    by,
    kind: str,
    hours,
    worked_on: dt.date,
    member: CohortMember | None = None,
    person=None,
    note: str = "",
) -> HoursEntry:
    """Hours not recorded with a session: the lab's team for anyone, a solver for their own member."""
    lab = programme.call.lab
    if member is None:
        require_lab_staff(by, lab)
    else:
        if member.programme_id != programme.pk:
            raise coded({"member": [_("This solver is not in the programme.")]}, "invalid")
        _require(by, "strengthening.record_hours", member)
    errors: dict[str, list[str]] = {}
    if kind not in ActivityKind.values:
        errors["kind"] = [_("Choose the activity.")]
    try:
        hours = _hours(hours)
        if hours == 0:
            errors["hours"] = [_("Give the hours spent.")]
    except ValidationError as error:
        errors.update(error.message_dict)
    if not isinstance(worked_on, dt.date):
        errors["worked_on"] = [_("Give the date.")]
    elif worked_on > lab_today(lab):
        errors["worked_on"] = [_("Hours are recorded once they are spent.")]
    if person is not None and member is not None and person.pk not in {p.pk for p in member_people(member)}:
        errors["person"] = [_("Choose a member of the solver's organisation.")]
    try:
        note = _text(note, "note", 500)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise coded(errors, "invalid")
    entry = HoursEntry.objects.create(
        programme=programme,
        member=member,
        person=person,
        kind=kind,
        hours=hours,
        worked_on=worked_on,
        note=note,
        recorded_by=by,
    )
    audit_record(
        actor=by,
        action="strengthening.hours.record",
        target=entry,
        lab=lab,
        changes={"kind": [None, kind], "hours": [None, str(hours)], "worked_on": [None, worked_on]},
    )
    return entry


# --- TRL -------------------------------------------------------------------------------------------


@transaction.atomic
def trl_assess(
    *,
    member: CohortMember,
    by,
    kind: str,
    level: int,
    evidence: dict | None = None,
    note: str = "",
    assessed_on: dt.date | None = None,
) -> TrlAssessment:
    """A new TRL assessment (kept beside the earlier ones): the solver assesses itself; an assigned
    mentor or the lab's team gives the expert assessment."""
    if kind == AssessmentKind.SELF:
        _require(by, "strengthening.self_assess", member)
    elif kind == AssessmentKind.EXPERT:
        _require(by, "strengthening.expert_assess", member)
    else:
        raise coded({"kind": [_("Choose a self or an expert assessment.")]}, "invalid")
    lab = member.programme.call.lab
    today = lab_today(lab)
    assessed_on = assessed_on or today
    errors: dict[str, list[str]] = {}
    if not isinstance(level, int) or isinstance(level, bool) or not 1 <= level <= 9:
        errors["level"] = [_("Choose a level from 1 to 9.")]
    if assessed_on > today:
        errors["assessed_on"] = [_("An assessment cannot be dated in the future.")]
    cleaned_evidence = {}
    if not isinstance(evidence or {}, dict):
        errors["evidence"] = [_("Give the evidence per level.")]
    else:
        for key, text in (evidence or {}).items():
            text = (text or "").strip() if isinstance(text, str) else None
            if str(key) not in {str(n) for n in range(1, 10)} or text is None:
                errors["evidence"] = [_("Give the evidence as text for levels 1 to 9.")]
                break
            if len(text) > 2000:
                errors["evidence"] = [_("Keep each level's evidence to 2,000 characters.")]
                break
            if text:
                cleaned_evidence[str(key)] = text
        if (
            not errors.get("evidence")
            and isinstance(level, int)
            and 1 <= level <= 9
            and str(level) not in cleaned_evidence
        ):
            errors[f"evidence.{level}"] = [_("Give the evidence for the level you choose.")]
    try:
        note = _text(note, "note", 5000)
    except ValidationError as error:
        errors.update(error.message_dict)
    if errors:
        raise coded(errors, "invalid")
    assessment = TrlAssessment.objects.create(
        member=member,
        kind=kind,
        level=level,
        evidence=cleaned_evidence,
        note=note,
        assessed_by=by,
        assessed_on=assessed_on,
    )
    audit_record(
        actor=by,
        action="strengthening.trl.assess",
        target=assessment,
        lab=lab,
        changes={
            "member": [None, member.application.reference],
            "kind": [None, kind],
            "level": [None, level],
        },
    )
    return assessment
