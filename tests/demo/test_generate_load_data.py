"""``generate_load_data``: exact counts at a tiny scale, idempotent, separate from the demo data."""

import pytest
from django.core.management import CommandError, call_command

from govlab.accounts.models import User
from govlab.audit.models import AuditEntry
from govlab.demo.load import generate, reset
from govlab.demo.loader import load
from govlab.labs.models import Lab, LabMembership
from govlab.organisations.models import Organisation, OrganisationMembership

pytestmark = pytest.mark.django_db

TINY = ["--labs", "2", "--organisations", "10", "--people", "12", "--challenges", "0"]


def _load_counts() -> dict[str, int]:
    return {
        "labs": Lab.objects.filter(slug__startswith="load-").count(),
        "organisations": Organisation.objects.filter(slug__startswith="load-").count(),
        "entities": Organisation.objects.filter(slug__startswith="load-", kind="public_entity").count(),
        "people": User.objects.filter(email__endswith="@load.example").count(),
        "lab_memberships": LabMembership.objects.filter(lab__slug__startswith="load-").count(),
        "organisation_memberships": OrganisationMembership.objects.filter(
            organisation__slug__startswith="load-"
        ).count(),
        "organisation_labs": Organisation.labs.through.objects.filter(lab__slug__startswith="load-").count(),
    }


def test_tiny_scale_exact_counts(capsys):
    call_command("generate_load_data", *TINY)

    assert _load_counts() == {
        "labs": 2,
        "organisations": 10,
        "entities": 2,  # one in five: numbers 1 and 6
        "people": 12,
        "lab_memberships": 8,  # manager, staff, evaluator and mentor for each lab
        "organisation_memberships": 4,
        "organisation_labs": 10,
    }
    assert sorted(Lab.objects.values_list("slug", flat=True)) == ["load-lab-001", "load-lab-002"]
    for organisation in Organisation.objects.filter(slug__startswith="load-"):
        assert 1 <= organisation.sectors.count() <= 2
        assert 1 <= organisation.technologies.count() <= 3
        assert 1 <= organisation.sdgs.count() <= 2
    out = capsys.readouterr().out
    assert "Created: labs 2, organisations 10, people 12." in out
    assert "Challenges: skipped: --challenges 0." in out
    assert AuditEntry.objects.count() == 0


def test_second_run_creates_nothing_and_larger_sizes_add_only_the_difference():
    generate(labs=2, organisations=10, people=12, challenges=0)
    first = _load_counts()

    again = generate(labs=2, organisations=10, people=12, challenges=0)
    assert again.created == {"labs": 0, "organisations": 0, "people": 0}
    assert _load_counts() == first

    more = generate(labs=3, organisations=15, people=12, challenges=0)
    assert more.created == {"labs": 1, "organisations": 5, "people": 0}
    assert _load_counts()["organisations"] == 15


def test_same_seed_gives_the_same_data():
    generate(labs=2, organisations=10, people=0, challenges=0, seed=7)
    first = sorted(Organisation.objects.values_list("slug", "name", "kind"))
    reset()
    generate(labs=2, organisations=10, people=0, challenges=0, seed=7)
    assert sorted(Organisation.objects.values_list("slug", "name", "kind")) == first


def test_load_data_leaves_the_demo_data_alone(no_challenges_demo, row_counts):
    load()
    demo_labs = set(Lab.objects.values_list("pk", "slug", "updated_at"))
    demo_orgs = set(Organisation.objects.values_list("pk", "slug", "updated_at"))
    entries = AuditEntry.objects.count()

    call_command("generate_load_data", *TINY)
    call_command("generate_load_data", "--reset", *TINY)

    assert (
        set(Lab.objects.exclude(slug__startswith="load-").values_list("pk", "slug", "updated_at"))
        == demo_labs
    )
    assert (
        set(Organisation.objects.exclude(slug__startswith="load-").values_list("pk", "slug", "updated_at"))
        == demo_orgs
    )
    assert User.objects.exclude(email__endswith="@load.example").count() == 13
    assert AuditEntry.objects.count() == entries


def test_reset_deletes_only_load_data():
    generate(labs=2, organisations=10, people=12, challenges=0)
    deleted = reset()
    assert deleted["labs"] >= 2
    assert _load_counts() == dict.fromkeys(_load_counts(), 0)


def test_challenges_are_generated_by_the_challenges_app(fake_challenges_demo, capsys):
    call_command(
        "generate_load_data", "--labs", "2", "--organisations", "10", "--challenges", "25", "--seed", "3"
    )

    (call,) = fake_challenges_demo["generate"]
    assert call["count"] == 25
    assert call["seed"] == 3
    assert [lab.slug for lab in call["labs"]] == ["load-lab-001", "load-lab-002"]
    assert [entity.slug for entity in call["entities"]] == ["load-org-00001", "load-org-00006"]
    assert "Challenges: generate() returned 25." in capsys.readouterr().out


def test_negative_sizes_are_refused():
    with pytest.raises(CommandError, match=r"--labs must be 0 or more\."):
        call_command("generate_load_data", "--labs", "-1")
    assert Lab.objects.count() == 0


def test_challenges_are_asked_only_for_the_missing_ones(fake_challenges_demo, organisation, lab, capsys):
    from govlab.challenges.models import Challenge
    from tests.factories import UserFactory

    generate(labs=1, organisations=5, people=0, challenges=0)
    load_lab = Lab.objects.get(slug="load-lab-001")
    entity = Organisation.objects.get(slug="load-org-00001")
    author = UserFactory()
    for number in range(3):
        Challenge.objects.create(
            lab=load_lab, owner=entity, created_by=author, reference=f"LOAD-{number}", title={"en": "x"}
        )
    Challenge.objects.create(lab=lab, owner=organisation, created_by=author, reference="OTHER-1")

    report = generate(labs=1, organisations=5, people=0, challenges=10, seed=5)
    assert [(call["count"], call["seed"]) for call in fake_challenges_demo["generate"]] == [(7, 8)]
    assert report.challenges == "generate() returned 7"

    again = generate(labs=1, organisations=5, people=0, challenges=3)
    assert again.challenges == "3 already there"
    assert len(fake_challenges_demo["generate"]) == 1


def test_with_the_real_challenges_generator_a_second_run_adds_no_challenges():
    pytest.importorskip("govlab.challenges.demo")
    from govlab.challenges.models import Challenge

    args = ["--labs", "2", "--organisations", "10", "--people", "0", "--challenges", "12"]
    call_command("generate_load_data", *args)
    call_command("generate_load_data", *args)

    assert Challenge.objects.filter(lab__slug__startswith="load-").count() == 12
    assert Challenge.objects.count() == 12
