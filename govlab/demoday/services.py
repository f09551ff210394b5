"""Writes for the Demo Day: the event, its agenda and criteria, the jury and their conflict-of-interest
declarations, the live scores, and the selection of the solution per challenge. The UI and the API call
these, and only these.

Every function validates, writes and audits in one transaction and raises ValidationError (by field where
it can, ``error.code`` naming the refusal) without changing anything when it refuses. Scores are judged by
when the request arrived (``received_at``, see ``core.middleware.ReceivedAtMiddleware``): a score sent
before the lab closed scoring is kept even if it is written after; one sent after is refused
(``scoring_closed``).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govlab.audit.services import audit_record
from govlab.calls.models import Application, Call
from govlab.calls.services import _clean_scale, lazy_title
from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.models import Challenge
from govlab.challenges.services import challenge_transition
from govlab.core.i18n import clean_translations, pick
from govlab.core.refusals import coded, refuse
from govlab.evaluation.selectors import preselected_applications
from govlab.labs.rules import require_lab_staff
from govlab.notifications.services import notify
from govlab.organisations.selectors import organisation_people

from . import aggregation
from .enums import SCORING_ROLES, STATUS_MOVES, DemoDayStatus, JurorRole
from .models import (
    DemoDay,
    DemoDayCriterion,
    JuryDeclaration,
    JuryMember,
    JuryScore,
    Outcome,
    Pitch,
    Selection,
)

# The challenge statuses from which a Demo Day may select its solution (see challenges.workflow).
SELECTABLE_FROM = (ChallengeStatus.PRESELECTED, ChallengeStatus.STRENGTHENING, ChallengeStatus.PILOTING)


def time_label(moment, lab) -> str:
    """E.g. “12 March 2027, 17:00 (Europe/Luxembourg)”: a Demo Day's times are in its lab's time zone."""
    import zoneinfo

    from django.utils.formats import date_format

    local = timezone.localtime(moment, zoneinfo.ZoneInfo(lab.time_zone or "UTC"))
    return f"{date_format(local, 'j F Y, H:i')} ({lab.time_zone or 'UTC'})"


def _lock(demo_day: DemoDay) -> DemoDay:
    """The Demo Day's row is the lock that serialises status changes, scores and selections."""
    return (
        DemoDay.objects.select_for_update(of=("self",))
        .select_related("call", "call__lab")
        .get(pk=demo_day.pk)
    )


def _require_planned(demo_day: DemoDay, what: str) -> None:
    if demo_day.status != DemoDayStatus.PLANNED:
        raise refuse(_("%(what)s cannot change once scoring has opened.") % {"what": what}, "scoring_started")


def is_cohort(call: Call, application: Application) -> bool:
    """Whether the application was preselected in this call (the only ones that pitch and may be selected)."""
    return preselected_applications(call).filter(pk=application.pk).exists()


# --- The event ---------------------------------------------------------------------------------------


def _clean_event(*, title, starts_at, ends_at, place, link, description) -> tuple[dict, dict]:
    errors: dict[str, list[str]] = {}
    values = {"place": (place or "").strip()[:300], "link": (link or "").strip()}
    try:
        values["title"] = clean_translations(title, max_length=200)
    except ValidationError as error:
        errors["title"] = error.messages
    try:
        values["description"] = clean_translations(description or {}, required=False, max_length=5000)
    except ValidationError as error:
        errors["description"] = error.messages
    if starts_at is None:
        errors["starts_at"] = [_("Give the date and time the Demo Day starts.")]
    if ends_at is None:
        errors["ends_at"] = [_("Give the date and time the Demo Day ends.")]
    elif starts_at is not None and ends_at <= starts_at:
        errors["ends_at"] = [_("The Demo Day must end after it starts.")]
    if not values["place"] and not values["link"]:
        errors["place"] = [_("Give a place, a link, or both.")]
    if values["link"]:
        from django.core.validators import URLValidator

        try:
            URLValidator(schemes=["https", "http"])(values["link"])
        except ValidationError:
            errors["link"] = [_("Give a web address starting with https://.")]
    values["starts_at"], values["ends_at"] = starts_at, ends_at
    return values, errors


@transaction.atomic
def demo_day_create(
    *, call: Call, by, title, starts_at, ends_at, place: str = "", link: str = "", description=None
) -> DemoDay:
    """The call's Demo Day (one per call). Times are instants: forms convert from the lab's zone."""
    require_lab_staff(by, call.lab)
    Call.objects.select_for_update().filter(pk=call.pk).first()
    if DemoDay.objects.filter(call=call).exists():
        raise refuse(_("This call already has a Demo Day."), "exists")
    values, errors = _clean_event(
        title=title, starts_at=starts_at, ends_at=ends_at, place=place, link=link, description=description
    )
    if errors:
        raise coded(errors, "invalid")
    demo_day = DemoDay.objects.create(call=call, created_by=by, **values)
    audit_record(
        actor=by,
        action="demoday.create",
        target=demo_day,
        lab=call.lab,
        changes={"call": [None, call.pk], "starts_at": [None, starts_at.isoformat()]},
    )
    return demo_day


def _shown(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def _shown(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@transaction.atomic
def demo_day_update(
    *, demo_day: DemoDay, by, title, starts_at, ends_at, place: str = "", link: str = "", description=None
) -> DemoDay:
    require_lab_staff(by, demo_day.call.lab)
    locked = _lock(demo_day)
    if locked.status == DemoDayStatus.DECIDED:
        raise refuse(_("This Demo Day is decided; it can no longer be changed."), "decided")
    values, errors = _clean_event(
        title=title, starts_at=starts_at, ends_at=ends_at, place=place, link=link, description=description
    )
    if errors:
        raise coded(errors, "invalid")
    changes = {}
    for key, value in values.items():
        before = getattr(locked, key)
        if before != value:
            changes[key] = [_shown(before), _shown(value)]
            setattr(locked, key, value)
    locked.save()
    if changes:
        audit_record(actor=by, action="demoday.update", target=locked, lab=locked.call.lab, changes=changes)
    demo_day.refresh_from_db()
    return demo_day


@transaction.atomic
def demo_day_set_status(*, demo_day: DemoDay, status: str, by, reason: str = "") -> DemoDay:
    """Open scoring (from planned, or again after closing) or close it. "decided" follows the selections."""
    require_lab_staff(by, demo_day.call.lab)
    locked = _lock(demo_day)
    if status not in STATUS_MOVES.get(locked.status, ()):
        raise coded(
            {
                "status": [
                    _("A Demo Day that is %(source)s cannot become %(target)s.")
                    % {
                        "source": DemoDayStatus(locked.status).label.lower(),
                        "target": (
                            DemoDayStatus(status).label if status in DemoDayStatus.values else status
                        ).lower(),
                    }
                ]
            },
            "invalid_transition",
        )
    if status == DemoDayStatus.SCORING_OPEN and Selection.objects.filter(demo_day=locked).exists():
        raise refuse(_("A solution has been selected: scoring cannot open again."), "decided")
    if status == DemoDayStatus.SCORING_OPEN:
        problems = []
        if not locked.criteria.exists():
            problems.append(_("Give the jury's criteria first."))
        if not locked.pitches.exists():
            problems.append(_("Put at least one pitch on the agenda first."))
        if not locked.jury.filter(removed_at__isnull=True, role__in=SCORING_ROLES).exists():
            problems.append(_("Add at least one juror who scores first."))
        if problems:
            raise coded({"__all__": problems}, "not_ready")
    now = timezone.now()
    before = locked.status
    locked.status = status
    if status == DemoDayStatus.SCORING_OPEN:
        locked.scoring_opened_at = now
        locked.scoring_closed_at = None
    else:
        locked.scoring_closed_at = now
    locked.save()
    audit_record(
        actor=by,
        action="demoday.status",
        target=locked,
        lab=locked.call.lab,
        changes={"status": [before, status]},
        reason=(reason or "").strip(),
    )
    demo_day.refresh_from_db()
    return demo_day


# --- The agenda --------------------------------------------------------------------------------------


@transaction.atomic
def pitch_save(
    *,
    demo_day: DemoDay,
    by,
    application: Application,
    order: int | None = None,
    starts_at=None,
    minutes: int = 10,
    title: str = "",
    pitch: Pitch | None = None,
) -> Pitch:
    """Put a preselected application on the agenda (or change its slot)."""
    call = demo_day.call
    require_lab_staff(by, call.lab)
    locked = _lock(demo_day)
    if locked.status == DemoDayStatus.DECIDED:
        raise refuse(_("This Demo Day is decided; it can no longer be changed."), "decided")
    errors: dict[str, list[str]] = {}
    if application.call_id != call.pk or not is_cohort(call, application):
        raise coded(
            {"application": [_("Only the applications preselected in this call pitch at its Demo Day.")]},
            "not_preselected",
        )
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        minutes = 0
    if not 1 <= minutes <= 240:
        errors["minutes"] = [_("Give the pitch's length in minutes, from 1 to 240.")]
    if starts_at is not None and not (locked.starts_at <= starts_at < locked.ends_at):
        errors["starts_at"] = [_("The pitch must start during the Demo Day.")]
    title = (title or "").strip()
    if len(title) > 200:
        errors["title"] = [_("Keep the title to 200 characters.")]
    if errors:
        raise coded(errors, "invalid")
    if pitch is None:
        if Pitch.objects.filter(demo_day=locked, application=application).exists():
            raise coded({"application": [_("This application is already on the agenda.")]}, "invalid")
        if order is None:
            order = locked.pitches.count() + 1
        pitch = Pitch.objects.create(
            demo_day=locked,
            application=application,
            order=order,
            starts_at=starts_at,
            minutes=minutes,
            title=title,
        )
        action = "demoday.pitch.add"
    else:
        if pitch.demo_day_id != locked.pk or pitch.application_id != application.pk:
            raise coded({"application": [_("This pitch is for another application.")]}, "invalid")
        if order is not None:
            pitch.order = order
        pitch.starts_at, pitch.minutes, pitch.title = starts_at, minutes, title
        pitch.save()
        action = "demoday.pitch.change"
    audit_record(
        actor=by,
        action=action,
        target=locked,
        lab=call.lab,
        changes={"application": [None, application.reference], "order": [None, pitch.order]},
    )
    return pitch


@transaction.atomic
def pitch_remove(*, pitch: Pitch, by) -> None:
    demo_day = pitch.demo_day
    require_lab_staff(by, demo_day.call.lab)
    locked = _lock(demo_day)
    _require_planned(locked, _("The agenda"))
    Pitch.objects.filter(pk=pitch.pk).delete()
    audit_record(
        actor=by,
        action="demoday.pitch.remove",
        target=locked,
        lab=locked.call.lab,
        changes={"application": [pitch.application.reference, None]},
    )


@transaction.atomic
def agenda_from_cohort(*, demo_day: DemoDay, by, minutes: int = 10) -> list[Pitch]:
    """Put every preselected application not yet on the agenda, challenge by challenge, in rank order."""
    require_lab_staff(by, demo_day.call.lab)
    locked = _lock(demo_day)
    _require_planned(locked, _("The agenda"))
    present = set(locked.pitches.values_list("application_id", flat=True))
    order = locked.pitches.count()
    made = []
    for application in preselected_applications(locked.call):
        if application.pk in present:
            continue
        order += 1
        made.append(Pitch(demo_day=locked, application=application, order=order, minutes=minutes))
    Pitch.objects.bulk_create(made)
    if made:
        audit_record(
            actor=by,
            action="demoday.pitch.add",
            target=locked,
            lab=locked.call.lab,
            changes={"applications": [[], [p.application.reference for p in made]]},
        )
    return made


# --- Criteria ----------------------------------------------------------------------------------------


def _clean_criterion(item: dict, prefix: str = "") -> tuple[dict, dict]:
    errors: dict[str, list[str]] = {}
    values: dict = {}
    try:
        values["name"] = clean_translations(item.get("name"), max_length=200)
    except ValidationError as error:
        errors[f"{prefix}name"] = error.messages
    try:
        values["description"] = clean_translations(
            item.get("description") or {}, required=False, max_length=2000
        )
    except ValidationError as error:
        errors[f"{prefix}description"] = error.messages
    try:
        weight = Decimal(str(item.get("weight")))
        if not weight.is_finite() or weight <= 0 or weight > Decimal("9999"):
            raise InvalidOperation
        values["weight"] = weight.quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        errors[f"{prefix}weight"] = [_("Give a weight above zero, e.g. 30.")]
    try:
        values["scale"] = _clean_scale(item.get("scale"))
    except ValidationError as error:
        errors[f"{prefix}scale"] = error.messages
    return values, errors


@transaction.atomic
def criterion_add(*, demo_day: DemoDay, by, name, weight, scale, description=None) -> DemoDayCriterion:
    require_lab_staff(by, demo_day.call.lab)
    locked = _lock(demo_day)
    _require_planned(locked, _("The criteria"))
    values, errors = _clean_criterion(
        {"name": name, "weight": weight, "scale": scale, "description": description}
    )
    if errors:
        raise coded(errors, "invalid")
    criterion = DemoDayCriterion.objects.create(
        demo_day=locked, position=locked.criteria.count() + 1, **values
    )
    audit_record(
        actor=by,
        action="demoday.criterion.add",
        target=locked,
        lab=locked.call.lab,
        changes={"criterion": [None, pick(criterion.name).text], "weight": [None, str(criterion.weight)]},
    )
    return criterion


@transaction.atomic
def criterion_remove(*, criterion: DemoDayCriterion, by) -> None:
    demo_day = criterion.demo_day
    require_lab_staff(by, demo_day.call.lab)
    locked = _lock(demo_day)
    _require_planned(locked, _("The criteria"))
    if JuryScore.objects.filter(criterion=criterion).exists():
        raise refuse(_("This criterion has scores: it stays on record."), "has_scores")
    DemoDayCriterion.objects.filter(pk=criterion.pk).delete()
    audit_record(
        actor=by,
        action="demoday.criterion.remove",
        target=locked,
        lab=locked.call.lab,
        changes={"criterion": [pick(criterion.name).text, None]},
    )


@transaction.atomic
def criteria_set(*, demo_day: DemoDay, by, criteria: list[dict]) -> list[DemoDayCriterion]:
    """Replace the jury's criteria (before scoring opens)."""
    require_lab_staff(by, demo_day.call.lab)
    locked = _lock(demo_day)
    _require_planned(locked, _("The criteria"))
    errors: dict[str, list[str]] = {}
    rows = []
    for position, item in enumerate(criteria or [], start=1):
        values, item_errors = _clean_criterion(
            item if isinstance(item, dict) else {}, f"criteria.{position - 1}."
        )
        errors.update(item_errors)
        if not item_errors:
            rows.append(DemoDayCriterion(demo_day=locked, position=position, **values))
    if not errors and not rows:
        errors["criteria"] = [_("Give at least one criterion.")]
    if errors:
        raise coded(errors, "invalid")
    if JuryScore.objects.filter(criterion__demo_day=locked).exists():
        raise refuse(_("Scores were given on these criteria: they stay on record."), "has_scores")
    before = [[pick(c.name).text, str(c.weight)] for c in locked.criteria.all()]
    locked.criteria.all().delete()
    saved = DemoDayCriterion.objects.bulk_create(rows)
    audit_record(
        actor=by,
        action="demoday.criteria",
        target=locked,
        lab=locked.call.lab,
        changes={"criteria": [before, [[pick(c.name).text, str(c.weight)] for c in saved]]},
    )
    return saved


def criteria_copy_from_call(*, demo_day: DemoDay, by) -> list[DemoDayCriterion]:
    """Start from the call's evaluation criteria (names, descriptions, weights and scales)."""
    criteria = [
        {"name": c.name, "description": c.description, "weight": c.weight, "scale": c.scale}
        for c in demo_day.call.criteria.order_by("position", "pk")
    ]
    return criteria_set(demo_day=demo_day, by=by, criteria=criteria)


# --- The jury ----------------------------------------------------------------------------------------


@transaction.atomic
def juror_add(*, demo_day: DemoDay, user, role: str = JurorRole.MEMBER, by) -> JuryMember:
    call = demo_day.call
    require_lab_staff(by, call.lab)
    locked = _lock(demo_day)
    if locked.status == DemoDayStatus.DECIDED:
        raise refuse(_("This Demo Day is decided; it can no longer be changed."), "decided")
    if role not in JurorRole.values:
        raise coded({"role": [_("Choose the juror's role.")]}, "invalid")
    if not getattr(user, "is_active", False):
        raise coded({"user": [_("This person's account is not active.")]}, "invalid")
    member = JuryMember.objects.filter(demo_day=locked, user=user).first()
    if member is not None and member.removed_at is None:
        raise coded({"user": [_("This person is already on the jury.")]}, "invalid")
    if member is None:
        member = JuryMember.objects.create(demo_day=locked, user=user, role=role, invited_by=by)
        action = "demoday.juror.add"
    else:
        member.removed_at, member.role = None, role
        member.save(update_fields=["removed_at", "role"])
        action = "demoday.juror.readd"
    audit_record(
        actor=by,
        action=action,
        target=locked,
        lab=call.lab,
        changes={"juror": [None, user.pk], "role": [None, role]},
    )
    notify(
        recipients=[user],
        kind="demoday.invited",
        subject=format_lazy(
            gettext_lazy("You are on the jury of the Demo Day of “{title}”"), title=lazy_title(call)
        ),
        body=gettext_lazy("Declare any conflict of interest for each pitch before you score it."),
        url=reverse("demoday:jury_day", kwargs={"pk": locked.pk}),
        lab=call.lab,
    )
    return member


@transaction.atomic
def juror_remove(*, member: JuryMember, by) -> JuryMember:
    demo_day = member.demo_day
    require_lab_staff(by, demo_day.call.lab)
    _lock(demo_day)
    locked = JuryMember.objects.select_for_update().get(pk=member.pk)
    if locked.removed_at is not None:
        return locked
    locked.removed_at = timezone.now()
    locked.save(update_fields=["removed_at"])
    audit_record(
        actor=by,
        action="demoday.juror.remove",
        target=demo_day,
        lab=demo_day.call.lab,
        changes={"juror": [locked.user_id, None]},
    )
    return locked


def _require_juror(member: JuryMember, by) -> None:
    # The juror's row, locked (after the Demo Day's, where both are taken): a removal waits, or is seen.
    current = JuryMember.objects.select_for_update().values("removed_at", "role").get(pk=member.pk)
    member.removed_at, member.role = current["removed_at"], current["role"]
    if member.user_id != getattr(by, "pk", None):
        raise refuse(_("Only the juror can do this."), "not_allowed")
    if member.removed_at is not None:
        raise refuse(_("You are no longer on this jury."), "not_allowed")


def _require_pitching(member: JuryMember, application: Application) -> None:
    if not Pitch.objects.filter(demo_day_id=member.demo_day_id, application=application).exists():
        raise refuse(_("This application does not pitch at this Demo Day."), "not_pitching")


@transaction.atomic
def jury_declare(
    *, member: JuryMember, application: Application, has_conflict: bool, reason: str = "", by
) -> JuryDeclaration:
    """The juror's own declaration, once per pitching application, before they may score it."""
    _require_juror(member, by)
    _require_pitching(member, application)
    reason = (reason or "").strip()
    if has_conflict and not reason:
        raise coded(
            {"reason": [_("Say what the conflict is: the declaration is kept as a record.")]}, "invalid"
        )
    if len(reason) > 2000:
        raise coded({"reason": [_("Keep the reason to 2,000 characters.")]}, "invalid")
    try:
        with transaction.atomic():
            declaration = JuryDeclaration.objects.create(
                member=member, application=application, has_conflict=bool(has_conflict), reason=reason
            )
    except IntegrityError:
        raise refuse(_("You have already declared for this application."), "already_declared") from None
    audit_record(
        actor=by,
        action="demoday.conflict.declare",
        target=application,
        lab=member.demo_day.call.lab,
        changes={"has_conflict": [None, bool(has_conflict)], "juror": [None, member.pk]},
        reason=reason,
    )
    return declaration


# --- Scores ------------------------------------------------------------------------------------------


def _require_scoring_open(demo_day: DemoDay, received_at) -> None:
    """Open, or closed after this request arrived (it is judged on its arrival, like a submission)."""
    if demo_day.status == DemoDayStatus.SCORING_OPEN:
        return
    closed = demo_day.scoring_closed_at
    if demo_day.status in (DemoDayStatus.SCORING_CLOSED, DemoDayStatus.DECIDED) and closed is not None:
        if (
            received_at is not None
            and received_at < closed
            and demo_day.status == DemoDayStatus.SCORING_CLOSED
        ):
            return
        raise refuse(
            _("Scoring closed at %(time)s; scores can no longer be given or changed.")
            % {"time": time_label(closed, demo_day.call.lab)},
            "scoring_closed",
        )
    raise refuse(_("Scoring has not opened yet."), "scoring_not_open")


@transaction.atomic
def score_save(
    *,
    member: JuryMember,
    application: Application,
    by,
    scores: dict,
    comments: dict | None = None,
    received_at=None,
) -> list[JuryScore]:
    """Save the juror's levels ({criterion id: level}; None or "" clears one) and comments for a pitch."""
    received_at = received_at or timezone.now()
    # The Demo Day's lock first, then the juror's row, in the order juror_remove takes them (no deadlock):
    # a removal at the same moment is seen, or waits for this score.
    demo_day = _lock(member.demo_day)
    _require_juror(member, by)
    _require_scoring_open(demo_day, received_at)
    if member.role not in SCORING_ROLES:
        raise refuse(_("Observers do not score the pitches."), "not_allowed")
    _require_pitching(member, application)
    declaration = JuryDeclaration.objects.filter(member=member, application=application).first()
    if declaration is None:
        raise refuse(_("Declare whether you have a conflict of interest first."), "not_declared")
    if declaration.has_conflict:
        raise refuse(_("You declared a conflict of interest with this application."), "conflicted")
    criteria = {str(c.pk): c for c in demo_day.criteria.all()}
    errors: dict[str, list[str]] = {}
    if not isinstance(scores, dict):
        raise coded({"scores": [_("Give the scores as an object of criterion to level.")]}, "invalid")
    comments = comments or {}
    if not isinstance(comments, dict):
        raise coded({"comments": [_("Give the comments as an object of criterion to text.")]}, "invalid")
    cleaned: dict[str, int | None] = {}
    for key, value in scores.items():
        criterion = criteria.get(str(key))
        if criterion is None:
            errors[f"scores.{key}"] = [_("There is no such criterion at this Demo Day.")]
            continue
        if value in (None, ""):
            cleaned[str(key)] = None
            continue
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = None
        if number is None or isinstance(value, bool) or number not in criterion.values:
            errors[f"scores.{key}"] = [
                _("Choose one of the levels of this criterion's scale: %(levels)s.")
                % {"levels": ", ".join(str(v) for v in criterion.values)}
            ]
            continue
        cleaned[str(key)] = number
    for key, text in comments.items():
        if str(key) not in criteria:
            errors[f"comments.{key}"] = [_("There is no such criterion at this Demo Day.")]
        elif len(str(text or "")) > 2000:
            errors[f"comments.{key}"] = [_("Keep each comment to 2,000 characters.")]
    if errors:
        raise coded(errors, "invalid")
    existing = {
        str(s.criterion_id): s
        for s in JuryScore.objects.select_for_update().filter(member=member, application=application)
    }
    changes = {}
    for key in set(cleaned) | {str(k) for k in comments}:
        row = existing.get(key)
        level = cleaned.get(key, row.score if row else None)
        comment = str(comments.get(key, row.comment if row else "") or "").strip()
        if level is None:
            if row is not None:
                changes[key] = [row.score, None]
                row.delete()
            continue
        if row is None:
            JuryScore.objects.create(
                member=member, application=application, criterion=criteria[key], score=level, comment=comment
            )
            changes[key] = [None, level]
        elif row.score != level or row.comment != comment:
            if row.score != level:
                changes[key] = [row.score, level]
            row.score, row.comment = level, comment
            row.save(update_fields=["score", "comment", "updated_at"])
    if changes:
        audit_record(
            actor=by,
            action="demoday.score",
            target=application,
            lab=demo_day.call.lab,
            changes={"juror": [None, member.pk], "scores": changes},
        )
    return list(
        JuryScore.objects.filter(member=member, application=application).order_by("criterion__position")
    )


# --- Selection ---------------------------------------------------------------------------------------


@transaction.atomic
def select_solution(
    *,
    demo_day: DemoDay,
    challenge: Challenge,
    application: Application,
    reasons: str,
    feedback: dict,
    by,
    also: list[Application] | tuple = (),
) -> list[Selection]:
    """Select the solution for one challenge (``also``: more solutions, if the lab selects several).

    Every other preselected application of the challenge is not selected and its solver reads the feedback
    given for it. Moves the challenge to "solution selected" (its timeline says so), audits, and notifies
    every preselected solver of the challenge. The Demo Day becomes decided with its last challenge.
    """
    call = demo_day.call
    require_lab_staff(by, call.lab)
    locked = _lock(demo_day)
    locked_challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if not call.challenges.filter(pk=challenge.pk).exists():
        raise coded({"challenge": [_("This challenge is not part of the call.")]}, "invalid")
    if Selection.objects.filter(demo_day=locked, challenge=challenge).exists():
        raise refuse(_("The solution for this challenge has already been selected."), "decided")
    if locked.status != DemoDayStatus.SCORING_CLOSED:
        raise refuse(_("Close the jury's scoring before selecting a solution."), "scoring_not_closed")
    cohort = {
        a.pk: a
        for a in preselected_applications(call).filter(challenge=challenge).select_related("organisation")
    }
    chosen = [application, *[a for a in also if a.pk != application.pk]]
    for candidate in chosen:
        if candidate.pk not in cohort:
            message = _(
                "%(reference)s was not preselected for this challenge in this call: it cannot be selected."
            )
            raise coded({"application": [message % {"reference": candidate.reference}]}, "not_preselected")
    errors: dict[str, list[str]] = {}
    reasons = (reasons or "").strip()
    if not reasons:
        errors["reasons"] = [_("Give the jury's reasons: they are kept and published with the result.")]
    elif len(reasons) > 5000:
        errors["reasons"] = [_("Keep the reasons to 5,000 characters.")]
    given, feedback = feedback or {}, {}
    for key, value in given.items() if isinstance(given, dict) else ():
        try:
            feedback[int(key)] = str(value or "").strip()
        except (TypeError, ValueError):
            errors[f"feedback.{key}"] = [_("Give the feedback by application id.")]
    chosen_ids = {a.pk for a in chosen}
    for pk in cohort:
        if pk not in chosen_ids and not feedback.get(pk):
            errors[f"feedback.{pk}"] = [_("Write the feedback for this solver: they will read it.")]
    for pk, text in feedback.items():
        if pk not in cohort:
            errors[f"feedback.{pk}"] = [_("This application was not preselected for this challenge.")]
        elif len(text) > 5000:
            errors[f"feedback.{pk}"] = [_("Keep the feedback to 5,000 characters.")]
    if errors:
        raise coded(errors, "invalid")
    if locked_challenge.status not in SELECTABLE_FROM:
        raise refuse(
            _("A challenge that is %(status)s cannot have its solution selected.")
            % {"status": ChallengeStatus(locked_challenge.status).label.lower()},
            "invalid_transition",
        )
    rows = {row.application_id: row for row in aggregation.ranking(locked, challenge)}
    now = timezone.now()
    selections = []
    for candidate in chosen:
        row = rows.get(candidate.pk)
        selections.append(
            Selection(
                demo_day=locked,
                challenge=locked_challenge,
                application=cohort[candidate.pk],
                reasons=reasons,
                final_score=row.mean if row else None,
                rank=row.rank if row else None,
                decided_by=by,
                decided_at=now,
            )
        )
    Selection.objects.bulk_create(selections)
    outcomes = []
    for pk, item in cohort.items():
        row = rows.get(pk)
        outcomes.append(
            Outcome(
                demo_day=locked,
                application=item,
                selected=pk in chosen_ids,
                feedback=reasons if pk in chosen_ids and not feedback.get(pk) else feedback.get(pk, ""),
                final_score=row.mean if row else None,
                rank=row.rank if row else None,
                decided_at=now,
            )
        )
    Outcome.objects.bulk_create(outcomes)
    names = ", ".join(cohort[pk].organisation.name for pk in chosen_ids)
    challenge_transition(
        challenge=locked_challenge,
        target=ChallengeStatus.SOLUTION_SELECTED,
        actor=by,
        via_call=True,
        reason=_("Selected at the Demo Day: %(names)s.") % {"names": names},
    )
    audit_record(
        actor=by,
        action="demoday.select",
        target=locked,
        lab=call.lab,
        changes={
            "challenge": [None, challenge.reference],
            "selected": [[], sorted(cohort[pk].reference for pk in chosen_ids)],
            "not_selected": [[], sorted(cohort[pk].reference for pk in cohort if pk not in chosen_ids)],
        },
        reason=reasons,
    )
    challenge_title = lazy_challenge_title(locked_challenge)
    for pk, item in cohort.items():
        people = organisation_people(item.organisation_id)
        url = reverse("demoday:outcome", kwargs={"reference": item.reference})
        if pk in chosen_ids:
            notify(
                recipients=people,
                kind="demoday.selected",
                subject=format_lazy(
                    gettext_lazy("Your solution was selected for “{challenge}”"), challenge=challenge_title
                ),
                body=format_lazy(gettext_lazy("The jury's reasons:\n\n{reasons}"), reasons=reasons),
                url=url,
                lab=call.lab,
            )
        else:
            notify(
                recipients=people,
                kind="demoday.not_selected",
                subject=format_lazy(
                    gettext_lazy("Your solution was not selected for “{challenge}”"),
                    challenge=challenge_title,
                ),
                body=format_lazy(gettext_lazy("The jury's feedback:\n\n{feedback}"), feedback=feedback[pk]),
                url=url,
                lab=call.lab,
            )
    # The last challenge decided decides the Demo Day.
    pitching = set(
        Application.objects.filter(pitches__demo_day=locked).values_list("challenge_id", flat=True).distinct()
    ) | {challenge.pk}
    decided = set(Selection.objects.filter(demo_day=locked).values_list("challenge_id", flat=True))
    if pitching <= decided:
        locked.status = DemoDayStatus.DECIDED
        locked.decided_at = now
        locked.save(update_fields=["status", "decided_at", "updated_at"])
        audit_record(
            actor=by,
            action="demoday.status",
            target=locked,
            lab=call.lab,
            changes={"status": [DemoDayStatus.SCORING_CLOSED, DemoDayStatus.DECIDED]},
        )
    demo_day.refresh_from_db()
    return selections


def lazy_challenge_title(challenge):
    """The challenge's title, rendered in each recipient's language by ``notify``."""
    from django.utils.functional import lazy

    return lazy(lambda: pick(challenge.title).text, str)()
