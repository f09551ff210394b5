"""The Demo Day pages: the lab's setup, declarations overview, ranking and selection; the jury's pages
(declare, score on the phone page); the public results and a solver's outcome. Role matrix, forms kept on
refusal, query counts."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from govlab.challenges.enums import ChallengeStatus
from govlab.demoday import services
from govlab.demoday.enums import DemoDayStatus
from govlab.demoday.models import DemoDay, JuryDeclaration, JuryScore, Outcome, Selection
from tests.demoday.conftest import criteria_of
from tests.factories import LabMembershipFactory

pytestmark = pytest.mark.django_db


def _lab_url(name, day, *args):
    return reverse(f"demoday:{name}", args=[day.call.lab.slug, day.pk, *args])


def _lab_pages(day):
    challenge = day.alpha.challenge
    return {
        "index": reverse("demoday:lab_index", args=[day.call.lab.slug]),
        "for_call": reverse("demoday:lab_for_call", args=[day.call.lab.slug, day.call.pk]),
        "detail": _lab_url("lab_detail", day),
        "edit": _lab_url("lab_edit", day),
        "agenda": _lab_url("lab_agenda", day),
        "criteria": _lab_url("lab_criteria", day),
        "jury": _lab_url("lab_jury", day),
        "declarations": _lab_url("lab_declarations", day),
        "ranking": _lab_url("lab_ranking", day),
        "selection": _lab_url("lab_selection", day, challenge.pk),
        "scores_csv": _lab_url("lab_export_scores_csv", day),
        "scores_xlsx": _lab_url("lab_export_scores_xlsx", day),
        "ranking_csv": _lab_url("lab_export_ranking_csv", day),
        "ranking_xlsx": _lab_url("lab_export_ranking_xlsx", day),
    }


ROLES = ["lab_staff", "manager", "juror", "solver", "other_lab_staff", "anonymous"]


def _browser(role, client, login, day):
    if role == "anonymous":
        return client
    if role == "lab_staff":
        return login(day.staff)
    if role == "manager":
        return login(LabMembershipFactory(lab=day.call.lab, role="manager").user)
    if role == "juror":
        return login(day.jurors[0].user)
    if role == "solver":
        return login(day.alpha.member)
    return login(LabMembershipFactory(role="staff").user)


@pytest.fixture
def day(scored_day, lab_staff):
    scored_day.staff = lab_staff
    return scored_day


@pytest.mark.parametrize("role", ROLES)
def test_lab_pages_for_the_lab_team_only(role, client, login, day):
    browser = _browser(role, client, login, day)
    for name, url in _lab_pages(day).items():
        response = browser.get(url)
        if role in ("lab_staff", "manager"):
            expected = 302 if name == "for_call" else 200
            assert response.status_code == expected, (name, response.status_code)
        elif role == "anonymous":
            assert response.status_code == 302, name
            assert "/accounts/login/" in response["Location"], name
        else:
            assert response.status_code == 404, (role, name)


@pytest.mark.parametrize("role", ROLES)
def test_jury_pages_for_the_juror_only(role, client, login, day):
    browser = _browser(role, client, login, day)
    pages = {
        "day": reverse("demoday:jury_day", args=[day.pk]),
        "declare": reverse("demoday:declare", args=[day.pk, day.beta.reference]),
        "score": reverse("demoday:score", args=[day.pk, day.beta.reference]),
    }
    for name, url in pages.items():
        response = browser.get(url)
        if role == "juror":
            assert response.status_code == 200, name
        elif role == "anonymous":
            assert response.status_code == 302, name
        else:
            assert response.status_code == 404, (role, name)
    mine = browser.get(reverse("demoday:mine"))
    if role == "anonymous":
        assert mine.status_code == 302
    else:
        assert mine.status_code == 200
        assert (str(day.title["en"]) in mine.content.decode()) == (role == "juror")


def test_a_juror_reaches_only_non_recused_pitches_of_their_own_demo_day(client, login, day, make_demo_day):
    cy = day.jurors[2]
    browser = login(cy.user)
    assert browser.get(reverse("demoday:score", args=[day.pk, day.alpha.reference])).status_code == 404
    assert browser.get(reverse("demoday:score", args=[day.pk, day.beta.reference])).status_code == 200
    assert browser.get(reverse("demoday:score", args=[day.pk, day.gamma.reference])).status_code == 404
    page = browser.get(reverse("demoday:jury_day", args=[day.pk])).content.decode()
    assert "Conflict: you do not score this pitch" in page


def test_lab_staff_create_a_demo_day_in_the_labs_time_zone(client, login, cohort_call, lab_staff):
    lab = cohort_call.lab
    lab.time_zone = "Europe/Luxembourg"
    lab.save()
    browser = login(lab_staff)
    url = reverse("demoday:lab_for_call", args=[lab.slug, cohort_call.pk])
    data = {
        "title_en": "Demo Day",
        "starts_at": "2027-06-10T14:00",
        "ends_at": "2027-06-10T13:00",
        "place": "Lab room",
        "link": "",
    }
    for code in lab.languages[1:]:
        data[f"title_{code}"] = ""
    response = browser.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The Demo Day must end after it starts." in page
    assert 'value="Lab room"' in page
    assert not DemoDay.objects.exists()
    data["ends_at"] = "2027-06-10T18:00"
    response = browser.post(url, data)
    day = DemoDay.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("demoday:lab_detail", args=[lab.slug, day.pk])
    assert day.starts_at == dt.datetime(2027, 6, 10, 12, 0, tzinfo=dt.UTC)
    assert day.ends_at == dt.datetime(2027, 6, 10, 16, 0, tzinfo=dt.UTC)


def test_juror_declares_then_scores_on_the_phone_page(client, login, ready_day, lab_staff):
    services.demo_day_set_status(demo_day=ready_day, status=DemoDayStatus.SCORING_OPEN, by=lab_staff)
    ana = ready_day.jurors[0]
    browser = login(ana.user)
    score_url = reverse("demoday:score", args=[ready_day.pk, ready_day.alpha.reference])
    response = browser.get(score_url)
    assert response.status_code == 302
    assert response["Location"] == reverse("demoday:declare", args=[ready_day.pk, ready_day.alpha.reference])
    response = browser.post(response["Location"], {"declaration": "none", "reason": ""})
    assert response["Location"] == score_url
    page = browser.get(score_url).content.decode()
    assert page.count('type="radio"') == 4 * 5  # four criteria, five levels each
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)  # no inline script (strict CSP)
    assert 'style="' not in page
    criteria = criteria_of(ready_day)
    data = {f"c{c.pk}": "4" for c in criteria}
    data.update({f"note{c.pk}": "" for c in criteria})
    data[f"note{criteria[0].pk}"] = "Clear."
    data["next"] = "1"
    response = browser.post(score_url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("demoday:score", args=[ready_day.pk, ready_day.beta.reference])
    assert sorted(JuryScore.objects.filter(member=ana).values_list("score", flat=True)) == [4, 4, 4, 4]
    assert JuryScore.objects.get(member=ana, criterion=criteria[0]).comment == "Clear."


def test_score_after_close_on_the_phone_page_is_refused_with_input_kept(client, login, ready_day, lab_staff):
    services.demo_day_set_status(demo_day=ready_day, status=DemoDayStatus.SCORING_OPEN, by=lab_staff)
    ana = ready_day.jurors[0]
    services.jury_declare(member=ana, application=ready_day.alpha, has_conflict=False, by=ana.user)
    services.demo_day_set_status(demo_day=ready_day, status=DemoDayStatus.SCORING_CLOSED, by=lab_staff)
    browser = login(ana.user)
    criteria = criteria_of(ready_day)
    data = {f"c{c.pk}": "3" for c in criteria}
    data[f"note{criteria[0].pk}"] = "Typed after the close."
    response = browser.post(reverse("demoday:score", args=[ready_day.pk, ready_day.alpha.reference]), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "scores can no longer be given or changed" in page
    assert "Typed after the close." in page
    assert 'class="error-summary"' in page or "error-summary" in page
    assert not JuryScore.objects.exists()


def test_conflict_declared_on_the_page_recuses(client, login, ready_day):
    cy = ready_day.jurors[2]
    browser = login(cy.user)
    url = reverse("demoday:declare", args=[ready_day.pk, ready_day.alpha.reference])
    response = browser.post(url, {"declaration": "conflict", "reason": ""})
    assert response.status_code == 200
    assert "Say why you have a conflict of interest." in response.content.decode()
    assert not JuryDeclaration.objects.exists()
    response = browser.post(url, {"declaration": "conflict", "reason": "My cousin founded it."})
    assert response["Location"] == reverse("demoday:jury_day", args=[ready_day.pk])
    assert JuryDeclaration.objects.get().has_conflict is True


def test_selection_form_selects_and_the_outcome_and_results_show(client, login, day):
    browser = login(day.staff)
    url = _lab_url("lab_selection", day, day.alpha.challenge.pk)
    data = {
        "selection-application": str(day.alpha.pk),
        "selection-reasons": "Best impact.",
        f"selection-feedback_{day.beta.pk}": "",
        f"selection-feedback_{day.alpha.pk}": "",
    }
    response = browser.post(url, data)
    assert response.status_code == 200
    assert "Write the feedback for this solver" in response.content.decode()
    assert not Selection.objects.exists()
    data[f"selection-feedback_{day.beta.pk}"] = "Close second."
    response = browser.post(url, data)
    assert response.status_code == 302
    assert Selection.objects.get().application_id == day.alpha.pk
    day.alpha.challenge.refresh_from_db()
    assert day.alpha.challenge.status == ChallengeStatus.SOLUTION_SELECTED
    # The solver of Beta reads their own outcome; Alpha's solver cannot read Beta's.
    beta_outcome = reverse("demoday:outcome", args=[day.beta.reference])
    assert "Close second." in login(day.beta.member).get(beta_outcome).content.decode()
    assert login(day.alpha.member).get(beta_outcome).status_code == 404
    # The public results show the winner, to anyone.
    client.logout()
    results = client.get(reverse("demoday:results", args=[day.call.lab.slug]))
    page = results.content.decode()
    assert results.status_code == 200
    assert "Alpha Robotics" in page
    assert "Beta Voice" not in page


def test_selection_form_refuses_an_application_that_was_not_preselected(client, login, day):
    browser = login(day.staff)
    url = _lab_url("lab_selection", day, day.alpha.challenge.pk)
    response = browser.post(
        url,
        {
            "selection-application": str(day.gamma.pk),
            "selection-reasons": "Because.",
            f"selection-feedback_{day.beta.pk}": "No.",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Selection.objects.exists()
    assert not Outcome.objects.exists()


def test_results_hide_undecided_demo_days_and_inactive_labs(client, day):
    url = reverse("demoday:results", args=[day.call.lab.slug])
    page = client.get(url).content.decode()
    assert "No Demo Day has been decided yet." in page
    lab = day.call.lab
    lab.is_active = False
    lab.save()
    assert client.get(url).status_code == 404


def test_ranking_page_shows_exact_values_in_bounded_queries(
    client, login, day, django_assert_max_num_queries
):
    browser = login(day.staff)
    browser.get(_lab_url("lab_ranking", day))  # warm the session and caches
    with django_assert_max_num_queries(20):
        response = browser.get(_lab_url("lab_ranking", day))
    page = response.content.decode()
    assert "76.88" in page
    assert "63.75" in page
    assert "25.88" in page


def test_declarations_overview_shows_gaps(client, login, day):
    page = login(day.staff).get(_lab_url("lab_declarations", day)).content.decode()
    # Alpha: Ana, Bo none; Cy conflict; the observer has not declared (2 gaps: one per pitch).
    assert "2 declarations are missing." in page
    assert "I advised Alpha last year." in page


def test_jury_day_page_queries_do_not_grow_with_pitches(client, login, day, django_assert_max_num_queries):
    browser = login(day.jurors[0].user)
    browser.get(reverse("demoday:jury_day", args=[day.pk]))
    with django_assert_max_num_queries(16):
        browser.get(reverse("demoday:jury_day", args=[day.pk]))


def test_exports_have_the_ranking_and_scores(client, login, day):
    browser = login(day.staff)
    text = browser.get(_lab_url("lab_export_ranking_csv", day)).content.decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert lines[0].startswith("Challenge,Rank,Reference,Organisation,Solution,Jurors,Mean (0–100)")
    assert lines[1].split(",")[1:4] == ["1", day.alpha.reference, "Alpha Robotics"]
    assert lines[1].split(",")[5:9] == ["2", "76.88", "1.88", "3.75"]
    scores = (
        browser.get(_lab_url("lab_export_scores_csv", day)).content.decode("utf-8-sig").strip().split("\r\n")
    )
    # Ana 4 + Bo 4 on Alpha, Ana 4 + Bo 4 + Cy 4 on Beta; Cy's conflict leaves no row for Alpha.
    assert len(scores) == 1 + 20
    xlsx = browser.get(_lab_url("lab_export_ranking_xlsx", day))
    assert xlsx["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    from io import BytesIO

    from openpyxl import load_workbook

    sheet = load_workbook(BytesIO(xlsx.content)).active
    assert sheet.cell(row=2, column=7).value == 76.88 or sheet.cell(row=2, column=7).value == Decimal("76.88")


def test_status_buttons_open_and_close_scoring(client, login, ready_day, lab_staff):
    browser = login(lab_staff)
    url = _lab_url("lab_status", ready_day)
    browser.post(url, {"status": "scoring_open"})
    ready_day.refresh_from_db()
    assert ready_day.status == DemoDayStatus.SCORING_OPEN
    browser.post(url, {"status": "decided"})
    ready_day.refresh_from_db()
    assert ready_day.status == DemoDayStatus.SCORING_OPEN
    assert ready_day.scoring_opened_at <= timezone.now()


def test_htmx_saves_as_the_juror_taps(client, login, ready_day, lab_staff):
    services.demo_day_set_status(demo_day=ready_day, status=DemoDayStatus.SCORING_OPEN, by=lab_staff)
    ana = ready_day.jurors[0]
    services.jury_declare(member=ana, application=ready_day.alpha, has_conflict=False, by=ana.user)
    browser = login(ana.user)
    url = reverse("demoday:score", args=[ready_day.pk, ready_day.alpha.reference])
    assert 'hx-trigger="change"' in browser.get(url).content.decode()
    first = criteria_of(ready_day)[0]
    response = browser.post(url, {f"c{first.pk}": "2"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.content.decode().strip().startswith("Saved at ")
    assert list(JuryScore.objects.values_list("criterion_id", "score")) == [(first.pk, 2)]
    services.demo_day_set_status(demo_day=ready_day, status=DemoDayStatus.SCORING_CLOSED, by=lab_staff)
    response = browser.post(url, {f"c{first.pk}": "5"}, HTTP_HX_REQUEST="true")
    text = response.content.decode()
    assert "Not saved:" in text
    assert "scores can no longer be given or changed" in text
    assert JuryScore.objects.get().score == 2
