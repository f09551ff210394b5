"""Monitoring pages: the role matrix, the figures they render, the public page showing only public KPIs,
and the KPI forms (errors at the field, input kept; targets and manual values through the services)."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse

from govlab.challenges.enums import ChallengeStatus as S
from govlab.monitoring.enums import Category, Periodicity, Source
from govlab.monitoring.models import KpiDefinition, KpiTarget, KpiValue
from tests.factories import LabMembershipFactory, OrganisationMembershipFactory, UserFactory
from tests.monitoring.conftest import at

pytestmark = pytest.mark.django_db

ROLES = ["manager", "staff", "entity_member", "other_lab_staff", "anonymous"]


@pytest.fixture
def data(build, mlab):
    """Three challenges submitted in 2025 (one went back to "more information" and was resubmitted,
    one accepted and sent to a call), a public computed KPI with a target, a secret manual KPI."""
    first = build.challenge(
        (S.SUBMITTED, at(2025, 2, 1)),
        (S.MORE_INFO_REQUESTED, at(2025, 2, 5)),
        (S.SUBMITTED, at(2025, 2, 10)),
        (S.ACCEPTED, at(2025, 3, 1)),
    )
    build.challenge((S.SUBMITTED, at(2025, 4, 1)))
    build.challenge((S.SUBMITTED, at(2025, 5, 1)), (S.ACCEPTED, at(2025, 6, 1)))
    public = build.kpi(
        "identified",
        name={"en": "Challenges identified"},
        unit="challenges",
        is_public=True,
        computation="challenges_identified",
    )
    KpiTarget.objects.create(
        kpi=public, period_start=dt.date(2025, 1, 1), period_end=dt.date(2025, 12, 31), value=Decimal("5")
    )
    secret = build.kpi(
        "secret",
        name={"en": "Hours saved in secret"},
        source=Source.MANUAL,
        category=Category.IMPACT,
        unit="hours",
    )
    KpiValue.objects.create(
        kpi=secret,
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2025, 12, 31),
        value=Decimal("4321"),
        evidence="Time sheets.",
        entered_by=build.user,
    )
    return {"challenge": first, "public": public, "secret": secret}


def browser(role, client, login, build, mlab):
    if role == "anonymous":
        return client
    if role in ("manager", "staff"):
        return login(LabMembershipFactory(lab=mlab, role=role).user)
    if role == "entity_member":
        return login(OrganisationMembershipFactory(organisation=build.entity, role="member").user)
    if role == "other_lab_staff":
        return login(LabMembershipFactory(role="staff").user)
    raise ValueError(role)


def pages(lab, data):
    slug = lab.slug
    kpi = data["public"].pk
    return {
        "dashboard": reverse("monitoring:dashboard", args=[slug]),
        "kpi_list": reverse("monitoring:kpi_list", args=[slug]),
        "kpi_detail": reverse("monitoring:kpi_detail", args=[slug, kpi]),
        "kpi_create": reverse("monitoring:kpi_create", args=[slug]),
        "kpi_edit": reverse("monitoring:kpi_edit", args=[slug, kpi]),
        "target_set": reverse("monitoring:target_set", args=[slug, kpi]),
        "value_set": reverse("monitoring:value_set", args=[slug, data["secret"].pk]),
        "export_csv": reverse("monitoring:export_csv", args=[slug]),
        "export_xlsx": reverse("monitoring:export_xlsx", args=[slug]),
        "funnel_csv": reverse("monitoring:export_funnel_csv", args=[slug]),
        "cycle_csv": reverse("monitoring:export_cycle_times_csv", args=[slug]),
        "report": reverse("monitoring:report", args=[slug, 2025]),
        "challenge": reverse("monitoring:challenge", args=[data["challenge"].reference]),
        "results": reverse("monitoring:results", args=[slug]),
        "cross_lab": reverse("monitoring:cross_lab"),
    }


TEAM = {
    "dashboard",
    "kpi_list",
    "kpi_detail",
    "value_set",
    "export_csv",
    "export_xlsx",
    "funnel_csv",
    "cycle_csv",
    "report",
    "challenge",
    "results",
    "cross_lab",
}
MANAGER_ONLY = {"kpi_create", "kpi_edit", "target_set"}
EXPECTED = {
    "manager": dict.fromkeys(TEAM | MANAGER_ONLY, 200),
    "staff": {**dict.fromkeys(TEAM, 200), **dict.fromkeys(MANAGER_ONLY, 403)},
    "entity_member": {
        **dict.fromkeys(TEAM | MANAGER_ONLY, 404),
        "challenge": 200,
        "results": 200,
    },
    "other_lab_staff": {
        **dict.fromkeys(TEAM | MANAGER_ONLY, 404),
        "results": 200,
        "cross_lab": 200,  # their own lab's row
    },
    "anonymous": {**dict.fromkeys(TEAM | MANAGER_ONLY, 302), "results": 200},
}


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(role, client, login, build, mlab, data):
    who = browser(role, client, login, build, mlab)
    statuses = {name: who.get(address).status_code for name, address in pages(mlab, data).items()}
    assert statuses == EXPECTED[role]


def test_anonymous_is_sent_to_sign_in(client, mlab, data):
    response = client.get(reverse("monitoring:dashboard", args=[mlab.slug]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_public_page_shows_only_public_kpis(client, mlab, data):
    response = client.get(reverse("monitoring:results", args=[mlab.slug]) + "?year=2025")
    html = response.content.decode()
    assert "Challenges identified" in html
    assert "Hours saved in secret" not in html
    assert "4,321" not in html
    assert "4321" not in html
    assert "Time sheets" not in html
    # the figure, big, with its label
    assert re.search(
        r'<span class="figure">3 challenges</span><span class="label"><bdi>Challenges identified', html
    )


def test_an_inactive_lab_has_no_public_results(client, mlab, data):
    mlab.is_active = False
    mlab.save(update_fields=["is_active"])
    assert client.get(reverse("monitoring:results", args=[mlab.slug])).status_code == 404


def test_the_dashboard_renders_the_exact_figures(login, mlab, mmanager, data):
    html = (
        login(mmanager).get(reverse("monitoring:dashboard", args=[mlab.slug]) + "?year=2025").content.decode()
    )
    # Challenges identified in 2025: three (the resubmission is not counted again), target 5, not met.
    assert '<strong class="kpi-value">3 challenges</strong> (2025)' in html
    assert "target: 5 challenges" in html
    assert "Target not met" in html
    # The secret manual KPI, with its evidence, for the team.
    assert "4,321 hours" in html
    assert "Time sheets." in html
    # Every chart sits beside its table.
    assert html.count('role="img"') >= 3
    assert html.count("<caption>") >= html.count('role="img"')
    # The funnel: 3 submitted, 2 accepted (67% of the previous stage); its count links to the records.
    funnel = html[html.index('id="funnel-title"') :]
    assert re.search(r'<th scope="row">Submitted</th>\s*<td class="number"><a href="[^"]+">3<', funnel)
    assert re.search(r"<th scope=\"row\">Accepted</th>\s*<td class=\"number\"><a href=\"[^\"]+\">2<", funnel)
    assert "66.7%" in funnel


def test_the_annual_report_has_its_sections(login, mlab, mmanager, data):
    html = login(mmanager).get(reverse("monitoring:report", args=[mlab.slug, 2025])).content.decode()
    assert "annual report 2025" in html
    for title in ('id="funnel-title"', 'id="cycle-title"', 'id="category-results"', 'id="category-impact"'):
        assert title in html
    assert 'class="report-section"' in html
    assert "monitoring/monitoring.css" in html


def test_report_year_out_of_range_is_404(login, mlab, mmanager):
    assert login(mmanager).get(reverse("monitoring:report", args=[mlab.slug, 1990])).status_code == 404


def test_the_challenge_page_shows_its_time_in_each_state(login, build, mlab, data):
    member = OrganisationMembershipFactory(organisation=build.entity, role="member").user
    html = (
        login(member)
        .get(reverse("monitoring:challenge", args=[data["challenge"].reference]))
        .content.decode()
    )
    assert data["challenge"].reference in html
    assert "More information requested" in html or "more information" in html.lower()
    assert 'role="img"' in html


def test_the_report_does_not_compute_the_trends_it_does_not_show(login, mlab, mmanager, data, monkeypatch):
    from govlab.monitoring import views

    def trends(*args, **kwargs):
        raise AssertionError("the report computed the trends")

    monkeypatch.setattr(views, "trends", trends)
    response = login(mmanager).get(reverse("monitoring:report", args=[mlab.slug, 2025]))
    assert response.status_code == 200
    assert "Challenges identified" in response.content.decode()


def test_the_challenge_page_reads_its_computed_kpis_from_the_snapshot(login, build, mlab, mmanager, data):
    from govlab.monitoring import services

    build.kpi("challenge-identified", scope="challenge", challenge=data["challenge"])
    services.snapshot_refresh(mlab, now=dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC))
    html = (
        login(mmanager)
        .get(reverse("monitoring:challenge", args=[data["challenge"].reference]))
        .content.decode()
    )
    assert "Computed at Jan. 2, 2026, 3:04 a.m.." in html


def test_a_manager_defines_a_kpi(login, mlab, mmanager):
    client = login(mmanager)
    response = client.post(
        reverse("monitoring:kpi_create", args=[mlab.slug]),
        {
            "kpi-code": "accepted",
            "kpi-name_en": "Challenges accepted",
            "kpi-category": Category.RESULTS,
            "kpi-scope": "lab",
            "kpi-source": Source.COMPUTED,
            "kpi-computation": "challenges_accepted",
            "kpi-unit": "challenges",
            "kpi-direction": "up",
            "kpi-periodicity": Periodicity.YEAR,
            "kpi-is_public": "on",
        },
    )
    kpi = KpiDefinition.objects.get(lab=mlab, code="accepted")
    assert response.status_code == 302
    assert response["Location"] == reverse("monitoring:kpi_detail", args=[mlab.slug, kpi.pk])
    assert kpi.is_public
    assert kpi.computation == "challenges_accepted"
    assert kpi.created_by == mmanager


def test_a_kpi_form_with_errors_keeps_the_input(login, mlab, mmanager):
    response = login(mmanager).post(
        reverse("monitoring:kpi_create", args=[mlab.slug]),
        {
            "kpi-code": "satisfaction",
            "kpi-name_en": "",
            "kpi-category": Category.IMPACT,
            "kpi-scope": "lab",
            "kpi-source": Source.MANUAL,
            "kpi-unit": "points out of ten",
            "kpi-direction": "up",
            "kpi-periodicity": Periodicity.YEAR,
        },
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_kpi-name_errors"' in html
    assert 'value="points out of ten"' in html
    assert not KpiDefinition.objects.filter(lab=mlab, code="satisfaction").exists()


def test_a_service_refusal_comes_back_at_the_field(login, mlab, mmanager):
    """A computed KPI without a computation is refused by the service, at the computation field."""
    response = login(mmanager).post(
        reverse("monitoring:kpi_create", args=[mlab.slug]),
        {
            "kpi-code": "nothing",
            "kpi-name_en": "Nothing computed",
            "kpi-category": Category.RESULTS,
            "kpi-scope": "lab",
            "kpi-source": Source.COMPUTED,
            "kpi-computation": "",
            "kpi-direction": "up",
            "kpi-periodicity": Periodicity.YEAR,
        },
    )
    assert response.status_code == 200
    assert 'id="id_kpi-computation_errors"' in response.content.decode()
    assert not KpiDefinition.objects.filter(lab=mlab, code="nothing").exists()


def test_a_manager_follows_a_deactivated_kpi_again(login, mlab, mmanager, mstaff, data):
    from govlab.audit.models import AuditEntry

    kpi = data["public"]
    kpi.is_active = False
    kpi.save(update_fields=["is_active"])
    page = reverse("monitoring:kpi_detail", args=[mlab.slug, kpi.pk])
    address = reverse("monitoring:kpi_reactivate", args=[mlab.slug, kpi.pk])
    assert address in login(mmanager).get(page).content.decode()
    assert login(mstaff).post(address).status_code == 403
    response = login(mmanager).post(address)
    assert response.status_code == 302
    assert response["Location"] == page
    kpi.refresh_from_db()
    assert kpi.is_active
    entry = AuditEntry.objects.get(action="monitoring.kpi_update")
    assert entry.changes["is_active"] == [False, True]
    assert address not in login(mmanager).get(page).content.decode()


def test_a_manager_removes_a_target_from_the_kpi_page(login, mlab, mmanager, mstaff, data):
    from govlab.audit.models import AuditEntry

    kpi = data["public"]
    page = reverse("monitoring:kpi_detail", args=[mlab.slug, kpi.pk])
    address = reverse("monitoring:target_remove", args=[mlab.slug, kpi.pk])
    html = login(mmanager).get(page).content.decode()
    assert address in html
    assert "Remove 2025-01-01" in html
    period = {"period_start": "2025-01-01", "period_end": "2025-12-31"}
    assert login(mstaff).post(address, period).status_code == 403
    assert login(mmanager).post(address, {"period_start": "2025", "period_end": ""}).status_code == 400
    assert KpiTarget.objects.filter(kpi=kpi).exists()
    response = login(mmanager).post(address, period)
    assert response.status_code == 302
    assert response["Location"] == page
    assert not KpiTarget.objects.filter(kpi=kpi).exists()
    assert AuditEntry.objects.filter(action="monitoring.target_remove").count() == 1


def test_a_manager_sets_a_target_and_staff_enter_a_value(login, mlab, mmanager, mstaff, data):
    response = login(mmanager).post(
        reverse("monitoring:target_set", args=[mlab.slug, data["public"].pk]),
        {"target-period": "2026", "target-value": "40"},
    )
    assert response.status_code == 302
    target = KpiTarget.objects.get(kpi=data["public"], period_start=dt.date(2026, 1, 1))
    assert target.value == 40
    assert target.period_end == dt.date(2026, 12, 31)

    response = login(mstaff).post(
        reverse("monitoring:value_set", args=[mlab.slug, data["secret"].pk]),
        {
            "value-period": "2024",
            "value-value": "1200",
            "value-evidence": "The 2024 survey.",
            "value-evidence_url": "https://example.org/survey",
        },
    )
    assert response.status_code == 302
    value = KpiValue.objects.get(kpi=data["secret"], period_start=dt.date(2024, 1, 1))
    assert value.value == 1200
    assert value.evidence == "The 2024 survey."
    assert value.entered_by == mstaff


def test_a_value_with_errors_keeps_the_input(login, mlab, mstaff, data):
    response = login(mstaff).post(
        reverse("monitoring:value_set", args=[mlab.slug, data["secret"].pk]),
        {"value-period": "2024", "value-value": "lots", "value-evidence": "Kept evidence."},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_value-value_errors"' in html
    assert "Kept evidence." in html


def test_a_computed_kpi_takes_no_manual_value(login, mlab, mstaff, data):
    url = reverse("monitoring:value_set", args=[mlab.slug, data["public"].pk])
    assert login(mstaff).post(url, {"value-period": "2024", "value-value": "1"}).status_code == 404


def test_the_cross_lab_view_lists_every_lab_for_a_superuser(login, mlab, other_lab, data):
    admin = UserFactory(is_superuser=True, is_staff=True)
    html = login(admin).get(reverse("monitoring:cross_lab")).content.decode()
    assert reverse("monitoring:dashboard", args=[mlab.slug]) in html
    assert reverse("monitoring:dashboard", args=[other_lab.slug]) in html


def test_the_lab_pages_link_to_monitoring(client, login, mlab, mmanager):
    html = client.get(reverse("labs:detail", args=[mlab.slug])).content.decode()
    assert reverse("monitoring:results", args=[mlab.slug]) in html
    html = login(mmanager).get(reverse("labs:detail", args=[mlab.slug])).content.decode()
    assert reverse("monitoring:dashboard", args=[mlab.slug]) in html


def test_figures_from_a_snapshot_say_when_they_were_computed(login, mlab, mmanager, data):
    from govlab.monitoring import services

    services.snapshot_refresh(mlab, now=dt.datetime(2026, 1, 2, 3, 4, tzinfo=dt.UTC))
    html = (
        login(mmanager).get(reverse("monitoring:dashboard", args=[mlab.slug]) + "?year=2025").content.decode()
    )
    funnel = html[html.index('id="funnel-title"') : html.index('id="cycle-title"')]
    assert "Computed at Jan. 2, 2026, 3:04 a.m.." in funnel
    cycle = html[html.index('id="cycle-title"') :]
    assert "Computed at Jan. 2, 2026, 3:04 a.m.." in cycle
    kpis = html[: html.index('id="funnel-title"')]
    assert "Computed at Jan. 2, 2026, 3:04 a.m.." in kpis
    public = login(mmanager).get(reverse("monitoring:results", args=[mlab.slug]) + "?year=2025")
    assert "Computed at Jan. 2, 2026, 3:04 a.m.." in public.content.decode()


def test_a_manager_stops_following_a_kpi_and_staff_may_not(login, mlab, mmanager, mstaff, data):
    url = reverse("monitoring:kpi_deactivate", args=[mlab.slug, data["public"].pk])
    assert login(mstaff).post(url).status_code == 403
    assert KpiDefinition.objects.get(pk=data["public"].pk).is_active
    response = login(mmanager).post(url)
    assert response.status_code == 302
    assert not KpiDefinition.objects.get(pk=data["public"].pk).is_active
    html = (
        login(mmanager).get(reverse("monitoring:dashboard", args=[mlab.slug]) + "?year=2025").content.decode()
    )
    assert "Challenges identified" not in html.split('id="funnel-title"')[0]


def test_editing_a_kpi_keeps_its_translations_and_changes_its_fields(login, mlab, mmanager, data):
    kpi = data["public"]
    kpi.name = {"en": "Challenges identified", "fr": "Défis identifiés"}
    kpi.save(update_fields=["name"])
    url = reverse("monitoring:kpi_edit", args=[mlab.slug, kpi.pk])
    html = login(mmanager).get(url).content.decode()
    assert 'value="Challenges identified"' in html
    response = login(mmanager).post(
        url,
        {
            "kpi-code": "identified",
            "kpi-name_en": "Needs identified",
            "kpi-category": Category.RESULTS,
            "kpi-scope": "lab",
            "kpi-source": Source.COMPUTED,
            "kpi-computation": "challenges_identified",
            "kpi-unit": "needs",
            "kpi-direction": "up",
            "kpi-periodicity": Periodicity.YEAR,
        },
    )
    assert response.status_code == 302
    kpi.refresh_from_db()
    assert kpi.name == {"en": "Needs identified", "fr": "Défis identifiés"}
    assert kpi.unit == "needs"
    assert not kpi.is_public
