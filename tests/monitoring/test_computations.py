"""Each computed KPI against a hand-counted world, with the edge cases: a challenge sent back for more
information (counted once, at its first submission), a withdrawn application and a draft (not counted), a
cancelled call (not counted as published), a two-stage call (its applicant counted once)."""

import datetime as dt
from decimal import Decimal as D

import pytest

from govlab.calls.enums import Stage
from govlab.challenges.enums import ChallengeStatus as S
from govlab.monitoring import computations as c
from govlab.monitoring.periods import quarter, year
from tests.factories import LabFactory, OrganisationMembershipFactory
from tests.monitoring.conftest import at

pytestmark = pytest.mark.django_db


def value(key, scope, period):
    return c.COMPUTATIONS[key].compute(scope, period)


def test_challenges_identified_counts_a_resubmission_once(world, mlab):
    assert value("challenges_identified", mlab, year(2023)) == 1  # E, at its first submission
    assert value("challenges_identified", mlab, year(2024)) == 2  # A (once, not twice) and B
    assert value("challenges_identified", mlab, year(2025)) == 1  # C
    assert value("challenges_identified", mlab, None) == 4  # never the draft D
    assert value("challenges_identified", world["campaign"], year(2024)) == 2
    assert value("challenges_identified", mlab, quarter(2024, 1)) == 1  # A in February


def test_challenges_accepted_and_connected(world, mlab):
    assert value("challenges_accepted", mlab, year(2024)) == 2  # A, E
    assert value("challenges_accepted", mlab, year(2025)) == 1  # C (withdrawn later: it was accepted)
    assert value("challenges_connected", mlab, year(2024)) == 0
    assert value("challenges_connected", mlab, year(2025)) == 1  # A
    assert value("challenges_connected", world["call"], None) == 1


def test_a_cancelled_or_draft_call_is_not_published(world, mlab):
    assert value("calls_published", mlab, year(2025)) == 1
    assert value("calls_published", mlab, year(2024)) == 0


def test_applications_received_leave_out_withdrawn_and_drafts(world, mlab, build):
    assert value("applications_received", mlab, year(2025)) == 2
    assert value("applications_received", world["call"], None) == 2
    assert value("applications_received", world["a"], None) == 2
    assert value("applications_received", world["campaign"], None) == 2
    assert value("applications_received", mlab, year(2024)) == 0


def test_a_two_stage_applicant_is_counted_once(build, mlab):
    challenge = build.challenge((S.SUBMITTED, at(2025, 1, 1)), (S.IN_CALL, at(2025, 2, 1)))
    call = build.call(challenge, two_stage=True, published=at(2025, 2, 1))
    solver = build.solver()
    build.application(
        call, challenge, stage=Stage.EXPRESSION_OF_INTEREST, submitted=at(2025, 3, 1), org=solver
    )
    build.application(call, challenge, stage=Stage.PROPOSAL, submitted=at(2025, 4, 1), org=solver)
    assert value("applications_received", mlab, None) == 1


def test_strengthened_piloted_and_success_rate(world, mlab):
    assert value("solutions_strengthened", mlab, year(2025)) == 2
    assert value("solutions_strengthened", world["a"], year(2024)) == 0
    assert value("pilots_run", mlab, year(2025)) == 2
    assert value("pilots_run", world["call"], quarter(2025, 2)) == 2
    assert value("pilot_success_rate", mlab, year(2025)) == D("50.0")  # one scale of two decided
    assert value("pilot_success_rate", mlab, year(2024)) is None  # nothing decided: no rate, not 0


def test_solvers_mapped_is_a_stock(world, mlab, build):
    from govlab.organisations.models import Organisation

    # Two solvers per application made (four applications) plus one inactive, one partner, one elsewhere.
    build.solver(is_active=False)
    build.solver(kind="partner", helix_sector="civil_society")
    build.solver(kind="research", helix_sector="academia")
    from tests.factories import OrganisationFactory

    OrganisationFactory()  # another lab's
    assert value("solvers_mapped", mlab, None) == 5  # 4 applicants + the research centre
    Organisation.objects.filter(labs=mlab).update(created_at=at(2025, 6, 1))
    assert value("solvers_mapped", mlab, year(2024)) == 0
    assert value("solvers_mapped", mlab, year(2025)) == 5


def test_solutions_selected(world, mlab, build):
    from govlab.demoday.models import DemoDay, Selection

    demo_day = DemoDay.objects.create(
        call=world["call"],
        title={"en": "Demo"},
        starts_at=at(2025, 9, 1),
        ends_at=at(2025, 9, 1, 18),
        created_by=build.user,
    )
    Selection.objects.create(
        demo_day=demo_day,
        challenge=world["a"],
        application=world["apps"][0],
        reasons="Best.",
        decided_by=build.user,
        decided_at=at(2025, 9, 1),
    )
    assert value("solutions_selected", mlab, year(2025)) == 1
    assert value("solutions_selected", world["a"], None) == 1
    assert value("solutions_selected", mlab, year(2024)) == 0


def test_trl_gain_mean_from_first_to_last_assessment(world, mlab, build):
    from govlab.strengthening.models import TrlAssessment

    m1, m2 = world["members"]
    for member, kind, level, day in (
        (m1, "self", 3, dt.date(2025, 5, 2)),
        (m1, "expert", 4, dt.date(2025, 5, 10)),
        (m1, "expert", 6, dt.date(2025, 9, 1)),
        (m2, "self", 2, dt.date(2025, 5, 2)),
        (m2, "expert", 3, dt.date(2025, 9, 1)),
    ):
        TrlAssessment.objects.create(
            member=member, kind=kind, level=level, assessed_by=build.user, assessed_on=day
        )
    assert value("trl_gain_mean", mlab, year(2025)) == D("2.00")  # (3 + 1) / 2
    assert value("trl_gain_mean", mlab, year(2024)) is None


def test_attendees_by_helix(world, mlab, build, mstaff):
    from govlab.strengthening.models import Bootcamp, BootcampRegistration, WorkSession

    m1, m2 = world["members"]
    bootcamp = Bootcamp.objects.create(
        programme=world["programme"],
        topic="Pitching",
        starts_at=at(2025, 5, 10),
        ends_at=at(2025, 5, 10, 17),
        created_by=build.user,
    )
    founder = OrganisationMembershipFactory(organisation=world["apps"][0].organisation).user
    absent = OrganisationMembershipFactory(organisation=world["apps"][1].organisation).user
    BootcampRegistration.objects.create(
        bootcamp=bootcamp, member=m1, person=founder, registered_by=founder, attended=True
    )
    BootcampRegistration.objects.create(
        bootcamp=bootcamp, member=m2, person=absent, registered_by=absent, attended=False
    )
    session = WorkSession.objects.create(
        programme=world["programme"],
        challenge=world["a"],
        held_at=at(2025, 6, 3),
        agenda="Align",
        hours=D("2"),
        recorded_by=build.user,
    )
    official = OrganisationMembershipFactory(organisation=build.entity).user
    session.attendees.add(official, founder, mstaff)  # government, business, no organisation
    result = value("attendees_by_helix", mlab, year(2025))
    assert result == {
        "government": 1,
        "academia": 0,
        "business": 2,
        "civil_society": 0,
        "unspecified": 1,
    }
    assert c.COMPUTATIONS["attendees_by_helix"].breakdown
    assert sum(value("attendees_by_helix", mlab, year(2024)).values()) == 0


def test_cycle_time_median_days(world, mlab):
    # A: 2024-02-01 → 2025-09-01 = 366 + 212 days.
    assert value("cycle_time_median_days", mlab, year(2025)) == D("578.0")
    assert value("cycle_time_median_days", mlab, year(2024)) is None


def test_evaluation_hours_is_not_recorded(world, mlab):
    assert value("evaluation_hours", mlab, year(2025)) is None


def test_procurement_and_contracts(world, mlab, build):
    from govlab.challenges.models import LegalRegime
    from govlab.contracts.models import Contract, Payment
    from govlab.procurement.models import ProcedureType, ProcurementProcess

    regime = LegalRegime.objects.create(lab=mlab, name={"en": "General law"})
    procedure = ProcedureType.objects.create(
        lab=mlab,
        jurisdiction="EU",
        code="ppi",
        kind="ppi",
        name={"en": "PPI"},
        ocds_method="open",
        source_label="Directive",
    )

    def process(status, awarded):
        return ProcurementProcess.objects.create(
            lab=mlab,
            challenge=world["a"],
            title="Buy",
            procedure=procedure,
            legal_regime=regime,
            estimated_value=D("1000"),
            currency="EUR",
            route_justification="Because",
            status=status,
            awarded_at=awarded,
            chosen_by=build.user,
        )

    process("awarded", at(2025, 10, 1))
    process("cancelled", None)
    assert value("solutions_procured", mlab, year(2025)) == 1
    assert value("solutions_procured", world["a"], None) == 1

    supplier = world["apps"][0].organisation

    def contract(kind, value_, currency, status, signed):
        return Contract.objects.create(
            lab=mlab,
            challenge=world["a"],
            kind=kind,
            reference=f"K-{kind}-{currency}-{status}",
            title="K",
            scope="S",
            supplier=supplier,
            buyer=build.entity,
            value=D(value_),
            currency=currency,
            starts_on=dt.date(2025, 10, 1),
            ends_on=dt.date(2026, 10, 1),
            signed_on=signed,
            ip_terms="joint",
            status=status,
            created_by=build.user,
        )

    purchase = contract("purchase", "1000", "EUR", "active", dt.date(2025, 10, 2))
    contract("purchase", "500", "USD", "active", dt.date(2025, 10, 2))  # not the lab's currency
    contract("purchase", "700", "EUR", "cancelled", dt.date(2025, 10, 2))
    contract("pilot_agreement", "300", "EUR", "active", dt.date(2025, 5, 2))
    contract("purchase", "900", "EUR", "pending", None)  # not signed
    assert value("contract_value", mlab, year(2025)) == D("1000")
    assert value("contract_value", mlab, year(2024)) == 0

    def payment(number, due, paid):
        Payment.objects.create(
            contract=purchase,
            invoice_number=number,
            amount=D("100"),
            invoice_received_on=due - dt.timedelta(days=30),
            due_on=due,
            paid_on=paid,
            recorded_by=build.user,
        )

    payment("1", dt.date(2025, 11, 1), dt.date(2025, 10, 30))  # on time
    payment("2", dt.date(2025, 12, 1), dt.date(2025, 12, 5))  # late
    payment("3", dt.date(2025, 12, 15), None)  # overdue, unpaid
    payment("4", dt.date(2025, 12, 20), dt.date(2025, 12, 20))  # on time, on the day
    assert value("milestones_paid_on_time_share", mlab, year(2025)) == D("50.0")
    assert value("milestones_paid_on_time_share", mlab, year(2024)) is None


def test_scopes_and_other_labs(world, mlab):
    other = LabFactory(time_zone="UTC")
    assert value("challenges_identified", other, None) == 0
    assert c.COMPUTATIONS["calls_published"].allows("lab")
    assert not c.COMPUTATIONS["calls_published"].allows("challenge")
    assert {key for key, _label in c.choices("challenge")} >= {"applications_received", "pilots_run"}


def test_the_registry_has_every_computation_of_the_brief():
    assert set(c.COMPUTATIONS) >= {
        "challenges_identified",
        "challenges_accepted",
        "challenges_connected",
        "calls_published",
        "applications_received",
        "solvers_mapped",
        "solutions_strengthened",
        "pilots_run",
        "pilot_success_rate",
        "solutions_selected",
        "solutions_procured",
        "contract_value",
        "milestones_paid_on_time_share",
        "trl_gain_mean",
        "attendees_by_helix",
        "evaluation_hours",
        "cycle_time_median_days",
    }


def test_period_is_read_in_the_lab_time_zone(build):
    """A submission at 02:00 UTC on 1 January is still 31 December in Bogotá."""
    bogota = LabFactory(time_zone="America/Bogota")
    build.lab = bogota
    build.challenge((S.SUBMITTED, dt.datetime(2025, 1, 1, 2, tzinfo=dt.UTC)))
    assert value("challenges_identified", bogota, year(2024)) == 1
    assert value("challenges_identified", bogota, year(2025)) == 0


def test_records_urls(world, mlab):
    url = c.COMPUTATIONS["challenges_accepted"].records_url(mlab, year(2024))
    assert mlab.slug in url
    assert "status=accepted" in url
    assert c.COMPUTATIONS["calls_published"].records_url(mlab, None)


def test_lab_kpis_query_count_does_not_grow_with_the_data(build, mlab):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from govlab.monitoring.selectors import lab_kpis

    build.kpi("identified")
    build.kpi("applications", computation="applications_received")
    build.kpi("helix", computation="attendees_by_helix")
    build.kpi("hours", source="manual")

    def queries():
        with CaptureQueriesContext(connection) as captured:
            lab_kpis(mlab, year=2025)
        return len(captured)

    build.challenge((S.SUBMITTED, at(2025, 1, 1)))
    few = queries()
    for day in range(1, 15):
        challenge = build.challenge((S.SUBMITTED, at(2025, 1, day)), (S.IN_CALL, at(2025, 2, day)))
        call = build.call(challenge, published=at(2025, 2, 1))
        build.application(call, challenge, submitted=at(2025, 2, 2))
    assert queries() == few
