# ruff: noqa: F811  (fixtures imported from the other conftests are redefined as arguments)
"""Shared fixtures for phase 5: a challenge whose solution was selected at a Demo Day.

``selected.challenge`` (status "solution_selected"), ``selected.application`` (Alpha Robotics, the
selected solution), ``selected.other`` (Beta Voice, pitched and not selected), ``selected.supplier``
(Alpha's organisation), ``selected.entity`` (the challenge's public entity), ``selected.lab``,
``selected.staff`` (lab staff), ``selected.entity_user`` (a member of the entity).
"""

from types import SimpleNamespace

import pytest

from govlab.demoday import services as demoday_services
from tests.calls.conftest import (  # noqa: F401  (fixtures)
    entity,
    lab_staff,
    make_call,
    make_ready_challenge,
    ready_challenge,
)
from tests.demoday.conftest import (  # noqa: F401  (fixtures)
    cohort_call,
    demo_day,
    make_demo_day,
    make_juror_user,
    ready_day,
    scored_day,
)
from tests.evaluation.conftest import evaluation_call, make_submitted  # noqa: F401  (fixtures)
from tests.factories import OrganisationMembershipFactory


@pytest.fixture
def selected(scored_day, lab_staff):
    [selection] = demoday_services.select_solution(
        demo_day=scored_day,
        challenge=scored_day.alpha.challenge,
        application=scored_day.alpha,
        reasons="Highest impact and a credible plan.",
        feedback={scored_day.beta.pk: "A strong pitch; the price was too high for the entity."},
        by=lab_staff,
    )
    challenge = selection.challenge
    challenge.refresh_from_db()
    entity_user = OrganisationMembershipFactory(organisation=challenge.owner, role="admin").user
    return SimpleNamespace(
        selection=selection,
        challenge=challenge,
        application=scored_day.alpha,
        other=scored_day.beta,
        supplier=scored_day.alpha.organisation,
        entity=challenge.owner,
        lab=challenge.lab,
        staff=lab_staff,
        entity_user=entity_user,
        demo_day=scored_day,
    )


# --- Procurement reference data and a challenge ready to buy (the procurement tests) ---------------

PPI_STEPS = [
    "needs_assessment",
    "market_consultation",
    "tender_documents",
    "evaluation_report",
    "award_decision",
]


@pytest.fixture
def lab_manager(selected):
    from tests.factories import LabMembershipFactory

    return LabMembershipFactory(lab=selected.lab, role="manager").user


@pytest.fixture
def routes(selected):
    """The lab's reference data: a general law and an entity manual; two procedures with thresholds.

    - ``ppi`` (open, standstill 10 days) under the general law in COP: [100,000, 200,000) from 2020-01-01;
    - ``direct`` (direct, no standstill) under the general law in COP: [0, 100,000) from 2020-01-01;
    - ``manual`` (limited) under the entity's manual only, in COP, no limits.
    The challenge's regime is the general law; its confirmed budget 150,000 COP.
    """
    import datetime as dt
    from decimal import Decimal

    from govlab.challenges.models import LegalRegime
    from govlab.procurement.models import ProcedureType, Threshold

    lab = selected.lab
    law = LegalRegime.objects.create(lab=lab, name={"en": "General procurement law"})
    manual = LegalRegime.objects.create(lab=lab, name={"en": "Entity purchasing manual"})
    ppi = ProcedureType.objects.create(
        lab=lab,
        jurisdiction="CO",
        code="ppi",
        kind="ppi",
        name={"en": "Public procurement of innovation"},
        ocds_method="open",
        steps=[*PPI_STEPS, "standstill"],
        standstill_days=10,
        source_label="Law 80, art. 2",
        source_url="https://example.org/law80",
    )
    direct = ProcedureType.objects.create(
        lab=lab,
        jurisdiction="CO",
        code="direct",
        kind="direct_award",
        name={"en": "Direct award"},
        ocds_method="direct",
        steps=["needs_assessment", "award_decision"],
        source_label="Law 80, art. 24",
    )
    manual_route = ProcedureType.objects.create(
        lab=lab,
        jurisdiction="CO",
        code="manual",
        kind="other",
        name={"en": "Manual procedure"},
        ocds_method="limited",
        steps=["needs_assessment", "award_decision"],
        source_label="Entity manual, ch. 3",
    )
    start = dt.date(2020, 1, 1)
    ppi_law = Threshold.objects.create(
        procedure=ppi,
        legal_regime=law,
        currency="COP",
        min_value=Decimal("100000"),
        max_value=Decimal("200000"),
        valid_from=start,
        source_label="Decree 1082, art. 5",
    )
    direct_law = Threshold.objects.create(
        procedure=direct,
        legal_regime=law,
        currency="COP",
        min_value=Decimal("0"),
        max_value=Decimal("100000"),
        valid_from=start,
        source_label="Decree 1082, art. 7",
    )
    manual_t = Threshold.objects.create(
        procedure=manual_route,
        legal_regime=manual,
        currency="COP",
        valid_from=start,
        source_label="Manual 3.1",
    )
    challenge = selected.challenge
    challenge.legal_regime = law
    challenge.budget_amount = Decimal("150000")
    challenge.budget_currency = "COP"
    challenge.save(update_fields=["legal_regime", "budget_amount", "budget_currency"])
    return SimpleNamespace(
        law=law,
        manual=manual,
        ppi=ppi,
        direct=direct,
        manual_route=manual_route,
        ppi_law=ppi_law,
        direct_law=direct_law,
        manual_threshold=manual_t,
        challenge=challenge,
    )


@pytest.fixture
def make_process(selected, routes):
    """A process started by the lab's staff through the PPI route (the challenge becomes procuring)."""
    from decimal import Decimal

    from govlab.procurement import services

    def make(**extra):
        values = {
            "challenge": selected.challenge,
            "procedure": routes.ppi,
            "by": selected.staff,
            "estimated_value": Decimal("150000"),
            "currency": "COP",
            "route_justification": "The solution is new to the market: PPI fits.",
            **extra,
        }
        return services.process_create(**values)

    return make
