"""The lab's score and ranking exports: exact columns, numbers as numbers, formula injection defused."""

import csv
import io
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from govlab.evaluation import exports, services
from govlab.evaluation.enums import EvaluatorRole, SeeOthers
from govlab.evaluation.models import Review

EVIL = '=HYPERLINK("http://evil.example","Click")'

SCORES_HEADER = [
    "Reference",
    "Organisation",
    "Challenge",
    "Evaluator",
    "Role",
    "Innovation",
    "Feasibility",
    "Team",
    "Weighted total (0–100)",
    "Recommendation",
    "Confidence (1–5)",
    "Submitted (Europe/Luxembourg)",
]
RANKING_HEADER = [
    "Challenge",
    "Rank",
    "Reference",
    "Organisation",
    "Reviews",
    "Mean",
    "Median",
    "Standard deviation",
    "Range",
    "Evaluators disagree",
    "Normalised score (z)",
    "Consensus",
    "Final score",
]


def _url(name, call):
    return reverse(f"evaluation:{name}", args=[call.lab.slug, call.pk])


@pytest.fixture
def scored(evaluation_call, make_submitted, lab_staff, make_evaluator_user):
    """Two applications (one from an organisation named like a formula), two evaluators reviewing both.

    Ana: evil 3/3/3 (100), beta 0/0/0 (0). Bo: evil 2/2/2 (66.67), beta 1/1/n-a (33.33).
    """
    call = evaluation_call
    evil, beta = make_submitted(EVIL), make_submitted("Beta Voice")
    phase = services.phase_save(
        call=call, by=lab_staff, name={"en": "Review"}, can_review=True, see_others=SeeOthers.NEVER
    )
    services.phase_activate(phase=phase, by=lab_staff)
    ana = services.evaluator_add(
        call=call,
        user=make_evaluator_user(name="@Ana Expert"),
        role=EvaluatorRole.EXTERNAL_EXPERT,
        added_by=lab_staff,
    )
    bo = services.evaluator_add(
        call=call,
        user=make_evaluator_user(name="Bo Expert"),
        role=EvaluatorRole.LAB_STAFF,
        added_by=lab_staff,
    )
    criteria = list(call.criteria.order_by("position", "pk"))
    levels = {(ana, evil): (3, 3, 3), (ana, beta): (0, 0, 0), (bo, evil): (2, 2, 2), (bo, beta): (1, 1, None)}
    for (evaluator, application), values in levels.items():
        assignment = services.assign(application=application, evaluator=evaluator, by=lab_staff)
        user = evaluator.user
        services.conflict_declare(evaluator=evaluator, application=application, has_conflict=False, by=user)
        review = services.review_for(assignment, user)
        services.review_save(
            review=review,
            by=user,
            scores={str(c.pk): v for c, v in zip(criteria, values, strict=True)},
            recommendation="yes",
            confidence=4,
        )
        services.review_submit(review=review, by=user)
    return call, evil, beta


def _submitted(application, user):
    review = Review.objects.get(application=application, evaluator__user=user)
    zone = zoneinfo.ZoneInfo("Europe/Luxembourg")
    return timezone.localtime(review.submitted_at, zone).strftime("%Y-%m-%d %H:%M:%S")


def _csv_rows(text):
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


@pytest.mark.django_db
def test_scores_csv_has_one_row_per_submitted_review_and_defuses_formulas(scored):
    call, evil, beta = scored
    ana = call.evaluators.get(role=EvaluatorRole.EXTERNAL_EXPERT).user
    bo = call.evaluators.get(role=EvaluatorRole.LAB_STAFF).user
    rows = _csv_rows(exports.scores_csv(call))
    assert rows[0] == SCORES_HEADER
    expected = {
        (evil.reference, "@Ana Expert"): [
            evil.reference,
            "'" + EVIL,
            "C-1",
            "'@Ana Expert",
            "External expert",
            "3",
            "3",
            "3",
            "100.00",
            "Preselect",
            "4",
            _submitted(evil, ana),
        ],
        (evil.reference, "Bo Expert"): [
            evil.reference,
            "'" + EVIL,
            "C-1",
            "Bo Expert",
            "Lab staff",
            "2",
            "2",
            "2",
            "66.67",
            "Preselect",
            "4",
            _submitted(evil, bo),
        ],
        (beta.reference, "@Ana Expert"): [
            beta.reference,
            "Beta Voice",
            "C-1",
            "'@Ana Expert",
            "External expert",
            "0",
            "0",
            "0",
            "0.00",
            "Preselect",
            "4",
            _submitted(beta, ana),
        ],
        (beta.reference, "Bo Expert"): [
            beta.reference,
            "Beta Voice",
            "C-1",
            "Bo Expert",
            "Lab staff",
            "1",
            "1",
            "n/a",
            "33.33",
            "Preselect",
            "4",
            _submitted(beta, bo),
        ],
    }
    body = rows[1:]
    assert len(body) == 4
    assert sorted(body) == sorted(expected.values())
    # Grouped by application (challenge, then reference).
    assert [row[0] for row in body] == sorted(row[0] for row in body)


@pytest.mark.django_db
def test_drafts_are_not_exported(scored, lab_staff, make_evaluator_user):
    call, evil, _beta = scored
    cy = services.evaluator_add(
        call=call, user=make_evaluator_user(name="Cy"), role=EvaluatorRole.LAB_STAFF, added_by=lab_staff
    )
    assignment = services.assign(application=evil, evaluator=cy, by=lab_staff)
    services.conflict_declare(evaluator=cy, application=evil, has_conflict=False, by=cy.user)
    services.review_for(assignment, cy.user)
    assert len(_csv_rows(exports.scores_csv(call))) == 5


@pytest.mark.django_db
def test_ranking_csv_ranks_per_challenge_and_keeps_negative_numbers_as_numbers(scored):
    call, evil, beta = scored
    rows = _csv_rows(exports.ranking_csv(call))
    assert rows[0] == RANKING_HEADER
    assert rows[1:] == [
        [
            "C-1",
            "1",
            evil.reference,
            "'" + EVIL,
            "2",
            "83.34",
            "83.34",
            "16.67",
            "33.33",
            "Yes",
            "1.00",
            "",
            "83.34",
        ],
        [
            "C-1",
            "2",
            beta.reference,
            "Beta Voice",
            "2",
            "16.67",
            "16.67",
            "16.67",
            "33.33",
            "Yes",
            "-1.00",
            "",
            "16.67",
        ],
    ]


@pytest.mark.django_db
def test_xlsx_exports_have_the_same_columns_numbers_as_numbers_and_formulas_as_text(scored):
    call, evil, _beta = scored
    sheet = load_workbook(io.BytesIO(exports.scores_xlsx(call))).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == SCORES_HEADER
    first = next(row for row in values[1:] if row[0] == evil.reference and row[3] == "'@Ana Expert")
    assert first[1] == "'" + EVIL
    assert first[5:9] == (3, 3, 3, 100)
    sheet = load_workbook(io.BytesIO(exports.ranking_xlsx(call))).active
    values = list(sheet.iter_rows(values_only=True))
    assert list(values[0]) == RANKING_HEADER
    assert values[2][10] == -1
    assert values[1][3] == "'" + EVIL


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "extension"),
    [
        ("lab_export_scores_csv", "csv"),
        ("lab_export_scores_xlsx", "xlsx"),
        ("lab_export_ranking_csv", "csv"),
        ("lab_export_ranking_xlsx", "xlsx"),
    ],
)
def test_export_downloads_are_for_the_lab_team_only(
    name, extension, scored, login, lab_staff, other_lab_staff
):
    call, evil, _beta = scored
    response = login(lab_staff).get(_url(name, call))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="{call.lab.slug}-{call.slug}-')
    assert disposition.endswith(f'.{extension}"')
    if extension == "csv":
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "'" + EVIL.replace('"', '""') in response.content.decode()
    for user in (other_lab_staff, evil.member, call.evaluators.first().user):
        assert login(user).get(_url(name, call)).status_code == 404
