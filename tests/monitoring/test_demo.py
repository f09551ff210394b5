"""The monitoring demo: MiLAB's and LabX's KPIs match the seeds' figures, cite them, and a second run
writes nothing."""

from decimal import Decimal as D

import pytest
from django.db.models import Sum

from govlab.audit.models import AuditEntry
from govlab.monitoring import demo
from govlab.monitoring.models import KpiDefinition, KpiTarget, KpiValue
from govlab.monitoring.selectors import lab_kpis
from tests.factories import LabFactory, LabMembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def labs(db):
    milab = LabFactory(slug="milab", time_zone="America/Bogota", languages=["es", "en"])
    labx = LabFactory(slug="labx", time_zone="Europe/Lisbon", currency="EUR", languages=["pt", "en"])
    for lab, email, role in (
        (milab, demo.MILAB_MANAGER, "manager"),
        (milab, demo.MILAB_STAFF, "staff"),
        (labx, demo.LABX_MANAGER, "manager"),
    ):
        LabMembershipFactory(lab=lab, user=UserFactory(email=email), role=role)
    return milab, labx


def total(lab, code):
    return KpiValue.objects.filter(kpi__lab=lab, kpi__code=code).aggregate(s=Sum("value"))["s"]


def last(lab, code):
    return KpiValue.objects.filter(kpi__lab=lab, kpi__code=code).order_by("-period_start").first()


def test_milab_and_labx_match_the_seeds(labs):
    milab, labx = labs
    created = demo.load()
    assert created["kpis"] == KpiDefinition.objects.count()
    # MiLAB's "Main results": flows add up to the report's totals, the stock ends on it.
    assert total(milab, "reported-challenges-identified") == D(27)
    assert total(milab, "reported-challenges-connected") == D(24)
    assert total(milab, "reported-solutions-strengthened") == D(35)
    assert total(milab, "reported-attendees") == D(6200)
    assert last(milab, "reported-startups-mapped").value == D(185)
    # LabX: cumulative since 2017, the last value the talk's figure.
    assert last(labx, "experiments").value == D(25)
    assert last(labx, "citizens-engaged").value == D(10000)
    assert last(labx, "public-servants-engaged").value == D(2000)
    assert last(labx, "organisations-engaged").value == D(160)
    # Each value cites its source.
    for value in KpiValue.objects.filter(kpi__lab=milab):
        assert "MiLAB" in value.evidence
        assert "Main results" in value.evidence
    assert all("LabX" in value.evidence for value in KpiValue.objects.filter(kpi__lab=labx))
    assert KpiValue.objects.filter(kpi__lab=labx).exclude(evidence_url="").count() == 16
    # Computed KPIs over govlab's own data, some with targets; some published.
    computed = KpiDefinition.objects.filter(lab=milab, source="computed")
    assert computed.count() >= 10
    assert KpiTarget.objects.filter(kpi__lab=milab).exists()
    public = [row.kpi.code for row in lab_kpis(milab, public_only=True, year=2022)]
    assert "reported-challenges-identified" in public
    row = next(row for row in lab_kpis(milab, year=2022) if row.kpi.code == "reported-attendees")
    assert row.latest.value == D(1800)


def test_a_second_run_writes_nothing(labs):
    demo.load()
    counts = (KpiDefinition.objects.count(), KpiValue.objects.count(), KpiTarget.objects.count())
    entries = AuditEntry.objects.count()
    assert demo.load() == {}
    assert (KpiDefinition.objects.count(), KpiValue.objects.count(), KpiTarget.objects.count()) == counts
    assert AuditEntry.objects.count() == entries


def test_nothing_without_the_labs(db):
    assert demo.load() == {}
