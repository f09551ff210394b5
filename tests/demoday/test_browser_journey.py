# ruff: noqa: F811  (fixtures imported from the Demo Day conftest are redefined as arguments)
"""A Demo Day in Portuguese, from planning to the public results, with axe on every page.

The lab's staff member (TOTP) plans the Demo Day of a call whose challenge has two preselected applications
(Alpha and Beta; Gamma was not preselected), puts the cohort on the agenda, copies the call's criteria and
adds a juror from the lab. The juror, on a phone-sized screen, declares no conflict with Alpha and a conflict
with Beta, scores Alpha by tapping the radio buttons and is refused Beta's scoring page. A second juror (the
chair, set up through the services) scores both. The lab closes the scoring, reads the ranking (exact totals
computed by hand below), selects Alpha with reasons and feedback for Beta; the challenge is then "solution
selected", the public results page, read anonymously, names the winner, and Beta's people read the jury's
feedback on their outcome page.

Every English msgid is translated with ``pt()`` so the test holds before and after the catalogues are.
"""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import formats, timezone, translation

from govlab.challenges.enums import ChallengeStatus
from govlab.demoday import services
from govlab.demoday.enums import DemoDayStatus, JurorRole
from govlab.demoday.models import DemoDay, JuryDeclaration, JuryScore, Outcome, Selection
from tests.accounts.conftest import current_totp_code
from tests.browser import BROWSER, assert_accessible, prepare_sign_in, sign_in
from tests.browser import expect as check
from tests.demoday.conftest import cohort_call, criteria_of, give, make_juror_user  # noqa: F401

pytestmark = [*BROWSER, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def pt(message: str) -> str:
    with translation.override("pt"):
        return translation.gettext(message)


def pt_number(value: str) -> str:
    """A decimal as a Portuguese page shows it (a decimal comma)."""
    with translation.override("pt"):
        return formats.localize(Decimal(value), use_l10n=True)


@pytest.fixture
def phone(page, live_server):
    """A phone (390 by 844 pixels, touch) in a browser context of its own, watched as ``page`` is."""
    context = page.context.browser.new_context(
        base_url=live_server.url, viewport=PHONE, has_touch=True, is_mobile=True, device_scale_factor=3
    )
    try:
        phone = context.new_page()
        phone.csp_errors = []
        phone.on("console", lambda m: phone.csp_errors.append(m.text) if m.type == "error" else None)
        phone.set_default_timeout(10_000)
        yield phone
    finally:
        context.close()


def _saving(response) -> bool:
    return response.request.method == "POST" and response.url.endswith("/score/")


def _no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_demo_day_in_portuguese_from_planning_to_the_public_results(
    page, phone, lab, cohort_call, lab_staff, make_juror_user
):
    call = cohort_call
    alpha, beta, gamma = call.cohort
    challenge = alpha.challenge
    lab.languages = ["pt", "en"]
    lab.save(update_fields=["languages"])
    juror = make_juror_user("Joana Jurada")
    chair_user = make_juror_user("Carla Presidente")
    prepare_sign_in(lab_staff, juror, totp=[lab_staff])
    page.set_default_timeout(10_000)
    main = page.locator("main")

    # --- The lab plans the Demo Day of the call. ------------------------------------------------------
    sign_in(page, lab_staff, totp=current_totp_code, language="pt")
    page.goto(f"/pt/demo-day/lab/{lab.slug}/")
    assert_accessible(page)
    check(page.locator("html")).to_have_attribute("lang", "pt")
    page.locator(f"a[href='/pt/demo-day/lab/{lab.slug}/calls/{call.pk}/']").click()
    page.wait_for_url(re.compile(rf"/pt/demo-day/lab/{lab.slug}/calls/{call.pk}/$"))
    assert_accessible(page)
    starts = timezone.localdate() + dt.timedelta(days=7)
    page.locator("input[name=title_pt]").fill("Dia de demonstração Adeus robôs")
    page.locator("input[name=starts_at]").fill(f"{starts.isoformat()}T09:00")
    page.locator("input[name=ends_at]").fill(f"{starts.isoformat()}T13:00")
    page.locator("input[name=place]").fill("Sala do laboratório")
    page.get_by_role("button", name=pt("Save the Demo Day")).click()
    check(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    day = DemoDay.objects.get()
    assert (day.call, day.status, day.title) == (
        call,
        DemoDayStatus.PLANNED,
        {"pt": "Dia de demonstração Adeus robôs"},
    )
    # Typed in the lab's time zone, America/Bogota (UTC-5, no summer time): 09:00 there is 14:00 UTC.
    assert (day.starts_at, day.ends_at) == (
        dt.datetime.combine(starts, dt.time(14, 0), tzinfo=dt.UTC),
        dt.datetime.combine(starts, dt.time(18, 0), tzinfo=dt.UTC),
    )
    base = f"/pt/demo-day/lab/{lab.slug}/{day.pk}"

    # --- The agenda from the cohort: Alpha and Beta, not Gamma. -------------------------------------
    page.get_by_role("link", name=pt("Agenda"), exact=True).click()
    page.wait_for_url(f"**{base}/agenda/")
    assert_accessible(page)
    page.get_by_role("button", name=pt("Put every preselected application on the agenda")).click()
    check(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    check(main.locator("table tbody")).to_contain_text(alpha.reference)
    check(main.locator("table tbody")).to_contain_text(beta.reference)
    check(main.locator("table tbody")).not_to_contain_text(gamma.reference)
    assert list(day.pitches.order_by("order").values_list("application", flat=True)) == [alpha.pk, beta.pk]

    # --- The criteria, copied from the call's evaluation criteria. ------------------------------------
    page.get_by_role("link", name=pt("Criteria"), exact=True).click()
    page.wait_for_url(f"**{base}/criteria/")
    assert_accessible(page)
    page.get_by_role("button", name=pt("Copy the call's criteria")).click()
    check(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    assert [(c.name["en"], str(c.weight)) for c in criteria_of(day)] == [
        ("Innovation", "40.00"),
        ("Feasibility", "35.00"),
        ("Team", "25.00"),
    ]

    # --- A juror from the lab. ----------------------------------------------------------------------
    page.get_by_role("link", name=pt("Jury"), exact=True).click()
    page.wait_for_url(f"**{base}/jury/")
    assert_accessible(page)
    page.locator("select[name=juror-member]").select_option(str(juror.pk))
    page.locator("select[name=juror-role]").select_option(JurorRole.MEMBER.value)
    page.get_by_role("button", name=pt("Add to the jury")).click()
    check(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    check(main.locator("table")).to_contain_text("Joana Jurada")
    member = day.jury.get(user=juror)
    chair = services.juror_add(demo_day=day, user=chair_user, role=JurorRole.CHAIR, by=lab_staff)

    # --- The lab opens the scoring. -------------------------------------------------------------------
    page.get_by_role("link", name=pt("Overview"), exact=True).click()
    page.wait_for_url(f"**{base}/")
    assert_accessible(page)
    page.get_by_role("button", name=pt("Open the jury's scoring")).click()
    check(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    day.refresh_from_db()
    assert day.status == DemoDayStatus.SCORING_OPEN

    # --- The juror, on a phone: no conflict with Alpha, a conflict with Beta. -----------------------
    desk, page = page, phone
    main = page.locator("main")
    assert page.viewport_size == PHONE
    sign_in(page, juror, language="pt")
    page.goto("/pt/demo-day/mine/")
    assert_accessible(page)
    page.get_by_role("link", name="Dia de demonstração Adeus robôs").click()
    page.wait_for_url(f"**/pt/demo-day/{day.pk}/jury/")
    assert_accessible(page)
    assert _no_horizontal_scroll(page)

    page.get_by_role("link", name=pt("Declare for %(reference)s") % {"reference": alpha.reference}).click()
    page.wait_for_url(f"**/pt/demo-day/{day.pk}/jury/{alpha.reference}/declare/")
    assert_accessible(page)
    page.get_by_label(pt("I have no conflict of interest with this applicant")).check()
    page.get_by_role("button", name=pt("Sign the declaration")).click()
    page.wait_for_url(f"**/pt/demo-day/{day.pk}/jury/{alpha.reference}/score/")
    assert_accessible(page)
    assert _no_horizontal_scroll(page)

    # Scores Alpha by tapping: Innovation 3 of 0–3, Feasibility 2, Team 1.
    innovation, feasibility, team = criteria_of(day)
    # Each tap saves at once (HTMX), and the page says so; one at a time, as a finger does.
    saved = re.compile(
        re.escape(pt("Saved at %(saved_at)s.")).replace(re.escape("%(saved_at)s"), r"\d\d:\d\d")
    )
    status = page.locator("#save-status")
    for criterion, level in ((innovation, "3"), (feasibility, "2"), (team, "1")):
        with page.expect_response(
            lambda r: r.request.method == "POST" and r.url.endswith("/score/")
        ) as saving:
            page.locator(f"input[name=c{criterion.pk}][value='{level}']").tap()
        assert saving.value.status == 200
        check(status).to_have_text(saved)
        assert JuryScore.objects.get(member=member, application=alpha, criterion=criterion).score == int(
            level
        )
    # A comment is saved when the field is left (HTMX too): wait for that before tapping "save" (the two
    # writes would race for the test's SQLite database, which locks whole tables).
    note = page.locator(f"textarea[name=note{innovation.pk}]")
    note.fill("Muito original")
    with page.expect_response(_saving) as saving:
        note.blur()
    assert saving.value.status == 200
    page.get_by_role("button", name=pt("Save my scores")).click()
    check(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    assert _no_horizontal_scroll(page)
    check(page.locator(f"input[name=c{feasibility.pk}][value='2']")).to_be_checked()
    assert {
        (s.criterion_id, s.score, s.comment)
        for s in JuryScore.objects.filter(member=member, application=alpha)
    } == {(innovation.pk, 3, "Muito original"), (feasibility.pk, 2, ""), (team.pk, 1, "")}

    page.goto(f"/pt/demo-day/{day.pk}/jury/{beta.reference}/declare/")
    assert_accessible(page)
    page.get_by_label(pt("I have a conflict of interest with this applicant")).check()
    page.get_by_label(pt("Reason for the conflict")).fill("Fui mentora da Beta Voice.")
    page.get_by_role("button", name=pt("Sign the declaration")).click()
    check(page.locator(".message-success")).to_be_visible()
    page.wait_for_url(f"**/pt/demo-day/{day.pk}/jury/")
    assert_accessible(page)
    check(main).to_contain_text(pt("Conflict: you do not score this pitch"))
    declaration = JuryDeclaration.objects.get(member=member, application=beta)
    assert (declaration.has_conflict, declaration.reason) == (True, "Fui mentora da Beta Voice.")

    # Beta is refused to her: no link to score it, her declaration says why, and its scoring page does not
    # exist for her.
    score_beta = pt("Score %(reference)s") % {"reference": beta.reference}
    check(main.get_by_role("link", name=score_beta)).to_have_count(0)
    check(
        main.get_by_role("link", name=pt("Score %(reference)s") % {"reference": alpha.reference})
    ).to_be_visible()
    assert _no_horizontal_scroll(page)
    page.goto(f"/pt/demo-day/{day.pk}/jury/{beta.reference}/declare/")
    assert_accessible(page)
    check(main).to_contain_text(pt("You have a conflict of interest: you do not score this pitch."))
    check(main.locator("form")).to_have_count(0)  # signed: it cannot be changed
    response = page.goto(f"/pt/demo-day/{day.pk}/jury/{beta.reference}/score/")
    assert response.status == 404
    assert_accessible(page)
    assert not JuryScore.objects.filter(member=member, application=beta).exists()

    # The chair scores both (through the services): Alpha (2, 2, 2), Beta (1, 1, 1).
    give(chair, alpha, (2, 2, 2))
    give(chair, beta, (1, 1, 1))

    # --- The lab closes the scoring and reads the ranking. ------------------------------------------
    page = desk
    main = page.locator("main")
    page.goto(f"{base}/declarations/")
    assert_accessible(page)
    check(main).to_contain_text(pt("Conflict"))
    check(main).to_contain_text("Fui mentora da Beta Voice.")
    page.get_by_role("link", name=pt("Overview"), exact=True).click()
    page.wait_for_url(f"**{base}/")
    assert_accessible(page)
    page.get_by_role("button", name=pt("Close the jury's scoring")).click()
    check(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    day.refresh_from_db()
    assert day.status == DemoDayStatus.SCORING_CLOSED

    page.get_by_role("link", name=pt("Ranking and selection"), exact=True).click()
    page.wait_for_url(f"**{base}/ranking/")
    assert_accessible(page)
    # Weights 40/35/25 on a 0–3 scale, so a level counts level/3 of its weight:
    #   Alpha, Joana (3, 2, 1): 40·3/3 + 35·2/3 + 25·1/3 = 40 + 23.333 + 8.333 = 71.67
    #   Alpha, Carla (2, 2, 2): 100·2/3 = 66.67
    #   Alpha: mean (71.67 + 66.67) / 2 = 69.17, spread 71.67 - 66.67 = 5.00, two jurors
    #   Beta, Carla (1, 1, 1): 100·1/3 = 33.33 (Joana declared a conflict: not counted), one juror
    rows = main.locator("table tbody tr")
    check(rows).to_have_count(2)
    check(rows.nth(0).locator("th")).to_contain_text(alpha.reference)
    check(rows.nth(0).locator("td").nth(0)).to_have_text("1")
    check(rows.nth(0).locator("td").nth(1)).to_have_text("2")
    check(rows.nth(0).locator("td").nth(2)).to_have_text(pt_number("69.17"))
    check(rows.nth(0).locator("td").nth(4)).to_have_text(pt_number("5.00"))
    check(rows.nth(1).locator("th")).to_contain_text(beta.reference)
    check(rows.nth(1).locator("td").nth(0)).to_have_text("2")
    check(rows.nth(1).locator("td").nth(1)).to_have_text("1")
    check(rows.nth(1).locator("td").nth(2)).to_have_text(pt_number("33.33"))

    # --- The lab selects Alpha, with reasons, and feedback for Beta. ----------------------------------
    page.get_by_role("link", name=re.compile(re.escape(pt("Selection for this challenge")))).click()
    page.wait_for_url(f"**{base}/selection/{challenge.pk}/")
    assert_accessible(page)
    page.locator(f"input[name=selection-application][value='{alpha.pk}']").check()
    page.locator("textarea[name=selection-reasons]").fill("A solução mais inovadora e viável.")
    page.locator(f"textarea[name=selection-feedback_{beta.pk}]").fill("Boa equipa; falta maturidade.")
    page.get_by_role("button", name=pt("Select this solution")).click()
    check(page.locator(".message-success")).to_be_visible()
    assert_accessible(page)
    check(main).to_contain_text("A solução mais inovadora e viável.")
    selection = Selection.objects.get()
    assert (selection.application, selection.challenge, str(selection.final_score)) == (
        alpha,
        challenge,
        "69.17",
    )
    assert {(o.application_id, o.selected) for o in Outcome.objects.all()} == {
        (alpha.pk, True),
        (beta.pk, False),
    }
    assert Outcome.objects.get(application=beta).feedback == "Boa equipa; falta maturidade."
    day.refresh_from_db()
    assert day.status == DemoDayStatus.DECIDED

    # --- The challenge shows "solution selected". ---------------------------------------------------
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.SOLUTION_SELECTED
    page.goto(f"/pt/challenges/{challenge.reference}/")
    assert_accessible(page)
    check(main).to_contain_text(pt("Solution selected"))

    # --- The public results, read anonymously, name the winner. ---------------------------------------
    page.context.clear_cookies()
    page.goto(f"/pt/demo-day/{lab.slug}/results/")
    assert_accessible(page)
    winner = main.locator("table tbody tr")
    check(winner).to_have_count(1)
    check(winner).to_contain_text("Alpha Robotics")
    check(winner).to_contain_text("Human first")
    check(main).not_to_contain_text("Beta Voice")

    # --- Beta's people read their outcome and the jury's feedback. --------------------------------------
    prepare_sign_in(beta.member)
    sign_in(page, beta.member, language="pt")
    page.goto(f"/pt/demo-day/outcome/{beta.reference}/")
    assert_accessible(page)
    check(main).to_contain_text(pt("Your solution was not selected."))
    check(main).to_contain_text("Boa equipa; falta maturidade.")
    check(main).to_contain_text(pt("The jury's score: %(score)s out of 100.") % {"score": pt_number("33.33")})
