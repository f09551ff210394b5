"""Scheduled work for calls: announce calls whose publication date has come to their followers, and
remind organisations with unsubmitted drafts (or unsubmitted changes) 48 h and 2 h before a deadline.

``run_scheduled`` is idempotent (a DeadlineReminder row per application and kind, and a call's
``followers_notified_at``, make each message go once), so a scheduler may run it as often as it likes;
every 15 minutes is plenty. Run ``manage.py send_deadline_reminders`` from cron, or enqueue
``run_scheduled_task`` on a schedule.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy
from django_tasks import task

from govlab.notifications.services import notify

from .enums import ApplicationStatus, CallStatus, ReminderKind
from .models import Application, DeadlineReminder
from .selectors import deadlines_for

# (kind, how long before the deadline it is due). The nearer one first: a draft started 1 hour before
# the deadline gets the 2-hour reminder only, never a late "48 hours left".
WINDOWS = ((ReminderKind.HOURS_2, dt.timedelta(hours=2)), (ReminderKind.HOURS_48, dt.timedelta(hours=48)))


def due_reminders(now=None) -> list[tuple[Application, str, dt.datetime]]:
    """(application, kind, deadline) for every draft (or submitted application with unsent changes) whose
    deadline falls within a reminder window. A fixed number of queries whatever the number of drafts."""
    now = now or timezone.now()
    horizon = now + WINDOWS[-1][1]
    candidates = (
        Application.objects.filter(call__status=CallStatus.PUBLISHED)
        .filter(
            Q(status=ApplicationStatus.DRAFT)
            | Q(status=ApplicationStatus.SUBMITTED, has_unsubmitted_changes=True)
        )
        # Extensions only ever move a deadline later, so a call whose own deadline is past may still
        # have applications with time left: those with an extension stay among the candidates.
        .filter(
            Q(call__deadline__gt=now, call__deadline__lte=horizon)
            | Q(call__proposal_deadline__gt=now, call__proposal_deadline__lte=horizon)
            | Q(call__extensions__until__gt=now, call__extensions__organisation=F("organisation"))
        )
        .distinct()
        .select_related("call", "call__lab", "organisation", "challenge")
        .prefetch_related("reminders", "organisation__memberships__user")
    )
    candidates = list(candidates)
    deadlines = deadlines_for(candidates)
    due = []
    for application in candidates:
        deadline = deadlines[application.pk]
        if deadline is None or deadline <= now or deadline > horizon:
            continue
        sent = {reminder.kind for reminder in application.reminders.all()}
        for kind, window in WINDOWS:
            if deadline - now <= window:
                if kind not in sent and not (kind == ReminderKind.HOURS_48 and ReminderKind.HOURS_2 in sent):
                    due.append((application, kind, deadline))
                break
    return due


def send_deadline_reminders(now=None) -> int:
    """Send the reminders that are due; returns how many applications were reminded."""
    from .services import lazy_time_label, lazy_title

    sent = 0
    for application, kind, deadline in due_reminders(now):
        call = application.call
        try:
            with transaction.atomic():
                DeadlineReminder.objects.create(application=application, kind=kind)
                notify(
                    recipients=[m.user for m in application.organisation.memberships.all()],
                    kind=f"application.reminder.{kind}",
                    subject=format_lazy(
                        gettext_lazy("Your application to “{title}” is not submitted yet"),
                        title=lazy_title(call),
                    )
                    if application.status == ApplicationStatus.DRAFT
                    else format_lazy(
                        gettext_lazy("Your changes to your application to “{title}” are not submitted yet"),
                        title=lazy_title(call),
                    ),
                    body=format_lazy(
                        gettext_lazy(
                            "The deadline is {deadline}. Only what is submitted counts: submit in time."
                        ),
                        deadline=lazy_time_label(deadline, call),
                    ),
                    url=reverse("calls:application", kwargs={"reference": application.reference}),
                    lab=call.lab,
                )
        except IntegrityError:  # another run sent it meanwhile
            continue
        sent += 1
    return sent


def run_scheduled(now=None) -> dict[str, int]:
    """Everything calls needs done on a schedule: followers of newly public calls, deadline reminders."""
    from .services import notify_followers_of_calls_now_public

    return {
        "calls_announced": notify_followers_of_calls_now_public(now),
        "reminded": send_deadline_reminders(now),
    }


@task()
def run_scheduled_task() -> dict[str, int]:
    return run_scheduled()
