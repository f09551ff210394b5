"""Reads for calls and applications, each in a fixed number of queries whatever the number of rows."""

from __future__ import annotations

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from govlab.labs.enums import LAB_TEAM_ROLES
from govlab.labs.selectors import user_lab_roles
from govlab.organisations.enums import SOLVER_KINDS
from govlab.organisations.models import Organisation
from govlab.organisations.selectors import user_organisation_roles

from .enums import ApplicationStatus, CallStatus
from .models import Application, Call, DeadlineExtension, Enquiry

CALL_STATES = ("open", "upcoming", "closed")


def _call_list_base() -> QuerySet[Call]:
    return Call.objects.select_related("lab").prefetch_related("challenges")


def call_list_public(
    *, lab=None, state: str | None = "open", q: str | None = None, now=None
) -> QuerySet[Call]:
    """Published calls the public may see. ``state``: open (before the deadline), closed, or None for all.

    Calls whose publication date has not come are not public: the API shows them to the lab's staff.
    """
    now = now or timezone.now()
    calls = _call_list_base().filter(status=CallStatus.PUBLISHED, publishes_at__lte=now)
    if lab is not None:
        calls = calls.filter(lab=lab)
    if state == "open":
        calls = calls.filter(deadline__gt=now).order_by("deadline", "pk")
    elif state == "closed":
        calls = calls.filter(deadline__lte=now).order_by("-deadline", "pk")
    elif state == "upcoming":  # announced for later: not public yet
        calls = calls.none()
    if q:
        text = q.strip()[:200]
        # Titles and summaries are JSON of language to text; a text search across their serialised form.
        calls = calls.filter(Q(title__icontains=text) | Q(summary__icontains=text) | Q(slug__icontains=text))
    return calls


def call_list_lab(lab) -> QuerySet[Call]:
    """Every call of the lab, latest deadline first, with its counts of challenges, applications (all,
    submitted, draft) and unanswered enquiries: one query, each count a subquery of its own (no join, so
    no row multiplication between the counts)."""

    def count(queryset: QuerySet) -> Coalesce:
        counted = (
            queryset.filter(call=OuterRef("pk")).order_by().values("call").annotate(c=Count("pk")).values("c")
        )
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    return (
        Call.objects.filter(lab=lab)
        .annotate(
            challenge_count=count(Call.challenges.through.objects.all()),
            application_count=count(Application.objects.all()),
            submitted_count=count(Application.objects.filter(status=ApplicationStatus.SUBMITTED)),
            draft_count=count(Application.objects.filter(status=ApplicationStatus.DRAFT)),
            unanswered_count=count(Enquiry.objects.filter(answered_at__isnull=True)),
        )
        .order_by("-deadline", "pk")
    )


def user_solver_organisations(user) -> list[Organisation]:
    """The active solver organisations this person belongs to (they may apply on their behalf)."""
    organisation_ids = list(user_organisation_roles(user))
    if not organisation_ids:
        return []
    return list(
        Organisation.objects.filter(pk__in=organisation_ids, kind__in=SOLVER_KINDS, is_active=True).order_by(
            "name"
        )
    )


def applications_for_user(user) -> QuerySet[Application]:
    """Every application of the organisations this person belongs to: the solver's workspace."""
    organisation_ids = list(user_organisation_roles(user))
    return (
        Application.objects.filter(organisation_id__in=organisation_ids)
        .select_related("call", "call__lab", "challenge", "organisation", "feedback")
        .order_by("call__deadline", "pk")
    )


def visible_applications(user) -> QuerySet[Application]:
    """What this person may see through any list (API, exports): their organisations' and their labs'."""
    if getattr(user, "is_superuser", False):
        return Application.objects.all()
    staff_labs = [lab_id for lab_id, roles in user_lab_roles(user).items() if roles & set(LAB_TEAM_ROLES)]
    organisation_ids = list(user_organisation_roles(user))
    return Application.objects.filter(
        Q(organisation_id__in=organisation_ids) | Q(call__lab_id__in=staff_labs)
    )


def enquiries_public(call: Call) -> QuerySet[Enquiry]:
    return Enquiry.objects.filter(call=call, is_published=True).order_by("published_at", "pk")


def later_deadline(deadline, extended_until):
    """A deadline moved by an organisation's extension (extensions only ever move it later)."""
    if extended_until is not None and (deadline is None or extended_until > deadline):
        return extended_until
    return deadline


def deadlines_for(applications) -> dict[int, object]:
    """{application id: the deadline that applies to it, its organisation's extension counted}.

    One query for every extension of these applications, whatever their number; the applications'
    calls must be loaded (``select_related("call")``).
    """
    applications = list(applications)
    if not applications:
        return {}
    extensions = {
        (row.call_id, row.organisation_id, row.stage): row.until
        for row in DeadlineExtension.objects.filter(
            call_id__in={a.call_id for a in applications},
            organisation_id__in={a.organisation_id for a in applications},
        ).only("call_id", "organisation_id", "stage", "until")
    }
    return {
        a.pk: later_deadline(
            a.call.stage_deadline(a.stage), extensions.get((a.call_id, a.organisation_id, a.stage))
        )
        for a in applications
    }
