from __future__ import annotations

from dataclasses import dataclass

from .models import AuditEntry


@dataclass
class ChainCheck:
    checked: int
    first_broken_id: int | None

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def audit_verify_chain(*, batch_size: int = 2000) -> ChainCheck:
    """Recompute every entry's hash in order; report the first entry that does not match."""
    previous = ""
    checked = 0
    for entry in AuditEntry.objects.order_by("id").iterator(chunk_size=batch_size):
        if entry.previous_hash != previous or entry.compute_hash() != entry.entry_hash:
            return ChainCheck(checked, entry.id)
        previous = entry.entry_hash
        checked += 1
    return ChainCheck(checked, None)


def audit_entries_for(*, target=None, lab=None):
    queryset = AuditEntry.objects.select_related("actor", "target_type", "lab")
    if target is not None:
        from django.contrib.contenttypes.models import ContentType

        queryset = queryset.filter(
            target_type=ContentType.objects.get_for_model(target), target_id=str(target.pk)
        )
    if lab is not None:
        queryset = queryset.filter(lab=lab)
    return queryset
