"""The audit log's hash chain under concurrent appends: one order, no fork."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import transaction

from govlab.audit.models import AuditChainHead, AuditEntry
from govlab.audit.selectors import audit_verify_chain
from govlab.audit.services import audit_record

from .conftest import Rendezvous, errors_of, needs_postgresql, pause_before, race

pytestmark = [needs_postgresql, pytest.mark.django_db(transaction=True)]


def _append(lab, number):
    def call():
        with transaction.atomic():
            return audit_record(actor=None, action="race.append", lab=lab, changes={"n": [None, number]})

    return call


def _assert_one_chain(count: int) -> None:
    entries = list(AuditEntry.objects.order_by("id"))
    assert len(entries) == count
    assert len({entry.previous_hash for entry in entries}) == count  # no two entries share a parent
    check = audit_verify_chain()
    assert (check.ok, check.checked) == (True, count)
    assert AuditChainHead.objects.get().last_hash == entries[-1].entry_hash
    call_command("audit_verify")  # raises CommandError when the chain is broken


@pytest.mark.parametrize("first_entry", [True, False], ids=["no-head-yet", "head-exists"])
def test_two_appends_at_once_do_not_fork_the_chain(lab, monkeypatch, first_entry):
    """The head row's lock orders the appends; before the first one, the head's primary key does."""
    if not first_entry:
        _append(lab, 0)()
    # Both have read the chain's head and are about to hash their entry.
    pause_before(AuditEntry, "compute_hash", Rendezvous(), monkeypatch)

    outcomes = race(_append(lab, 1), _append(lab, 2))

    assert errors_of(outcomes) == []
    _assert_one_chain(2 if first_entry else 3)


def test_eight_appends_at_once_make_one_chain(lab):
    outcomes = race(*(_append(lab, n) for n in range(8)))

    assert errors_of(outcomes) == []
    _assert_one_chain(8)
