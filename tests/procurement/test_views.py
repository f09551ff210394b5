"""Procurement pages: the role matrix (the lab's team, the entity, the awarded supplier, everyone else),
the flow through the forms (route → process → step → award → cancel) with refusals kept at the field,
the reference data forms, exports, the challenge page's partial, and query counts flat in the rows."""

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from govlab.procurement import services
from govlab.procurement.models import ProcessStep, ProcurementProcess, Threshold
from tests.factories import LabMembershipFactory, OrganisationMembershipFactory

pytestmark = pytest.mark.django_db

ROLES = ["manager", "staff", "entity", "supplier", "other_org", "other_lab_staff", "anonymous"]
TEAM = {"manager", "staff"}
MANAGERS = TEAM | {"entity"}


@pytest.fixture
def person(selected, lab_manager, other_lab_staff):
    def resolve(role):
        return {
            "manager": lab_manager,
            "staff": selected.staff,
            "entity": selected.entity_user,
            "supplier": OrganisationMembershipFactory(organisation=selected.supplier).user,
            "other_org": OrganisationMembershipFactory().user,
            "other_lab_staff": other_lab_staff,
            "anonymous": None,
        }[role]

    return resolve


@pytest.fixture
def as_role(client, login, person):
    def sign_in(role):
        user = person(role)
        return login(user) if user is not None else client

    return sign_in


def expect(response, allowed: bool, role: str):
    if role == "anonymous":
        assert response.status_code == 302
        assert "/login" in response["Location"] or "accounts" in response["Location"]
    elif allowed:
        assert response.status_code == 200, (role, response.status_code)
    else:
        assert response.status_code == 404, (role, response.status_code)


@pytest.mark.parametrize("role", ROLES)
def test_lab_pages_are_the_team_s(role, as_role, selected, routes):
    client = as_role(role)
    lab = selected.lab
    for url in (
        reverse("procurement:lab_list", args=[lab.slug]),
        reverse("procurement:procedures", args=[lab.slug]),
        reverse("procurement:procedure", args=[lab.slug, routes.ppi.pk]),
        reverse("procurement:lab_export_csv", args=[lab.slug]),
    ):
        expect(client.get(url), role in TEAM, role)


@pytest.mark.parametrize("role", ROLES)
def test_route_options_are_for_the_lab_and_the_entity(role, as_role, selected, routes):
    response = as_role(role).get(reverse("procurement:routes", args=[selected.challenge.reference]))
    expect(response, role in MANAGERS, role)
    if role in MANAGERS:
        html = response.content.decode()
        assert "not legal advice" in html
        assert "Decree 1082, art. 5" in html  # the threshold that allows PPI
        assert "no threshold for this regime" in html  # the manual route, not available
        assert html.index("Public procurement of innovation") < html.index("Manual procedure")


def test_route_options_ignore_a_value_that_is_not_an_amount(login, selected, routes):
    client = login(selected.staff)
    url = reverse("procurement:routes", args=[selected.challenge.reference])
    typed = client.get(url + "?value=150,000&currency=COP")
    assert typed.status_code == 200
    assert typed.context["value"] == Decimal("150000")
    default = client.get(url).context["value"]
    for nonsense in ("NaN", "Infinity", "abc"):  # NaN used to answer 500
        response = client.get(url + f"?value={nonsense}")
        assert response.status_code == 200
        assert response.context["value"] == default


def test_the_step_form_speaks_the_reader_s_language():
    from django.utils import translation

    from govlab.procurement.forms import StepForm

    with translation.override("es"):
        assert str(StepForm().fields["document"].help_text).startswith("Tipos aceptados: PDF")
    with translation.override("en"):
        assert str(StepForm().fields["document"].help_text).startswith("Accepted types: PDF")


def test_what_was_typed_survives_the_end_of_the_session(client, login, selected, make_process):
    """As on the other apps' forms: posted signed out, kept, and shown again (not saved) after signing in."""
    process = make_process()
    cancel_url = reverse("procurement:cancel", args=[process.pk])
    response = client.post(cancel_url, {"reason": "The budget was cut."})
    assert response.status_code == 302
    award_url = reverse("procurement:award", args=[process.pk])
    assert client.post(award_url, {"award-reasons": "Best value."}).status_code == 302
    login(selected.staff)
    page = client.get(reverse("procurement:detail", args=[process.pk]))
    assert page.context["award_form"]["reasons"].value() == "Best value."
    client.logout()
    client.post(cancel_url, {"reason": "The budget was cut."})
    login(selected.staff)
    page = client.get(cancel_url)
    assert page.context["form"]["reason"].value() == "The budget was cut."
    process.refresh_from_db()
    assert process.status != "cancelled"


@pytest.mark.parametrize("role", ROLES)
def test_process_pages_by_role(role, as_role, selected, make_process):
    process = make_process()
    services.process_award(
        process=process,
        by=selected.staff,
        reasons="Best value.",
        awards=[
            {"supplier": selected.supplier, "application": selected.application, "value": Decimal("140000")}
        ],
    )
    client = as_role(role)
    expect(
        client.get(reverse("procurement:detail", args=[process.pk])), role in MANAGERS | {"supplier"}, role
    )
    step = process.steps.first()
    for url in (
        reverse("procurement:edit", args=[process.pk]),
        reverse("procurement:step", args=[process.pk, step.pk]),
        reverse("procurement:cancel", args=[process.pk]),
    ):
        response = client.get(url)
        if role == "supplier":
            assert response.status_code == 403
        else:
            expect(response, role in MANAGERS, role)


def test_the_supplier_sees_nothing_before_the_award(login, selected, make_process):
    process = make_process()
    supplier = OrganisationMembershipFactory(organisation=selected.supplier).user
    assert login(supplier).get(reverse("procurement:detail", args=[process.pk])).status_code == 404


def test_the_flow_through_the_forms(login, selected, routes, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = login(selected.staff)
    url = reverse("procurement:create", args=[selected.challenge.reference, routes.ppi.pk])
    assert client.get(url + "?value=150000&currency=COP").status_code == 200
    # Too high a value for the route: refused, nothing written, the reasons shown and the input kept.
    response = client.post(
        url,
        {
            "estimated_value": "250000",
            "currency": "COP",
            "route_justification": "New to the market.",
            "applications": [selected.application.pk],
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "at or above the maximum 200,000 COP of Decree 1082, art. 5" in html
    assert "New to the market." in html
    assert not ProcurementProcess.objects.exists()
    response = client.post(
        url,
        {
            "estimated_value": "150000",
            "currency": "COP",
            "route_justification": "New to the market.",
            "applications": [selected.application.pk],
        },
    )
    process = ProcurementProcess.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("procurement:detail", args=[process.pk])
    selected.challenge.refresh_from_db()
    assert selected.challenge.status == "procuring"
    detail = client.get(response["Location"])
    assert "Needs assessment" in detail.content.decode()
    # A step with its document.
    step = process.steps.get(kind="needs_assessment")
    response = client.post(
        reverse("procurement:step", args=[process.pk, step.pk]),
        {
            "planned_on": "2026-01-05",
            "done_on": "2026-01-06",
            "notes": "With the entity.",
            "document": SimpleUploadedFile("needs.pdf", b"%PDF-1.4 x", content_type="application/pdf"),
            "document_is_public": "on",
        },
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert step.document_name == "needs.pdf"
    download = client.get(reverse("procurement:step_document", args=[process.pk, step.pk]))
    assert download.status_code == 200
    # A bad file is refused at the field.
    response = client.post(
        reverse("procurement:step", args=[process.pk, step.pk]),
        {"document": SimpleUploadedFile("x.pdf", b"nope", content_type="application/pdf")},
    )
    assert response.status_code == 200
    assert "does not contain what its name says" in response.content.decode()
    # The award: a value of 0 refused at the supplier's field, then a good one.
    award_url = reverse("procurement:award", args=[process.pk])
    field = f"award-value_{selected.application.pk}"
    response = client.post(award_url, {"award-reasons": "Best value.", field: "0"})
    assert response.status_code == 400
    assert "must be above 0" in response.content.decode()
    response = client.post(award_url, {"award-reasons": "Best value.", field: "140000"})
    assert response.status_code == 302
    process.refresh_from_db()
    assert process.status == "standstill"
    # Cancel.
    response = client.post(
        reverse("procurement:cancel", args=[process.pk]), {"reason": "The budget was cut."}
    )
    assert response.status_code == 302
    selected.challenge.refresh_from_db()
    assert selected.challenge.status == "solution_selected"


def test_the_edit_form_refuses_a_stale_version(login, selected, make_process):
    process = make_process()
    client = login(selected.entity_user)
    url = reverse("procurement:edit", args=[process.pk])
    data = {"version": process.version, "title": "Buying the robot"}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "title": "Late"})
    assert response.status_code == 200
    assert "Someone else changed this process" in response.content.decode()
    process.refresh_from_db()
    assert process.title == "Buying the robot"


def test_reference_data_forms(login, selected, lab_manager, routes):
    client = login(lab_manager)
    response = client.post(
        reverse("procurement:procedures", args=[selected.lab.slug]),
        {
            "procedure-name_en": "Innovation partnership",
            "procedure-code": "partnership",
            "procedure-jurisdiction": "CO",
            "procedure-kind": "innovation_partnership",
            "procedure-ocds_method": "selective",
            "procedure-steps": ["award_decision", "needs_assessment"],
            "procedure-standstill_days": "0",
            "procedure-source_label": "Law 80, art. 40",
            "procedure-is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[-3000:]
    url = response["Location"]
    procedure_pk = int(url.rstrip("/").rsplit("/", 1)[-1])
    from govlab.procurement.models import ProcedureType

    created = ProcedureType.objects.get(pk=procedure_pk)
    assert created.steps == ["needs_assessment", "award_decision"]
    assert created.name["en"] == "Innovation partnership"
    # An overlapping threshold is refused at the field, naming the other one.
    ppi_url = reverse("procurement:procedure", args=[selected.lab.slug, routes.ppi.pk])
    data = {
        "form": "threshold",
        "threshold-legal_regime": routes.law.pk,
        "threshold-currency": "COP",
        "threshold-min_value": "200000",
        "threshold-max_value": "900000",
        "threshold-valid_from": "2024-01-01",
        "threshold-source_label": "Decree 1082, art. 9",
    }
    response = client.post(ppi_url, data)
    assert response.status_code == 200
    assert "overlaps another threshold" in response.content.decode()
    assert Threshold.objects.filter(procedure=routes.ppi).count() == 1
    response = client.post(ppi_url, {**data, "threshold-currency": "EUR"})
    assert response.status_code == 302
    # The staff read, and may not write.
    staff = login(selected.staff)
    assert staff.get(ppi_url).status_code == 200
    assert "Add a threshold" not in staff.get(ppi_url).content.decode()
    assert staff.post(ppi_url, data).status_code == 403


def test_exports(login, selected, make_process):
    make_process(title='=HYPERLINK("x")')
    client = login(selected.staff)
    csv = client.get(reverse("procurement:lab_export_csv", args=[selected.lab.slug]))
    text = csv.content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text
    assert "150000" in text
    xlsx = client.get(reverse("procurement:lab_export_xlsx", args=[selected.lab.slug]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][7] == 150000


def test_the_challenge_page_shows_the_purchase(client, login, selected, make_process):
    process = make_process()
    services.process_award(
        process=process,
        by=selected.staff,
        reasons="Best value.",
        awards=[
            {"supplier": selected.supplier, "application": selected.application, "value": Decimal("140000")}
        ],
    )
    response = login(selected.staff).get(reverse("challenges:detail", args=[selected.challenge.reference]))
    html = response.content.decode()
    assert "The purchase" in html
    assert selected.supplier.name in html


def _more_processes(selected, routes, make_ready_challenge, count):
    for _ in range(count):
        challenge = make_ready_challenge(status="procuring", legal_regime=routes.law)
        process = ProcurementProcess.objects.create(
            lab=selected.lab,
            challenge=challenge,
            title="Another",
            procedure=routes.ppi,
            legal_regime=routes.law,
            estimated_value=Decimal("150000"),
            currency="COP",
            route_justification="x",
            chosen_by=selected.staff,
        )
        ProcessStep.objects.create(process=process, kind="needs_assessment")


def test_list_and_route_pages_keep_their_query_count(
    login, selected, routes, make_process, make_ready_challenge, django_assert_max_num_queries
):
    make_process()
    client = login(selected.staff)
    lab_url = reverse("procurement:lab_list", args=[selected.lab.slug])
    routes_url = reverse("procurement:routes", args=[selected.challenge.reference])
    client.get(lab_url)
    client.get(routes_url)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few_list:
        client.get(lab_url)
    with CaptureQueriesContext(connection) as few_routes:
        client.get(routes_url)
    _more_processes(selected, routes, make_ready_challenge, 6)
    with django_assert_max_num_queries(len(few_list)):
        assert client.get(lab_url).status_code == 200
    with django_assert_max_num_queries(len(few_routes)):
        assert client.get(routes_url).status_code == 200
    with django_assert_max_num_queries(len(few_list)):
        assert client.get(reverse("procurement:mine")).status_code == 200


def test_the_lab_nav_links_to_procurement(login, selected):
    LabMembershipFactory(lab=selected.lab, role="manager")
    html = (
        login(selected.staff).get(reverse("procurement:lab_list", args=[selected.lab.slug])).content.decode()
    )
    assert reverse("procurement:procedures", args=[selected.lab.slug]) in html
    dashboard = login(selected.staff).get(reverse("dashboard")).content.decode()
    assert reverse("procurement:lab_list", args=[selected.lab.slug]) in dashboard
