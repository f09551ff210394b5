"""Background work for calls: deadline reminders to organisations with unsubmitted drafts.

``send_deadline_reminders`` is idempotent (a DeadlineReminder row per application and kind makes each
reminder go once), so a scheduler may run it as often as it likes; every 15 minutes is plenty. Run it
with ``manage.py send_deadline_reminders`` from cron, or enqueue the task on a schedule.
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
from govlab.organisations.models import OrganisationMembership

from .enums import ApplicationStatus, CallStatus, ReminderKind
from .models import Application, DeadlineReminder

# (kind, how long before the deadline it is due). The nearer one first: a draft started 1 hour before
# the deadline gets the 2-hour reminder only, never a late "48 hours left".
WINDOWS = ((ReminderKind.HOURS_2, dt.timedelta(hours=2)), (ReminderKind.HOURS_48, dt.timedelta(hours=48)))


def due_reminders(now=None) -> list[tuple[Application, str]]:
    """(application, kind) for every unsubmitted draft whose deadline is within a reminder window."""
    from .services import effective_deadline

    now = now or timezone.now()
    horizon = now + WINDOWS[-1][1]
    drafts = (
        Application.objects.filter(
            status=ApplicationStatus.DRAFT,
            call__status=CallStatus.PUBLISHED,
        )
        .select_related("call", "call__lab", "organisation", "challenge")
        .prefetch_related("reminders")
    )
    due = []
    # Extensions only ever move a deadline later, so a call whose own deadline is past may still have
    # drafts with time left: those with an extension are kept in the candidates.
    drafts = drafts.filter(
        Q(call__deadline__gt=now, call__deadline__lte=horizon)
        | Q(call__proposal_deadline__gt=now, call__proposal_deadline__lte=horizon)
        | Q(call__extensions__until__gt=now, call__extensions__organisation=F("organisation"))
    ).distinct()
    for application in drafts.iterator(chunk_size=500):
        deadline = effective_deadline(application.call, application.organisation_id, application.stage)
        if deadline is None or deadline <= now or deadline > horizon:
            continue
        sent = {reminder.kind for reminder in application.reminders.all()}
        for kind, window in WINDOWS:
            if deadline - now <= window:
                if kind not in sent and not (kind == ReminderKind.HOURS_48 and ReminderKind.HOURS_2 in sent):
                    due.append((application, kind))
                break
    return due


def send_deadline_reminders(now=None) -> int:
    """Send the reminders that are due; returns how many applications were reminded."""
    sent = 0
    for application, kind in due_reminders(now):
        try:
            with transaction.atomic():
                DeadlineReminder.objects.create(application=application, kind=kind)
                people = [
                    m.user
                    for m in OrganisationMembership.objects.filter(
                        organisation_id=application.organisation_id
                    ).select_related("user")
                ]
                call = application.call
                from .services import effective_deadline, local_time_label

                deadline = effective_deadline(call, application.organisation_id, application.stage)
                notify(
                    recipients=people,
                    kind=f"application.reminder.{kind}",
                    subject=format_lazy(
                        gettext_lazy("Your application to “{title}” is not submitted yet"), title=str(call)
                    ),
                    body=format_lazy(
                        gettext_lazy(
                            "The deadline is {deadline}. Drafts are not considered: submit it in time."
                        ),
                        deadline=local_time_label(deadline, call),
                    ),
                    url=reverse("calls:application", kwargs={"reference": application.reference}),
                    lab=call.lab,
                )
        except IntegrityError:  # another run sent it meanwhile
            continue
        sent += 1
    return sent


@task()
def send_deadline_reminders_task() -> int:
    return send_deadline_reminders()
