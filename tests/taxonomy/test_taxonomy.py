"""The shared vocabularies: shipped as data, loaded by a migration, reloadable idempotently."""

import json

import pytest
from django.core.management import call_command

from govlab.audit.models import AuditEntry
from govlab.taxonomy.models import Term
from govlab.taxonomy.selectors import term_list, terms_by_code
from govlab.taxonomy.services import DATA_DIR, taxonomy_load

LANGUAGES = {"en", "es", "fr", "pt", "sv"}

pytestmark = pytest.mark.django_db


def _file_counts() -> dict[str, int]:
    counts = {}
    for file in DATA_DIR.glob("*.json"):
        document = json.loads(file.read_text(encoding="utf-8"))
        counts[document["vocabulary"]] = len(document["terms"])
    return counts


def test_migration_loads_every_vocabulary():
    counts = _file_counts()
    assert counts["sdg"] == 17
    assert counts["sector"] >= 18
    assert counts["technology"] >= 15
    assert counts["thematic_area"] >= 5
    for vocabulary, expected in counts.items():
        assert Term.objects.filter(vocabulary=vocabulary).count() == expected
    assert Term.objects.count() == sum(counts.values())


def test_sdgs_are_the_seventeen_goals_in_order():
    sdgs = list(term_list(vocabulary="sdg"))
    assert [term.code for term in sdgs] == [f"sdg-{n:02d}" for n in range(1, 18)]
    assert sdgs[0].name["en"] == "No poverty"
    assert sdgs[15].name["en"] == "Peace, justice and strong institutions"
    assert sdgs[16].name["es"] == "Alianzas para lograr los objetivos"
    assert [term.position for term in sdgs] == list(range(1, 18))


def test_every_term_is_named_in_the_five_languages():
    for term in Term.objects.all():
        assert set(term.name) == LANGUAGES, term.code
        assert all(text.strip() for text in term.name.values()), term.code


def test_codes_are_unique_within_each_file():
    for file in DATA_DIR.glob("*.json"):
        codes = [item["code"] for item in json.loads(file.read_text(encoding="utf-8"))["terms"]]
        assert len(codes) == len(set(codes)), file.name


def test_load_is_idempotent_and_not_audited_when_nothing_changed():
    terms, entries = Term.objects.count(), AuditEntry.objects.count()
    first = taxonomy_load()
    second = taxonomy_load()
    assert (first.created, first.updated) == ([], [])
    assert (second.created, second.updated) == ([], [])
    assert second.unchanged == terms
    assert Term.objects.count() == terms
    assert AuditEntry.objects.count() == entries


def test_load_restores_changed_and_missing_terms_and_audits_once():
    total = Term.objects.count()
    Term.objects.filter(vocabulary="sdg", code="sdg-13").delete()
    health = Term.objects.get(vocabulary="sector", code="health")
    health.name = {"en": "Wrong"}
    health.save()
    entries = AuditEntry.objects.count()

    result = taxonomy_load()

    assert result.created == ["sdg:sdg-13"]
    assert result.updated == ["sector:health"]
    assert Term.objects.count() == total
    health.refresh_from_db()
    assert health.name["en"] == "Health"
    assert health.name["sv"] == "Hälsa och sjukvård"
    assert AuditEntry.objects.count() == entries + 1
    entry = AuditEntry.objects.latest("pk")
    assert entry.action == "taxonomy.load"
    assert entry.changes == {"created": ["sdg:sdg-13"], "updated": ["sector:health"]}


def test_load_from_a_given_file(tmp_path):
    file = tmp_path / "extra.json"
    file.write_text(
        json.dumps({"vocabulary": "technology", "terms": [{"code": "quantum", "name": {"en": "Quantum"}}]}),
        encoding="utf-8",
    )
    result = taxonomy_load(path=file)
    assert result.created == ["technology:quantum"]
    assert Term.objects.get(vocabulary="technology", code="quantum").name == {"en": "Quantum"}


def test_load_refuses_an_unknown_vocabulary_and_writes_nothing(tmp_path):
    from django.core.exceptions import ValidationError

    file = tmp_path / "bad.json"
    file.write_text(json.dumps({"vocabulary": "colours", "terms": []}), encoding="utf-8")
    total = Term.objects.count()
    with pytest.raises(ValidationError):
        taxonomy_load(path=file)
    assert Term.objects.count() == total


def test_command_reports_counts(capsys):
    call_command("load_taxonomies")
    out = capsys.readouterr().out
    assert out.strip() == f"Terms: 0 created, 0 updated, {Term.objects.count()} unchanged."


def test_terms_by_code_selector():
    sectors = terms_by_code(vocabulary="sector")
    assert sectors["justice"].name["fr"] == "Justice"
    assert "sdg-01" not in sectors


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("plain_user", 302), ("organisation_member", 302), ("staff", 200), ("manager", 200)],
)
def test_admin_term_list_is_read_only_for_the_lab_team(client, login, role_user, role, status):
    user = role_user(role)
    if user is not None:
        login(user)
    response = client.get("/admin/taxonomy/term/")
    assert response.status_code == status
    if status == 200:
        assert "No poverty" in response.content.decode()
        assert client.get("/admin/taxonomy/term/add/").status_code == 403
    assert Term.objects.count() == sum(_file_counts().values())
