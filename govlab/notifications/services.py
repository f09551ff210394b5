"""Tell people about things: in the app at once, by e-mail after the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone, translation

from govlab.core.tasks import enqueue_on_commit

from .models import Notification
from .tasks import send_notification_email


def notify(
    *,
    recipients: Iterable,
    kind: str,
    subject,
    body="",
    url: str = "",
    lab=None,
    email: bool = True,
) -> list[Notification]:
    """Create one notification per active recipient, each in the recipient's language.

    ``subject`` and ``body`` may be lazy translations (``gettext_lazy``/``format_lazy``): they are
    rendered once per recipient under that person's preferred language. E-mails are sent through the
    task interface after the surrounding transaction commits, so nothing is sent for a change that
    was rolled back.
    """
    created = []
    with transaction.atomic():
        for recipient in {r.pk: r for r in recipients}.values():
            if not recipient.is_active or recipient.erased_at:
                continue
            with translation.override(recipient.preferred_language):
                notification = Notification(
                    recipient=recipient,
                    lab=lab,
                    kind=kind,
                    subject=str(subject)[:300],
                    body=str(body),
                    url=str(url) if url else "",
                )
            created.append(notification)
        Notification.objects.bulk_create(created)
        if email:
            for notification in created:
                enqueue_on_commit(send_notification_email, notification.pk)
    return created


def notification_mark_read(*, notification: Notification) -> bool:
    """Mark one notification read; True if it was unread. Reading is not audited (not a decision)."""
    if notification.read_at is not None:
        return False
    now = timezone.now()
    marked = Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
    notification.read_at = now if marked else notification.read_at
    if not marked:
        notification.refresh_from_db(fields=["read_at"])
    return bool(marked)


def notifications_mark_all_read(*, user) -> int:
    """Mark all of a person's unread notifications read; returns how many."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
