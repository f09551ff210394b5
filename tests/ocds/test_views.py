"""The public OCDS pages and API: what they show, who may change the settings, bounded queries."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from govlab.ocds.models import PublicationSettings, Release
from govlab.ocds.publish import sync
from govlab.ocds.services import publication_settings_save
from tests.factories import LabMembershipFactory

pytestmark = pytest.mark.django_db


def ocid_of(story):
    return story.releases[0].ocid


def test_the_public_pages_tell_the_story(client, published):
    ocid = ocid_of(published)
    page = client.get(reverse("ocds:process", args=[ocid]))
    assert page.status_code == 200
    html = page.content.decode()
    for text in (
        "May a consortium apply?",
        "Yes, with a lead partner.",
        "Deployment of the robot",
        "A fourth office joins.",
        "Robot installed",
        published.selected.supplier.name,
        "Contract amendment",
        "<caption>",
    ):
        assert text in html, text
    index = client.get(reverse("ocds:lab", args=[published.lab.slug])).content.decode()
    assert ocid in index
    assert reverse("ocds:bulk", args=[published.lab.slug, 1]) in index
    assert "creativecommons.org/licenses/by/4.0" in index
    assert published.lab.slug in client.get(reverse("ocds:index")).content.decode()
    assert client.get(reverse("ocds:policy", args=[published.lab.slug])).status_code == 200


def test_the_packages(client, published):
    ocid = ocid_of(published)
    releases = client.get(reverse("ocds:releases", args=[ocid])).json()
    assert releases["version"] == "1.1"
    assert releases["license"].startswith("https://creativecommons.org")
    assert [r["id"] for r in releases["releases"]] == [r.release_id for r in published.releases]
    record = client.get(reverse("ocds:record", args=[ocid])).json()
    [entry] = record["records"]
    assert entry["ocid"] == ocid
    assert entry["compiledRelease"]["tag"] == ["compiled"]
    assert len(entry["releases"]) == len(published.releases)
    bulk = client.get(reverse("ocds:bulk", args=[published.lab.slug, 1])).json()
    assert len(bulk["releases"]) == len(published.releases)
    assert client.get(reverse("ocds:bulk", args=[published.lab.slug, 2])).status_code == 404
    assert client.get(reverse("ocds:releases", args=["ocds-zzzzzz-NOPE"])).status_code == 404


def test_a_process_no_longer_public_is_not_served(client, published):
    ocid = ocid_of(published)
    type(published.challenge).objects.filter(pk=published.challenge.pk).update(is_public=False)
    assert client.get(reverse("ocds:process", args=[ocid])).status_code == 404
    assert client.get(reverse("ocds:releases", args=[ocid])).status_code == 404


def test_the_api(client, published):
    ocid = ocid_of(published)
    listing = client.get("/api/v1/ocds/processes/", {"lab": published.lab.slug}).json()
    [row] = listing["results"]
    assert row["ocid"] == ocid
    assert row["releases"] == len(published.releases)
    assert row["record_package"].endswith(f"/ocds/{ocid}/record.json")
    package = client.get(f"/api/v1/ocds/processes/{ocid}/releases/").json()
    assert len(package["releases"]) == len(published.releases)
    record = client.get(f"/api/v1/ocds/processes/{ocid}/record/").json()
    assert record["records"][0]["compiledRelease"]["ocid"] == ocid
    assert client.get("/api/v1/ocds/processes/", {"lab": "nope"}).status_code == 404
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/ocds/processes/", "/api/v1/ocds/processes/{ocid}/releases/", "/record/"):
        assert path in schema, path


def test_queries_do_not_grow_with_the_releases(client, published, django_assert_max_num_queries):
    ocid = ocid_of(published)
    urls = [
        reverse("ocds:process", args=[ocid]),
        reverse("ocds:releases", args=[ocid]),
        reverse("ocds:record", args=[ocid]),
        reverse("ocds:lab", args=[published.lab.slug]),
        reverse("ocds:bulk", args=[published.lab.slug, 1]),
        f"/api/v1/ocds/processes/{ocid}/record/",
    ]
    counts = {}
    for url in urls:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts[url] = len(captured)
    # Twenty more releases of the same process (the pilot's budget changes twenty times).
    for amount in range(20):
        type(published.pilot).objects.filter(pk=published.pilot.pk).update(budget=10001 + amount)
        assert sync(published.challenge).published
    assert Release.objects.filter(ocid=ocid).count() >= len(published.releases) + 20
    for url in urls:
        with django_assert_max_num_queries(counts[url]):
            assert client.get(url).status_code == 200


def test_only_the_lab_managers_change_the_settings(client, login, published):
    lab = published.lab
    staff = published.staff
    url = reverse("ocds:settings", args=[lab.slug])
    login(staff)
    assert client.get(url).status_code == 404
    boss = LabMembershipFactory(lab=lab, role="manager").user
    login(boss)
    assert client.get(url).status_code == 200
    data = {
        "prefix": "ocds-abc123",
        "publisher_name": "The lab",
        "publisher_uri": "https://lab.example",
        "license_url": "https://creativecommons.org/licenses/by/4.0/",
        "policy": "We publish everything public.",
    }
    response = client.post(url, data)
    # Releases exist: the prefix may not change any more, and the error is shown at the field.
    assert response.status_code == 200
    assert "an ocid never changes" in response.content.decode()
    data["prefix"] = PublicationSettings.objects.get(lab=lab).prefix
    assert client.post(url, data).status_code == 302
    assert PublicationSettings.objects.get(lab=lab).policy == "We publish everything public."
    with pytest.raises(ValidationError) as refused:
        publication_settings_save(lab=lab, by=staff, policy="x")
    assert getattr(refused.value, "code", None) == "not_allowed"


def test_a_lab_without_releases_may_set_its_prefix(lab, manager):
    publication = publication_settings_save(lab=lab, by=manager, prefix="ocds-abc123")
    assert publication.prefix == "ocds-abc123"
    with pytest.raises(ValidationError) as refused:
        publication_settings_save(lab=lab, by=manager, prefix="ocds-TOO-LONG")
    assert "prefix" in refused.value.message_dict


def test_the_api_shows_and_changes_the_publication_settings(client, login, published):
    from govlab.audit.models import AuditEntry

    lab = published.lab
    url = f"/api/v1/ocds/labs/{lab.slug}/"
    shown = client.get(url).json()
    assert shown["prefix"] == PublicationSettings.objects.get(lab=lab).prefix
    assert shown["policy_page"].endswith(reverse("ocds:policy", args=[lab.slug]))
    assert [bulk.split("/ocds/")[1] for bulk in shown["bulk_files"]] == [
        reverse("ocds:bulk", args=[lab.slug, 1]).split("/ocds/")[1]
    ]
    assert client.patch(url, {"policy": "x"}, content_type="application/json").status_code in (401, 403)
    login(published.staff)
    assert client.patch(url, {"policy": "x"}, content_type="application/json").status_code == 404
    login(LabMembershipFactory(lab=lab, role="manager").user)
    # Releases exist: the prefix may not change any more.
    refused = client.patch(url, {"prefix": "ocds-abc123"}, content_type="application/json")
    assert refused.status_code == 400
    assert "prefix" in refused.json()["error"]["fields"]
    for bad in ({"prefix": "ocds-TOO-LONG"}, {"license_url": "not an address"}, {"policy": "x" * 10001}):
        assert client.patch(url, bad, content_type="application/json").status_code == 400, bad
    changed = client.patch(url, {"policy": "We publish everything public."}, content_type="application/json")
    assert changed.status_code == 200
    assert changed.json()["policy"] == "We publish everything public."
    assert PublicationSettings.objects.get(lab=lab).policy == "We publish everything public."
    entry = AuditEntry.objects.get(action="ocds.settings_changed")
    assert "policy" in entry.changes
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/ocds/labs/{slug}/" in schema
