"""Guards found in review: counts that do not multiply, metric codes that swap, who removes an
observation, A/B units without an arm, no e-mail addresses in a solver's export."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from govlab.pilots import exports, selectors, services
from govlab.pilots.models import Metric, Observation
from tests.pilots.conftest import START, member_of, metric, rate_metric

pytestmark = pytest.mark.django_db


def _record(pilot, by, value, day=0, **kwargs):
    return services.observation_record(
        pilot=pilot,
        by=by,
        metric=kwargs.pop("metric", pilot.metrics.get(code="wait")),
        value=value,
        observed_on=START + dt.timedelta(days=day),
        group=kwargs.pop("group", "after"),
        **kwargs,
    )


def test_the_lists_count_each_relation_once(lab_staff, make_pilot, django_assert_max_num_queries):
    pilot = make_pilot(
        hypotheses=[{"statement": "One."}, {"statement": "Two."}],
        metrics=[metric(), rate_metric(hypothesis=2)],
    )
    for day in range(3):
        _record(pilot, lab_staff, 8 + day, day)
    call = pilot.call
    with django_assert_max_num_queries(1):
        row = selectors.pilots_for_call(call).get()
    assert (row.n_hypotheses, row.n_metrics, row.n_units, row.n_observations) == (2, 2, 0, 3)


def test_two_metrics_can_swap_their_codes(lab_staff, make_pilot):
    pilot = make_pilot(start=False, metrics=[metric(), rate_metric()])
    wait, person = pilot.metrics.order_by("order")
    services.pilot_update(
        pilot=pilot,
        by=lab_staff,
        metrics=[metric(code="person", id=wait.pk), rate_metric(code="wait", id=person.pk)],
    )
    assert dict(Metric.objects.filter(pilot=pilot).values_list("pk", "code")) == {
        wait.pk: "person",
        person.pk: "wait",
    }


def test_a_removed_metrics_code_can_be_reused_by_a_new_one(lab_staff, make_pilot):
    pilot = make_pilot(start=False, metrics=[metric(), rate_metric()])
    wait = pilot.metrics.get(code="wait")
    services.pilot_update(pilot=pilot, by=lab_staff, metrics=[metric(id=wait.pk), rate_metric(name="New")])
    assert list(Metric.objects.filter(pilot=pilot).order_by("order").values_list("code", "name")) == [
        ("wait", "Waiting time"),
        ("person", "New"),
    ]


def test_the_solver_removes_only_what_they_recorded(lab_staff, make_pilot, application):
    pilot = make_pilot()
    solver = member_of(application)
    _record(pilot, lab_staff, 9, 0)
    by_lab = Observation.objects.get(pilot=pilot)
    with pytest.raises(ValidationError) as caught:
        services.observation_delete(observation=by_lab, by=solver)
    assert caught.value.code == "not_allowed"
    assert Observation.objects.filter(pk=by_lab.pk).exists()
    _record(pilot, solver, 7, 1)
    own = Observation.objects.get(pilot=pilot, recorded_by=solver)
    services.observation_delete(observation=own, by=solver)
    assert list(Observation.objects.values_list("pk", flat=True)) == [by_lab.pk]
    services.observation_delete(observation=by_lab, by=lab_staff)
    assert not Observation.objects.exists()


def test_an_ab_unit_without_an_arm_takes_no_observation(lab_staff, make_pilot):
    pilot = make_pilot(design="ab", start=False)
    services.units_set(
        pilot=pilot, by=lab_staff, units=[{"code": "office-1"}, {"code": "office-2", "arm": "B"}]
    )
    pilot = services.pilot_start(pilot=pilot, by=lab_staff)
    loose = pilot.units.get(code="office-1")
    with pytest.raises(ValidationError) as caught:
        _record(pilot, lab_staff, 8, unit=loose, group="A")
    assert caught.value.message_dict == {
        "unit": ["Put this unit in an arm first (on the pilot's units page)."]
    }
    assert not Observation.objects.exists()
    _record(pilot, lab_staff, 8, unit=pilot.units.get(code="office-2"), group="")
    assert list(Observation.objects.values_list("group", flat=True)) == ["B"]


def test_the_observations_export_names_people_without_their_addresses(lab_staff, make_pilot):
    pilot = make_pilot()
    _record(pilot, lab_staff, 8)
    content = exports.observations_csv(pilot)
    assert lab_staff.email not in content
    assert lab_staff.full_name in content
