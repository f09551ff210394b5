"""Publishing: the builder's releases, append-only sync, immutability, schema check before storing."""

import json

import pytest
from django.core.exceptions import ValidationError

from govlab.audit.models import AuditEntry
from govlab.ocds import builder, publish
from govlab.ocds.models import PublicationSettings, Release, default_prefix
from govlab.ocds.packages import compile_releases
from govlab.ocds.schema import release_errors

pytestmark = pytest.mark.django_db


def tags_of(releases):
    return [tag for release in releases for tag in release.tags]


def test_the_story_publishes_every_stage_of_the_process(published):
    tags = tags_of(published.releases)
    for tag in (
        "planning",
        "tender",
        "tenderUpdate",
        "award",
        "contract",
        "contractAmendment",
        "implementation",
    ):
        assert tag in tags, tag
    dates = [r.date for r in published.releases]
    assert dates == sorted(dates)
    prefix = PublicationSettings.objects.get(lab=published.lab).prefix
    assert prefix == default_prefix(published.lab)
    assert all(r.ocid == f"{prefix}-{published.challenge.reference}" for r in published.releases)
    assert all(release_errors(r.data) == [] for r in published.releases)


def test_the_compiled_release_tells_the_whole_story(published):
    compiled = compile_releases([r.data for r in published.releases])
    assert compiled["tag"] == ["compiled"]
    assert compiled["tender"]["procurementMethod"] == "open"  # the procedure's method, once procuring
    assert compiled["tender"]["enquiries"][0]["description"] == "May a consortium apply?"
    assert "author" not in compiled["tender"]["enquiries"][0]
    stats = {s["measure"]: s["value"] for s in compiled["bids"]["statistics"]}
    assert stats == {"requests": 3, "bidders": 3, "qualifiedBidders": 2}
    awards = {a["id"]: a for a in compiled["awards"]}
    assert awards[f"AW-PILOT-{published.pilot.pk}"]["value"] == {"amount": 10000, "currency": "COP"}
    assert awards[f"AW-{published.award.pk}"]["value"] == {"amount": 120000, "currency": "COP"}
    [contract] = [c for c in compiled["contracts"] if c["id"] == published.contract.reference]
    assert contract["value"] == {"amount": 130000, "currency": "COP"}  # after the amendment
    assert contract["amendments"][0]["rationale"] == "A fourth office joins."
    [transaction] = contract["implementation"]["transactions"]
    assert transaction["value"] == {"amount": 60000, "currency": "COP"}
    assert transaction["relatedImplementationMilestone"] == {"id": f"IM-{published.milestone.pk}"}
    [met] = [m for m in contract["implementation"]["milestones"] if m.get("status")]
    assert met["status"] == "met"
    assert met["dateMet"]
    supplier = next(p for p in compiled["parties"] if p["name"] == published.selected.supplier.name)
    assert {"tenderer", "supplier", "payee"} <= set(supplier["roles"])
    # Only the public documents.
    urls = json.dumps(compiled)
    assert "evaluation-report" in urls
    assert "market-consultation" not in urls
    assert "signed" in urls
    assert "bank" not in urls


def test_sync_appends_only_what_changed(published):
    assert publish.sync(published.challenge).published == []
    milestone = published.contract.milestones.get(title="Final acceptance")
    type(milestone).objects.filter(pk=milestone.pk).update(
        status="met", met_on=milestone.due_on.replace(year=2000)
    )
    [new] = publish.sync(published.challenge).published
    assert new.tags == ["implementation"]
    assert new.key == f"milestone:{milestone.pk}"
    # A change to something already published is told by an update, dated now.
    type(published.call).objects.filter(pk=published.call.pk).update(summary={"en": "A new summary."})
    [update] = publish.sync(published.challenge).published
    assert update.tags == ["tenderUpdate"]
    assert update.key == "tender"
    assert update.sequence == new.sequence + 1
    assert Release.objects.filter(ocid=new.ocid).count() == len(published.releases) + 2


def test_a_release_is_never_changed_nor_deleted(published):
    release = published.releases[0]
    release.tags = ["planningUpdate"]
    with pytest.raises(ValidationError):
        release.save()
    with pytest.raises(ValidationError):
        release.delete()
    with pytest.raises(ValidationError):
        Release.objects.filter(pk=release.pk).update(tags=[])
    with pytest.raises(ValidationError):
        Release.objects.filter(pk=release.pk).delete()
    assert Release.objects.get(pk=release.pk).tags == ["planning"]


def test_a_release_that_fails_the_schema_is_not_stored_but_logged_and_audited(story, monkeypatch, caplog):
    real = builder.compile_events

    def broken(challenge):
        events = real(challenge)
        events[0].body["planning"]["budget"] = {"amount": {"amount": "lots", "currency": "COP"}}
        events[0].body["undeclaredField"] = 1
        return events

    monkeypatch.setattr(publish, "compile_events", broken)
    result = publish.sync(story.challenge)
    assert [release_id for release_id, _errors in result.refused] == [
        f"{result.published[0].ocid}-0001-planning"
    ]
    errors = result.refused[0][1]
    assert any("undeclaredField" in e for e in errors)
    assert any("lots" in e for e in errors)
    assert not Release.objects.filter(key="planning").exists()
    assert result.published  # the rest is published
    assert AuditEntry.objects.filter(action="ocds.release_refused").count() == 1
    assert "refused" in caplog.text


def test_nothing_is_published_for_a_challenge_that_is_not_public(story):
    type(story.challenge).objects.filter(pk=story.challenge.pk).update(is_public=False)
    story.challenge.refresh_from_db()
    assert publish.sync(story.challenge).published == []
    type(story.challenge).objects.filter(pk=story.challenge.pk).update(is_public=True, status="submitted")
    story.challenge.refresh_from_db()
    assert publish.sync(story.challenge).published == []


def test_refresh_later_syncs_after_the_commit(story, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish.refresh_later(story.challenge.pk)
    assert not Release.objects.exists()
    assert len(callbacks) == 1
    callbacks[0]()
    assert Release.objects.filter(challenge=story.challenge).exists()


def test_the_default_prefix_is_stable_and_well_formed(lab, other_lab):
    assert default_prefix(lab) == default_prefix(lab)
    assert default_prefix(lab) != default_prefix(other_lab)
    assert len(default_prefix(lab)) == 11
    assert default_prefix(lab).startswith("ocds-")


def test_the_releases_do_not_depend_on_the_language_of_the_request(story):
    from django.utils import translation

    with translation.override("fr"):
        first = publish.sync(story.challenge).published
    with translation.override("sv"):
        assert publish.sync(story.challenge).published == []
    assert {r.data["language"] for r in first} == {story.lab.main_language}


def test_the_demo_loader_publishes_once(story):
    from govlab.ocds import demo

    created = demo.load()
    assert created["releases"] == Release.objects.count() > 0
    assert demo.load() == {}
