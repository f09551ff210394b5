"""The append-only audit log: who did what to which object, when and why.

Entries are chained: each stores the SHA-256 of its own content and of the entry before it, so
`manage.py audit_verify` can prove that nothing was changed or removed after the fact.
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit entries cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    created_at = models.DateTimeField(_("when"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audit_entries",
        help_text=_("Empty for actions taken by the system."),
    )
    action = models.CharField(_("action"), max_length=80, db_index=True)
    lab = models.ForeignKey(
        "labs.Lab", verbose_name=_("lab"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    target_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT)
    target_id = models.CharField(max_length=64, blank=True)
    target_repr = models.CharField(_("object"), max_length=300, blank=True)
    changes = models.JSONField(_("what changed"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    reason = models.TextField(_("why"), blank=True)
    previous_hash = models.CharField(max_length=64, blank=True)
    entry_hash = models.CharField(max_length=64, unique=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit entries cannot be deleted.")

    def content_for_hash(self) -> str:
        return json.dumps(
            {
                "created_at": self.created_at.isoformat(),
                "actor": self.actor_id,
                "action": self.action,
                "lab": self.lab_id,
                "target_type": self.target_type_id,
                "target_id": self.target_id,
                "target_repr": self.target_repr,
                "changes": self.changes,
                "reason": self.reason,
                "previous_hash": self.previous_hash,
            },
            sort_keys=True,
            cls=DjangoJSONEncoder,
        )

    def compute_hash(self) -> str:
        return hashlib.sha256(self.content_for_hash().encode()).hexdigest()


class AuditChainHead(models.Model):
    """One row, locked while an entry is appended, so the chain has exactly one order."""

    last_hash = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self) -> str:
        return self.last_hash
