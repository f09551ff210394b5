"""Writes for calls for solutions and applications. The UI and the API call these, and only these.

Every function validates, writes and audits in one transaction, and raises ValidationError (by field
where it can, with ``error.code`` naming the refusal) without changing anything when it refuses.
Deadlines are judged on when the request arrived (``received_at``, stamped by
govlab.core.middleware.ReceivedAtMiddleware), in UTC; see docs/adr/0010.
"""

from __future__ import annotations

import codecs
import datetime as dt
import hashlib
import secrets
import uuid
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import lazy
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

from govlab.audit.services import audit_record, diff_fields, snapshot
from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.services import Gap, challenge_transition
from govlab.core.i18n import clean_translations, pick
from govlab.core.refusals import coded, refuse
from govlab.core.uploads import SIGNATURES, UploadPolicy
from govlab.labs.rules import require_lab_staff
from govlab.labs.selectors import lab_team_users
from govlab.notifications.services import notify
from govlab.organisations.enums import SOLVER_KINDS
from govlab.organisations.selectors import organisation_people, user_organisation_roles

from . import forms_engine
from .enums import ApplicationStatus, CallStatus, FollowKind, QuestionKind, Stage
from .models import (
    Application,
    ApplicationFile,
    ApplicationRevision,
    Call,
    CallCriterion,
    CallDocument,
    DeadlineExtension,
    Enquiry,
    Follow,
    FormQuestion,
)
from .receipts import build_content, content_hash, new_receipt_code
from .selectors import later_deadline

# Declarations every applicant makes before submitting: key -> the statement they tick.
DECLARATIONS = {
    "eligibility": gettext_lazy("We meet the eligibility conditions of this call."),
    "terms": gettext_lazy("We accept the terms of this call, including how our data are processed."),
    "truthful": gettext_lazy("The information we give is true and complete to the best of our knowledge."),
}
MAX_PARTNERS = 20


def local_time_label(moment, call) -> str:
    """E.g. “12 March 2027, 17:00 (Europe/Luxembourg)”: deadlines always name their time zone."""
    local = timezone.localtime(moment, call.zone)
    return f"{date_format(local, 'j F Y, H:i')} ({call.time_zone})"


# Notifications render once per recipient, in the recipient's language: titles and times must wait.
lazy_time_label = lazy(local_time_label, str)


def _title(call) -> str:
    return str(call)


lazy_title = lazy(_title, str)


# --- Calls -----------------------------------------------------------------------------------------

CALL_FIELDS = (
    "title",
    "slug",
    "summary",
    "description",
    "eligible_kinds",
    "eligible_countries",
    "min_trl",
    "consortium_allowed",
    "time_zone",
    "publishes_at",
    "enquiries_close_at",
    "deadline",
    "proposal_deadline",
    "evaluation_ends_at",
    "preselection_on",
    "strengthening_starts_on",
    "strengthening_ends_on",
    "demo_day_on",
    "max_preselected",
    "two_stage",
    "currency",
    "strengthening_budget",
    "pilot_budget",
    "support",
)


def _timeline_errors(call: Call) -> dict[str, str]:
    errors = {}
    deadline = call.deadline
    if deadline is None:
        return errors
    if call.publishes_at and call.publishes_at >= deadline:
        errors["publishes_at"] = _("Publish the call before its deadline.")
    if call.enquiries_close_at and call.enquiries_close_at > deadline:
        errors["enquiries_close_at"] = _("Close the enquiry period no later than the deadline.")
    if call.enquiries_close_at and call.publishes_at and call.enquiries_close_at <= call.publishes_at:
        errors["enquiries_close_at"] = _("Close the enquiry period after the call is published.")
    if call.two_stage:
        if call.proposal_deadline and call.proposal_deadline <= deadline:
            errors["proposal_deadline"] = _("The full proposals are due after the expressions of interest.")
    elif call.proposal_deadline:
        errors["proposal_deadline"] = _("Only a two-stage call has a full proposal deadline.")
    last = call.stage_deadline(Stage.PROPOSAL) or deadline
    if call.evaluation_ends_at and call.evaluation_ends_at <= last:
        errors["evaluation_ends_at"] = _("The evaluation ends after the submission deadline.")
    last_day = timezone.localtime(last, call.zone).date()
    for name in ("preselection_on", "strengthening_starts_on", "demo_day_on"):
        value = getattr(call, name)
        if value and value < last_day:
            errors[name] = _("This date comes after the submission deadline.")
    if (
        call.strengthening_starts_on
        and call.strengthening_ends_on
        and call.strengthening_ends_on < call.strengthening_starts_on
    ):
        errors["strengthening_ends_on"] = _("The strengthening period ends after it starts.")
    if call.demo_day_on and call.strengthening_starts_on and call.demo_day_on < call.strengthening_starts_on:
        errors["demo_day_on"] = _("The Demo Day comes after strengthening starts.")
    return errors


def _clean_eligibility(call: Call) -> dict[str, str]:
    errors = {}
    kinds = call.eligible_kinds or []
    if not isinstance(kinds, list) or any(kind not in SOLVER_KINDS for kind in kinds):
        errors["eligible_kinds"] = _("Choose among the kinds of solver organisation.")
    else:
        call.eligible_kinds = [kind for kind in SOLVER_KINDS if kind in kinds]
    codes = call.eligible_countries or []
    if not isinstance(codes, list) or any(str(code).upper() not in dict(countries) for code in codes):
        errors["eligible_countries"] = _("Choose countries from the list.")
    else:
        call.eligible_countries = sorted({str(code).upper() for code in codes})
    return errors


def _check_challenges(lab, challenges, call: Call | None) -> list:
    challenges = list(challenges)
    problems = []
    for challenge in challenges:
        if challenge.lab_id != lab.pk:
            problems.append(_("“%(ref)s” belongs to another lab.") % {"ref": challenge.reference})
        elif challenge.status != ChallengeStatus.READY_FOR_CALL and not (
            call is not None
            and call.pk
            and challenge.status == ChallengeStatus.IN_CALL
            and call.challenges.filter(pk=challenge.pk).exists()
        ):
            problems.append(
                _("“%(ref)s” is not ready for a call (it is %(status)s).")
                % {"ref": challenge.reference, "status": ChallengeStatus(challenge.status).label.lower()}
            )
    if problems:
        raise ValidationError({"challenges": problems})
    return challenges


def _full_clean(call: Call, exclude=()) -> None:
    errors: dict[str, list] = {}
    try:
        call.full_clean(exclude=["lab", "created_by", *exclude], validate_unique=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    for name, message in {**_timeline_errors(call), **_clean_eligibility(call)}.items():
        errors.setdefault(name, []).append(message)
    if Call.objects.filter(lab_id=call.lab_id, slug=call.slug).exclude(pk=call.pk).exists():
        errors.setdefault("slug", []).append(_("Another call of this lab already uses this short name."))
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def call_create(*, lab, created_by, challenges=(), criteria=(), **fields: Any) -> Call:
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise ValidationError({name: _("Not a field of a call.") for name in sorted(unknown)})
    call = Call(lab=lab, created_by=created_by, **fields)
    if not fields.get("currency"):
        call.currency = lab.currency
    if not fields.get("time_zone"):
        call.time_zone = lab.time_zone
    _full_clean(call)
    challenges = _check_challenges(lab, challenges, None)
    call.save()
    call.challenges.set(challenges)
    if criteria:
        _save_criteria(call, criteria)
    audit_record(
        actor=created_by,
        action="call.create",
        target=call,
        lab=lab,
        changes={"slug": [None, call.slug], "challenges": [[], [c.reference for c in challenges]]},
    )
    return call


@transaction.atomic
def call_update(*, call: Call, updated_by, challenges=None, **fields: Any) -> Call:
    require_lab_staff(updated_by, call.lab)
    unknown = set(fields) - set(CALL_FIELDS)
    if unknown:
        raise ValidationError({name: _("Not a field of a call.") for name in sorted(unknown)})
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if locked.status == CallStatus.CANCELLED:
        raise refuse(_("A cancelled call cannot be changed."), "cancelled")
    before = snapshot(locked, fields)
    previous_deadlines = {name: getattr(locked, name) for name in ("deadline", "proposal_deadline")}
    for name, value in fields.items():
        setattr(locked, name, value)
    if locked.status == CallStatus.PUBLISHED and (
        "two_stage" in fields and fields["two_stage"] != before["two_stage"]
    ):
        raise ValidationError(
            {"two_stage": _("The number of stages cannot change once the call is published.")}
        )
    if locked.status == CallStatus.PUBLISHED:
        errors = {}
        for name in ("deadline", "proposal_deadline"):
            was = previous_deadlines[name]
            if name in fields and was and (fields[name] is None or fields[name] < was):
                errors[name] = _(
                    "Applicants rely on a published deadline: it can be moved later, not earlier. "
                    "Cancel the call if it must close early."
                )
        if errors:
            raise ValidationError(errors)
    _full_clean(locked)
    changes = diff_fields(locked, before, fields)
    if challenges is not None:
        challenges = list(challenges)
        current = list(locked.challenges.all())
        if {c.pk for c in challenges} != {c.pk for c in current}:
            if locked.status != CallStatus.DRAFT:
                raise ValidationError({"challenges": _("The challenges of a published call cannot change.")})
            _check_challenges(locked.lab, challenges, locked)
            locked.challenges.set(challenges)
            changes["challenges"] = [[c.reference for c in current], [c.reference for c in challenges]]
    locked.save()
    if changes:
        audit_record(actor=updated_by, action="call.update", target=locked, lab=locked.lab, changes=changes)
    call.refresh_from_db()
    return call


def _clean_scale(scale) -> list[dict]:
    if not isinstance(scale, list) or len(scale) < 2:
        raise ValidationError(_("Give a scale of at least two labelled levels."))
    levels = []
    for level in scale:
        if not isinstance(level, dict):
            raise ValidationError(_("Each level needs a value and a label."))
        try:
            value = int(level.get("value"))
        except (TypeError, ValueError):
            raise ValidationError(_("Each level's value must be a whole number.")) from None
        label = level.get("label")
        if isinstance(label, str):
            label = {"en": label}
        label = clean_translations(label, max_length=200)
        levels.append({"value": value, "label": label})
    values = [level["value"] for level in levels]
    if len(set(values)) != len(values):
        raise ValidationError(_("Two levels have the same value."))
    if min(values) < 0 or max(values) > 100:
        raise ValidationError(_("Level values go from 0 to 100."))
    return sorted(levels, key=lambda level: level["value"])


def _save_criteria(call: Call, criteria) -> list[CallCriterion]:
    errors: dict[str, list[str]] = {}
    rows = []
    for position, item in enumerate(criteria):
        prefix = f"criteria.{position}"
        try:
            name = clean_translations(item.get("name"), max_length=200)
        except ValidationError as error:
            errors[f"{prefix}.name"] = error.messages
            continue
        try:
            description = clean_translations(item.get("description"), required=False, max_length=2000)
        except ValidationError as error:
            errors[f"{prefix}.description"] = error.messages
            description = {}
        try:
            weight = Decimal(str(item.get("weight")))
            if not weight.is_finite() or weight <= 0 or weight > Decimal("9999"):
                raise InvalidOperation
            weight = weight.quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            errors[f"{prefix}.weight"] = [_("Give a weight above zero, e.g. 30.")]
            weight = None
        try:
            scale = _clean_scale(item.get("scale"))
        except ValidationError as error:
            errors[f"{prefix}.scale"] = error.messages
            scale = None
        rows.append(
            CallCriterion(
                call=call, name=name, description=description, weight=weight, scale=scale, position=position
            )
        )
    if not errors and not rows:
        errors["criteria"] = [_("Give at least one evaluation criterion.")]
    if errors:
        raise ValidationError(errors)
    call.criteria.all().delete()
    return CallCriterion.objects.bulk_create(rows)


@transaction.atomic
def call_set_criteria(*, call: Call, criteria: list[dict], updated_by) -> list[CallCriterion]:
    """Replace the call's weighted criteria."""
    require_lab_staff(updated_by, call.lab)
    locked = Call.objects.select_for_update().get(pk=call.pk)
    if locked.status == CallStatus.CANCELLED:
        raise refuse(_("A cancelled call cannot be changed."), "cancelled")
    before = [[pick(c.name).text, str(c.weight)] for c in locked.criteria.all()]
    saved = _save_criteria(locked, criteria)
    audit_record(
        actor=updated_by,
        action="call.criteria",
        target=locked,
        lab=locked.lab,
        changes={"criteria": [before, [[pick(c.name).text, str(c.weight)] for c in saved]]},
    )
    return saved


@transaction.atomic
def call_document_add(
    *, call: Call, file, title: dict, is_template: bool = False, uploaded_by
) -> CallDocument:
    require_lab_staff(uploaded_by, call.lab)
    document = CallDocument(
        call=call,
        file=file,
        title=title or {},
        original_name=file.name.rsplit("/", 1)[-1][:255],
        size=file.size,
        is_template=is_template,
        uploaded_by=uploaded_by,
        position=(call.documents.aggregate(m=Max("position"))["m"] or 0) + 1,
    )
    document.full_clean(exclude=["call", "uploaded_by"])
    document.save()
    audit_record(
        actor=uploaded_by,
        action="call.document.add",
        target=call,
        lab=call.lab,
        changes={"document": [None, document.original_name]},
    )
    return document


@transaction.atomic
def call_document_remove(*, document: CallDocument, removed_by) -> None:
    call = document.call
    require_lab_staff(removed_by, call.lab)
    name = document.original_name
    document.delete()
    audit_record(
        actor=removed_by,
        action="call.document.remove",
        target=call,
        lab=call.lab,
        changes={"document": [name, None]},
    )


def _bump_form(call: Call) -> None:
    Call.objects.filter(pk=call.pk).update(form_version=F("form_version") + 1)


@transaction.atomic
def question_save(
    *,
    call: Call,
    updated_by,
    question: FormQuestion | None = None,
    stage: str = Stage.PROPOSAL,
    key: str | None = None,
    kind: str,
    label,
    help_text=None,
    required: bool = False,
    identifying: bool = False,
    config: dict | None = None,
    position: int | None = None,
) -> FormQuestion:
    """Add or change a question of the call's form. Answers already given are kept, by key."""
    require_lab_staff(updated_by, call.lab)
    if call.status == CallStatus.CANCELLED:
        raise refuse(_("A cancelled call cannot be changed."), "cancelled")
    errors: dict[str, list[str]] = {}
    if stage not in Stage.values or (stage == Stage.EXPRESSION_OF_INTEREST and not call.two_stage):
        errors["stage"] = [_("Choose a stage of this call.")]
    try:
        label = clean_translations(label, max_length=500)
    except ValidationError as error:
        errors["label"] = error.messages
    try:
        help_text = clean_translations(help_text, required=False, max_length=2000)
    except ValidationError as error:
        errors["help_text"] = error.messages
    try:
        config = forms_engine.clean_question_config(kind, config)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors[name if name == "kind" else f"config.{name}"] = messages
    if question is None:
        if key in (None, ""):
            key = _free_key(call, stage, label if isinstance(label, dict) else {})
        try:
            key = forms_engine.clean_key(key)
        except ValidationError as error:
            errors.update(error.message_dict)
        else:
            if FormQuestion.objects.filter(call=call, stage=stage, key=key).exists():
                errors["key"] = [_("Another question of this stage already has this key.")]
    elif question.kind != kind and call.applications.filter(stage=question.stage).exists():
        errors["kind"] = [
            _("Applicants have answered this question: add a new one instead of changing its kind.")
        ]
    if errors:
        raise ValidationError(errors)
    if question is None:
        if position is None:
            position = (
                FormQuestion.objects.filter(call=call, stage=stage).aggregate(m=Max("position"))["m"] or 0
            ) + 1
        question = FormQuestion(call=call, stage=stage, key=key, position=position)
        before = {}
        action = "call.question.add"
    else:
        before = snapshot(question, ["kind", "label", "help_text", "required", "identifying", "config"])
        action = "call.question.change"
        if position is not None:
            question.position = position
    question.kind = kind
    question.label = label
    question.help_text = help_text
    question.required = bool(required)
    question.identifying = bool(identifying)
    question.config = config
    question.save()
    _bump_form(call)
    audit_record(
        actor=updated_by,
        action=action,
        target=call,
        lab=call.lab,
        changes=diff_fields(question, before, ["kind", "label", "required", "config"])
        if before
        else {"question": [None, question.key]},
    )
    return question


def _free_key(call, stage, label: dict) -> str:
    from django.utils.text import slugify

    base = slugify(pick(label).text)[:40].replace("-", "_") or "question"
    if not base[0].isalpha():
        base = f"q_{base}"
    taken = set(FormQuestion.objects.filter(call=call, stage=stage).values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


@transaction.atomic
def question_remove(*, question: FormQuestion, removed_by) -> None:
    call = question.call
    require_lab_staff(removed_by, call.lab)
    key = question.key
    question.delete()
    _bump_form(call)
    audit_record(
        actor=removed_by,
        action="call.question.remove",
        target=call,
        lab=call.lab,
        changes={"question": [key, None]},
    )


@transaction.atomic
def question_move(*, question: FormQuestion, direction: str, moved_by) -> None:
    call = question.call
    require_lab_staff(moved_by, call.lab)
    siblings = list(FormQuestion.objects.select_for_update().filter(call=call, stage=question.stage))
    index = next(i for i, q in enumerate(siblings) if q.pk == question.pk)
    other = index - 1 if direction == "up" else index + 1
    if direction not in ("up", "down") or not 0 <= other < len(siblings):
        return
    siblings[index], siblings[other] = siblings[other], siblings[index]
    for position, item in enumerate(siblings, start=1):
        item.position = position
    FormQuestion.objects.bulk_update(siblings, ["position"])
    _bump_form(call)


def call_publication_gaps(call: Call, now=None) -> list[Gap]:
    """What the call still lacks before it can be published."""
    now = now or timezone.now()
    gaps = []
    if not pick(call.title).text:
        gaps.append(Gap("title", _("Give the call a title.")))
    if not pick(call.summary).text:
        gaps.append(Gap("summary", _("Summarise the call.")))
    challenges = list(call.challenges.all())
    if not challenges:
        gaps.append(Gap("challenges", _("Choose at least one challenge that is ready for a call.")))
    not_ready = [c.reference for c in challenges if c.status != ChallengeStatus.READY_FOR_CALL]
    if not_ready:
        gaps.append(
            Gap(
                "challenges",
                _("These challenges are not ready for a call: %(refs)s.") % {"refs": ", ".join(not_ready)},
            )
        )
    if call.deadline <= now:
        gaps.append(Gap("deadline", _("Set a submission deadline in the future.")))
    criteria = list(call.criteria.all())
    if not criteria:
        gaps.append(Gap("criteria", _("Give the weighted evaluation criteria.")))
    stages = set(call.questions.values_list("stage", flat=True))
    if call.first_stage() not in stages:
        gaps.append(Gap("questions", _("Add at least one question to the application form.")))
    if call.two_stage:
        if Stage.PROPOSAL not in stages:
            gaps.append(Gap("proposal_questions", _("Add at least one question to the full proposal form.")))
        if not call.proposal_deadline:
            gaps.append(Gap("proposal_deadline", _("Set the full proposal deadline.")))
    for name, message in _timeline_errors(call).items():
        gaps.append(Gap(name, message))
    return gaps


@transaction.atomic
def call_publish(*, call: Call, published_by) -> Call:
    """Publish the call: its challenges move to “in a call” and followers are told."""
    require_lab_staff(published_by, call.lab)
    locked = Call.objects.select_for_update().select_related("lab").get(pk=call.pk)
    if locked.status != CallStatus.DRAFT:
        raise refuse(_("Only a draft call can be published."), "invalid_transition")
    now = timezone.now()
    gaps = call_publication_gaps(locked, now)
    if gaps:
        errors: dict[str, list[str]] = {}
        for gap in gaps:
            errors.setdefault(gap.code, []).append(gap.message)
        raise coded(errors, "not_ready")
    locked.status = CallStatus.PUBLISHED
    locked.published_at = now
    if locked.publishes_at is None:
        locked.publishes_at = now
    locked.save(update_fields=["status", "published_at", "publishes_at", "updated_at"])
    challenges = list(locked.challenges.all())
    for challenge in challenges:
        challenge_transition(
            challenge=challenge, target=ChallengeStatus.IN_CALL, actor=published_by, via_call=True
        )
    if locked.publishes_at <= now:
        _notify_followers(locked, challenges, published_by)
        Call.objects.filter(pk=locked.pk).update(followers_notified_at=now)
    audit_record(
        actor=published_by,
        action="call.publish",
        target=locked,
        lab=locked.lab,
        changes={"status": [CallStatus.DRAFT, CallStatus.PUBLISHED]},
    )
    call.refresh_from_db()
    return call


def notify_followers_of_calls_now_public(now=None) -> int:
    """Tell followers about calls published earlier with a publication date that has now come."""
    now = now or timezone.now()
    sent = 0
    due = Call.objects.filter(
        status=CallStatus.PUBLISHED, publishes_at__lte=now, followers_notified_at__isnull=True
    ).select_related("lab")
    for call in due:
        with transaction.atomic():
            claimed = Call.objects.filter(pk=call.pk, followers_notified_at__isnull=True).update(
                followers_notified_at=now
            )
            if claimed:  # another run did not take it meanwhile
                _notify_followers(call, list(call.challenges.all()), None)
                sent += 1
    return sent


def _notify_followers(call: Call, challenges, actor) -> None:
    term_ids = set()
    for challenge in challenges:
        term_ids |= {t.pk for t in challenge.sectors.all()}
        term_ids |= {t.pk for t in challenge.technologies.all()}
    follows = Follow.objects.filter(
        Q(kind=FollowKind.LAB, lab=call.lab)
        | Q(kind=FollowKind.CHALLENGE, challenge__in=challenges)
        | Q(kind__in=[FollowKind.SECTOR, FollowKind.TECHNOLOGY], term_id__in=term_ids)
    ).select_related("user")
    recipients = [f.user for f in follows if f.user_id != getattr(actor, "pk", None)]
    if recipients:
        notify(
            recipients=recipients,
            kind="call.published",
            subject=format_lazy(
                gettext_lazy("A call you may want to answer is open: {title}"), title=lazy_title(call)
            ),
            body=pick(call.summary).text,
            url=reverse("calls:detail", kwargs={"lab_slug": call.lab.slug, "slug": call.slug}),
            lab=call.lab,
        )


@transaction.atomic
def call_cancel(*, call: Call, cancelled_by, reason: str) -> Call:
    require_lab_staff(cancelled_by, call.lab)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the call is cancelled: applicants will read it.")})
    locked = Call.objects.select_for_update().select_related("lab").get(pk=call.pk)
    if locked.status == CallStatus.CANCELLED:
        raise refuse(_("This call is already cancelled."), "invalid_transition")
    was = locked.status
    locked.status = CallStatus.CANCELLED
    locked.save(update_fields=["status", "updated_at"])
    if was == CallStatus.PUBLISHED:
        for challenge in locked.challenges.filter(status=ChallengeStatus.IN_CALL):
            challenge_transition(
                challenge=challenge,
                target=ChallengeStatus.READY_FOR_CALL,
                actor=cancelled_by,
                reason=reason,
                via_call=True,
            )
    audit_record(
        actor=cancelled_by,
        action="call.cancel",
        target=locked,
        lab=locked.lab,
        changes={"status": [was, CallStatus.CANCELLED]},
        reason=reason,
    )
    organisations = locked.applications.values_list("organisation_id", flat=True)
    people = organisation_people(organisations)
    if people:
        notify(
            recipients=people,
            kind="call.cancelled",
            subject=format_lazy(gettext_lazy("The call “{title}” is cancelled"), title=lazy_title(locked)),
            body=reason,
            lab=locked.lab,
        )
    call.refresh_from_db()
    return call


# --- Public Q&A ------------------------------------------------------------------------------------


@transaction.atomic
def enquiry_ask(*, call: Call, asked_by, question: str, organisation=None, language: str = "") -> Enquiry:
    if not getattr(asked_by, "is_authenticated", False):
        raise refuse(_("Sign in to ask a question."), "not_allowed")
    if not call.enquiries_open():
        raise refuse(_("The enquiry period of this call is over."), "enquiries_closed")
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": _("Write your question.")})
    if len(question) > 4000:
        raise ValidationError({"question": _("Keep your question to 4,000 characters.")})
    if organisation is not None and organisation.pk not in user_organisation_roles(asked_by):
        raise ValidationError({"organisation": _("You do not belong to this organisation.")})
    enquiry = Enquiry.objects.create(
        call=call,
        asked_by=asked_by,
        organisation=organisation,
        question=question,
        language=(language or getattr(asked_by, "preferred_language", "") or "")[:10],
    )
    audit_record(actor=asked_by, action="call.enquiry.ask", target=call, lab=call.lab)
    notify(
        recipients=lab_team_users(call.lab),
        kind="call.enquiry",
        subject=format_lazy(gettext_lazy("New question on the call “{title}”"), title=lazy_title(call)),
        body=question,
        url=reverse("calls:lab_enquiries", kwargs={"lab_slug": call.lab.slug, "pk": call.pk}),
        lab=call.lab,
    )
    return enquiry


@transaction.atomic
def enquiry_answer(
    *, enquiry: Enquiry, answered_by, answer, public_question=None, publish: bool = True
) -> Enquiry:
    call = enquiry.call
    require_lab_staff(answered_by, call.lab)
    errors = {}
    try:
        answer = clean_translations(answer, max_length=10000)
    except ValidationError as error:
        errors["answer"] = error.messages
    try:
        public_question = clean_translations(public_question, required=False, max_length=4000)
    except ValidationError as error:
        errors["public_question"] = error.messages
    if publish and not public_question and not errors.get("public_question"):
        # Never the asker's words by default: they may name the company, and the asker stays anonymous.
        errors["public_question"] = [
            _("Give the question as it will be published, without anything that identifies the asker.")
        ]
    if errors:
        raise ValidationError(errors)
    locked = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    was_published = locked.is_published
    locked.answer = answer
    if public_question:
        locked.public_question = public_question
    locked.answered_by = answered_by
    locked.answered_at = timezone.now()
    if publish and not was_published:
        locked.is_published = True
        locked.published_at = locked.answered_at
    locked.save()
    audit_record(
        actor=answered_by,
        action="call.enquiry.answer",
        target=call,
        lab=call.lab,
        changes={"enquiry": [None, locked.pk], "published": [was_published, locked.is_published]},
    )
    if locked.is_published and not was_published:
        organisations = call.applications.filter(status=ApplicationStatus.DRAFT).values_list(
            "organisation_id", flat=True
        )
        people = set(organisation_people(organisations))
        if locked.asked_by is not None:
            people.add(locked.asked_by)
        if people:
            notify(
                recipients=people,
                kind="call.enquiry.answered",
                subject=format_lazy(
                    gettext_lazy("A question on “{title}” was answered"), title=lazy_title(call)
                ),
                body=pick(locked.answer).text,
                url=reverse("calls:detail", kwargs={"lab_slug": call.lab.slug, "slug": call.slug})
                + "#questions",
                lab=call.lab,
            )
    enquiry.refresh_from_db()
    return enquiry


@transaction.atomic
def enquiry_unpublish(*, enquiry: Enquiry, by) -> Enquiry:
    require_lab_staff(by, enquiry.call.lab)
    Enquiry.objects.filter(pk=enquiry.pk).update(is_published=False)
    audit_record(
        actor=by,
        action="call.enquiry.unpublish",
        target=enquiry.call,
        lab=enquiry.call.lab,
        changes={"enquiry": [enquiry.pk, None]},
    )
    enquiry.refresh_from_db()
    return enquiry


# --- Eligibility and deadlines ---------------------------------------------------------------------


def eligibility_problems(call: Call, organisation) -> list[str]:
    """Why this organisation may not apply to this call; empty when it may."""
    problems = []
    if organisation.kind not in SOLVER_KINDS:
        problems.append(_("Only solver organisations (start-ups, companies, researchers, NGOs…) can apply."))
    elif call.eligible_kinds and organisation.kind not in call.eligible_kinds:
        problems.append(
            _("This call is not open to organisations of this kind (%(kind)s).")
            % {"kind": organisation.get_kind_display()}
        )
    if call.eligible_countries and str(organisation.country) not in call.eligible_countries:
        problems.append(
            _("This call is open to organisations from %(countries)s only.")
            % {"countries": ", ".join(str(dict(countries).get(c, c)) for c in call.eligible_countries)}
        )
    if call.min_trl:
        if organisation.trl is None:
            problems.append(
                _(
                    "Give your solution's TRL in your organisation's profile: "
                    "this call asks for TRL %(trl)d or more."
                )
                % {"trl": call.min_trl}
            )
        elif organisation.trl < call.min_trl:
            problems.append(
                _("This call asks for TRL %(trl)d or more; your profile says %(yours)d.")
                % {"trl": call.min_trl, "yours": organisation.trl}
            )
    if not organisation.is_active:
        problems.append(_("This organisation is deactivated."))
    return problems


def effective_deadline(call: Call, organisation_id: int, stage: str):
    """The deadline that applies to this organisation: the call's, or later if the lab extended it."""
    extension = (
        DeadlineExtension.objects.filter(call=call, organisation_id=organisation_id, stage=stage)
        .values_list("until", flat=True)
        .first()
    )
    return later_deadline(call.stage_deadline(stage), extension)


def _check_open(application: Application, received_at) -> None:
    if application.status == ApplicationStatus.WITHDRAWN:
        raise refuse(
            _("This application was withdrawn; it can no longer be changed or submitted."), "withdrawn"
        )
    call = application.call
    if call.status != CallStatus.PUBLISHED:
        raise refuse(_("This call is not open."), "call_closed")
    deadline = effective_deadline(call, application.organisation_id, application.stage)
    if deadline is None or received_at >= deadline:
        raise refuse(
            _("The deadline was %(deadline)s; submissions are closed.")
            % {"deadline": local_time_label(deadline or call.deadline, call)},
            "deadline_passed",
        )


def _stale(application: Application, expected_version, editor: str) -> bool:
    """Whether a write based on ``expected_version`` would overwrite a save made elsewhere.

    A page's own autosave that has not yet told the page its new version is not "elsewhere": when the
    last save came from the same editor token (one per open page), the page holds everything it saved.
    """
    if expected_version is None:
        return False
    try:
        expected = int(expected_version)
    except (TypeError, ValueError):
        return True
    if expected == application.version:
        return False
    return not (editor and application.last_editor == editor and expected < application.version)


def _require_member(user, application: Application) -> None:
    if application.organisation_id not in user_organisation_roles(user):
        raise refuse(_("Only members of the applying organisation can do this."), "not_allowed")


# --- Applications ----------------------------------------------------------------------------------


def _new_reference() -> str:
    return "APP-" + "".join(secrets.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(8))


def application_start(
    *, call: Call, challenge, organisation, started_by, stage: str | None = None, received_at=None
) -> tuple[Application, bool]:
    """The organisation's application to this challenge of the call: the existing one, or a new draft.

    Safe against double clicks and two tabs: the unique constraint decides, and the loser gets the winner.
    """
    received_at = received_at or timezone.now()
    stage = stage or call.first_stage()
    if organisation.pk not in user_organisation_roles(started_by):
        raise coded({"organisation": [_("You do not belong to this organisation.")]}, "not_member")
    existing = Application.objects.filter(
        call=call, challenge=challenge, organisation=organisation, stage=stage
    ).first()
    if existing is not None:
        return existing, False
    if not call.is_visible(received_at) or call.status != CallStatus.PUBLISHED:
        raise refuse(_("This call is not open."), "call_closed")
    if not call.challenges.filter(pk=challenge.pk).exists():
        raise coded({"challenge": [_("This challenge is not part of the call.")]}, "invalid")
    if stage != call.first_stage():
        raise refuse(_("The full proposal is by invitation only."), "not_invited")
    deadline = effective_deadline(call, organisation.pk, stage)
    if received_at >= deadline:
        raise refuse(
            _("The deadline was %(deadline)s; submissions are closed.")
            % {"deadline": local_time_label(deadline, call)},
            "deadline_passed",
        )
    problems = eligibility_problems(call, organisation)
    if problems:
        raise coded({"organisation": problems}, "not_eligible")
    try:
        with transaction.atomic():
            application = Application.objects.create(
                call=call,
                challenge=challenge,
                organisation=organisation,
                stage=stage,
                reference=_new_reference(),
                created_by=started_by,
                form_version=call.form_version,
            )
            audit_record(actor=started_by, action="application.start", target=application, lab=call.lab)
    except IntegrityError:
        existing = Application.objects.filter(
            call=call, challenge=challenge, organisation=organisation, stage=stage
        ).first()
        if existing is None:
            raise
        return existing, False
    return application, True


@dataclass
class SaveResult:
    application: Application
    errors: dict[str, list[str]] = field(default_factory=dict)


def _questions(call: Call, stage: str) -> list[FormQuestion]:
    return list(FormQuestion.objects.filter(call=call, stage=stage))


def _clean_partners(partners, call: Call) -> tuple[list[dict], list[str]]:
    problems = []
    if not isinstance(partners, list):
        return [], [_("Give the partners as a list.")]
    rows = []
    for number, row in enumerate(partners, start=1):
        if not isinstance(row, dict):
            problems.append(_("Partner %(n)d: give a name, a country and a role.") % {"n": number})
            continue
        name = str(row.get("name") or "").strip()[:200]
        country = str(row.get("country") or "").strip().upper()[:2]
        role = str(row.get("role") or "").strip()[:300]
        if not (name or country or role):
            continue
        if not name:
            problems.append(_("Partner %(n)d: give its name.") % {"n": number})
        if country and country not in dict(countries):
            problems.append(_("Partner %(n)d: choose a country from the list.") % {"n": number})
        rows.append({"name": name, "country": country, "role": role})
    if len(rows) > MAX_PARTNERS:
        problems.append(_("Name at most %(max)d partners.") % {"max": MAX_PARTNERS})
        rows = rows[:MAX_PARTNERS]
    if rows and not call.consortium_allowed:
        problems.append(_("This call does not accept consortia: apply alone."))
    return rows, problems


@transaction.atomic
def application_save(
    *,
    application: Application,
    saved_by,
    answers: dict | None = None,
    partners: list | None = None,
    declarations: dict | None = None,
    expected_version: int | None = None,
    received_at=None,
    editor: str = "",
) -> SaveResult:
    """Save the working copy. Everything that can be kept is kept; what does not pass is reported by key."""
    received_at = received_at or timezone.now()
    locked = (
        Application.objects.select_for_update().select_related("call", "call__lab").get(pk=application.pk)
    )
    _require_member(saved_by, locked)
    _check_open(locked, received_at)
    if _stale(locked, expected_version, editor):
        raise refuse(
            _(
                "This application was saved elsewhere (another tab or person) since you opened it. "
                "Reload to see the latest answers; copy what you typed first."
            ),
            "conflict",
        )
    errors: dict[str, list[str]] = {}
    changed = False
    if answers is not None:
        if not isinstance(answers, dict):
            raise ValidationError({"answers": _("Give the answers as an object of question key to answer.")})
        questions = {q.key: q for q in _questions(locked.call, locked.stage)}
        file_ids = set(locked.files.values_list("pk", flat=True))
        stored = dict(locked.answers)
        for key, value in answers.items():
            question = questions.get(key)
            if question is None:
                errors[key] = [_("There is no such question in this form.")]
                continue
            if forms_engine.oversized(value):
                errors[key] = [str(forms_engine.TOO_LARGE) % {"max": forms_engine.STORED_TEXT_MAX}]
                continue
            if question.kind == QuestionKind.FILE and not forms_engine.is_empty(value):
                try:
                    stored[key] = forms_engine.clean_answer(
                        question.kind, question.config, value, file_ids=file_ids
                    )
                except ValidationError as error:
                    errors[key] = error.messages
                continue
            try:
                cleaned = forms_engine.clean_answer(question.kind, question.config, value)
            except ValidationError as error:
                errors[key] = error.messages
                cleaned = value  # kept as typed: nothing is lost
            if forms_engine.is_empty(cleaned):
                stored.pop(key, None)
            else:
                stored[key] = cleaned
        if stored != locked.answers:
            locked.answers = stored
            changed = True
    if partners is not None:
        rows, problems = _clean_partners(partners, locked.call)
        if problems:
            errors["partners"] = problems
        if rows != locked.partners:
            locked.partners = rows
            changed = True
    if declarations is not None:
        if not isinstance(declarations, dict):
            raise ValidationError({"declarations": _("Give the declarations as an object.")})
        cleaned_declarations = {
            key: bool(declarations.get(key)) for key in DECLARATIONS if declarations.get(key)
        }
        if cleaned_declarations != locked.declarations:
            locked.declarations = cleaned_declarations
            changed = True
    if changed:
        locked.version += 1
        locked.last_editor = (editor or "")[:40]
        if locked.status == ApplicationStatus.SUBMITTED:
            locked.has_unsubmitted_changes = True
        locked.save(
            update_fields=[
                "last_editor",
                "answers",
                "partners",
                "declarations",
                "version",
                "has_unsubmitted_changes",
                "updated_at",
            ]
        )
    application.refresh_from_db()
    return SaveResult(application, errors)


class QuestionUploadPolicy(UploadPolicy):
    """A file question's own types and size, checked on the content as for every upload."""

    def __init__(self, extensions, max_mb: int):
        super().__init__(tuple(extensions))
        self._max_bytes = int(max_mb) * 1024 * 1024

    @property
    def max_bytes(self) -> int:
        return self._max_bytes

    def __call__(self, file) -> None:
        super().__call__(file)
        extension = file.name.rsplit(".", 1)[-1].lower()
        if not SIGNATURES.get(extension):  # text formats: no magic bytes, so refuse binary content
            position = file.tell() if hasattr(file, "tell") else 0
            file.seek(0)
            head = file.read(8192)
            file.seek(position)
            head = head if isinstance(head, bytes) else head.encode()
            try:  # incremental: a character cut at the end of the sample is not an error
                codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
                binary = b"\x00" in head
            except UnicodeDecodeError:
                binary = True
            if binary:
                raise ValidationError(
                    _("“%(name)s” does not contain what its name says (%(ext)s).")
                    % {"name": file.name.rsplit("/", 1)[-1], "ext": extension.upper()},
                    code="file_content",
                )


@transaction.atomic
def application_upload(
    *, application: Application, question_key: str, file, uploaded_by, received_at=None, editor: str = ""
) -> ApplicationFile:
    received_at = received_at or timezone.now()
    locked = (
        Application.objects.select_for_update().select_related("call", "call__lab").get(pk=application.pk)
    )
    _require_member(uploaded_by, locked)
    _check_open(locked, received_at)
    question = FormQuestion.objects.filter(call=locked.call, stage=locked.stage, key=question_key).first()
    if question is None or question.kind != QuestionKind.FILE:
        raise ValidationError({"question_key": _("There is no file question with this key in this form.")})
    if file is None:
        raise ValidationError({question_key: _("Choose a file.")})
    config = question.config or {}
    try:
        QuestionUploadPolicy(config.get("extensions") or ["pdf"], config.get("max_mb") or 10)(file)
    except ValidationError as error:
        raise ValidationError({question_key: error.messages}) from None
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks() if hasattr(file, "chunks") else [file.read()]:
        digest.update(chunk)
    file.seek(0)
    original = file.name.rsplit("/", 1)[-1][:255]
    extension = original.rsplit(".", 1)[-1].lower()
    stored = ApplicationFile(
        application=locked,
        question_key=question_key,
        original_name=original,
        content_type=(getattr(file, "content_type", "") or "")[:100],
        size=file.size,
        sha256=digest.hexdigest(),
        uploaded_by=uploaded_by,
    )
    # Stored under a random name: the original name may identify the applicant (blind evaluation).
    stored.file.save(f"{uuid.uuid4().hex}.{extension}", file, save=False)
    stored.save()
    locked.answers = {**locked.answers, question_key: stored.pk}
    locked.version += 1
    locked.last_editor = (editor or "")[:40]
    if locked.status == ApplicationStatus.SUBMITTED:
        locked.has_unsubmitted_changes = True
    locked.save(update_fields=["answers", "version", "last_editor", "has_unsubmitted_changes", "updated_at"])
    application.refresh_from_db()
    return stored


def application_gaps(
    application: Application, questions: list[FormQuestion] | None = None, file_ids: set[int] | None = None
) -> dict[str, list[str]]:
    """What a submit would refuse, by question key (and "declarations", "partners", "organisation").

    Lists pass the ``questions`` and the application's ``file_ids`` they prefetched, to keep a fixed
    number of queries.
    """
    if questions is None:
        questions = _questions(application.call, application.stage)
    gaps: dict[str, list[str]] = {}
    for question in questions:
        value = application.answers.get(question.key)
        if forms_engine.is_empty(value):
            if question.required:
                gaps[question.key] = [_("This question is required.")]
            continue
        if question.kind == QuestionKind.FILE and file_ids is None:
            file_ids = {f.pk for f in application.files.all()}
        try:
            forms_engine.clean_answer(question.kind, question.config, value, file_ids=file_ids)
        except ValidationError as error:
            gaps[question.key] = error.messages
    missing = [str(text) for key, text in DECLARATIONS.items() if not application.declarations.get(key)]
    if missing:
        gaps["declarations"] = [_("Confirm: %(statement)s") % {"statement": text} for text in missing]
    _rows, problems = _clean_partners(application.partners, application.call)
    if problems:
        gaps["partners"] = problems
    problems = eligibility_problems(application.call, application.organisation)
    if problems:
        gaps["organisation"] = problems
    return gaps


@transaction.atomic
def application_submit(
    *, application: Application, submitted_by, received_at, expected_version=None, editor: str = ""
) -> ApplicationRevision:
    """Freeze the working copy into a revision with a receipt. A repeated submit of the same content
    returns the revision already stored (double clicks store once)."""
    # Hashed as it will read back from the database: in UTC.
    received_at = received_at.astimezone(dt.UTC)
    locked = (
        Application.objects.select_for_update(of=("self",))
        .select_related("call", "call__lab", "organisation", "challenge")
        .get(pk=application.pk)
    )
    _require_member(submitted_by, locked)
    _check_open(locked, received_at)
    latest = locked.revisions.order_by("-number").first()
    if (
        locked.status == ApplicationStatus.SUBMITTED
        and not locked.has_unsubmitted_changes
        and latest is not None
    ):
        return latest
    if _stale(locked, expected_version, editor):
        raise refuse(
            _("This application was changed elsewhere since you opened it. Review it and submit again."),
            "conflict",
        )
    questions = _questions(locked.call, locked.stage)
    gaps = application_gaps(locked, questions)
    if gaps:
        raise coded(gaps, "incomplete")
    answers = {}
    for question in questions:
        value = locked.answers.get(question.key)
        if not forms_engine.is_empty(value):
            answers[question.key] = forms_engine.clean_answer(question.kind, question.config, value)
    number = (latest.number if latest else 0) + 1
    file_keys = {q.key for q in questions if q.kind == QuestionKind.FILE}
    content = build_content(
        application=locked,
        number=number,
        answers=answers,
        partners=locked.partners,
        declarations=locked.declarations,
        received_at=received_at,
        file_questions=file_keys,
    )
    now = timezone.now()
    revision = ApplicationRevision.objects.create(
        application=locked,
        number=number,
        answers=content["answers"],
        partners=content["partners"],
        declarations=content["declarations"],
        form_version=locked.call.form_version,
        submitted_by=submitted_by,
        received_at=received_at,
        submitted_at=now,
        content_hash=content_hash(content),
        receipt_code=new_receipt_code(),
    )
    was = locked.status
    locked.status = ApplicationStatus.SUBMITTED
    locked.submitted_at = now
    locked.has_unsubmitted_changes = False
    locked.form_version = locked.call.form_version
    locked.save(
        update_fields=["status", "submitted_at", "has_unsubmitted_changes", "form_version", "updated_at"]
    )
    audit_record(
        actor=submitted_by,
        action="application.submit",
        target=locked,
        lab=locked.call.lab,
        changes={
            "status": [was, ApplicationStatus.SUBMITTED],
            "revision": [number - 1 or None, number],
            "content_hash": [None, revision.content_hash],
        },
    )
    notify(
        recipients=[submitted_by],
        kind="application.receipt",
        subject=format_lazy(
            gettext_lazy("Receipt {code}: your application to “{title}” was received"),
            code=revision.receipt_code,
            title=lazy_title(locked.call),
        ),
        body=format_lazy(
            gettext_lazy(
                "Received at {time}. Content hash (SHA-256): {hash}. Keep this receipt: anyone can "
                "check it on govlab's receipt page."
            ),
            time=lazy_time_label(received_at, locked.call),
            hash=revision.content_hash,
        ),
        url=reverse("calls:receipt", kwargs={"reference": locked.reference, "number": number}),
        lab=locked.call.lab,
    )
    return revision


@transaction.atomic
def application_withdraw(
    *, application: Application, withdrawn_by, reason: str = "", received_at=None
) -> Application:
    received_at = received_at or timezone.now()
    locked = (
        Application.objects.select_for_update().select_related("call", "call__lab").get(pk=application.pk)
    )
    _require_member(withdrawn_by, locked)
    _check_open(locked, received_at)
    was = locked.status
    locked.status = ApplicationStatus.WITHDRAWN
    locked.withdrawn_at = timezone.now()
    locked.withdrawal_reason = (reason or "").strip()[:2000]
    locked.save(update_fields=["status", "withdrawn_at", "withdrawal_reason", "updated_at"])
    audit_record(
        actor=withdrawn_by,
        action="application.withdraw",
        target=locked,
        lab=locked.call.lab,
        changes={"status": [was, ApplicationStatus.WITHDRAWN]},
        reason=locked.withdrawal_reason,
    )
    application.refresh_from_db()
    return application


@transaction.atomic
def extension_grant(
    *, call: Call, organisation, until, reason: str, granted_by, stage: str | None = None
) -> DeadlineExtension:
    """Give one organisation more time, audited. The new deadline must be later than the call's."""
    require_lab_staff(granted_by, call.lab)
    stage = stage or call.first_stage()
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = [_("Say why the extension is granted: it is part of the audit trail.")]
    deadline = call.stage_deadline(stage)
    if until is None or (deadline and until <= deadline):
        errors["until"] = [
            _("Give a time after the call's deadline (%(deadline)s).")
            % {"deadline": local_time_label(deadline, call) if deadline else "—"}
        ]
    if errors:
        raise ValidationError(errors)
    # The call's row is the lock: two grants for one organisation at once make one extension, not an error.
    Call.objects.select_for_update().filter(pk=call.pk).first()
    existing = (
        DeadlineExtension.objects.select_for_update()
        .filter(call=call, organisation=organisation, stage=stage)
        .first()
    )
    before = existing.until if existing else None
    if existing:
        existing.until, existing.reason, existing.granted_by = until, reason, granted_by
        existing.save(update_fields=["until", "reason", "granted_by"])
        extension = existing
    else:
        extension = DeadlineExtension.objects.create(
            call=call,
            organisation=organisation,
            stage=stage,
            until=until,
            reason=reason,
            granted_by=granted_by,
        )
    audit_record(
        actor=granted_by,
        action="call.extension.grant",
        target=call,
        lab=call.lab,
        changes={"organisation": [None, organisation.pk], "until": [before, until]},
        reason=reason,
    )
    notify(
        recipients=organisation_people(organisation.pk),
        kind="call.extension",
        subject=format_lazy(
            gettext_lazy("More time for “{title}”: until {until}"),
            title=lazy_title(call),
            until=lazy_time_label(until, call),
        ),
        body=reason,
        lab=call.lab,
    )
    return extension


@transaction.atomic
def application_invite_full(*, application: Application, invited_by) -> Application:
    """Two-stage calls: invite a submitted expression of interest to send a full proposal."""
    call = application.call
    require_lab_staff(invited_by, call.lab)
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not call.two_stage or application.stage != Stage.EXPRESSION_OF_INTEREST:
        raise refuse(_("Only an expression of interest in a two-stage call can be invited."), "invalid")
    if application.status != ApplicationStatus.SUBMITTED:
        raise refuse(_("Only a submitted expression of interest can be invited."), "invalid")
    now = timezone.now()
    proposal, created = Application.objects.get_or_create(
        call=call,
        challenge=application.challenge,
        organisation=application.organisation,
        stage=Stage.PROPOSAL,
        defaults={
            "reference": _new_reference(),
            "created_by": invited_by,
            "invited_at": now,
            "form_version": call.form_version,
            "partners": application.partners,
        },
    )
    if created:
        audit_record(
            actor=invited_by,
            action="application.invite",
            target=proposal,
            lab=call.lab,
            changes={"from": [None, application.reference]},
        )
        notify(
            recipients=organisation_people(application.organisation_id),
            kind="application.invited",
            subject=format_lazy(
                gettext_lazy("You are invited to send a full proposal to “{title}”"), title=lazy_title(call)
            ),
            body=format_lazy(
                gettext_lazy("The full proposal is due {deadline}."),
                deadline=lazy_time_label(call.proposal_deadline, call) if call.proposal_deadline else "",
            ),
            url=reverse("calls:application", kwargs={"reference": proposal.reference}),
            lab=call.lab,
        )
    return proposal


# --- Follows ---------------------------------------------------------------------------------------

FOLLOW_TARGET = {
    FollowKind.LAB: "lab",
    FollowKind.CHALLENGE: "challenge",
    FollowKind.SECTOR: "term",
    FollowKind.TECHNOLOGY: "term",
}


def _follow_filter(kind: str, target) -> dict:
    if kind not in FOLLOW_TARGET:
        raise ValidationError({"kind": _("Choose what to follow.")})
    if kind in (FollowKind.SECTOR, FollowKind.TECHNOLOGY) and getattr(target, "vocabulary", None) != kind:
        raise ValidationError({"target": _("Choose a %(kind)s.") % {"kind": FollowKind(kind).label.lower()}})
    return {"kind": kind, FOLLOW_TARGET[kind]: target}


def follow(*, user, kind: str, target) -> Follow:
    lookup = _follow_filter(kind, target)
    try:
        with transaction.atomic():
            instance, _created = Follow.objects.get_or_create(user=user, **lookup)
    except IntegrityError:
        instance = Follow.objects.get(user=user, **lookup)
    return instance


def unfollow(*, user, kind: str, target) -> None:
    Follow.objects.filter(user=user, **_follow_filter(kind, target)).delete()
