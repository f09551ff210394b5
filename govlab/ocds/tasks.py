"""Background work for OCDS publication: append a challenge's new releases (idempotent)."""

from __future__ import annotations

from django_tasks import task


@task()
def sync_challenge(challenge_id: int) -> int:
    """Publish what changed in the challenge's process; returns how many releases were appended."""
    from govlab.challenges.models import Challenge

    from .publish import sync

    challenge = Challenge.objects.filter(pk=challenge_id).first()
    if challenge is None:
        return 0
    return len(sync(challenge).published)
