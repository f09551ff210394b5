"""Pilot services: the pilot and its experiment, the start, units and randomisation, observations, the
decision. Every refusal leaves nothing changed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from govlab.audit.models import AuditEntry
from govlab.challenges.enums import ChallengeStatus
from govlab.challenges.models import ChallengeTransition
from govlab.notifications.models import Notification
from govlab.pilots import randomisation, selectors, services
from govlab.pilots.enums import Decision, Design, PilotStatus
from govlab.pilots.models import (
    Hypothesis,
    Metric,
    Observation,
    Pilot,
    PilotParticipants,
    PilotUnit,
)
from tests.pilots.conftest import BASELINE, END, START, member_of, pilot_fields, rate_metric

pytestmark = pytest.mark.django_db


def state() -> tuple:
    """Everything a refused pilot service could have changed."""
    return (
        list(Pilot.objects.order_by("pk").values_list("pk", "title", "status", "design", "seed", "decision")),
        list(Hypothesis.objects.order_by("pk").values_list("pk", "statement", "order")),
        list(Metric.objects.order_by("pk").values_list("pk", "code", "unit", "kind", "baseline", "target")),
        list(PilotUnit.objects.order_by("pk").values_list("pk", "code", "arm")),
        list(Observation.objects.order_by("pk").values_list("pk", "value", "group", "observed_on")),
        list(PilotParticipants.objects.order_by("pk").values_list("pk", "sector", "count")),
        AuditEntry.objects.count(),
    )


def refused(code, call, **kwargs):
    before = state()
    with pytest.raises(ValidationError) as caught:
        call(**kwargs)
    assert caught.value.code == code
    assert state() == before
    return caught.value


# --- Creating and editing ----------------------------------------------------------------------------


def test_pilot_create_writes_the_experiment_and_audits(lab_staff, application):
    pilot = services.pilot_create(application=application, by=lab_staff, **pilot_fields())
    assert pilot.status == PilotStatus.DRAFT
    assert (pilot.lab, pilot.call, pilot.challenge) == (
        application.call.lab,
        application.call,
        application.challenge,
    )
    assert pilot.currency == application.call.lab.currency
    assert pilot.budget == Decimal("25000")
    assert list(pilot.hypotheses.values_list("statement", "order")) == [
        ("Routing to a person first cuts waiting time.", 1)
    ]
    metric = pilot.metrics.get()
    assert (metric.code, metric.unit, metric.baseline, metric.target, metric.hypothesis) == (
        "wait",
        "minutes",
        Decimal("12"),
        Decimal("8"),
        pilot.hypotheses.get(),
    )
    assert dict(pilot.participants.values_list("sector", "count")) == {"civil_society": 400, "government": 12}
    entry = AuditEntry.objects.get(action="pilot.create")
    assert entry.changes["design"] == [None, "before_after"]


def test_the_entity_may_plan_a_pilot_and_the_solver_may_not(lab_staff, entity_member, application):
    refused(
        "not_allowed", services.pilot_create, application=application, by=application.member, **pilot_fields()
    )
    pilot = services.pilot_create(application=application, by=entity_member, **pilot_fields())
    assert pilot.created_by == entity_member


def test_only_a_preselected_application_gets_a_pilot(lab_staff, cohort):
    refused("not_preselected", services.pilot_create, application=cohort[2], by=lab_staff, **pilot_fields())


def test_one_pilot_per_application(lab_staff, application):
    services.pilot_create(application=application, by=lab_staff, **pilot_fields())
    refused("exists", services.pilot_create, application=application, by=lab_staff, **pilot_fields())


def test_pilot_create_refuses_bad_fields_by_field(lab_staff, application):
    error = refused(
        "invalid",
        services.pilot_create,
        application=application,
        by=lab_staff,
        **pilot_fields(
            title="",
            ends_on=START - dt.timedelta(days=1),
            baseline_starts_on=START,
            budget="-5",
            metrics=[
                rate_metric(baseline="40", target="0.6"),
                rate_metric(code="person", direction="decrease", baseline="0.4", target="0.6", hypothesis=3),
            ],
        ),
    )
    assert set(error.message_dict) == {
        "title",
        "ends_on",
        "baseline_starts_on",
        "budget",
        "metrics.0.baseline",
        "metrics.1.code",
        "metrics.1.target",
        "metrics.1.hypothesis",
    }


def test_before_after_needs_a_baseline_window(lab_staff, application):
    error = refused(
        "invalid",
        services.pilot_create,
        application=application,
        by=lab_staff,
        **pilot_fields(baseline_starts_on=None),
    )
    assert list(error.message_dict) == ["baseline_starts_on"]


def test_pilot_update_replaces_lists_and_keeps_ids(lab_staff, make_pilot):
    pilot = make_pilot(start=False)
    hypothesis = pilot.hypotheses.get()
    metric = pilot.metrics.get()
    services.pilot_update(
        pilot=pilot,
        by=lab_staff,
        title="Human first, phase 2",
        hypotheses=[{"id": hypothesis.pk, "statement": "Revised."}, {"statement": "Callers are happier."}],
        metrics=[
            {
                **{
                    k: getattr(metric, k)
                    for k in ("code", "name", "unit", "kind", "direction", "how_measured")
                },
                "id": metric.pk,
                "baseline": "12",
                "target": "7",
                "hypothesis": 2,
            },
            rate_metric(hypothesis=1),
        ],
    )
    pilot.refresh_from_db()
    assert pilot.title == "Human first, phase 2"
    assert list(pilot.hypotheses.values_list("pk", "statement")) == [
        (hypothesis.pk, "Revised."),
        (hypothesis.pk + 1, "Callers are happier."),
    ]
    metrics = list(pilot.metrics.order_by("order"))
    assert [(m.pk, m.code, m.target, m.hypothesis.statement) for m in metrics] == [
        (metric.pk, "wait", Decimal("7"), "Callers are happier."),
        (metrics[1].pk, "person", Decimal("0.6"), "Revised."),
    ]


def test_a_metric_with_observations_keeps_its_unit_and_stays(lab_staff, make_pilot):
    pilot = make_pilot()
    metric = pilot.metrics.get()
    services.observation_record(
        pilot=pilot, by=lab_staff, metric=metric, value="10", observed_on=START, group="after"
    )
    data = {
        k: getattr(metric, k)
        for k in ("code", "name", "kind", "direction", "how_measured", "baseline", "target")
    }
    error = refused(
        "invalid",
        services.pilot_update,
        pilot=pilot,
        by=lab_staff,
        metrics=[{**data, "id": metric.pk, "unit": "seconds"}],
    )
    assert list(error.message_dict) == ["metrics.0.unit"]
    refused("invalid", services.pilot_update, pilot=pilot, by=lab_staff, metrics=[rate_metric()])


def test_design_cannot_change_after_the_start(lab_staff, make_pilot):
    pilot = make_pilot()
    error = refused("invalid", services.pilot_update, pilot=pilot, by=lab_staff, design=Design.AB)
    assert list(error.message_dict) == ["design"]


# --- Start -------------------------------------------------------------------------------------------


def test_pilot_start_moves_the_challenge_to_piloting_once(lab_staff, make_pilot, cohort, ready_challenge):
    pilot = make_pilot()
    ready_challenge.refresh_from_db()
    assert pilot.status == PilotStatus.RUNNING
    assert ready_challenge.status == ChallengeStatus.PILOTING
    assert ChallengeTransition.objects.filter(challenge=ready_challenge, to_status="piloting").count() == 1
    second = make_pilot(app=cohort[1])
    assert second.status == PilotStatus.RUNNING
    assert ChallengeTransition.objects.filter(challenge=ready_challenge, to_status="piloting").count() == 1


def test_a_pilot_without_hypothesis_or_metric_does_not_start(lab_staff, make_pilot):
    pilot = make_pilot(start=False, hypotheses=[], metrics=[])
    error = refused("not_ready", services.pilot_start, pilot=pilot, by=lab_staff)
    assert "not a pilot" in error.messages[0]


def test_only_the_lab_starts_a_pilot(lab_staff, entity_member, make_pilot, ready_challenge):
    pilot = make_pilot(start=False)
    refused("not_allowed", services.pilot_start, pilot=pilot, by=entity_member)
    refused("not_allowed", services.pilot_start, pilot=pilot, by=member_of(pilot.application))
    ready_challenge.refresh_from_db()
    assert ready_challenge.status == ChallengeStatus.PRESELECTED


def test_a_started_pilot_does_not_start_again(lab_staff, make_pilot):
    pilot = make_pilot()
    refused("state", services.pilot_start, pilot=pilot, by=lab_staff)


# --- Units and randomisation ---------------------------------------------------------------------------


def _units(n):
    return [{"code": f"office-{i:02d}", "label": f"Office {i}"} for i in range(1, n + 1)]


def test_randomisation_is_stored_balanced_and_verifiable(lab_staff, make_pilot):
    pilot = make_pilot(design=Design.RANDOMISED)
    services.units_set(pilot=pilot, by=lab_staff, units=_units(7))
    pilot = services.pilot_randomise(pilot=pilot, by=lab_staff)
    arms = dict(pilot.units.values_list("code", "arm"))
    assert sorted(arms.values()) == ["A"] * 4 + ["B"] * 3
    assert arms == randomisation.assign(sorted(arms), ["A", "B"], pilot.seed)
    assert pilot.randomisation_algorithm == randomisation.ALGORITHM
    assert pilot.assignment_fingerprint == randomisation.fingerprint(arms)
    assert (pilot.randomised_by, pilot.randomised_at is not None) == (lab_staff, True)
    verification = selectors.verify_assignment(pilot)
    assert verification.ok
    assert verification.mismatched_units == []
    entry = AuditEntry.objects.get(action="pilot.randomise")
    assert entry.changes["seed"] == [None, pilot.seed]
    # Tampering with one arm is caught.
    unit = pilot.units.first()
    PilotUnit.objects.filter(pk=unit.pk).update(arm="B" if unit.arm == "A" else "A")
    verification = selectors.verify_assignment(pilot)
    assert (verification.ok, verification.mismatched_units) == (False, [unit.code])


def test_randomisation_is_done_once(lab_staff, make_pilot):
    pilot = make_pilot(design=Design.RANDOMISED)
    services.units_set(pilot=pilot, by=lab_staff, units=_units(4))
    services.pilot_randomise(pilot=pilot, by=lab_staff)
    refused("already_randomised", services.pilot_randomise, pilot=pilot, by=lab_staff)
    refused("randomised", services.units_set, pilot=pilot, by=lab_staff, units=_units(5))


def test_randomisation_refused_for_other_designs_and_for_the_solver(lab_staff, make_pilot):
    pilot = make_pilot(design=Design.AB)
    refused("not_randomised", services.pilot_randomise, pilot=pilot, by=lab_staff)
    refused("not_allowed", services.pilot_randomise, pilot=pilot, by=member_of(pilot.application))


def test_units_set_refuses_arms_by_hand_in_randomised_designs(lab_staff, make_pilot):
    pilot = make_pilot(design=Design.RANDOMISED)
    error = refused(
        "invalid",
        services.units_set,
        pilot=pilot,
        by=lab_staff,
        units=[{"code": "x", "arm": "A"}, {"code": "X"}],
    )
    assert set(error.message_dict) == {"units.0.arm", "units.1.code"}


# --- Observations ------------------------------------------------------------------------------------


def test_observation_record_refuses_bad_input_and_changes_nothing(lab_staff, make_pilot, cohort):
    pilot = make_pilot()
    other = make_pilot(app=cohort[1], design=Design.AB)
    services.units_set(pilot=other, by=lab_staff, units=[{"code": "site-1", "arm": "A"}])
    metric = pilot.metrics.get()
    record = services.observation_record
    base = {
        "pilot": pilot,
        "by": lab_staff,
        "metric": metric,
        "value": "9",
        "observed_on": START,
        "group": "after",
    }
    cases = [
        ({"metric": other.metrics.get()}, "metric"),
        ({"unit": other.units.get()}, "unit"),
        ({"observed_on": END + dt.timedelta(days=1)}, "observed_on"),
        ({"observed_on": START - dt.timedelta(days=1)}, "observed_on"),
        ({"group": "before", "observed_on": START}, "observed_on"),
        ({"group": "before", "observed_on": BASELINE - dt.timedelta(days=1)}, "observed_on"),
        ({"group": "A"}, "group"),
        ({"value": "nine"}, "value"),
    ]
    for change, field in cases:
        error = refused("invalid", record, **{**base, **change})
        assert list(error.message_dict) == [field], change


def test_observation_record_accepts_the_baseline_window_and_a_decimal_comma(lab_staff, make_pilot):
    pilot = make_pilot()
    metric = pilot.metrics.get()
    before = services.observation_record(
        pilot=pilot, by=lab_staff, metric=metric, value="12,5", observed_on=BASELINE, group="before"
    )
    last = services.observation_record(
        pilot=pilot, by=lab_staff, metric=metric, value="9", observed_on=END, group="after"
    )
    assert (before.value, before.source, last.group) == (Decimal("12.5"), "ui", "after")


def test_a_rate_observation_is_0_or_1(lab_staff, make_pilot):
    pilot = make_pilot(metrics=[rate_metric()])
    metric = pilot.metrics.get()
    for value in ("0.5", "2", "-1"):
        refused(
            "invalid",
            services.observation_record,
            pilot=pilot,
            by=lab_staff,
            metric=metric,
            value=value,
            observed_on=START,
            group="after",
        )
    assert services.observation_record(
        pilot=pilot, by=lab_staff, metric=metric, value="1", observed_on=START, group="after"
    ).value == Decimal("1")


def test_a_duplicate_observation_is_refused(lab_staff, make_pilot):
    pilot = make_pilot()
    metric = pilot.metrics.get()
    services.observation_record(
        pilot=pilot, by=lab_staff, metric=metric, value="9", observed_on=START, group="after"
    )
    refused(
        "duplicate",
        services.observation_record,
        pilot=pilot,
        by=lab_staff,
        metric=metric,
        value="10",
        observed_on=START,
        group="after",
    )


def test_randomised_observations_take_the_units_arm(lab_staff, make_pilot):
    pilot = make_pilot(design=Design.RANDOMISED)
    services.units_set(pilot=pilot, by=lab_staff, units=_units(2))
    metric = pilot.metrics.get()
    unit = pilot.units.first()
    refused(
        "invalid",
        services.observation_record,
        pilot=pilot,
        by=lab_staff,
        metric=metric,
        unit=unit,
        value="9",
        observed_on=START,
    )  # not randomised yet
    services.pilot_randomise(pilot=pilot, by=lab_staff)
    unit.refresh_from_db()
    observation = services.observation_record(
        pilot=pilot, by=lab_staff, metric=metric, unit=unit, value="9", observed_on=START
    )
    assert observation.group == unit.arm
    wrong = "B" if unit.arm == "A" else "A"
    error = refused(
        "invalid",
        services.observation_record,
        pilot=pilot,
        by=lab_staff,
        metric=metric,
        unit=unit,
        value="9",
        observed_on=START + dt.timedelta(days=1),
        group=wrong,
    )
    assert list(error.message_dict) == ["group"]
    refused("has_observations", services.pilot_randomise, pilot=Pilot.objects.get(pk=pilot.pk), by=lab_staff)


def test_the_solver_records_observations_and_another_solver_may_not(lab_staff, make_pilot, cohort):
    pilot = make_pilot()
    metric = pilot.metrics.get()
    observation = services.observation_record(
        pilot=pilot,
        by=member_of(pilot.application),
        metric=metric,
        value="9",
        observed_on=START,
        group="after",
    )
    assert observation.recorded_by == member_of(pilot.application)
    refused(
        "not_allowed",
        services.observation_record,
        pilot=pilot,
        by=cohort[1].member,
        metric=metric,
        value="9",
        observed_on=START + dt.timedelta(days=1),
        group="after",
    )


def test_bulk_observations_are_all_or_none(lab_staff, make_pilot):
    pilot = make_pilot()
    rows = [
        {"metric": "wait", "group": "after", "value": "9", "observed_on": START},
        {"metric": "wait", "group": "after", "value": "8", "observed_on": START},
        {"metric": "nope", "group": "after", "value": "8", "observed_on": START},
    ]
    error = refused("invalid", services.observations_record, pilot=pilot, by=lab_staff, rows=rows)
    assert set(error.message_dict) == {"1.observed_on", "2.metric"}
    made = services.observations_record(pilot=pilot, by=lab_staff, rows=rows[:1])
    assert [o.source for o in made] == ["api"]


# --- Decision ----------------------------------------------------------------------------------------


def _fill(pilot, by):
    metric = pilot.metrics.get()
    for day, value in enumerate([12, 13, 11, 12]):
        services.observation_record(
            pilot=pilot,
            by=by,
            metric=metric,
            value=value,
            observed_on=BASELINE + dt.timedelta(days=day),
            group="before",
        )
    for day, value in enumerate([8, 7, 9, 7]):
        services.observation_record(
            pilot=pilot,
            by=by,
            metric=metric,
            value=value,
            observed_on=START + dt.timedelta(days=day),
            group="after",
        )


def test_a_decision_needs_an_analysis(lab_staff, make_pilot):
    pilot = make_pilot()
    error = refused(
        "no_analysis",
        services.pilot_decide,
        pilot=pilot,
        by=lab_staff,
        decision=Decision.SCALE,
        rationale="Good.",
    )
    assert "Waiting time" in error.messages[0]


def test_a_draft_pilot_cannot_be_decided(lab_staff, make_pilot):
    pilot = make_pilot(start=False)
    refused(
        "state", services.pilot_decide, pilot=pilot, by=lab_staff, decision=Decision.STOP, rationale="No."
    )


def test_a_decision_needs_a_rationale_and_a_choice(lab_staff, make_pilot):
    pilot = make_pilot()
    _fill(pilot, lab_staff)
    error = refused(
        "invalid", services.pilot_decide, pilot=pilot, by=lab_staff, decision="maybe", rationale=" "
    )
    assert set(error.message_dict) == {"decision", "rationale"}


def test_a_stopped_pilot_is_kept_as_learning(lab_staff, entity_member, make_pilot, ready_challenge):
    pilot = make_pilot()
    _fill(pilot, lab_staff)
    services.pilot_end(pilot=pilot, by=lab_staff)
    pilot = services.pilot_decide(
        pilot=pilot,
        by=entity_member,
        decision=Decision.STOP,
        rationale="Callers preferred the robot at night.",
        lessons="Route to a person in office hours only.",
    )
    assert (pilot.status, pilot.decision, pilot.decided_by) == (PilotStatus.DECIDED, "stop", entity_member)
    snapshot = pilot.decision_analysis
    assert snapshot["observations"] == 8
    assert snapshot["metrics"][0]["method"] == "welch_t"
    assert snapshot["metrics"][0]["target_met"] is True
    assert list(selectors.public_pilots_for_challenge(ready_challenge)) == [pilot]
    solver = member_of(pilot.application)
    assert list(
        Notification.objects.filter(recipient=solver, kind__startswith="pilots.")
        .values_list("kind", flat=True)
        .order_by("pk")
    ) == [
        "pilots.started",
        "pilots.decided",
    ]
    # Nothing more is recorded or changed on a decided pilot.
    refused(
        "decided",
        services.observation_record,
        pilot=pilot,
        by=lab_staff,
        metric=pilot.metrics.get(),
        value="9",
        observed_on=END,
        group="after",
    )
    refused("decided", services.pilot_update, pilot=pilot, by=lab_staff, title="Renamed")
    refused(
        "decided", services.pilot_decide, pilot=pilot, by=lab_staff, decision=Decision.SCALE, rationale="x"
    )


def test_the_solver_may_not_decide(lab_staff, make_pilot):
    pilot = make_pilot()
    _fill(pilot, lab_staff)
    refused(
        "not_allowed",
        services.pilot_decide,
        pilot=pilot,
        by=member_of(pilot.application),
        decision=Decision.SCALE,
        rationale="We like it.",
    )


def test_public_pilots_show_only_decided_ones(lab_staff, make_pilot, ready_challenge):
    make_pilot()
    assert list(selectors.public_pilots_for_challenge(ready_challenge)) == []
