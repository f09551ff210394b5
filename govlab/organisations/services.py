"""Writes for organisations and their members."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from govlab.audit.services import audit_record, diff_fields, snapshot
from govlab.labs.selectors import forget_user_roles

from .enums import DEFAULT_HELIX, OrganisationRole
from .models import Organisation, OrganisationMembership

ORGANISATION_FIELDS = (
    "name",
    "slug",
    "kind",
    "helix_sector",
    "description",
    "country",
    "region",
    "website",
    "size",
    "founded_year",
    "main_solution",
    "trl",
    "interests",
    "logo",
    "is_active",
)
ORGANISATION_M2M = ("sectors", "technologies", "sdgs", "labs")


# Addresses under /organisations/ that are pages, not organisations.
RESERVED_SLUGS = frozenset({"new"})


def unique_slug(name: str, *, exclude_pk=None) -> str:
    base = slugify(name)[:70] or "organisation"
    slug, counter = base, 2
    queryset = Organisation.objects.exclude(pk=exclude_pk)
    while slug in RESERVED_SLUGS or queryset.filter(slug=slug).exists():
        slug = f"{base}-{counter}"
        counter += 1
    return slug


def _split(fields: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    unknown = set(fields) - set(ORGANISATION_FIELDS) - set(ORGANISATION_M2M)
    if unknown:
        raise TypeError(f"Not organisation fields: {sorted(unknown)}")
    plain = {k: v for k, v in fields.items() if k in ORGANISATION_FIELDS}
    related = {k: v for k, v in fields.items() if k in ORGANISATION_M2M}
    return plain, related


def _related_ids(organisation: Organisation, name: str) -> list[int]:
    return sorted(item.pk for item in getattr(organisation, name).all())


@transaction.atomic
def organisation_create(*, created_by, make_admin: bool = True, **fields: Any) -> Organisation:
    """Create an organisation; its creator becomes its administrator unless ``make_admin`` is False."""
    plain, related = _split(fields)
    if not plain.get("slug") and plain.get("name"):
        plain["slug"] = unique_slug(plain["name"])
    if not plain.get("helix_sector") and plain.get("kind"):
        plain["helix_sector"] = DEFAULT_HELIX.get(plain["kind"], "")
    organisation = Organisation(**plain)
    organisation.full_clean()
    organisation.save()
    for name, values in related.items():
        getattr(organisation, name).set(values)
    changes = {name: [None, value] for name, value in snapshot(organisation, plain).items()}
    changes.update({name: [[], _related_ids(organisation, name)] for name in related})
    audit_record(actor=created_by, action="organisation.create", target=organisation, changes=changes)
    if make_admin and getattr(created_by, "is_authenticated", False):
        organisation_membership_add(
            organisation=organisation, user=created_by, role=OrganisationRole.ADMIN, added_by=created_by
        )
    return organisation


@transaction.atomic
def organisation_update(
    *, organisation: Organisation, updated_by, reason: str = "", **fields: Any
) -> Organisation:
    plain, related = _split(fields)
    before = snapshot(organisation, plain)
    before_related = {name: _related_ids(organisation, name) for name in related}
    for name, value in plain.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    changes = diff_fields(organisation, before, plain)
    if changes:
        organisation.save(update_fields=[*changes, "updated_at"])
    for name, values in related.items():
        getattr(organisation, name).set(values)
        after = _related_ids(organisation, name)
        if after != before_related[name]:
            changes[name] = [before_related[name], after]
    if changes:
        audit_record(
            actor=updated_by,
            action="organisation.update",
            target=organisation,
            changes=changes,
            reason=reason,
        )
    return organisation


def _lock_organisation(organisation_id: int) -> None:
    """One membership change per organisation at a time.

    Locking the member's row and then every administrator's deadlocked when two administrators acted on
    each other: PostgreSQL aborted one of them (a server error, not a refusal).
    """
    Organisation.objects.select_for_update(no_key=True).get(pk=organisation_id)


def _lock_admins(organisation_id: int) -> list[int]:
    """Lock the organisation's administrator rows, so two changes cannot both remove "the other" admin."""
    return list(
        OrganisationMembership.objects.select_for_update()
        .filter(organisation_id=organisation_id, role=OrganisationRole.ADMIN)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _refuse_losing_last_admin(membership: OrganisationMembership) -> None:
    """An organisation keeps at least one administrator: refuse to demote or remove its last one."""
    if membership.role != OrganisationRole.ADMIN:
        return
    admins = _lock_admins(membership.organisation_id)
    if [pk for pk in admins if pk != membership.pk]:
        return
    raise ValidationError(
        _("An organisation must keep an administrator. Make another member administrator first."),
        code="last_admin",
    )


@transaction.atomic
def organisation_membership_add(
    *,
    organisation: Organisation,
    user,
    role: str = OrganisationRole.MEMBER,
    added_by,
    job_title: str = "",
    notify_person: bool = False,
) -> OrganisationMembership:
    """Add a person to an organisation (or give an existing member ``role``).

    Idempotent, so the demo loaders may call it again. With ``notify_person`` a newly added person is told
    in the app and by e-mail (after commit).
    """
    if role not in OrganisationRole.values:
        raise ValidationError({"role": _("Choose a valid role.")})
    membership = OrganisationMembership.objects.filter(organisation=organisation, user=user).first()
    if membership is None:
        membership = OrganisationMembership(
            organisation=organisation, user=user, role=role, job_title=job_title
        )
        membership.full_clean(validate_unique=False)
        membership.save()
        audit_record(
            actor=added_by,
            action="organisation.membership.add",
            target=membership,
            changes={"user": [None, user.pk], "role": [None, role], "job_title": [None, job_title]},
        )
        if notify_person:
            _notify_added(membership)
    elif membership.role != role:
        organisation_membership_change(membership=membership, role=role, changed_by=added_by)
    forget_user_roles(user)
    return membership


def _notify_added(membership: OrganisationMembership) -> None:
    from django.urls import reverse
    from django.utils.text import format_lazy
    from django.utils.translation import gettext_lazy

    from govlab.notifications.services import notify

    organisation = membership.organisation
    notify(
        recipients=[membership.user],
        kind="organisation.membership.add",
        subject=format_lazy(gettext_lazy("You were added to {name} on govlab"), name=organisation.name),
        body=format_lazy(
            gettext_lazy("Your role in {name}: {role}."),
            role=OrganisationRole(membership.role).label,
            name=organisation.name,
        ),
        url=reverse("organisations:detail", args=[organisation.slug]),
    )


@transaction.atomic
def organisation_membership_change(
    *, membership: OrganisationMembership, changed_by, role: str | None = None, job_title: str | None = None
) -> OrganisationMembership:
    """Change a member's role and/or job title; the last administrator cannot be made a plain member."""
    _lock_organisation(membership.organisation_id)
    locked = OrganisationMembership.objects.select_for_update().get(pk=membership.pk)
    fields: dict[str, Any] = {}
    if role is not None and role != locked.role:
        if role not in OrganisationRole.values:
            raise ValidationError({"role": _("Choose a valid role.")})
        if locked.role == OrganisationRole.ADMIN:
            try:
                _refuse_losing_last_admin(locked)
            except ValidationError as error:
                raise ValidationError({"role": error.messages}) from error
        fields["role"] = role
    if job_title is not None and job_title != locked.job_title:
        fields["job_title"] = job_title
    if not fields:
        return locked
    before = snapshot(locked, fields)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.full_clean(validate_unique=False)
    locked.save(update_fields=list(fields))
    audit_record(
        actor=changed_by,
        action="organisation.membership.change",
        target=locked,
        changes=diff_fields(locked, before, fields),
    )
    _forget_roles(membership, locked)
    for name, value in fields.items():
        setattr(membership, name, value)
    return locked


def _forget_roles(*memberships: OrganisationMembership) -> None:
    """Drop the cached roles on every loaded copy of the person (the caller's may be ``request.user``)."""
    for membership in memberships:
        if OrganisationMembership.user.is_cached(membership):
            forget_user_roles(membership.user)


@transaction.atomic
def organisation_membership_remove(
    *, membership: OrganisationMembership, removed_by, reason: str = ""
) -> None:
    """Remove a member; an organisation always keeps at least one administrator."""
    _lock_organisation(membership.organisation_id)
    locked = OrganisationMembership.objects.select_for_update().get(pk=membership.pk)
    _refuse_losing_last_admin(locked)
    audit_record(
        actor=removed_by,
        action="organisation.membership.remove",
        target=locked,
        changes={"user": [locked.user_id, None], "role": [locked.role, None]},
        reason=reason,
    )
    locked.delete()
    _forget_roles(membership, locked)
