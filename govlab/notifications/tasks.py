from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django_tasks import task


@task()
def send_notification_email(notification_id: int) -> bool:
    """Send one notification by e-mail, in the recipient's language. Sends at most once."""
    from .models import Notification

    notification = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if notification is None or notification.emailed_at is not None:
        return False
    recipient = notification.recipient
    if not recipient.is_active or recipient.erased_at:
        return False
    with translation.override(recipient.preferred_language):
        body = render_to_string(
            "notifications/email.txt",
            {"notification": notification, "site_url": getattr(settings, "SITE_URL", "")},
        )
        send_mail(notification.subject, body, None, [recipient.email])
    notification.emailed_at = timezone.now()
    notification.save(update_fields=["emailed_at"])
    return True
