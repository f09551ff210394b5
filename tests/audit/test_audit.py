import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from govlab.audit.models import AppendOnlyError, AuditEntry
from govlab.audit.selectors import audit_verify_chain
from govlab.audit.services import audit_record


def _record(actor, action="thing.do", **kwargs):
    with transaction.atomic():
        return audit_record(actor=actor, action=action, **kwargs)


@pytest.mark.django_db
def test_audit_record_chains_each_entry_to_the_previous(user, lab):
    first = _record(user, target=lab, lab=lab, changes={"name": ["a", "b"]}, reason="typo")
    second = _record(None, action="other.do")
    assert first.previous_hash == ""
    assert second.previous_hash == first.entry_hash
    assert second.actor is None
    assert first.target_id == str(lab.pk)
    assert audit_verify_chain().checked == 2
    assert audit_verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_audit_record_outside_a_transaction_is_refused(user):
    with pytest.raises(RuntimeError):
        audit_record(actor=user, action="thing.do")
    assert AuditEntry.objects.count() == 0


@pytest.mark.django_db
def test_audit_entries_cannot_be_changed_or_deleted(user):
    entry = _record(user)
    entry.reason = "rewritten"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().reason == ""


@pytest.mark.django_db
def test_audit_verify_detects_an_entry_changed_behind_the_orm(user):
    _record(user)
    tampered = _record(user, reason="original")
    _record(user)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET reason = %s WHERE id = %s", ["forged", tampered.pk])
    result = audit_verify_chain()
    assert result.first_broken_id == tampered.pk
    assert result.checked == 1
    with pytest.raises(CommandError, match=f"broken at entry {tampered.pk}"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_audit_record_rolls_back_with_the_change(user):
    with pytest.raises(ValueError, match="the change failed"), transaction.atomic():
        audit_record(actor=user, action="thing.do")
        raise ValueError("the change failed")
    assert AuditEntry.objects.count() == 0
