"""Publishing: append the releases a challenge's changes call for; the hook the phase services call.

``sync(challenge)`` compiles the process's events (``builder.compile_events``) and compares each with the
last release stored for the same event: a new event is published with its own tags and date; a changed
one is published again with the matching update tag (``planning`` → ``planningUpdate``, ``tender`` →
``tenderUpdate``, ``award`` → ``awardUpdate``, ``contract`` → ``contractUpdate``…) dated now. Nothing is
ever updated or deleted. Every release is checked against the extended release schema first; a release
that fails is not stored, and the failure is logged and audited.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from govlab.audit.services import audit_record

from .builder import compile_events, iso, ocid_for
from .models import PublicationSettings, Release, default_prefix
from .schema import release_errors

logger = logging.getLogger(__name__)

UPDATE_TAG = {
    "planning": "planningUpdate",
    "planningUpdate": "planningUpdate",
    "tender": "tenderUpdate",
    "tenderUpdate": "tenderUpdate",
    "tenderAmendment": "tenderAmendment",
    "tenderCancellation": "tenderCancellation",
    "award": "awardUpdate",
    "awardUpdate": "awardUpdate",
    "contract": "contractUpdate",
    "contractUpdate": "contractUpdate",
    "contractAmendment": "contractAmendment",
    "contractTermination": "contractTermination",
    "implementation": "implementationUpdate",
    "implementationUpdate": "implementationUpdate",
}


@dataclass
class SyncResult:
    published: list[Release] = field(default_factory=list)
    refused: list[tuple[str, list[str]]] = field(default_factory=list)


def publication_for(lab) -> PublicationSettings:
    """The lab's publication settings, created with their defaults the first time."""
    try:
        return lab.ocds_settings
    except PublicationSettings.DoesNotExist:
        pass
    from govlab.core.i18n import pick

    publication, _created = PublicationSettings.objects.get_or_create(
        lab=lab,
        defaults={
            "prefix": default_prefix(lab),
            "publisher_name": pick(lab.name, lab.main_language).text or lab.slug,
            "publisher_uri": lab.website or "",
        },
    )
    return publication


def content_hash(body: dict) -> str:
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _latest_by_key(challenge) -> dict[str, str]:
    """{event key: content hash of its latest release} for the challenge."""
    latest: dict[str, tuple] = {}
    for key, sequence, digest in (
        Release.objects.filter(challenge=challenge).order_by().values_list("key", "sequence", "content_hash")
    ):
        if key not in latest or sequence > latest[key][0]:
            latest[key] = (sequence, digest)
    return {key: digest for key, (_seq, digest) in latest.items()}


@transaction.atomic
def sync(challenge, *, actor=None) -> SyncResult:
    """Append the releases for what changed in ``challenge``'s process since the last sync."""
    from govlab.challenges.models import Challenge

    challenge = (
        Challenge.objects.select_related("lab", "owner").select_for_update(of=("self",)).get(pk=challenge.pk)
    )
    result = SyncResult()
    events = compile_events(challenge)
    if not events:
        return result
    publication = publication_for(challenge.lab)
    ocid = ocid_for(publication.prefix, challenge)
    latest = _latest_by_key(challenge)
    # Releases of the process under an earlier prefix keep their ocid; new ones use the current one.
    sequence = Release.objects.filter(ocid=ocid).aggregate(n=Max("sequence"))["n"] or 0
    now = timezone.now()
    # Roles are cumulative (builder._cumulative_roles): a party's last mention has all of them.
    roles = {party["id"]: party["roles"] for event in events for party in event.body.get("parties", [])}
    for event in events:
        digest = content_hash(event.body)
        if latest.get(event.key) == digest:
            continue
        body = event.body
        if event.key in latest:
            tags = list(dict.fromkeys(UPDATE_TAG.get(tag, tag) for tag in event.tags))
            date = now
            # Dated now, the update is merged last: its parties keep every role they have by now.
            parties = [{**party, "roles": roles[party["id"]]} for party in body.get("parties", [])]
            body = {**body, "parties": parties} if parties else body
        else:
            tags, date = event.tags, event.date
        sequence += 1
        release_id = f"{ocid}-{sequence:04d}-{event.key.replace(':', '-')}"
        data = {"ocid": ocid, "id": release_id, "date": iso(date), "tag": tags, **body}
        errors = release_errors(data)
        if errors:
            sequence -= 1
            logger.error("OCDS release %s refused: %s", release_id, "; ".join(errors[:10]))
            audit_record(
                actor=actor,
                action="ocds.release_refused",
                target=challenge,
                lab=challenge.lab,
                changes={"release": release_id, "errors": errors[:20]},
                reason="The release does not match the OCDS release schema.",
            )
            result.refused.append((release_id, errors))
            continue
        release = Release(
            lab=challenge.lab,
            challenge=challenge,
            ocid=ocid,
            release_id=release_id,
            sequence=sequence,
            key=event.key,
            date=date,
            tags=tags,
            data=data,
            content_hash=digest,
        )
        release.save()
        result.published.append(release)
        latest[event.key] = digest
    if result.published:
        audit_record(
            actor=actor,
            action="ocds.releases_published",
            target=challenge,
            lab=challenge.lab,
            changes={"ocid": ocid, "releases": [r.release_id for r in result.published]},
        )
    return result


def refresh_later(challenge_id: int) -> None:
    """See ``_refresh``: the hook the phase-5 services call."""
    _refresh(challenge_id)


def _refresh(challenge_id: int) -> None:
    """After the current transaction commits, append the releases the challenge's changes call for.

    Once per challenge and transaction: a sync already waiting for this challenge's commit covers every
    change made before it (and goes away with a rollback, so nothing is skipped). The phases' changes reach
    here through the signals of ``ocds.signals`` and the phase-5 services' explicit calls alike.
    """
    from django.db import transaction

    from .tasks import sync_challenge

    connection = transaction.get_connection()
    if connection.in_atomic_block and any(
        getattr(callback, "ocds_challenge_id", None) == challenge_id
        for _savepoints, callback, _robust in connection.run_on_commit
    ):
        return

    def enqueue() -> None:
        sync_challenge.enqueue(challenge_id)

    enqueue.ocds_challenge_id = challenge_id
    transaction.on_commit(enqueue)
