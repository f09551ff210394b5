"""Helpers to race two (or more) service calls against each other on PostgreSQL.

Each call runs in its own thread, so on its own database connection and in its own transaction. A barrier
releases the threads at once; a ``Rendezvous`` patched into the code between a read and the write that
depends on it makes the threads meet there, which forces the interleaving that breaks a write without a
lock. Where a lock does its job, the second thread cannot reach the meeting point until the first one has
committed: the first waits ``timeout`` seconds, gives up and goes on, and the meeting is off for good.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.models import Challenge, IntakeCampaign
from tests.factories import OrganisationFactory, OrganisationMembershipFactory, UserFactory

needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason=(
        "Races need concurrent writers: SQLite takes one database-wide write lock per transaction "
        "(IMMEDIATE mode), so two writes can never interleave there. Run with DATABASE_URL=postgres://..."
    ),
)


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class Rendezvous:
    """A meeting point for ``parties`` threads that never blocks anyone for more than ``timeout`` seconds."""

    def __init__(self, parties: int = 2, timeout: float = 1.0):
        self.barrier = threading.Barrier(parties)
        self.timeout = timeout
        self.met = False
        self._seen = threading.local()

    def reset(self) -> None:
        """Make the meeting possible again, for the next round (with new threads)."""
        self.barrier.reset()
        self.met = False

    def wait(self) -> None:
        """Meet once per racing thread; later calls, and calls from the test itself, go straight on."""
        if threading.current_thread() is threading.main_thread() or getattr(self._seen, "done", False):
            return
        self._seen.done = True
        try:
            self.barrier.wait(self.timeout)
            self.met = True
        except threading.BrokenBarrierError:
            pass  # The other thread is held by a lock: the interleaving cannot happen.


def race(*calls: Callable[[], Any], timeout: float = 60) -> list[Outcome]:
    """Run each call in its own thread and connection, all released at the same moment."""
    start = threading.Barrier(len(calls))
    outcomes: list[Outcome] = [Outcome() for _ in calls]

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            start.wait(timeout)
            outcomes[index] = Outcome(value=call())
        except BaseException as error:
            outcomes[index] = Outcome(error=error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call), daemon=True) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    assert not any(thread.is_alive() for thread in threads), "a racing thread is stuck"
    return outcomes


def pause_after(target, name: str, meeting: Rendezvous, monkeypatch, *, when=None) -> None:
    """Make ``target.name`` (a function) meet the other threads once it has run."""
    original = getattr(target, name)

    def patched(*args, **kwargs):
        result = original(*args, **kwargs)
        if when is None or when(*args, **kwargs):
            meeting.wait()
        return result

    monkeypatch.setattr(target, name, patched)


def pause_before(target, name: str, meeting: Rendezvous, monkeypatch, *, when=None) -> None:
    """Make ``target.name`` (a function or method) meet the other threads before it runs."""
    original = getattr(target, name)

    def patched(*args, **kwargs):
        if when is None or when(*args, **kwargs):
            meeting.wait()
        return original(*args, **kwargs)

    monkeypatch.setattr(target, name, patched)


def errors_of(outcomes: list[Outcome]) -> list[BaseException]:
    return [o.error for o in outcomes if o.error is not None]


# --- Objects shared by the races -------------------------------------------------------------------


@pytest.fixture
def entity(lab):
    organisation = OrganisationFactory(kind="public_entity", helix_sector="government", country="CO")
    organisation.labs.add(lab)
    return organisation


@pytest.fixture
def entity_member(entity):
    return OrganisationMembershipFactory(organisation=entity, role="member").user


@pytest.fixture
def campaign(lab):
    now = timezone.now()
    return IntakeCampaign.objects.create(
        lab=lab,
        title={"en": "Call for challenges"},
        slug="call",
        opens_at=now - dt.timedelta(days=1),
        closes_at=now + dt.timedelta(days=30),
        is_published=True,
    )


@pytest.fixture
def make_challenge(lab, entity, campaign):
    """A challenge written straight to the table (no timeline, no audit entry), in ``status``."""
    counter = iter(range(1, 1000))

    def make(status=ChallengeStatus.DRAFT, **fields):
        values = {
            "title": {"en": "Tell humans and bots apart"},
            "problem_statement": {"en": "Our challenge is that bots fill in our forms."},
            "country": "CO",
            "lab": lab,
            "owner": entity,
            "campaign": campaign,
            **fields,
        }
        return Challenge.objects.create(
            created_by=UserFactory(), status=status, reference=f"RACE-{next(counter)}", **values
        )

    return make
