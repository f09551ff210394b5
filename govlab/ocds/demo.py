"""Demo data: publish the OCDS releases of every demo challenge's process (runs last in the demo chain).

Idempotent: ``sync`` appends only what changed, so a second run publishes nothing.
"""

from __future__ import annotations

from collections import Counter

from govlab.challenges.models import Challenge

from .publish import sync


def load() -> dict:
    created: Counter = Counter()
    for challenge in Challenge.objects.public().select_related("lab").order_by("pk").iterator(chunk_size=200):
        result = sync(challenge)
        created["releases"] += len(result.published)
        created["refused"] += len(result.refused)
    return {key: value for key, value in created.items() if value}
