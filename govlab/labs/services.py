"""Writes for labs and their memberships. Each validates, writes and audits in one transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from govlab.audit.services import audit_record, diff_fields, snapshot

from .enums import LabRole
from .models import Lab, LabMembership
from .selectors import forget_user_roles

LAB_EDITABLE_FIELDS = (
    "name",
    "slug",
    "tagline",
    "about",
    "logo",
    "primary_colour",
    "languages",
    "country",
    "jurisdiction",
    "currency",
    "time_zone",
    "website",
    "contact_email",
    "is_active",
)


@transaction.atomic
def lab_create(*, created_by, managers=(), **fields: Any) -> Lab:
    """Create a lab; ``managers`` become its first managers."""
    unknown = set(fields) - set(LAB_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not lab fields: {sorted(unknown)}")
    lab = Lab(**fields)
    lab.full_clean()
    lab.save()
    audit_record(
        actor=created_by,
        action="lab.create",
        target=lab,
        lab=lab,
        changes={name: [None, value] for name, value in snapshot(lab, fields).items()},
    )
    for manager in managers:
        lab_membership_add(lab=lab, user=manager, role=LabRole.MANAGER, added_by=created_by)
    return lab


@transaction.atomic
def lab_update(*, lab: Lab, updated_by, reason: str = "", **fields: Any) -> Lab:
    """Change a lab's settings; records exactly which fields changed."""
    unknown = set(fields) - set(LAB_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not lab fields: {sorted(unknown)}")
    before = snapshot(lab, fields)
    for name, value in fields.items():
        setattr(lab, name, value)
    lab.full_clean()
    changes = diff_fields(lab, before, fields)
    if not changes:
        return lab
    lab.save(update_fields=[*changes, "updated_at"])
    audit_record(actor=updated_by, action="lab.update", target=lab, lab=lab, changes=changes, reason=reason)
    return lab


@transaction.atomic
def lab_membership_add(*, lab: Lab, user, role: str, added_by) -> LabMembership:
    if role not in LabRole.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    membership, created = LabMembership.objects.get_or_create(lab=lab, user=user, role=role)
    if created:
        audit_record(
            actor=added_by,
            action="lab.membership.add",
            target=membership,
            lab=lab,
            changes={"user": [None, user.pk], "role": [None, role]},
        )
        forget_user_roles(user)
    return membership


@transaction.atomic
def lab_membership_remove(*, membership: LabMembership, removed_by, reason: str = "") -> None:
    """Remove a role; a lab always keeps at least one manager."""
    # One removal per lab at a time: locking the managers' rows is not enough, as `.count()` drops
    # FOR UPDATE, and two managers removing each other would both count two and leave the lab with none.
    Lab.objects.select_for_update(no_key=True).get(pk=membership.lab_id)
    locked = LabMembership.objects.select_for_update().get(pk=membership.pk)
    if locked.role == LabRole.MANAGER:
        managers = LabMembership.objects.filter(lab_id=locked.lab_id, role=LabRole.MANAGER)
        if managers.count() <= 1:
            raise ValidationError(_("A lab must keep at least one manager. Add another manager first."))
    audit_record(
        actor=removed_by,
        action="lab.membership.remove",
        target=locked,
        lab=locked.lab,
        changes={"user": [locked.user_id, None], "role": [locked.role, None]},
        reason=reason,
    )
    locked.delete()
    forget_user_roles(locked.user)
