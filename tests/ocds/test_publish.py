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
    # Merged last (dated now), the update does not take back a role the buyer has since had.
    compiled = compile_releases(list(Release.objects.filter(ocid=new.ocid).values_list("data", flat=True)))
    buyer = next(p for p in compiled["parties"] if p["id"] == update.data["buyer"]["id"])
    assert {"buyer", "payer"} <= set(buyer["roles"])
    assert publish.sync(published.challenge).published == []
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


def _committed():
    """The story's own refreshes are waiting for the test's transaction to commit, which it never does:
    drop them, as a commit would have run them, so what follows is a transaction of its own."""
    from django.db import transaction

    transaction.get_connection().run_on_commit.clear()


def test_refresh_later_syncs_after_the_commit(story, django_capture_on_commit_callbacks):
    _committed()
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


def test_a_same_day_journey_publishes_no_spurious_update(selected, routes):
    """Selection, procurement, award, signature (dated by its day: local midnight), a met milestone and
    a payment, all on one day and published as they happen: each sync adds only the new events, in
    pipeline order, and never an update of what was already published."""
    import datetime as dt
    from decimal import Decimal
    from zoneinfo import ZoneInfo

    from govlab.contracts.models import Contract, ContractMilestone, Payment
    from govlab.procurement.models import Award, ProcurementProcess

    lab, challenge, staff = selected.lab, selected.challenge, selected.staff
    type(lab).objects.filter(pk=lab.pk).update(time_zone="America/Bogota")
    type(challenge).objects.filter(pk=challenge.pk).update(is_public=True, status="implementing")
    zone = ZoneInfo("America/Bogota")
    day = dt.datetime.now(zone).date() - dt.timedelta(days=3)

    def at(hour):
        return dt.datetime.combine(day, dt.time(hour), tzinfo=zone)

    type(selected.selection).objects.filter(pk=selected.selection.pk).update(decided_at=at(11))
    published = {release.key for release in publish.sync(challenge).published}
    assert "selection" in published

    def step():
        new = publish.sync(challenge).published
        keys = [release.key for release in new]
        assert not published & set(keys), keys  # nothing already published is published again
        published.update(keys)
        return keys

    process = ProcurementProcess.objects.create(
        lab=lab,
        challenge=challenge,
        title="Purchase",
        procedure=routes.ppi,
        legal_regime=routes.law,
        threshold=routes.ppi_law,
        estimated_value=Decimal("150000"),
        currency="COP",
        route_justification="New to the market.",
        status="awarded",
        awarded_at=at(14),
        chosen_by=staff,
    )
    ProcurementProcess.objects.filter(pk=process.pk).update(created_at=at(12))
    award = Award.objects.create(
        process=process,
        supplier=selected.supplier,
        application=selected.application,
        title="Purchase",
        value=Decimal("120000"),
        currency="COP",
        decided_at=at(14),
        decided_by=staff,
    )
    assert step() == [f"procurement:{process.pk}", f"award:{process.pk}"]
    contract = Contract.objects.create(
        lab=lab,
        challenge=challenge,
        kind="purchase",
        award=award,
        reference=f"CT-{challenge.reference}-1",
        title="Deployment",
        scope="Three offices.",
        supplier=selected.supplier,
        buyer=challenge.owner,
        value=Decimal("120000"),
        currency="COP",
        starts_on=day,
        ends_on=day + dt.timedelta(days=300),
        signed_on=day,
        ip_terms="supplier_licence",
        status="active",
        created_by=staff,
    )
    milestone = ContractMilestone.objects.create(contract=contract, title="Installed", due_on=day)
    assert step() == [f"contract:{contract.reference}"]
    ContractMilestone.objects.filter(pk=milestone.pk).update(status="met", met_on=day)
    payment = Payment.objects.create(
        contract=contract,
        invoice_number="INV-1",
        amount=Decimal("60000"),
        invoice_received_on=day,
        approved_on=day,
        paid_on=day,
        due_on=day + dt.timedelta(days=30),
        recorded_by=staff,
    )
    assert step() == [f"milestone:{milestone.pk}", f"payment:{payment.pk}"]
    releases = list(Release.objects.filter(challenge=challenge).order_by("sequence"))
    assert [r.key for r in releases][-6:] == [
        "selection",
        f"procurement:{process.pk}",
        f"award:{process.pk}",
        f"contract:{contract.reference}",
        f"milestone:{milestone.pk}",
        f"payment:{payment.pk}",
    ]
    dates = [r.date for r in releases]
    assert dates == sorted(dates)  # the compiled release merges them in this order
    assert all(r.date.astimezone(zone).date() == day for r in releases[-6:])
    compiled = compile_releases([r.data for r in releases])
    supplier = next(p for p in compiled["parties"] if p["name"] == selected.supplier.name)
    assert {"tenderer", "supplier", "payee"} <= set(supplier["roles"])


def _ocds_callbacks(callbacks, challenge_id):
    return [c for c in callbacks if getattr(c, "ocds_challenge_id", None) == challenge_id]


def test_a_challenge_transition_refreshes_its_releases_after_the_commit(
    story, django_capture_on_commit_callbacks
):
    from govlab.challenges.services import challenge_transition

    _committed()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        challenge_transition(
            challenge=story.challenge, target="abandoned", actor=story.staff, reason="The entity stopped it."
        )
    assert len(_ocds_callbacks(callbacks, story.challenge.pk)) == 1


def test_one_refresh_per_challenge_and_transaction_and_none_lost_to_a_rollback(
    story, django_capture_on_commit_callbacks
):
    from django.db import transaction

    _committed()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        try:
            with transaction.atomic():
                publish.refresh_later(story.challenge.pk)
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        publish.refresh_later(story.challenge.pk)
        publish.refresh_later(story.challenge.pk)
    assert len(_ocds_callbacks(callbacks, story.challenge.pk)) == 1
