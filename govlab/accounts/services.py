"""Writes for people's accounts: profile, deactivation, personal-data export and erasure (GDPR).

The HTML views, the API, the admin and the ``erase_user`` command all call these functions.
"""

from __future__ import annotations

import secrets
import zoneinfo
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govlab.audit.services import audit_record, diff_fields, snapshot
from govlab.labs.selectors import forget_user_roles

from .models import User

PROFILE_FIELDS = ("full_name", "preferred_language", "time_zone")
ERASED_EMAIL_DOMAIN = "invalid"
EXPORT_FORMAT = "govlab.personal-data/1"


def _may_act_on(*, actor, user: User) -> bool:
    """Only the person themself, or a superuser, may change, deactivate or erase an account.

    ``actor=None`` is the system (a management command run by an operator).
    """
    if actor is None:
        return True
    return bool(actor.is_authenticated and actor.is_active and (actor.pk == user.pk or actor.is_superuser))


def _end_sessions(user: User) -> int:
    """Delete every database session signed in as ``user``; returns how many."""
    user_id = str(user.pk)
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id", "")) == user_id:
            ended.append(session.session_key)
    if ended:
        Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


def _delete_api_tokens(user: User) -> int:
    from rest_framework.authtoken.models import Token

    deleted, _per_model = Token.objects.filter(user=user).delete()
    return deleted


def user_update_profile(
    *,
    user: User,
    updated_by,
    full_name: str | None = None,
    preferred_language: str | None = None,
    time_zone: str | None = None,
) -> User:
    """Change a person's name, interface language and time zone (only the arguments given)."""
    if not _may_act_on(actor=updated_by, user=user):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    if full_name is not None:
        full_name = " ".join(str(full_name).split())
        if not full_name:
            errors["full_name"] = [_("Give your name.")]
        elif len(full_name) > 200:
            errors["full_name"] = [_("Ensure the name has at most 200 characters.")]
        values["full_name"] = full_name
    if preferred_language is not None:
        if preferred_language not in {code for code, _name in settings.LANGUAGES}:
            errors["preferred_language"] = [
                _("“%(value)s” is not a supported language.") % {"value": preferred_language}
            ]
        values["preferred_language"] = preferred_language
    if time_zone is not None:
        if time_zone not in zoneinfo.available_timezones():
            errors["time_zone"] = [_("“%(value)s” is not a known time zone.") % {"value": time_zone}]
        values["time_zone"] = time_zone
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        before = snapshot(user, PROFILE_FIELDS)
        for name, value in values.items():
            setattr(user, name, value)
        changes = diff_fields(user, before, PROFILE_FIELDS)
        if changes:
            user.save(update_fields=list(changes))
            # The append-only log cannot be erased later: it says that the name changed, not what it was.
            logged = {
                name: ("changed" if name == "full_name" else change) for name, change in changes.items()
            }
            audit_record(actor=updated_by, action="account.update", target=user, changes=logged)
    return user


def user_deactivate(*, user: User, deactivated_by, reason: str = "") -> None:
    """Stop a person from signing in: inactive, every session ended, API tokens deleted."""
    if not _may_act_on(actor=deactivated_by, user=user):
        raise PermissionDenied
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if not user.is_active:
            raise ValidationError(_("This account is already deactivated."))
        user.is_active = False
        user.save(update_fields=["is_active"])
        sessions = _end_sessions(user)
        tokens = _delete_api_tokens(user)
        audit_record(
            actor=deactivated_by,
            action="account.deactivate",
            target=user,
            changes={"is_active": [True, False], "sessions_ended": sessions, "api_tokens_deleted": tokens},
            reason=reason,
        )


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def user_export_data(*, user: User) -> dict:
    """Everything personal that govlab holds about a person, as JSON-serialisable data.

    Keys (see docs and tests):
      ``format``                    "govlab.personal-data/1"
      ``exported_at``               ISO 8601 time of the export
      ``profile``                   id, email, full_name, preferred_language, time_zone, is_active,
                                    date_joined, last_login, erased_at
      ``email_addresses``           [{email, verified, primary}]
      ``two_factor``                [{type, created_at, last_used_at}] (no secrets)
      ``lab_memberships``           [{lab, lab_name, role, since}]
      ``organisation_memberships``  [{organisation, organisation_name, role, job_title, since}]
      ``notifications``             [{kind, subject, body, url, created_at, read_at}]
      ``audit_entries``             [{created_at, action, target_type, target, changes, reason}]
                                    (what the person did, as the audit log recorded it)
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from govlab.audit.models import AuditEntry
    from govlab.labs.models import LabMembership
    from govlab.notifications.models import Notification
    from govlab.organisations.models import OrganisationMembership

    return {
        "format": EXPORT_FORMAT,
        "exported_at": timezone.now().isoformat(),
        "profile": {
            "id": user.pk,
            "email": user.email,
            "full_name": user.full_name,
            "preferred_language": user.preferred_language,
            "time_zone": user.time_zone,
            "is_active": user.is_active,
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "erased_at": _iso(user.erased_at),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ],
        "two_factor": [
            {
                "type": authenticator.type,
                "created_at": _iso(authenticator.created_at),
                "last_used_at": _iso(authenticator.last_used_at),
            }
            for authenticator in Authenticator.objects.filter(user=user).order_by("type", "pk")
        ],
        "lab_memberships": [
            {
                "lab": membership.lab.slug,
                "lab_name": membership.lab.name,
                "role": membership.role,
                "since": _iso(membership.created_at),
            }
            for membership in LabMembership.objects.filter(user=user).select_related("lab").order_by("pk")
        ],
        "organisation_memberships": [
            {
                "organisation": membership.organisation.slug,
                "organisation_name": membership.organisation.name,
                "role": membership.role,
                "job_title": membership.job_title,
                "since": _iso(membership.created_at),
            }
            for membership in OrganisationMembership.objects.filter(user=user)
            .select_related("organisation")
            .order_by("pk")
        ],
        "notifications": [
            {
                "kind": notification.kind,
                "subject": notification.subject,
                "body": notification.body,
                "url": notification.url,
                "created_at": _iso(notification.created_at),
                "read_at": _iso(notification.read_at),
            }
            for notification in Notification.objects.filter(recipient=user).order_by("created_at", "pk")
        ],
        "audit_entries": [
            {
                "created_at": _iso(entry.created_at),
                "action": entry.action,
                "target_type": entry.target_type.model if entry.target_type_id else None,
                "target": entry.target_repr,
                "changes": entry.changes,
                "reason": entry.reason,
            }
            for entry in AuditEntry.objects.filter(actor=user).select_related("target_type").order_by("pk")
        ],
    }


def _new_pseudonym() -> str:
    """A random pseudonym (not derived from anything about the person) not used by another account."""
    for _attempt in range(20):
        pseudonym = secrets.token_hex(3)
        if not User.objects.filter(email__iexact=f"erased-{pseudonym}@{ERASED_EMAIL_DOMAIN}").exists():
            return pseudonym
    return secrets.token_hex(8)


def user_erase(*, user: User, erased_by, reason: str = "") -> None:
    """Erase a person's personal data on request (GDPR art. 17), keeping the row for the audit log.

    The e-mail address becomes ``erased-<pseudonym>@invalid`` and the name ``Erased person <pseudonym>``
    (``<pseudonym>`` is random); the password becomes unusable, the account inactive and ``erased_at``
    is set. E-mail addresses, two-factor authenticators, sessions, API tokens, notifications and
    memberships in labs and organisations are deleted. Audit entries are kept: they now point to the
    pseudonymised row.
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from govlab.labs.models import LabMembership
    from govlab.notifications.models import Notification
    from govlab.organisations.models import OrganisationMembership

    if not _may_act_on(actor=erased_by, user=user):
        raise PermissionDenied
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.erased_at is not None:
            raise ValidationError(_("This account has already been erased."))
        pseudonym = _new_pseudonym()
        user.email = f"erased-{pseudonym}@{ERASED_EMAIL_DOMAIN}"
        user.full_name = f"Erased person {pseudonym}"
        user.set_unusable_password()
        user.is_active = False
        user.erased_at = timezone.now()
        user.save(update_fields=["email", "full_name", "password", "is_active", "erased_at"])
        deleted = {
            "email_addresses": EmailAddress.objects.filter(user=user).delete()[0],
            "authenticators": Authenticator.objects.filter(user=user).delete()[0],
            "sessions": _end_sessions(user),
            "api_tokens": _delete_api_tokens(user),
            "notifications": Notification.objects.filter(recipient=user).delete()[0],
            "lab_memberships": LabMembership.objects.filter(user=user).delete()[0],
            "organisation_memberships": OrganisationMembership.objects.filter(user=user).delete()[0],
        }
        forget_user_roles(user)
        audit_record(
            actor=erased_by,
            action="account.erase",
            target=user,
            changes={
                "erased": ["email", "full_name", "password", "is_active", "erased_at"],
                "deleted": deleted,
            },
            reason=reason,
        )
