"""Route availability: by regime, currency, validity period and value — at the boundaries — and the
reasons, each naming the rule's source."""

import datetime as dt
from decimal import Decimal

import pytest

from govlab.procurement.selectors import route_options

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 6, 1)


def option_for(options, procedure):
    [option] = [o for o in options if o.procedure.pk == procedure.pk]
    return option


@pytest.mark.parametrize(
    ("value", "ppi", "direct"),
    [
        ("99999.99", False, True),
        ("100000", True, False),  # the minimum is inclusive
        ("150000", True, False),
        ("199999.99", True, False),  # just below the maximum
        ("200000", False, False),  # the maximum is exclusive
    ],
)
def test_value_boundaries(routes, value, ppi, direct):
    options = route_options(routes.challenge, value=Decimal(value), currency="COP", on=ON)
    assert option_for(options, routes.ppi).available is ppi
    assert option_for(options, routes.direct).available is direct
    if ppi:
        assert option_for(options, routes.ppi).threshold == routes.ppi_law
        assert option_for(options, routes.ppi).reasons == []


def test_reasons_name_the_value_the_limit_and_the_source(routes):
    options = route_options(routes.challenge, value=Decimal("250000"), currency="COP", on=ON)
    [reason] = option_for(options, routes.ppi).reasons
    assert reason == (
        "The estimated value 250,000 COP is at or above the maximum 200,000 COP of Decree 1082, art. 5."
    )
    options = route_options(routes.challenge, value=Decimal("50000"), currency="COP", on=ON)
    [reason] = option_for(options, routes.ppi).reasons
    assert "below the minimum 100,000 COP of Decree 1082, art. 5" in reason


def test_a_procedure_without_a_threshold_for_the_regime_is_not_available(routes):
    option = option_for(route_options(routes.challenge, on=ON), routes.manual_route)
    assert not option.available
    [reason] = option.reasons
    assert "Not available under General procurement law: no threshold for this regime" in reason
    assert "Entity manual, ch. 3" in reason


def test_the_regime_decides(routes):
    routes.challenge.legal_regime = routes.manual
    routes.challenge.save(update_fields=["legal_regime"])
    options = route_options(routes.challenge, on=ON)
    assert option_for(options, routes.manual_route).available
    assert not option_for(options, routes.ppi).available
    assert options[0].procedure == routes.manual_route  # available routes first


def test_no_regime(routes):
    routes.challenge.legal_regime = None
    routes.challenge.save(update_fields=["legal_regime"])
    options = route_options(routes.challenge, on=ON)
    assert not any(o.available for o in options)
    assert all("no legal regime" in o.reasons[0] for o in options)


def test_another_currency(routes):
    option = option_for(
        route_options(routes.challenge, value=Decimal("150000"), currency="EUR", on=ON), routes.ppi
    )
    assert not option.available
    assert "no threshold in EUR" in option.reasons[0]
    assert "COP" in option.reasons[0]


def test_valid_until_is_inclusive(routes):
    routes.ppi_law.valid_until = ON
    routes.ppi_law.save()
    assert option_for(route_options(routes.challenge, on=ON), routes.ppi).available
    option = option_for(route_options(routes.challenge, on=ON + dt.timedelta(days=1)), routes.ppi)
    assert not option.available
    assert "is not valid on" in option.reasons[0]
    assert "Decree 1082, art. 5" in option.reasons[0]


def test_valid_from_is_inclusive(routes):
    routes.ppi_law.valid_from = ON
    routes.ppi_law.save()
    assert option_for(route_options(routes.challenge, on=ON), routes.ppi).available
    assert not option_for(route_options(routes.challenge, on=ON - dt.timedelta(days=1)), routes.ppi).available


def test_the_value_defaults_to_the_budget_then_the_estimated_cost(routes):
    assert option_for(route_options(routes.challenge, on=ON), routes.ppi).available  # 150,000 COP budget
    challenge = routes.challenge
    challenge.budget_amount = None
    challenge.estimated_cost = Decimal("50000")
    challenge.estimated_cost_currency = "COP"
    challenge.save()
    options = route_options(challenge, on=ON)
    assert option_for(options, routes.direct).available
    assert not option_for(options, routes.ppi).available


def test_inactive_procedures_are_not_offered(routes):
    routes.direct.is_active = False
    routes.direct.save()
    assert routes.direct.pk not in {o.procedure.pk for o in route_options(routes.challenge, on=ON)}


def test_route_options_queries_do_not_grow(routes, django_assert_max_num_queries):
    from govlab.challenges.models import Challenge
    from govlab.procurement.models import ProcedureType, Threshold

    for n in range(10):
        procedure = ProcedureType.objects.create(
            lab=routes.challenge.lab,
            jurisdiction="CO",
            code=f"extra-{n}",
            kind="other",
            name={"en": f"Extra {n}"},
            ocds_method="open",
            source_label="x",
        )
        Threshold.objects.create(
            procedure=procedure, legal_regime=routes.law, currency="COP", valid_from=ON, source_label="y"
        )
    challenge = Challenge.objects.select_related("lab", "legal_regime").get(pk=routes.challenge.pk)
    with django_assert_max_num_queries(2):
        options = route_options(challenge, on=ON)
    assert len(options) == 13
