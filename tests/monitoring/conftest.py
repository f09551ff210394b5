"""Fixtures for monitoring: a lab in UTC (so dates are days without a zone to think about) and a builder
that writes challenges with an explicit transition history, calls, applications and later-phase records
directly (the workflows that make them are tested in their own apps; here only the counting is)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from govlab.calls.enums import ApplicationStatus, CallStatus, Stage
from govlab.calls.models import Application, Call
from govlab.challenges.enums import ChallengeStatus as S
from govlab.challenges.models import Challenge, ChallengeTransition, IntakeCampaign
from govlab.evaluation.enums import OutcomeReason
from govlab.monitoring.enums import Category, Periodicity, Source
from govlab.monitoring.models import KpiDefinition
from tests.factories import LabFactory, LabMembershipFactory, OrganisationFactory, UserFactory

UTC = dt.UTC
_numbers = itertools.count(1)


def at(y, m, d, h=12) -> dt.datetime:
    return dt.datetime(y, m, d, h, tzinfo=UTC)


class Builder:
    def __init__(self, lab):
        self.lab = lab
        self.user = UserFactory()
        self.entity = OrganisationFactory(kind="public_entity", helix_sector="government")
        self.entity.labs.add(lab)

    def challenge(self, *steps, campaign=None, decline_reason="", created=None, **fields) -> Challenge:
        """A challenge with one transition per (state, when) step, from draft; its status is the last."""
        number = next(_numbers)
        status = steps[-1][0] if steps else S.DRAFT
        challenge = Challenge.objects.create(
            lab=self.lab,
            owner=self.entity,
            created_by=self.user,
            campaign=campaign,
            status=status,
            reference=f"MON-{number}",
            title={"en": f"Challenge {number}"},
            decline_reason=decline_reason,
            **fields,
        )
        previous = S.DRAFT
        for state, when in steps:
            ChallengeTransition.objects.create(
                challenge=challenge, from_status=previous, to_status=state, created_at=when
            )
            previous = state
        return challenge

    def campaign(self, slug="intake") -> IntakeCampaign:
        return IntakeCampaign.objects.create(
            lab=self.lab,
            title={"en": slug},
            slug=slug,
            opens_at=at(2024, 1, 1),
            closes_at=at(2024, 3, 1),
            is_published=True,
        )

    def call(
        self, *challenges, status=CallStatus.PUBLISHED, published=None, slug=None, two_stage=False
    ) -> Call:
        number = next(_numbers)
        call = Call.objects.create(
            lab=self.lab,
            title={"en": f"Call {number}"},
            slug=slug or f"call-{number}",
            summary={"en": "Summary"},
            status=status,
            deadline=at(2025, 12, 31),
            published_at=published,
            two_stage=two_stage,
        )
        call.challenges.add(*challenges)
        return call

    def solver(self, **fields):
        organisation = OrganisationFactory(**fields)
        organisation.labs.add(self.lab)
        return organisation

    def application(
        self, call, challenge, *, status=ApplicationStatus.SUBMITTED, submitted=None, stage=None, org=None
    ):
        number = next(_numbers)
        return Application.objects.create(
            call=call,
            challenge=challenge,
            organisation=org or self.solver(),
            stage=stage or Stage.PROPOSAL,
            status=status,
            reference=f"APP-{number}",
            created_by=self.user,
            submitted_at=submitted,
        )

    def decision(self, application, *, selected, reason, when=None):
        from govlab.evaluation.models import PreselectionDecision

        return PreselectionDecision.objects.create(
            application=application,
            selected=selected,
            reason_category=reason,
            reason="Because.",
            decided_by=self.user,
            decided_at=when or at(2025, 4, 1),
        )

    def programme(self, call, starts=dt.date(2025, 5, 1)):
        from govlab.strengthening.models import Programme

        return Programme.objects.create(call=call, starts_on=starts, created_by=self.user)

    def member(self, programme, application, joined):
        from govlab.strengthening.models import CohortMember

        return CohortMember.objects.create(programme=programme, application=application, joined_at=joined)

    def pilot(self, application, *, started=None, status="draft", decision="", decided=None):
        from govlab.pilots.models import Pilot

        return Pilot.objects.create(
            application=application,
            lab=self.lab,
            call=application.call,
            challenge=application.challenge,
            title="Pilot",
            starts_on=dt.date(2025, 6, 1),
            ends_on=dt.date(2025, 8, 1),
            design="before_after",
            status=status,
            started_at=started,
            decision=decision,
            decided_at=decided,
            created_by=self.user,
        )

    def kpi(self, code="kpi", *, source=Source.COMPUTED, computation="challenges_identified", **fields):
        values = {
            "name": {"en": code.replace("-", " ").title()},
            "category": Category.RESULTS,
            "source": source,
            "computation": computation if source == Source.COMPUTED else "",
            "periodicity": Periodicity.YEAR,
            "created_by": self.user,
            **fields,
        }
        return KpiDefinition.objects.create(lab=self.lab, code=code, **values)


@pytest.fixture
def mlab(db):
    return LabFactory(time_zone="UTC", currency="EUR")


@pytest.fixture
def build(mlab):
    return Builder(mlab)


@pytest.fixture
def mmanager(mlab):
    return LabMembershipFactory(lab=mlab, role="manager").user


@pytest.fixture
def mstaff(mlab):
    return LabMembershipFactory(lab=mlab, role="staff").user


@pytest.fixture
def world(build):
    """Hand-counted:

    A  submitted 2024-02-01 → screening → more information → submitted again 2024-02-20 → accepted 2024-03-01
       → ready 2024-04-01 → in a call 2025-01-10 → preselected 2025-04-01 → solution selected 2025-09-01
    B  submitted 2024-05-01 → screening → declined (no budget) 2024-05-20
    C  submitted 2025-01-05 → accepted 2025-02-01 → withdrawn 2025-03-01
    E  submitted 2023-12-15 → more information 2024-01-10 → submitted 2024-01-20 → accepted 2024-02-01
    D  a draft (no transition)
    """
    campaign = build.campaign()
    a = build.challenge(
        (S.SUBMITTED, at(2024, 2, 1)),
        (S.IN_SCREENING, at(2024, 2, 5)),
        (S.MORE_INFO_REQUESTED, at(2024, 2, 10)),
        (S.SUBMITTED, at(2024, 2, 20)),
        (S.IN_SCREENING, at(2024, 2, 22)),
        (S.ACCEPTED, at(2024, 3, 1)),
        (S.CHARACTERISING, at(2024, 3, 5)),
        (S.READY_FOR_CALL, at(2024, 4, 1)),
        (S.IN_CALL, at(2025, 1, 10)),
        (S.PRESELECTED, at(2025, 4, 1)),
        (S.SOLUTION_SELECTED, at(2025, 9, 1)),
        campaign=campaign,
    )
    b = build.challenge(
        (S.SUBMITTED, at(2024, 5, 1)),
        (S.IN_SCREENING, at(2024, 5, 2)),
        (S.DECLINED, at(2024, 5, 20)),
        decline_reason="no_budget",
        campaign=campaign,
    )
    c_ = build.challenge(
        (S.SUBMITTED, at(2025, 1, 5)), (S.ACCEPTED, at(2025, 2, 1)), (S.WITHDRAWN, at(2025, 3, 1))
    )
    e = build.challenge(
        (S.SUBMITTED, at(2023, 12, 15)),
        (S.MORE_INFO_REQUESTED, at(2024, 1, 10)),
        (S.SUBMITTED, at(2024, 1, 20)),
        (S.ACCEPTED, at(2024, 2, 1)),
    )
    d = build.challenge()
    call = build.call(a, published=at(2025, 1, 10))
    build.call(c_, status=CallStatus.CANCELLED, published=at(2025, 2, 1))
    build.call(status=CallStatus.DRAFT)
    app1 = build.application(call, a, submitted=at(2025, 2, 1))
    app2 = build.application(call, a, submitted=at(2025, 2, 10))
    build.application(call, a, status=ApplicationStatus.WITHDRAWN, submitted=at(2025, 2, 5))
    build.application(call, a, status=ApplicationStatus.DRAFT)
    build.decision(app1, selected=True, reason=OutcomeReason.SELECTED_TOP_SCORE)
    build.decision(app2, selected=False, reason=OutcomeReason.LOWER_SCORE)
    programme = build.programme(call)
    m1 = build.member(programme, app1, at(2025, 5, 1))
    m2 = build.member(programme, app2, at(2025, 5, 1))
    build.pilot(app1, started=at(2025, 6, 1), status="decided", decision="scale", decided=at(2025, 8, 1))
    build.pilot(app2, started=at(2025, 6, 10), status="decided", decision="stop", decided=at(2025, 8, 10))
    return {
        "a": a,
        "b": b,
        "c": c_,
        "d": d,
        "e": e,
        "call": call,
        "apps": (app1, app2),
        "members": (m1, m2),
        "campaign": campaign,
        "programme": programme,
    }
