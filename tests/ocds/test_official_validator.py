"""The demo's OCDS files pass the official validator (libcoveocds 0.17.0, run offline by the shared kit).

The kit is ``<repo>/../shared/ocds`` (or ``$OCDS_KIT``). Without the kit or libcoveocds this test FAILS:
publication is only done when the official validator has accepted the data.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

# The marker makes pytest-django create the test database; the demo itself is loaded once per module.
pytestmark = pytest.mark.django_db

REPO = Path(__file__).resolve().parents[2]
KIT = Path(os.environ.get("OCDS_KIT") or REPO.parent / "shared" / "ocds")
ZERO = {
    "validation_errors": 0,
    "closed_codelist_violations": 0,
    "invalid_extensions": 0,
    "bad_ocid_prefixes": 0,
    "additional_fields": 0,
}
REQUIRED_TAGS = {"planning", "tender", "tenderUpdate", "award", "contract", "implementation"}


def require_kit() -> Path:
    script = KIT / "validate_offline.py"
    if not script.is_file() or not (KIT / "standard-1__1__5.zip").is_file():
        pytest.fail(
            f"The OCDS validation kit is missing: expected {script} and the standard ZIP beside it. "
            "Put ../shared/ocds next to the repository or set OCDS_KIT to its folder."
        )
    probe = subprocess.run(
        [
            sys.executable,
            "-c",
            "import libcoveocds, importlib.metadata as m; print(m.version('libcoveocds'))",
        ],
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        pytest.fail(f"libcoveocds is not installed in {sys.executable} (pip install libcoveocds==0.17.0).")
    if probe.stdout.strip() != "0.17.0":
        pytest.fail(f"libcoveocds {probe.stdout.strip()} is installed; the kit is made for 0.17.0.")
    return script


def validate(path: Path) -> tuple[int, dict | None, str]:
    """Run the kit's wrapper on one file: (exit code, error summary, stderr)."""
    done = subprocess.run(  # noqa: S603 (the kit's wrapper, run with this interpreter)
        [sys.executable, str(KIT / "validate_offline.py"), str(KIT), str(path)],
        capture_output=True,
        text=True,
        cwd=KIT,
        timeout=300,
    )
    summary = None
    for line in reversed(done.stderr.strip().splitlines()):
        if line.startswith('{"errors"'):
            summary = json.loads(line)["errors"]
            break
    return done.returncode, summary, done.stderr[-2000:] + done.stdout[-3000:]


@pytest.fixture(scope="module")
def demo_export(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the whole demo once, publish its releases and export them; rolled back afterwards."""
    from govlab.demo.loader import load
    from govlab.ocds import demo as ocds_demo

    output = tmp_path_factory.mktemp("ocds")
    with django_db_blocker.unblock(), transaction.atomic():
        load()
        ocds_demo.load()  # in case the chain stopped before it (a phase without a demo yet)
        call_command("export_ocds", "--output", str(output), "--page-size", "50")
        transaction.set_rollback(True)
    return output


def test_every_release_and_record_package_of_the_demo_passes_the_official_validator(demo_export):
    require_kit()
    files = sorted((demo_export / "releases").glob("*.json")) + sorted(
        (demo_export / "records").glob("*.json")
    )
    assert files, "the demo published nothing"
    assert len(list((demo_export / "releases").glob("*.json"))) == len(
        list((demo_export / "records").glob("*.json"))
    )
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = dict(zip(files, pool.map(validate, files), strict=True))
    failures = {
        str(path.relative_to(demo_export)): (code, summary, output)
        for path, (code, summary, output) in results.items()
        if code != 0 or summary != ZERO
    }
    assert not failures, json.dumps(
        {
            name: {"exit": code, "errors": summary, "output": output}
            for name, (code, summary, output) in failures.items()
        },
        indent=1,
    )[:20000]


def test_the_demo_covers_the_whole_pipeline(demo_export):
    tags = set()
    for path in (demo_export / "releases").glob("*.json"):
        for release in json.loads(path.read_text())["releases"]:
            tags.update(release["tag"])
    assert tags >= REQUIRED_TAGS, f"missing tags: {sorted(REQUIRED_TAGS - tags)}"


def test_bulk_files_hold_every_release_once(demo_export):
    ids = []
    for path in sorted((demo_export / "bulk").rglob("releases-*.json")):
        package = json.loads(path.read_text())
        assert len(package["releases"]) <= 50
        assert package["license"]
        assert package["publicationPolicy"]
        assert package["extensions"]
        ids.extend(release["id"] for release in package["releases"])
    per_process = [
        release["id"]
        for path in (demo_export / "releases").glob("*.json")
        for release in json.loads(path.read_text())["releases"]
    ]
    assert sorted(ids) == sorted(per_process)
    assert len(ids) == len(set(ids))


def test_a_bulk_file_passes_the_official_validator(demo_export):
    require_kit()
    first = sorted((demo_export / "bulk").rglob("releases-*.json"))[0]
    code, summary, output = validate(first)
    assert (code, summary) == (0, ZERO), output


def test_a_whole_story_passes_the_official_validator(story, tmp_path):
    """Every stage, procurement and contract included (amendment, milestone met, payment paid)."""
    from govlab.ocds.publish import sync

    require_kit()
    result = sync(story.challenge)
    assert not result.refused
    assert REQUIRED_TAGS | {"contractAmendment"} <= {tag for r in result.published for tag in r.tags}
    call_command("export_ocds", "--output", str(tmp_path))
    files = [
        *tmp_path.glob("releases/*.json"),
        *tmp_path.glob("records/*.json"),
        *tmp_path.glob("bulk/*/*.json"),
    ]
    assert len(files) == 3
    with ThreadPoolExecutor(max_workers=2) as pool:
        for path, (code, summary, output) in zip(files, pool.map(validate, files), strict=True):
            assert (code, summary) == (0, ZERO), (path.name, output)


def test_the_negative_control_gives_exactly_the_expected_faults():
    require_kit()
    done = subprocess.run(  # noqa: S603 (the kit's wrapper, run with this interpreter)
        [
            sys.executable,
            str(KIT / "validate_offline.py"),
            str(KIT),
            str(KIT / "samples" / "innovation-example-invalid.json"),
        ],
        capture_output=True,
        text=True,
        cwd=KIT,
        timeout=300,
    )
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert len(report["validation_errors"]) == 2
    assert len(report["additional_closed_codelist_values"]) == 1
    assert len(report["additional_fields"]) == 1
