"""``export_ocds``: the files, their packages (checked against the bundled 1.1.5 package schemas), bulk
pages, and streaming (a fixed number of queries whatever the number of processes)."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from govlab.ocds.export import export
from govlab.ocds.models import Release
from govlab.ocds.packages import compile_releases
from govlab.ocds.publish import content_hash, publication_for
from govlab.ocds.schema import merge_patch, package_errors
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def synthetic(lab, processes: int, releases: int = 3, first: int = 0):
    """Bulk-created public processes with ``releases`` valid releases each."""
    from govlab.challenges.models import Challenge

    owner = OrganisationFactory(kind="public_entity")
    user = UserFactory()
    prefix = publication_for(lab).prefix
    challenges = Challenge.objects.bulk_create(
        [
            Challenge(
                lab=lab,
                owner=owner,
                reference=f"SYN-{lab.pk}-{n:04d}",
                title={"en": f"Syn {n}"},
                status="implementing",
                is_public=True,
                created_by=user,
            )
            for n in range(first, first + processes)
        ]
    )
    start = timezone.now() - dt.timedelta(days=100)
    rows = []
    for challenge in challenges:
        ocid = f"{prefix}-{challenge.reference}"
        for n in range(releases):
            body = {
                "initiationType": "tender",
                "title": f"Syn {challenge.reference}",
                "planning": {"rationale": f"Step {n}"},
                "parties": [{"id": "B", "name": "Buyer", "roles": ["buyer"]}],
                "buyer": {"id": "B", "name": "Buyer"},
            }
            date = start + dt.timedelta(days=n)
            rid = f"{ocid}-{n + 1:04d}-syn"
            rows.append(
                Release(
                    lab=lab,
                    challenge=challenge,
                    ocid=ocid,
                    release_id=rid,
                    sequence=n + 1,
                    key=f"s{n}",
                    date=date,
                    tags=["planning" if n == 0 else "planningUpdate"],
                    data={
                        "ocid": ocid,
                        "id": rid,
                        "date": date.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "tag": ["planning" if n == 0 else "planningUpdate"],
                        **body,
                    },
                    content_hash=content_hash(body),
                )
            )
    Release.objects.bulk_create(rows)
    return [f"{prefix}-{c.reference}" for c in challenges]


def test_the_export_writes_a_release_and_a_record_package_per_process_and_bulk_pages(
    lab, other_lab, tmp_path
):
    ocids = synthetic(lab, 4)
    synthetic(other_lab, 2)
    call_command("export_ocds", "--output", str(tmp_path), "--lab", lab.slug, "--page-size", "5")
    assert sorted(p.stem for p in (tmp_path / "releases").glob("*.json")) == sorted(ocids)
    assert sorted(p.stem for p in (tmp_path / "records").glob("*.json")) == sorted(ocids)
    bulk = sorted((tmp_path / "bulk").glob("releases-*.json"))
    assert [p.name for p in bulk] == ["releases-0001.json", "releases-0002.json", "releases-0003.json"]
    sizes = [len(json.loads(p.read_text())["releases"]) for p in bulk]
    assert sizes == [5, 5, 2]
    for path in [*bulk, *(tmp_path / "releases").glob("*.json"), *(tmp_path / "records").glob("*.json")]:
        package = json.loads(path.read_text())
        assert package_errors(package) == [], path.name
        assert package["version"] == "1.1"
        assert package["publicationPolicy"].endswith(f"/ocds/labs/{lab.slug}/policy/")
        assert package["uri"].startswith("http")
    record = json.loads((tmp_path / "records" / f"{ocids[0]}.json").read_text())["records"][0]
    assert record["compiledRelease"]["planning"]["rationale"] == "Step 2"
    assert [r["url"].split("#")[1] for r in record["releases"]] == [
        f"{ocids[0]}-000{n}-syn" for n in (1, 2, 3)
    ]


def test_without_a_lab_every_lab_has_its_bulk_folder(lab, other_lab, tmp_path):
    synthetic(lab, 1)
    synthetic(other_lab, 1)
    result = export(tmp_path)
    assert result.processes == 2
    assert result.releases == 6
    assert result.bulk_files == 2
    assert {p.parent.name for p in (tmp_path / "bulk").rglob("releases-0001.json")} == {
        lab.slug,
        other_lab.slug,
    }


def test_the_export_streams(lab, tmp_path, django_assert_max_num_queries):
    synthetic(lab, 2)
    with django_assert_max_num_queries(6):
        export(tmp_path / "small", lab=lab)
    synthetic(lab, 30, first=2)  # more processes, same queries
    with django_assert_max_num_queries(6):
        result = export(tmp_path / "large", lab=lab)
    assert result.processes == 32


def test_bad_arguments(lab, tmp_path):
    with pytest.raises(CommandError):
        call_command("export_ocds", "--output", str(tmp_path), "--lab", "nope")
    with pytest.raises(CommandError):
        call_command("export_ocds", "--output", str(tmp_path), "--page-size", "0")


def test_the_merge_rules():
    releases = [
        {
            "ocid": "o",
            "id": "1",
            "date": "2026-01-01T00:00:00Z",
            "tag": ["award"],
            "awards": [{"id": "A", "status": "pending", "suppliers": [{"id": "S", "name": "S"}]}],
            "parties": [{"id": "S", "roles": ["tenderer"]}],
        },
        {
            "ocid": "o",
            "id": "2",
            "date": "2026-01-02T00:00:00Z",
            "tag": ["awardUpdate"],
            "awards": [{"id": "B", "status": "active"}, {"id": "A", "status": "active"}],
            "parties": [{"id": "S", "roles": ["supplier"]}],
        },
    ]
    compiled = compile_releases(list(reversed(releases)))
    assert compiled["tag"] == ["compiled"]
    assert compiled["date"] == "2026-01-02T00:00:00Z"
    assert compiled["awards"] == [
        {"id": "A", "status": "active", "suppliers": [{"id": "S", "name": "S"}]},
        {"id": "B", "status": "active"},
    ]
    assert compiled["parties"] == [{"id": "S", "roles": ["supplier"]}]  # arrays of strings are replaced


def test_json_merge_patch():
    assert merge_patch({"a": {"b": 1, "c": 2}, "d": [1]}, {"a": {"b": None, "e": 3}, "d": [2]}) == {
        "a": {"c": 2, "e": 3},
        "d": [2],
    }
    assert merge_patch({"a": 1}, "x") == "x"
