"""Demo data for evaluation: complete evaluations of the demo's closed calls (``load``).

Works on top of the calls demo (govlab/calls/demo.py): for each closed call of ``demo_data.EVALUATIONS``
(MiLAB's 2025 cohort, GovTech Lab Luxembourg's "Bye bye Robots!" and Innovationsupphandling Syd's call),
through the evaluation services so the audit log is real, as the lab and its evaluators would:

1. the settings and two review phases — a blind one where evaluators write their reviews, then one
   where identities are visible and reviews are closed (the panel discussion);
2. the panel (3–4 people: the lab's manager, the entity's official, external experts — made with the
   demo password when missing, and given the lab's "evaluator" role);
3. automatic assignment; each evaluator declares, per application, that they have no conflict of
   interest — except one, who declares a conflict with a reason (the assignment is withdrawn and a
   second automatic run fills the gap with someone else);
4. complete, submitted reviews (scores on the call's scales, comments, strengths and weaknesses, a
   recommendation and a confidence), one application with a clear disagreement between evaluators;
5. the identities-visible phase, a consensus score with its rationale on the disputed application,
   the preselection per challenge (at most the call's maximum, a reason for every application),
   a feedback letter template per lab language, and the letters, prepared and sent.

MiLAB's 2026 call stays open in the demo (its deadline is a few days after loading, so people can try
applying), so it is not evaluated; its 2025 cohort call (closed in April 2025) is, and its preselected
applications are the cohort the strengthening, pilots and Demo Day demos continue.

Idempotent: a call whose evaluation has started (it has review phases or evaluators) is left alone, so a
second run writes nothing, and each call is evaluated in one transaction (all or nothing).
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from govlab.calls.enums import ApplicationStatus
from govlab.calls.models import Call
from govlab.labs.models import Lab, LabMembership
from govlab.labs.services import lab_membership_add
from govlab.taxonomy.models import Term

from . import services
from .demo_data import EVALUATIONS, FEEDBACK_TEMPLATES
from .enums import Recommendation
from .models import Assignment, ConflictDeclaration, Evaluator, FeedbackTemplate, ReviewPhase

DEMO_PASSWORD = "govlab-demo-2026"  # noqa: S105 (the published demo password of the data contract)
ADMIN_EMAIL = "admin@govlab.example"


class DemoDataError(RuntimeError):
    """The demo data does not pass the services' checks: a bug in govlab/evaluation/demo_data."""


def recommendation_for(total: Decimal | None) -> str:
    """An evaluator's overall recommendation in line with their weighted total (0–100)."""
    if total is None:
        return Recommendation.UNSURE
    for floor, recommendation in (
        (75, Recommendation.STRONG_YES),
        (62, Recommendation.YES),
        (50, Recommendation.UNSURE),
        (35, Recommendation.NO),
    ):
        if total >= floor:
            return recommendation
    return Recommendation.STRONG_NO


def _person(email: str, full_name: str, language: str, time_zone: str, created: Counter):
    from allauth.account.models import EmailAddress

    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=email).first()
    if user is None:
        user = user_model.objects.create_user(
            email=email,
            password=DEMO_PASSWORD,
            full_name=full_name,
            preferred_language=language,
            time_zone=time_zone,
        )
        created["users"] += 1
    _address, made = EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    created["email_addresses"] += int(made)
    return user


def _panel(call: Call, spec: dict, staff, system, created: Counter) -> list[Evaluator]:
    lab = call.lab
    terms = {(t.vocabulary, t.code): t for t in Term.objects.filter(vocabulary__in=["sector", "technology"])}
    evaluators = []
    for email, full_name, language, role, lab_role, expertise in spec["panel"]:
        user = _person(email, full_name, language, lab.time_zone, created)
        if lab_role and not LabMembership.objects.filter(lab=lab, user=user).exists():
            lab_membership_add(lab=lab, user=user, role=lab_role, added_by=system)
            created["lab_memberships"] += 1
        topics = [
            terms[key]
            for code in expertise
            for key in (("sector", code), ("technology", code))
            if key in terms
        ]
        evaluators.append(
            services.evaluator_add(call=call, user=user, role=role, expertise=topics, added_by=staff)
        )
    return evaluators


def _declare(call: Call, spec: dict, created: Counter) -> None:
    """Every active assignment without a declaration gets one: "none", or the spec's conflict."""
    conflict_email, conflict_org, conflict_reason = spec["conflict"] or (None, None, "")
    declared = set(
        ConflictDeclaration.objects.filter(application__call=call).values_list(
            "evaluator_id", "application_id"
        )
    )
    assignments = (
        Assignment.objects.filter(application__call=call, withdrawn_at__isnull=True)
        .select_related("evaluator__user", "application__organisation", "application__call__lab")
        .order_by("application__reference", "evaluator_id")
    )
    for assignment in assignments:
        if (assignment.evaluator_id, assignment.application_id) in declared:
            continue
        evaluator, application = assignment.evaluator, assignment.application
        conflicted = evaluator.user.email == conflict_email and application.organisation.slug == conflict_org
        services.conflict_declare(
            evaluator=evaluator,
            application=application,
            has_conflict=conflicted,
            reason=conflict_reason if conflicted else "",
            by=evaluator.user,
        )
        created["conflicts" if conflicted else "declarations"] += 1


def _ensure_conflict(call: Call, spec: dict, evaluators: list[Evaluator], staff) -> None:
    """Make sure the evaluator of the spec's conflict is assigned to that application (they then declare
    it): automatic assignment may have chosen others."""
    if not spec["conflict"]:
        return
    email, org_slug, _reason = spec["conflict"]
    evaluator = next(e for e in evaluators if e.user.email == email)
    application = call.applications.get(organisation__slug=org_slug, status=ApplicationStatus.SUBMITTED)
    if not Assignment.objects.filter(evaluator=evaluator, application=application).exists():
        services.assign(application=application, evaluator=evaluator, by=staff)


def _review(assignment: Assignment, position: int, item: dict, criteria, created: Counter) -> None:
    user = assignment.evaluator.user
    scores_list = item["scores"][position]
    scores = {str(c.pk): value for c, value in zip(criteria, scores_list, strict=True)}
    own = (item.get("reviews") or [None] * 3)[position]
    if own is not None:
        comments = {str(c.pk): text for c, text in zip(criteria, own["comments"], strict=True)}
        strengths, weaknesses = own["strengths"], own["weaknesses"]
        recommendation, confidence = own["recommendation"], own["confidence"]
    else:
        # Each reviewer comments on a third of the criteria (the first on criteria 1, 4…, and so on).
        comments = {
            str(c.pk): text
            for index, (c, text) in enumerate(zip(criteria, item["comments"], strict=True))
            if index % 3 == position
        }
        strengths, weaknesses = item["strengths"][position], item["weaknesses"][position]
        recommendation = recommendation_for(services.weighted_total(scores, criteria))
        confidence = 3 + (position + len(scores_list)) % 3
    review = services.review_for(assignment, user)
    services.review_save(
        review=review,
        by=user,
        scores=scores,
        comments=comments,
        strengths=strengths,
        weaknesses=weaknesses,
        recommendation=recommendation,
        confidence=confidence,
    )
    services.review_submit(review=review, by=user)
    created["reviews"] += 1


def _reviews(call: Call, spec: dict, created: Counter) -> dict[tuple[str, int], int]:
    """Submit every assigned review; returns {(organisation slug, position): review id}."""
    criteria = list(call.criteria.order_by("position", "pk"))
    panel_order = {email: index for index, (email, *_rest) in enumerate(spec["panel"])}
    active = list(
        Assignment.objects.filter(application__call=call, withdrawn_at__isnull=True)
        .select_related("evaluator__user", "application__organisation")
        .order_by("application__reference")
    )
    by_org: dict[str, list[Assignment]] = {}
    for assignment in active:
        by_org.setdefault(assignment.application.organisation.slug, []).append(assignment)
    made = {}
    for org_slug, assignments in sorted(by_org.items()):
        item = spec["applications"].get(org_slug)
        if item is None:
            raise DemoDataError(f"{call.slug}: no reviews in the demo data for {org_slug}")
        assignments.sort(key=lambda a: panel_order.get(a.evaluator.user.email, 99))
        for position, assignment in enumerate(assignments[: len(item["scores"])]):
            _review(assignment, position, item, criteria, created)
            made[(org_slug, position)] = assignment.review.pk
    return made


def _preselect(call: Call, spec: dict, staff, created: Counter) -> None:
    for challenge in call.challenges.order_by("pk"):
        applications = call.applications.filter(
            challenge=challenge, status=ApplicationStatus.SUBMITTED
        ).select_related("organisation")
        decisions = {}
        for application in applications:
            selected, category, reason = spec["applications"][application.organisation.slug]["decision"]
            decisions[application.pk] = {"selected": selected, "reason_category": category, "reason": reason}
        services.preselect(call=call, challenge=challenge, decisions=decisions, by=staff)
        created["decisions"] += len(decisions)
        created["preselected"] += sum(1 for d in decisions.values() if d["selected"])


def _templates(lab: Lab, staff, created: Counter) -> None:
    for language, (subject, body) in FEEDBACK_TEMPLATES.get(lab.slug, {}).items():
        if (
            language in (lab.languages or [])
            and not FeedbackTemplate.objects.filter(lab=lab, language=language).exists()
        ):
            services.feedback_template_save(lab=lab, language=language, subject=subject, body=body, by=staff)
            created["feedback_templates"] += 1


def evaluate(call: Call, spec: dict, *, system, created: Counter) -> None:
    """The whole evaluation of one closed call, through the services."""
    from govlab.calls.demo import _lab_actor

    staff = _lab_actor(call.lab, spec["staff"])
    if staff is None:
        raise DemoDataError(f"{call.slug}: the lab has no manager or staff member")
    services.settings_save(
        call=call,
        by=staff,
        reviews_per_application=spec["reviews_per_application"],
        prefer_expertise=True,
        disagreement_threshold=Decimal(spec["disagreement_threshold"]),
        review_deadline=call.evaluation_ends_at,
    )
    phases = [
        services.phase_save(call=call, by=staff, position=number, **phase)
        for number, phase in enumerate(spec["phases"], start=1)
    ]
    services.phase_activate(phase=phases[0], by=staff)
    evaluators = _panel(call, spec, staff, system, created)
    created["evaluators"] += len(evaluators)
    created["assignments"] += services.assign_automatically(call=call, by=staff)
    _ensure_conflict(call, spec, evaluators, staff)
    _declare(call, spec, created)
    # A recusal leaves a gap: the same automatic service fills only that gap.
    created["assignments"] += services.assign_automatically(call=call, by=staff)
    _declare(call, spec, created)
    reviews = _reviews(call, spec, created)
    services.phase_activate(phase=phases[1], by=staff)
    if spec["consensus"]:
        org_slug, criterion_position, score, rationale = spec["consensus"]
        application = call.applications.get(organisation__slug=org_slug, status=ApplicationStatus.SUBMITTED)
        criterion = call.criteria.order_by("position", "pk")[criterion_position]
        services.consensus_set(
            application=application, criterion=criterion, score=score, rationale=rationale, by=staff
        )
        created["consensus"] += 1
    _preselect(call, spec, staff, created)
    _templates(call.lab, staff, created)
    withheld = {reviews[key] for key in spec["withheld"] if key in reviews}
    released = sorted(set(reviews.values()) - withheld)
    letters = services.feedback_prepare(call=call, by=staff, released_review_ids=released)
    created["letters"] += services.feedback_send(letters=letters, by=staff)


def load() -> dict[str, int]:
    """Evaluate the demo's closed calls; returns how many of each thing were created (a second run: none)."""
    created: Counter = Counter()
    system = get_user_model().objects.filter(email__iexact=ADMIN_EMAIL).first()
    now = timezone.now()
    for spec in EVALUATIONS:
        call = Call.objects.filter(lab__slug=spec["lab"], slug=spec["call"]).select_related("lab").first()
        if call is None or call.deadline is None or call.deadline > now:
            continue  # the calls demo did not make it, or it is still open: nothing to evaluate
        if ReviewPhase.objects.filter(call=call).exists() or Evaluator.objects.filter(call=call).exists():
            created["calls_skipped"] += 1
            continue
        with transaction.atomic():
            evaluate(call, spec, system=system, created=created)
        created["calls"] += 1
    return dict(created)


# --- Synthetic volume for load tests ---------------------------------------------------------------

LOAD_EVALUATOR_PREFIX = "load-evaluator-"
LOAD_EMAIL_DOMAIN = "load.example"
LOAD_PASSWORD = "govlab-load-2026"  # noqa: S105 (the load data's published password)
LOAD_BATCH = 5000
PANEL_SIZE = 10


def load_evaluator_email(lab_slug: str, number: int) -> str:
    return f"{LOAD_EVALUATOR_PREFIX}{lab_slug.removeprefix('load-')}-{number:02d}@{LOAD_EMAIL_DOMAIN}"


class _Criterion:
    """What weighted_total needs of a criterion, without a model instance per review."""

    __slots__ = ("pk", "scale", "weight")

    def __init__(self, pk, weight, scale):
        self.pk, self.weight, self.scale = pk, weight, scale


def _load_panels(call_ids: list[int], panel_size: int) -> dict[int, list[int]]:
    """Each call's panel (evaluator ids): the lab's ``panel_size`` load evaluators, made when missing."""
    from django.contrib.auth.hashers import make_password

    from govlab.labs.enums import LabRole

    user_model = get_user_model()
    calls = dict(Call.objects.filter(pk__in=call_ids).values_list("pk", "lab_id"))
    labs = dict(Lab.objects.filter(pk__in=set(calls.values())).values_list("pk", "slug"))
    emails = {
        lab_id: [load_evaluator_email(slug, n) for n in range(1, panel_size + 1)]
        for lab_id, slug in labs.items()
    }
    wanted = [email for group in emails.values() for email in group]
    have = set(user_model.objects.filter(email__in=wanted).values_list("email", flat=True))
    password = make_password(LOAD_PASSWORD)
    user_model.objects.bulk_create(
        [
            user_model(email=email, full_name=f"Load evaluator {email.split('@')[0][-9:]}", password=password)
            for email in wanted
            if email not in have
        ],
        batch_size=LOAD_BATCH,
    )
    users = dict(user_model.objects.filter(email__in=wanted).values_list("email", "pk"))
    LabMembership.objects.bulk_create(
        [
            LabMembership(lab_id=lab_id, user_id=users[email], role=LabRole.EVALUATOR)
            for lab_id, group in emails.items()
            for email in group
        ],
        batch_size=LOAD_BATCH,
        ignore_conflicts=True,
    )
    existing = {
        (call_id, user_id): pk
        for pk, call_id, user_id in Evaluator.objects.filter(call_id__in=call_ids).values_list(
            "pk", "call_id", "user_id"
        )
    }
    roles = ["external_expert", "external_expert", "entity_official", "lab_staff"]
    rows = []
    for call_id, lab_id in calls.items():
        for number, email in enumerate(emails[lab_id]):
            if (call_id, users[email]) not in existing:
                rows.append(
                    Evaluator(
                        call_id=call_id,
                        user_id=users[email],
                        role=roles[number % len(roles)],
                        added_by_id=users[email],
                    )
                )
    Evaluator.objects.bulk_create(rows, batch_size=LOAD_BATCH)
    panels: dict[int, list[int]] = {call_id: [] for call_id in calls}
    by_user = {pk: email for email, pk in users.items()}
    for pk, call_id, user_id in Evaluator.objects.filter(call_id__in=call_ids).values_list(
        "pk", "call_id", "user_id"
    ):
        if user_id in by_user:
            panels[call_id].append((by_user[user_id], pk))
    return {call_id: [pk for _email, pk in sorted(pairs)] for call_id, pairs in panels.items()}


def generate(*, count: int, applications=None, seed: int = 0, panel_size: int = PANEL_SIZE) -> str:
    """Bulk-insert submitted reviews of synthetic applications until there are ``count`` in all.

    ``applications`` (a queryset; default: the submitted ``LOAD-APP-`` applications of closed calls) are
    reviewed by their call's panel of ``panel_size`` load evaluators (``load-evaluator-…@load.example``,
    the lab's "evaluator" role). Review k of the call's application number a goes to panel member
    (a + k) mod P, or the least loaded one after it, one round over all applications after the other,
    so every application gets ⌊count / A⌋ or one more reviews and a call's evaluators the same load
    (within one). Each review comes with what the services would have written: the assignment, a "no
    conflict" declaration, the submitted review (scores on the call's criteria from the application's
    quality, the evaluator's leniency and noise; its weighted total; a recommendation and a confidence)
    and its first revision.
    Written with bulk_create, without audit entries or notifications: it is test data. Deterministic
    for a seed; a second run adds nothing.
    """
    import datetime as dt
    import math
    import random

    from govlab.calls.models import Application, CallCriterion

    from . import aggregation
    from .enums import ReviewStatus
    from .models import EvaluationSettings, Review, ReviewRevision

    if applications is None:
        applications = Application.objects.filter(
            reference__startswith="LOAD-APP-",
            status=ApplicationStatus.SUBMITTED,
            call__deadline__lt=timezone.now(),
        )
    apps = list(applications.order_by("pk").values_list("pk", "call_id"))
    app_ids = [pk for pk, _call in apps]
    existing = Review.objects.filter(application__in=applications).count()
    if existing >= count:
        return f"{existing} already there"
    if not apps:
        return "skipped: no submitted load application in a closed call (give --applications)"
    call_ids = sorted({call_id for _pk, call_id in apps})
    rng = random.Random(seed + existing)  # noqa: S311 (synthetic data, not security)
    with transaction.atomic():
        panels = _load_panels(call_ids, panel_size)
        per_application = min(panel_size, math.ceil(count / len(apps)))
        have = set(EvaluationSettings.objects.filter(call_id__in=call_ids).values_list("call_id", flat=True))
        EvaluationSettings.objects.bulk_create(
            [
                EvaluationSettings(call_id=c, reviews_per_application=per_application)
                for c in call_ids
                if c not in have
            ]
        )
    criteria: dict[int, list[_Criterion]] = {call_id: [] for call_id in call_ids}
    for pk, call_id, weight, scale in (
        CallCriterion.objects.filter(call_id__in=call_ids)
        .order_by("position", "pk")
        .values_list("pk", "call_id", "weight", "scale")
    ):
        criteria[call_id].append(_Criterion(pk, weight, scale))
    deadlines = dict(Call.objects.filter(pk__in=call_ids).values_list("pk", "deadline"))
    # Who made the assignments: the panel's lab staff member (else its first evaluator).
    assigner: dict[int, int] = {}
    with_staff: set[int] = set()
    for call_id, user_id, role in (
        Evaluator.objects.filter(call_id__in=call_ids)
        .order_by("pk")
        .values_list("call_id", "user_id", "role")
    ):
        if role == "lab_staff" and call_id not in with_staff:
            assigner[call_id] = user_id
            with_staff.add(call_id)
        assigner.setdefault(call_id, user_id)
    taken = set(
        Assignment.objects.filter(application__in=applications).values_list("evaluator_id", "application_id")
    )
    # Quality per application and leniency per evaluator: the same for a seed, whatever was made before.
    quality = {pk: random.Random(seed * 1_000_003 + pk).random() for pk in app_ids}  # noqa: S311
    leniency: dict[int, float] = {}
    # Each application's position within its call: consecutive applications go to consecutive evaluators.
    seen: Counter = Counter()
    positions = []
    for _pk, call_id in apps:
        positions.append(seen[call_id])
        seen[call_id] += 1
    totals: dict[tuple, Decimal | None] = {}
    target = count - existing
    made = 0
    now = timezone.now()
    batch: list[tuple] = []

    def flush():
        if not batch:
            return
        with transaction.atomic():
            assignments = [
                Assignment(evaluator_id=e, application_id=a, automatic=True, assigned_by_id=assigner[c])
                for e, a, c, *_rest in batch
            ]
            Assignment.objects.bulk_create(assignments, batch_size=1000)
            ConflictDeclaration.objects.bulk_create(
                [
                    ConflictDeclaration(evaluator_id=e, application_id=a, has_conflict=False)
                    for e, a, *_rest in batch
                ],
                batch_size=1000,
            )
            reviews = []
            for assignment, (e, a, _c, scores, total, recommendation, confidence, at) in zip(
                assignments, batch, strict=True
            ):
                reviews.append(
                    Review(
                        assignment_id=assignment.pk,
                        evaluator_id=e,
                        application_id=a,
                        status=ReviewStatus.SUBMITTED,
                        scores=scores,
                        recommendation=recommendation,
                        confidence=confidence,
                        weighted_total=total,
                        version=3,
                        submitted_at=at,
                    )
                )
            Review.objects.bulk_create(reviews, batch_size=1000)
            ReviewRevision.objects.bulk_create(
                [
                    ReviewRevision(
                        review_id=review.pk,
                        number=1,
                        content={
                            "scores": review.scores,
                            "comments": {},
                            "strengths": "",
                            "weaknesses": "",
                            "recommendation": review.recommendation,
                            "confidence": review.confidence,
                        },
                        weighted_total=review.weighted_total,
                        submitted_at=review.submitted_at,
                    )
                    for review in reviews
                ],
                batch_size=1000,
            )
        batch.clear()

    reviewed = Counter(application_id for _evaluator, application_id in taken)
    load = Counter(evaluator_id for evaluator_id, _application in taken)
    for slot in range(panel_size):
        if made >= target:
            break
        for (application_id, call_id), index in zip(apps, positions, strict=True):
            if made >= target:
                break
            panel = panels.get(call_id) or []
            if slot >= len(panel) or reviewed[application_id] > slot:
                continue
            # The least loaded panel member not yet on this application, starting from its turn.
            evaluator_id = None
            for offset in range(len(panel)):
                candidate = panel[(index + slot + offset) % len(panel)]
                if (candidate, application_id) in taken:
                    continue
                if evaluator_id is None or load[candidate] < load[evaluator_id]:
                    evaluator_id = candidate
            if evaluator_id is None:
                continue
            reviewed[application_id] += 1
            load[evaluator_id] += 1
            taken.add((evaluator_id, application_id))
            if evaluator_id not in leniency:
                leniency[evaluator_id] = random.Random(seed * 7919 + evaluator_id).uniform(-0.6, 0.6)  # noqa: S311
            levels = []
            for criterion in criteria[call_id]:
                values = [level["value"] for level in criterion.scale]
                low, high = min(values), max(values)
                raw = (
                    low + quality[application_id] * (high - low) + leniency[evaluator_id] + rng.gauss(0, 0.7)
                )
                levels.append(max(low, min(high, round(raw))))
            key = (call_id, tuple(levels))
            if key not in totals:
                totals[key] = aggregation.weighted_total(
                    {str(c.pk): v for c, v in zip(criteria[call_id], levels, strict=True)}, criteria[call_id]
                )
            total = totals[key]
            scores = {str(c.pk): v for c, v in zip(criteria[call_id], levels, strict=True)}
            at = min(deadlines[call_id] + dt.timedelta(hours=rng.randint(2, 600)), now)
            batch.append(
                (
                    evaluator_id,
                    application_id,
                    call_id,
                    scores,
                    total,
                    recommendation_for(total),
                    rng.randint(2, 5),
                    at,
                )
            )
            made += 1
            if len(batch) >= LOAD_BATCH:
                flush()
    flush()
    note = "" if made == target else f" (capped: {panel_size} evaluators per application)"
    return f"{made} created, {existing + made} in all{note}"
