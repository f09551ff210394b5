"""Write audit entries. Call ``audit_record`` inside the transaction of the change it records."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.utils import timezone

from .models import AuditChainHead, AuditEntry


def _plain_value(instance: models.Model, name: str) -> Any:
    """A field's value as JSON can hold it: related objects by id, files by name, countries by code."""
    field = instance._meta.get_field(name)
    if field.is_relation and field.many_to_one:
        return getattr(instance, field.attname)
    value = getattr(instance, name)
    if isinstance(field, models.FileField):
        return value.name or ""
    if value is None or isinstance(value, str | int | float | bool | list | dict):
        return value
    return str(value)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The current values of ``fields``, for ``diff_fields`` after a change."""
    return {name: _plain_value(instance, name) for name in fields}


def diff_fields(instance: models.Model, before: dict[str, Any], fields: Iterable[str]) -> dict[str, list]:
    """{field: [old, new]} for the fields whose value differs from ``before``."""
    changes = {}
    for name in fields:
        new = _plain_value(instance, name)
        if before.get(name) != new:
            changes[name] = [before.get(name), new]
    return changes


def audit_record(
    *,
    actor,
    action: str,
    target: models.Model | None = None,
    lab=None,
    changes: dict | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one entry to the audit log, chained to the one before it.

    Must run inside the transaction that makes the change, so both are kept or neither is.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit_record must be called inside the transaction of the change it records.")
    head, _created = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    entry = AuditEntry(
        created_at=timezone.now(),
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        lab=lab,
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:300] if target is not None else "",
        # Stored as it will read back, so the hash can be checked again later.
        changes=json.loads(json.dumps(changes or {}, cls=DjangoJSONEncoder)),
        reason=reason,
        previous_hash=head.last_hash,
    )
    entry.entry_hash = entry.compute_hash()
    entry.save()
    head.last_hash = entry.entry_hash
    head.save(update_fields=["last_hash"])
    return entry
