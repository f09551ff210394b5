"""A lab manager's monitoring journey in the browser, in English and in French, with axe on every page:
the dashboard, the KPI list, defining a KPI (an error kept at its field first), seeing it computed,
setting a target, the annual report with its charts and tables, and the public results page."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from govlab.challenges.enums import ChallengeStatus as S
from govlab.monitoring.models import KpiDefinition, KpiTarget
from tests.accounts.conftest import current_totp_code
from tests.browser import BROWSER, assert_accessible, prepare_sign_in, sign_in
from tests.browser import expect as check
from tests.monitoring.conftest import at

pytestmark = [*BROWSER, pytest.mark.django_db(transaction=True)]


def _url(language, name, *args):
    with translation.override(language):
        return reverse(name, args=args)


def _define_and_follow(page, lab, language, code, year):
    page.goto(_url(language, "monitoring:dashboard", lab.slug))
    assert_accessible(page)
    page.goto(_url(language, "monitoring:kpi_list", lab.slug))
    assert_accessible(page)
    page.goto(_url(language, "monitoring:kpi_create", lab.slug))
    assert_accessible(page)

    # Forgetting the name: the error is at the field, what was typed is kept.
    page.fill("#id_kpi-code", code)
    page.locator("input[name='kpi-category'][value='results']").check()
    page.locator("input[name='kpi-source'][value='computed']").check()
    page.locator("input[name='kpi-computation'][value='challenges_identified']").check()
    page.fill("#id_kpi-unit", "challenges")
    page.locator("input[name='kpi-direction'][value='up']").check()
    page.locator("input[name='kpi-periodicity'][value='year']").check()
    page.locator("#id_kpi-is_public").check()
    page.locator("main form button[type=submit]").click()
    check(page.locator("#id_kpi-name_errors")).to_be_visible()
    check(page.locator("#id_kpi-unit")).to_have_value("challenges")
    assert_accessible(page)

    page.fill("#id_kpi-name_0", f"Challenges identified ({language})")
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(re.compile(r".*/monitoring/lab/.+/kpis/\d+/$"))
    assert_accessible(page)
    kpi = KpiDefinition.objects.get(lab=lab, code=code)
    # Seen computed: two challenges were first submitted this year.
    check(page.locator("#series-title + .chart-with-table table")).to_contain_text(str(year))
    check(page.locator("#series-title + .chart-with-table svg[role=img]")).to_have_count(1)

    page.select_option("#id_target-period", str(year))
    page.fill("#id_target-value", "12")
    page.locator("#target-title ~ form button[type=submit]").click()
    page.wait_for_url(re.compile(rf".*/kpis/{kpi.pk}/$"))
    assert_accessible(page)
    assert KpiTarget.objects.get(kpi=kpi, period_start=dt.date(year, 1, 1)).value == 12

    page.goto(_url(language, "monitoring:report", lab.slug, year))
    assert_accessible(page)
    check(page.locator("main")).to_contain_text(f"Challenges identified ({language})")
    assert page.locator("svg[role=img]").count() >= 3
    page.emulate_media(media="print")
    check(page.locator(".lab-nav").first).to_be_hidden()
    check(page.locator(".site-header")).to_be_hidden()
    page.emulate_media(media="screen")
    pdf = page.pdf(format="A4")  # what "Save as PDF" makes: a section a page
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 3  # the summary, the KPIs, the funnel, ...

    page.goto(_url(language, "monitoring:results", lab.slug))
    assert_accessible(page)
    check(page.locator(".big-figures")).to_contain_text(f"Challenges identified ({language})")


def test_a_manager_defines_a_kpi_sets_a_target_and_opens_the_report(page, live_server, build, mlab, mmanager):
    year = timezone.localdate().year
    challenge = build.challenge((S.SUBMITTED, at(year, 1, 2)), (S.ACCEPTED, at(year, 1, 20)))
    build.challenge((S.SUBMITTED, at(year, 1, 5)))
    prepare_sign_in(mmanager, totp=[mmanager])
    page.set_default_timeout(15_000)

    sign_in(page, mmanager, totp=current_totp_code)
    _define_and_follow(page, mlab, "en", "identified-en", year)
    _define_and_follow(page, mlab, "fr", "identified-fr", year)

    # The cross-lab view and the challenge's monitoring page.
    page.goto(_url("en", "monitoring:cross_lab"))
    assert_accessible(page)
    page.get_by_role("link", name=str(mlab)).click()
    page.wait_for_url(re.compile(rf".*/monitoring/lab/{mlab.slug}/$"))
    page.goto(_url("fr", "monitoring:challenge", challenge.reference))
    assert_accessible(page)
    check(page.locator("#timeline-title + .chart-with-table svg[role=img]")).to_have_count(1)
