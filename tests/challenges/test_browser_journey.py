"""The whole challenge journey in one browser run, across both sides, in two languages.

A member of a public entity works in Spanish (``/es/`` addresses) in one browser context; the lab's staff
member works in English in another context of the same browser, on the same live server. Both sign in
through the real sign-in form (the staff member with a real TOTP code). Every step goes through the UI:

entity drafts, is told what is missing, submits → lab screens and asks for more information → entity
reads the request (in "my challenges" and in its notifications), edits and resubmits → lab answers the
viability criteria and accepts → entity starts the characterisation and fills part of it, the lab the
rest → lab tries "ready for a call" with one thing missing, is told exactly what, completes it, marks it
ready. Axe runs on every page either side visits.
"""

import re

import pytest
from django.utils import translation

from govlab.challenges.enums import ChallengeStatus, TeamRole, WorksheetKind
from govlab.challenges.models import Challenge
from govlab.notifications.models import Notification
from tests.accounts.conftest import current_totp_code
from tests.browser import BROWSER, assert_accessible, prepare_sign_in, sign_in
from tests.browser import expect as check
from tests.factories import LabMembershipFactory, OrganisationMembershipFactory, UserFactory

pytestmark = BROWSER

REQUEST = "¿Cuántos formularios al día rellenan los robots?"
ANSWER = "Unos 4.000 al día, según los registros de 2025."


def es(message: str) -> str:
    """The Spanish UI text of ``message`` (to find buttons and links by their Spanish names)."""
    with translation.override("es"):
        return translation.gettext(message)


def _visit(page, url):
    page.goto(url)
    assert_accessible(page)


def _autosaved(page):
    """Wait until the HTMX autosave says the draft is saved (so no save is still on its way)."""
    page.locator("#autosave-status").filter(has_text="Borrador guardado automáticamente").wait_for()


def _field(page, label):
    """The input labelled ``label`` (a required field's label goes on with "(required)")."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}( \(|$)"))


def _decide(page, label, message=""):
    page.get_by_role("radio", name=label, exact=True).check()
    if message:
        page.get_by_label("Message to the entity").fill(message)
    page.get_by_role("button", name="Record the decision").click()


@pytest.mark.django_db(transaction=True)
def test_browser_journey_entity_in_spanish_and_lab_in_english(
    page, live_server, lab, entity, campaign, regime
):
    lab.languages = ["es", "en"]
    lab.save(update_fields=["languages"])
    member = OrganisationMembershipFactory(
        organisation=entity,
        role="member",
        user=UserFactory(full_name="Elena Entidad", preferred_language="es"),
    ).user
    staff = LabMembershipFactory(lab=lab, role="staff", user=UserFactory(full_name="Sam Staff")).user
    prepare_sign_in(member, staff, totp=[staff])
    base = f"/challenges/lab/{lab.slug}"

    entity_page = page  # the entity member's browser context, in Spanish
    entity_page.set_default_timeout(10_000)
    lab_context = page.context.browser.new_context(base_url=live_server.url)
    try:
        lab_page = lab_context.new_page()
        lab_page.set_default_timeout(10_000)
        lab_page.csp_errors = []
        lab_page.on(
            "console",
            lambda message: lab_page.csp_errors.append(message.text) if message.type == "error" else None,
        )
        _journey(check, entity_page, lab_page, lab, member, staff, campaign, regime, base)
    finally:
        lab_context.close()


def _journey(check, entity_page, lab_page, lab, member, staff, campaign, regime, base):
    # --- Both sign in through the real form. -------------------------------------------------------
    sign_in(entity_page, member, language="es")
    assert_accessible(entity_page)
    assert entity_page.locator("html").get_attribute("lang") == "es"
    sign_in(lab_page, staff, totp=current_totp_code)
    assert_accessible(lab_page)

    # --- The entity drafts a challenge for the published campaign (in Spanish). --------------------
    _visit(entity_page, "/es/challenges/mine/")
    check(entity_page.locator("h1")).to_have_text("Mis retos")
    entity_page.get_by_role("link", name="Presentar un nuevo reto").click()
    check(entity_page.locator("h1")).to_have_text("Presentar un nuevo reto")
    assert_accessible(entity_page)
    _field(entity_page, es("Lab")).select_option(str(lab.pk))
    _field(entity_page, es("Call for challenges")).select_option(str(campaign.pk))
    _field(entity_page, es("Title")).fill("Distinguir personas de robots")
    entity_page.get_by_role("button", name="Empezar el borrador").click()
    entity_page.wait_for_url(re.compile(r"/es/challenges/[^/]+/edit/$"))
    challenge = Challenge.objects.get()
    reference = challenge.reference
    assert challenge.title == {"es": "Distinguir personas de robots"}
    assert challenge.campaign == campaign
    check(entity_page.locator("h1")).to_have_text("Describir el reto")
    assert_accessible(entity_page)

    # Submitting too early: the gaps are listed at the fields, nothing is submitted.
    entity_page.locator("#id_country").select_option("")
    _autosaved(entity_page)
    entity_page.get_by_role("button", name="Guardar y enviar al laboratorio").click()
    summary = entity_page.locator(".error-summary")
    check(summary).to_contain_text("Hay un problema")
    check(summary).to_contain_text("Describa el problema (“Nuestro reto es que…”).")
    check(summary).to_contain_text("Indique en qué país se sitúa el reto.")
    assert Challenge.objects.get().status == ChallengeStatus.DRAFT
    assert_accessible(entity_page)

    # Complete the fields (autosave keeps the draft as she types), then submit.
    entity_page.locator("#id_problem_statement_0").fill(
        "Nuestro reto es que los robots rellenan nuestros formularios."
    )
    entity_page.locator("#id_country").select_option("CO")
    entity_page.locator("#id_region").fill("Bogotá")
    entity_page.locator("#id_region").blur()
    _autosaved(entity_page)
    entity_page.get_by_role("button", name="Guardar y enviar al laboratorio").click()
    entity_page.wait_for_url(f"**/es/challenges/{reference}/")
    check(entity_page.locator(".message-success")).to_have_text("Se ha enviado su reto al laboratorio.")
    assert Challenge.objects.get().status == ChallengeStatus.SUBMITTED
    assert_accessible(entity_page)

    # --- The lab screens it and asks for more information. -----------------------------------------
    _visit(lab_page, f"{base}/board/")
    check(lab_page.locator("h1")).to_have_text("Screening board")
    lab_page.get_by_role("link", name="Distinguir personas de robots").click()
    lab_page.wait_for_url(f"**{base}/{reference}/screening/")
    assert_accessible(lab_page)
    _decide(lab_page, "Start screening")
    check(lab_page.locator(".messages")).to_contain_text("The challenge is now: in screening.")
    assert_accessible(lab_page)
    _decide(lab_page, "Ask for more information")  # a message is required
    check(lab_page.locator(".error-summary")).to_be_visible()
    assert Challenge.objects.get().status == ChallengeStatus.IN_SCREENING
    assert_accessible(lab_page)
    _decide(lab_page, "Ask for more information", REQUEST)
    check(lab_page.locator(".messages")).to_contain_text("The challenge is now: more information requested.")
    assert_accessible(lab_page)

    # --- The entity reads the request, in its notifications and in "my challenges". ----------------
    assert list(
        Notification.objects.filter(recipient=member).order_by("pk").values_list("kind", flat=True)
    ) == ["challenge.start_screening", "challenge.request_information"]
    notice = Notification.objects.get(recipient=member, kind="challenge.request_information")
    assert notice.subject == "Nuevo estado de “Distinguir personas de robots”: Más información solicitada"
    _visit(entity_page, "/es/notifications/")
    check(entity_page.locator("h1")).to_have_text("Notificaciones")
    latest = entity_page.locator(".notification").first
    check(latest.locator(".notification-subject")).to_have_text(notice.subject)
    check(latest.locator(".notification-body")).to_have_text(REQUEST)

    _visit(entity_page, "/es/challenges/mine/")
    row = entity_page.locator(".challenge-list li")
    check(row).to_contain_text("El laboratorio solicita:")
    check(row).to_contain_text(REQUEST)
    check(row.locator(".status")).to_have_text("Más información solicitada")
    row.get_by_role("link", name=f"Aportar la información y reenviar {reference}").click()
    entity_page.wait_for_url(f"**/es/challenges/{reference}/edit/")
    check(entity_page.locator("h1")).to_have_text("Aportar la información solicitada")
    check(entity_page.locator(".gaps")).to_contain_text(REQUEST)
    assert_accessible(entity_page)
    entity_page.locator("#id_evidence_quantitative_0").fill(ANSWER)
    entity_page.locator("#id_evidence_quantitative_0").blur()
    _autosaved(entity_page)
    entity_page.get_by_role("button", name="Guardar y reenviar al laboratorio").click()
    entity_page.wait_for_url(f"**/es/challenges/{reference}/")
    assert_accessible(entity_page)
    challenge = Challenge.objects.get()
    assert challenge.status == ChallengeStatus.IN_SCREENING
    assert challenge.evidence_quantitative == {"es": ANSWER}

    # --- The lab answers the viability criteria and accepts. ---------------------------------------
    _visit(lab_page, f"{base}/{reference}/screening/")
    check(lab_page.locator("#summary-title + dl")).to_contain_text(ANSWER)
    for criterion in campaign.criteria.order_by("position"):
        group = lab_page.get_by_role("group", name=str(criterion.name["en"]), exact=True)
        group.get_by_role("radio", name="Met", exact=True).check()
    lab_page.get_by_role("group", name="Clear problem owner", exact=True).get_by_label("Note").fill(
        "The Ministry owns the forms."
    )
    lab_page.get_by_role("button", name="Save the screening answers").click()
    check(lab_page.locator(".messages")).to_contain_text("The screening answers are saved.")
    assert_accessible(lab_page)
    _decide(lab_page, "Accept", "Welcome to the 2026 call.")
    check(lab_page.locator(".messages")).to_contain_text("The challenge is now: accepted.")
    assert_accessible(lab_page)

    # --- The entity starts the characterisation and fills its part. --------------------------------
    _visit(entity_page, f"/es/challenges/{reference}/")
    check(entity_page.locator(".status").first).to_have_text("Aceptado")
    entity_page.get_by_role("button", name=es("Start characterisation")).click()
    entity_page.wait_for_url(f"**/es/challenges/{reference}/characterisation/")
    check(entity_page.locator("h1")).to_have_text("Caracterización")
    assert_accessible(entity_page)

    entity_page.get_by_role("link", name=es(WorksheetKind.PROBLEM_TREE.label)).click()
    check(entity_page.locator("h1")).to_have_text(es(WorksheetKind.PROBLEM_TREE.label))
    assert_accessible(entity_page)
    entity_page.fill("#id_ws-central_problem", "Los robots rellenan los formularios")
    entity_page.fill("#id_ws-causes", "Captcha débil\nSin monitorización")
    entity_page.fill("#id_ws-effects", "Spam en los expedientes")
    entity_page.check("#id_ws-complete")
    entity_page.get_by_role("button", name=es("Save a new version")).click()
    check(entity_page.locator(".message-success")).to_have_text(es("The worksheet is saved."))
    assert_accessible(entity_page)

    entity_page.get_by_role("link", name=es(WorksheetKind.HOW_MIGHT_WE.label)).click()
    assert_accessible(entity_page)
    entity_page.fill("#id_ws-statements", "¿Cómo podríamos distinguir personas de robots sin acertijos?")
    entity_page.check("#id_ws-complete")
    entity_page.get_by_role("button", name=es("Save a new version")).click()
    check(entity_page.locator(".message-success")).to_have_text(es("The worksheet is saved."))
    assert_accessible(entity_page)

    entity_page.fill("#id_budget-budget_amount", "150000000")
    entity_page.select_option("#id_budget-budget_currency", "COP")
    entity_page.fill("#id_budget-budget_source", "Presupuesto 2026, línea 4")
    entity_page.get_by_role("button", name=es("Confirm the budget")).click()
    check(entity_page.locator(".message-success")).to_have_text(es("The budget is confirmed."))
    assert_accessible(entity_page)

    for role, name in ((TeamRole.LEGAL, "Ana Legal"), (TeamRole.INNOVATION, "Iván Innovación")):
        entity_page.select_option("#id_team-role", role)
        entity_page.fill("#id_team-name", name)
        entity_page.get_by_role("button", name=es("Add to the team")).click()
        check(entity_page.locator(".message-success")).to_have_text(es("The team member is added."))
    check(entity_page.locator("section[aria-labelledby=team-title] table")).to_contain_text("Iván Innovación")
    assert_accessible(entity_page)

    # --- The lab fills the rest, and is told exactly what is still missing. ------------------------
    _visit(lab_page, f"{base}/{reference}/characterise/")
    check(lab_page.locator(".status-line")).to_contain_text("Characterising")
    lab_page.locator("#worksheets").get_by_role("link", name="Needs analysis").click()
    check(lab_page.locator("h1")).to_have_text("Needs analysis")
    assert_accessible(lab_page)
    lab_page.fill("#id_worksheet-needs-0-need", "Formularios que las personas ciegas puedan rellenar")
    lab_page.fill("#id_worksheet-needs-0-who", "Ciudadanía")
    lab_page.get_by_label("This worksheet is complete").check()
    lab_page.get_by_role("button", name="Save a new version").click()
    check(lab_page.locator(".messages")).to_contain_text("The worksheet is saved as a new version.")
    assert_accessible(lab_page)

    lab_page.get_by_role("link", name="Back to the characterisation").click()
    lab_page.wait_for_url(f"**{base}/{reference}/characterise/#worksheets")
    lab_page.fill("#id_details-technical_characteristics_0", "Formularios web del portal ciudadano")
    lab_page.fill("#id_details-required_functionalities_0", "Distinguir personas de robots, accesible")
    lab_page.get_by_label("Expected duration (months)").fill("6")
    lab_page.get_by_label("Estimated cost", exact=True).fill("120000000")
    lab_page.get_by_label("Currency of the estimated cost").select_option("COP")
    lab_page.get_by_label("Legal regime", exact=True).select_option(str(regime.pk))
    lab_page.get_by_label("Infrastructure to host a pilot is available").check()
    lab_page.get_by_role("button", name="Save the characterisation").click()
    check(lab_page.locator(".messages")).to_contain_text("The characterisation is saved.")
    assert_accessible(lab_page)
    lab_page.select_option("#id_team-role", TeamRole.TECHNOLOGY)
    lab_page.fill("#id_team-name", "Tomás Tecnología")
    lab_page.get_by_role("button", name="Add to the team").click()
    check(lab_page.locator(".messages")).to_contain_text("The team member is added.")
    assert_accessible(lab_page)

    # One role of the team is still missing: the lab is told exactly that, and nothing changes.
    check(lab_page.locator("#readiness ul.gaps li")).to_have_text(
        ["Name the multidisciplinary team: strategy missing."]
    )
    lab_page.get_by_role("button", name="Mark ready for a call").click()
    check(lab_page.locator(".error-summary")).to_contain_text("The readiness checklist is not met yet.")
    check(lab_page.locator("#readiness ul.gaps li")).to_have_text(
        ["Name the multidisciplinary team: strategy missing."]
    )
    assert Challenge.objects.get().status == ChallengeStatus.CHARACTERISING
    assert_accessible(lab_page)

    # The entity sees the same single gap in "my challenges".
    _visit(entity_page, "/es/challenges/mine/")
    check(entity_page.locator(".challenge-list .gaps li")).to_have_text(
        [es("Name the multidisciplinary team: %(roles)s missing.") % {"roles": es("Strategy").lower()}]
    )

    lab_page.select_option("#id_team-role", TeamRole.STRATEGY)
    lab_page.fill("#id_team-name", "Sara Estrategia")
    lab_page.get_by_role("button", name="Add to the team").click()
    check(lab_page.locator("#readiness .checklist-met")).to_have_text("The readiness checklist is met.")
    assert_accessible(lab_page)
    lab_page.get_by_role("button", name="Mark ready for a call").click()
    check(lab_page.locator(".messages")).to_contain_text("The challenge is now: ready for a call.")
    assert_accessible(lab_page)

    # --- The final state, in the database and on the challenge's page. -----------------------------
    challenge = Challenge.objects.get()
    assert challenge.status == ChallengeStatus.READY_FOR_CALL
    assert challenge.budget_confirmed_by == member
    assert challenge.budget_currency == "COP"
    assert challenge.legal_regime == regime
    assert challenge.pilot_infrastructure_available is True
    assert challenge.readiness_override == ""
    assert challenge.decision_message == "Welcome to the 2026 call."
    assert sorted(challenge.team.values_list("role", "name")) == [
        ("innovation", "Iván Innovación"),
        ("legal", "Ana Legal"),
        ("strategy", "Sara Estrategia"),
        ("technology", "Tomás Tecnología"),
    ]
    assert sorted(challenge.worksheets.filter(is_complete=True).values_list("kind", flat=True)) == [
        "how_might_we",
        "needs_analysis",
        "problem_tree",
    ]
    transitions = [
        (step.from_status, step.to_status, step.actor_id, step.reason)
        for step in challenge.transitions.order_by("created_at", "pk")
    ]
    assert transitions == [
        ("", "draft", member.pk, ""),
        ("draft", "submitted", member.pk, ""),
        ("submitted", "in_screening", staff.pk, ""),
        ("in_screening", "more_info_requested", staff.pk, REQUEST),
        ("more_info_requested", "in_screening", member.pk, ""),
        ("in_screening", "accepted", staff.pk, "Welcome to the 2026 call."),
        ("accepted", "characterising", member.pk, ""),
        ("characterising", "ready_for_call", staff.pk, ""),
    ]

    _visit(entity_page, f"/es/challenges/{reference}/")
    check(entity_page.locator(".status").first).to_have_text("Listo para convocatoria")
    check(entity_page.locator("h2", has_text="Cronología")).to_be_visible()
    steps = entity_page.locator("ol.timeline > li")
    check(steps).to_have_count(8)
    check(steps.nth(0)).to_contain_text("Borrador")
    check(steps.nth(3)).to_contain_text(REQUEST)
    check(steps.nth(7)).to_contain_text("Listo para convocatoria")
    check(steps.nth(7)).to_contain_text("Sam Staff")

    _visit(lab_page, f"/challenges/{reference}/")
    steps = lab_page.locator("ol.timeline > li")
    check(steps).to_have_count(8)
    check(steps.nth(1)).to_contain_text("from Draft to Submitted")
    check(steps.nth(4)).to_contain_text("from More information requested to In screening")
    check(steps.nth(4)).to_contain_text("Elena Entidad")
    check(steps.nth(7)).to_contain_text("from Characterising to Ready for a call")
