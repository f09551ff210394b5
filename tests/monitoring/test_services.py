"""KPI definitions, targets and manual values: what is saved, what is refused (nothing written, nothing
audited), and the snapshots the task keeps."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from govlab.audit.models import AuditEntry
from govlab.challenges.enums import ChallengeStatus as S
from govlab.monitoring import services
from govlab.monitoring.models import KpiDefinition, KpiTarget, KpiValue, Snapshot
from govlab.monitoring.selectors import lab_cycle_times, lab_funnel
from tests.factories import LabFactory
from tests.monitoring.conftest import at

pytestmark = pytest.mark.django_db


def kpi_data(**fields):
    return {
        "code": "identified",
        "name": {"en": "Challenges identified"},
        "category": "results",
        "scope": "lab",
        "source": "computed",
        "computation": "challenges_identified",
        "periodicity": "year",
        **fields,
    }


def refused(call, code="invalid"):
    entries, kpis, targets, values = (
        AuditEntry.objects.count(),
        KpiDefinition.objects.count(),
        KpiTarget.objects.count(),
        KpiValue.objects.count(),
    )
    with pytest.raises(ValidationError) as caught:
        call()
    assert caught.value.code == code
    assert (
        AuditEntry.objects.count(),
        KpiDefinition.objects.count(),
        KpiTarget.objects.count(),
        KpiValue.objects.count(),
    ) == (entries, kpis, targets, values)
    return caught.value.message_dict if hasattr(caught.value, "error_dict") else {}


def test_a_manager_defines_a_computed_kpi(mlab, mmanager):
    kpi = services.kpi_save(lab=mlab, by=mmanager, data=kpi_data())
    assert kpi.unit == "challenges"  # the computation's, when none is given
    assert kpi.created_by == mmanager
    entry = AuditEntry.objects.get(action="monitoring.kpi_create")
    assert entry.lab == mlab
    changed = services.kpi_save(lab=mlab, by=mmanager, data={"is_public": True}, kpi=kpi)
    assert changed.is_public
    assert AuditEntry.objects.get(action="monitoring.kpi_update").changes["is_public"] == [False, True]


def test_currency_unit_is_the_labs(mlab, mmanager):
    kpi = services.kpi_save(lab=mlab, by=mmanager, data=kpi_data(code="value", computation="contract_value"))
    assert kpi.unit == "EUR"


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"computation": "no_such_thing"}, "computation"),
        ({"computation": ""}, "computation"),
        ({"scope": "challenge", "computation": "calls_published"}, "challenge_id"),
        ({"source": "manual", "computation": "challenges_identified"}, "computation"),
        ({"code": "not a slug"}, "code"),
        ({"name": {}}, "name"),
        ({"category": "vanity"}, "category"),
        ({"periodicity": "month"}, "periodicity"),
        ({"scope": "call"}, "call_id"),
    ],
)
def test_kpi_refusals(mlab, mmanager, fields, field):
    errors = refused(lambda: services.kpi_save(lab=mlab, by=mmanager, data=kpi_data(**fields)))
    assert field in errors


def test_the_computation_must_allow_the_scope(mlab, mmanager, build):
    challenge = build.challenge((S.SUBMITTED, at(2025, 1, 1)))
    errors = refused(
        lambda: services.kpi_save(
            lab=mlab,
            by=mmanager,
            data=kpi_data(scope="challenge", challenge=challenge, computation="calls_published"),
        )
    )
    assert "computation" in errors
    kpi = services.kpi_save(
        lab=mlab,
        by=mmanager,
        data=kpi_data(scope="challenge", challenge_id=challenge.pk, computation="pilots_run"),
    )
    assert kpi.challenge == challenge


def test_the_scope_must_belong_to_the_lab(mlab, mmanager):
    from tests.monitoring.conftest import Builder

    elsewhere = Builder(LabFactory(time_zone="UTC")).challenge((S.SUBMITTED, at(2025, 1, 1)))
    errors = refused(
        lambda: services.kpi_save(
            lab=mlab,
            by=mmanager,
            data=kpi_data(scope="challenge", challenge=elsewhere, computation="pilots_run"),
        )
    )
    assert "challenge_id" in errors


def test_codes_are_unique_per_lab(mlab, mmanager):
    services.kpi_save(lab=mlab, by=mmanager, data=kpi_data())
    assert "code" in refused(lambda: services.kpi_save(lab=mlab, by=mmanager, data=kpi_data()))


def test_only_the_manager_defines_kpis(mlab, mstaff):
    refused(lambda: services.kpi_save(lab=mlab, by=mstaff, data=kpi_data()), "not_allowed")


def test_targets_match_the_periodicity(mlab, mmanager, build):
    kpi = build.kpi("identified")
    target = services.target_set(
        kpi=kpi, by=mmanager, period_start=dt.date(2030, 1, 1), period_end=dt.date(2030, 12, 31), value="12"
    )
    assert target.value == D("12")  # a future target is a plan: allowed
    assert "period_start" in refused(
        lambda: services.target_set(
            kpi=kpi, by=mmanager, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 3, 31), value=3
        )
    )
    assert "value" in refused(
        lambda: services.target_set(
            kpi=kpi,
            by=mmanager,
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 12, 31),
            value="many",
        )
    )
    services.target_set(
        kpi=kpi, by=mmanager, period_start=dt.date(2030, 1, 1), period_end=dt.date(2030, 12, 31), value=None
    )
    assert not KpiTarget.objects.exists()


def test_staff_may_not_set_targets(mlab, mstaff, build):
    kpi = build.kpi("identified")
    refused(
        lambda: services.target_set(
            kpi=kpi, by=mstaff, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31), value=3
        ),
        "not_allowed",
    )


def test_staff_enter_manual_values_with_evidence(mlab, mstaff, build):
    kpi = build.kpi("satisfaction", source="manual", periodicity="quarter")
    value = services.value_set(
        kpi=kpi,
        by=mstaff,
        period_start=dt.date(2025, 4, 1),
        period_end=dt.date(2025, 6, 30),
        value="4.2",
        evidence="Survey of 300 users.",
    )
    assert (value.value, value.entered_by) == (D("4.2"), mstaff)
    assert AuditEntry.objects.filter(action="monitoring.value_set").count() == 1
    services.value_set(
        kpi=kpi,
        by=mstaff,
        period_start=dt.date(2025, 4, 1),
        period_end=dt.date(2025, 6, 30),
        value="4.4",
        evidence="Survey of 300 users, corrected.",
    )
    assert KpiValue.objects.get().value == D("4.4")


def test_manual_value_refusals(mlab, mstaff, build):
    manual = build.kpi("hours", source="manual")
    computed = build.kpi("identified")

    def enter(kpi=manual, start=dt.date(2025, 1, 1), end=dt.date(2025, 12, 31), **fields):
        values = {"value": "10", "evidence": "Time sheets.", **fields}
        return lambda: services.value_set(kpi=kpi, by=mstaff, period_start=start, period_end=end, **values)

    refused(enter(kpi=computed), "computed")
    assert "period_start" in refused(enter(end=dt.date(2025, 6, 30)))
    assert "period_start" in refused(enter(start=dt.date(2099, 1, 1), end=dt.date(2099, 12, 31)), "future")
    assert "evidence" in refused(enter(evidence=""))
    assert "evidence_url" in refused(enter(evidence_url="not a link"))
    assert "value" in refused(enter(value="NaN"))


def test_others_may_not_enter_values(mlab, build):
    from tests.factories import LabMembershipFactory

    kpi = build.kpi("hours", source="manual")
    for role in ("evaluator", "mentor"):
        person = LabMembershipFactory(lab=mlab, role=role).user
        refused(
            lambda person=person: services.value_set(
                kpi=kpi,
                by=person,
                period_start=dt.date(2025, 1, 1),
                period_end=dt.date(2025, 12, 31),
                value=1,
                evidence="x",
            ),
            "not_allowed",
        )


def test_the_periodicity_cannot_change_under_values(mlab, mmanager, mstaff, build):
    kpi = build.kpi("hours", source="manual")
    services.value_set(
        kpi=kpi,
        by=mstaff,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        value=1,
        evidence="x",
    )
    assert "periodicity" in refused(
        lambda: services.kpi_save(lab=mlab, by=mmanager, data={"periodicity": "quarter"}, kpi=kpi)
    )


def test_deactivate_keeps_the_history(mlab, mmanager, build):
    kpi = build.kpi("identified")
    services.kpi_delete(kpi=kpi, by=mmanager)
    kpi.refresh_from_db()
    assert not kpi.is_active
    assert AuditEntry.objects.filter(action="monitoring.kpi_deactivate").count() == 1


def test_refresh_monitoring_keeps_snapshots(world, mlab):
    call_command("refresh_monitoring", mlab.slug)
    keys = set(Snapshot.objects.filter(lab=mlab).values_list("key", flat=True))
    assert {"funnel", "cycle_times"} <= keys
    funnel = lab_funnel(mlab)
    assert funnel.count("submitted") == 4
    assert funnel.computed_at == Snapshot.objects.get(lab=mlab, key="funnel").computed_at
    assert lab_cycle_times(mlab).total_median_days == 578
    call_command("refresh_monitoring")  # again, every lab: replaced, not added
    assert Snapshot.objects.filter(lab=mlab, key="funnel").count() == 1


def test_lab_kpis_read_the_kpi_values_snapshot(world, mlab, mmanager, build):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from govlab.monitoring.selectors import lab_kpis

    kpi = build.kpi("identified")

    def rows():
        with CaptureQueriesContext(connection) as captured:
            result = lab_kpis(mlab, year=2024)
        return result, len(captured)

    live, live_queries = rows()
    assert live[0].computed_at is None
    services.snapshot_refresh(mlab)
    cached, cached_queries = rows()
    assert cached_queries < live_queries
    assert cached[0].computed_at == Snapshot.objects.get(lab=mlab, key="kpi_values").computed_at
    assert [p.value for p in cached[0].series] == [p.value for p in live[0].series]
    # A KPI changed since the snapshot is computed afresh.
    services.kpi_save(lab=mlab, by=mmanager, data={"computation": "challenges_accepted"}, kpi=kpi)
    changed, _queries = rows()
    assert changed[0].computed_at is None
    assert changed[0].latest.value == 2  # A and E accepted in 2024
